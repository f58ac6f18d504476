"""GitHub's Markdown features, one case per feature: the exact HTML brandsite writes."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.markdown.convert import MarkdownRenderer

CASES = [
    pytest.param(
        "We offer:\n- a\n- b\n",
        "<p>We offer:</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>",
        id="list-after-text",
    ),
    pytest.param(
        "Steps:\n1. one\n2. two\n",
        "<p>Steps:</p>\n<ol>\n<li>one</li>\n<li>two</li>\n</ol>",
        id="ordered-after-text",
    ),
    pytest.param(
        "In\n2. not a list\n",
        "<p>In\n2. not a list</p>",
        id="no-interrupt-2",
    ),
    pytest.param(
        "- a\n  - b\n    - c\n",
        "<ul>\n<li>a<ul>\n<li>b<ul>\n<li>c</li>\n</ul>\n</li>\n</ul>\n</li>\n</ul>",
        id="two-space",
    ),
    pytest.param(
        "1. one\n   - sub\n2. two\n",
        "<ol>\n<li>one<ul>\n<li>sub</li>\n</ul>\n</li>\n<li>two</li>\n</ol>",
        id="three-space",
    ),
    pytest.param(
        "3. three\n4. four\n",
        '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>',
        id="start",
    ),
    pytest.param(
        "1) one\n2) two\n",
        "<ol>\n<li>one</li>\n<li>two</li>\n</ol>",
        id="paren",
    ),
    pytest.param(
        "- a\n\n- b\n- c\n",
        "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n<li>\n<p>c</p>\n</li>\n</ul>",
        id="loose",
    ),
    pytest.param(
        "```python\n# comment\n\nx = 1\n```\n",
        '<pre><code class="language-python"># comment\n\nx = 1</code></pre>',
        id="fence-backtick",
    ),
    pytest.param(
        "~~~\n## not a heading\n~~~\n",
        "<pre><code>## not a heading</code></pre>",
        id="fence-tilde",
    ),
    pytest.param(
        "- a\n\n  ```\n  code\n  ```\n- b\n",
        "<ul>\n<li>\n<p>a</p>\n<pre><code>code</code></pre>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>",
        id="fence-in-list",
    ),
    pytest.param(
        "one\\\ntwo\n",
        "<p>one<br>\ntwo</p>",
        id="break-backslash",
    ),
    pytest.param(
        "one  \ntwo\n",
        "<p>one<br>\ntwo</p>",
        id="break-spaces",
    ),
    pytest.param(
        "~~gone~~ and ~kept~\n",
        "<p><del>gone</del> and ~kept~</p>",
        id="strike",
    ),
    pytest.param(
        "- [ ] to do\n- [x] done\n",
        '<ul class="task-list">\n<li class="task-list-item"><label><input type="checkbox" disabled/> to do</label></li>\n<li class="task-list-item"><label><input type="checkbox" disabled checked/> done</label></li>\n</ul>',
        id="task",
    ),
    pytest.param(
        "See https://example.com/jobs and www.example.com.\n",
        '<p>See <a href="https://example.com/jobs" rel="noopener noreferrer">https://example.com/jobs</a> and <a href="http://www.example.com" rel="noopener noreferrer">www.example.com</a>.</p>',
        id="autolink",
    ),
    pytest.param(
        "Text[^1].\n\n[^1]: Note.\n",
        '<p>Text<sup id="fnref-1"><a class="footnote-ref" href="#fn-1">1</a></sup>.</p>\n<section aria-label="Footnotes" class="footnotes">\n<ol>\n<li id="fn-1">\n<p>Note.&#160;<a aria-label="Back to reference 1" class="footnote-backref" href="#fnref-1">&#8617;</a></p>\n</li>\n</ol>\n</section>',
        id="footnote",
    ),
    pytest.param(
        "| a | b |\n|---|:-:|\n| 1 | 2 |\n",
        '<table>\n<thead>\n<tr>\n<th>a</th>\n<th style="text-align: center;">b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1</td>\n<td style="text-align: center;">2</td>\n</tr>\n</tbody>\n</table>',
        id="table",
    ),
    pytest.param(
        "## Team {#team}\n",
        '<h2 id="team">Team</h2>',
        id="heading-id",
    ),
    pytest.param(
        "#hashtag\n",
        "<p>#hashtag</p>",
        id="heading-no-space",
    ),
    pytest.param(
        "[x](a b)\n",
        "<p>[x](a b)</p>",
        id="link-space",
    ),
    pytest.param(
        "> Points:\n> - a\n> - b\n",
        "<blockquote>\n<p>Points:</p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n</blockquote>",
        id="quote-list",
    ),
]


def convert(text: str, source: str = "content/stories/x.md", **options: object) -> str:
    """The HTML of ``text`` as a story body on careers.example.com."""
    renderer = MarkdownRenderer(site_host="careers.example.com", **options)  # type: ignore[arg-type]
    return str(renderer.convert(text, source))


@pytest.mark.parametrize(("markdown", "html"), CASES)
def test_feature_renders_as_on_github(markdown: str, html: str) -> None:
    assert convert(markdown) == html


def test_footnote_labels_follow_the_story_language() -> None:
    html = convert(
        "Text[^1].\n\n[^1]: Note.\n",
        "content/stories/de.md",
        languages={"content/stories/de.md": "de"},
    )
    assert '<section aria-label="Fußnoten" class="footnotes">' in html
    assert 'aria-label="Zurück zur Fußnote 1 im Text"' in html


def test_footnote_ids_are_unique_within_a_page() -> None:
    html = convert("a[^x] b[^y] c[^x]\n\n[^x]: X.\n[^y]: Y.\n")
    ids = [part.split('"')[0] for part in html.split(' id="')[1:]]
    assert len(ids) == len(set(ids)), ids


def test_heading_id_does_not_allow_other_attributes() -> None:
    assert convert("## Team {onclick=alert(1)}\n") == (
        '<h2 id="team-onclickalert1">Team {onclick=alert(1)}</h2>'
    )


@pytest.mark.parametrize("mode", ["escape", "safe"])
def test_hash_lines_in_code_do_not_demote_headings(mode: str) -> None:
    html = convert("## Real\n\n```\n# comment\n```\n", html=mode)
    assert html.startswith('<h2 id="real">Real</h2>')


def test_escaped_html_keeps_its_addresses_as_text() -> None:
    assert convert('<a href="https://example.com/">x</a>\n', html="escape") == (
        '<p>&lt;a href="https://example.com/"&gt;x&lt;/a&gt;</p>'
    )


def test_prefilter_changes_no_output() -> None:
    """The substring tests before inline patterns only save time (fixture corpus + cases)."""
    import markdown as python_markdown

    from generator.markdown.ext import EXTENSION_CONFIGS, EXTENSIONS, own_extensions

    def converter(prefilter: bool) -> python_markdown.Markdown:
        own = [e for e in own_extensions(lambda: "en") if prefilter or "Prefilter" not in repr(e)]
        return python_markdown.Markdown(
            extensions=[*EXTENSIONS, *own], extension_configs=EXTENSION_CONFIGS
        )

    fast, plain = converter(True), converter(False)
    corpus = Path(__file__).parents[1] / "fixtures" / "markdown"
    texts = [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*.md"))]
    texts += [case.values[0] for case in CASES]  # type: ignore[misc]
    texts += ["WWW.EXAMPLE.COM and Mail@Example.com, `a` \\*b\\* ~~c~~ &amp; [^1]\n\n[^1]: n"]
    for text in texts:
        assert fast.reset().convert(text) == plain.reset().convert(text)


def test_an_empty_footnote_nothing_cites_shows_nothing() -> None:
    """Python-Markdown's note reordering failed on it (found by test_hostile_content)."""
    assert convert("[^1]: ") == ""
    assert convert("a[^2] b[^1]\n\n[^1]: one\n[^2]: two\n[^3]:").count("<li ") == 2
