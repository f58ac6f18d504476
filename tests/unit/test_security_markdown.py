"""The Markdown converter's security rules: URL schemes, external links, the safe HTML mode."""

from __future__ import annotations

import time

import html5lib
import pytest
from property.security_checks import unsafe_html

from generator.markdown import convert as md
from generator.markdown.convert import (
    MarkdownRenderer,
    complexity_problem,
    is_external,
    url_is_safe,
)

HOST = "careers.test.example"


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://example.org/", True),
        ("/careers/stories/", True),
        ("stories/a/", True),
        ("#top", True),
        ("mailto:jobs@example.org", True),
        ("tel:+4940123", True),
        ("javascript:alert(1)", False),
        ("JaVaScRiPt:alert(1)", False),
        (" javascript:alert(1)", False),
        ("java\tscript:alert(1)", False),
        ("java\nscript:alert(1)", False),
        ("java&#115;cript:alert(1)", False),
        ("&#106;avascript:alert(1)", False),
        ("javascript&colon;alert(1)", False),
        ("java&Tab;script:alert(1)", False),
        ("data:text/html,<script>", False),
        ("&#100;ata:text/html,x", False),
        ("vbscript:msgbox(1)", False),
        ("&amp;#106;avascript:x", True),  # a browser decodes once: the text `&#106;avascript:x`
    ],
)
def test_url_is_safe(url: str, safe: bool) -> None:
    assert url_is_safe(url) is safe


@pytest.mark.parametrize(
    ("url", "external"),
    [
        ("https://evil.example/", True),
        ("HTTPS://EVIL.EXAMPLE/x", True),
        ("//evil.example/x", True),
        ("/\\evil.example/x", True),  # browsers read the backslash as a slash: //evil…
        ("\\\\evil.example/x", True),
        ("https://careers.test.example/x", False),
        ("https://CAREERS.test.example/x", False),
        ("/careers/", False),
        ("mailto:a@b.example", False),
        ("https://[::1", True),
    ],
)
def test_is_external(url: str, external: bool) -> None:
    assert is_external(url, HOST) is external


def convert(text: str, mode: str = "escape") -> str:
    return str(MarkdownRenderer(HOST, html=mode).convert(text, "content/stories/a.md"))


@pytest.mark.parametrize("mode", ["escape", "safe"])
@pytest.mark.parametrize(
    "text",
    [
        "[x](javascript:alert(1))",
        "[x](java&#115;cript:alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x][r]\n\n[r]: javascript:alert(1)",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        "![x](&#100;ata:text/html,x)",
        '~~~ {.py onclick="alert(1)"}\ncode\n~~~',
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
        '<img src=x onerror="alert(1)">',
        "<svg><script>alert(1)</script></svg>",
        "<iframe src=https://evil.example></iframe>",
        '<a href="java&#115;cript:alert(1)">x</a> and <b onclick=x>b</b>',
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    ],
)
def test_no_script_in_either_mode(text: str, mode: str) -> None:
    assert unsafe_html(convert(text, mode)) == []


def test_escape_mode_shows_raw_html_as_text() -> None:
    assert convert("<b>bold</b>") == "<p>&lt;b&gt;bold&lt;/b&gt;</p>"


def test_safe_mode_keeps_harmless_tags_and_strips_the_rest() -> None:
    html = convert(
        '<div class="button" onclick="x()" style="position:fixed"><b title="t">bold</b>'
        '<h1>Title</h1><table><tr><td style="text-align:right;color:red">c</td></tr></table>'
        "<!-- hidden --><form><input></form></div>\n\nInline <span>s</span> <u>u</u>",
        "safe",
    )
    assert '<b title="t">bold</b>' in html and "<div>" in html
    assert '<td style="text-align:right">c</td>' in html
    assert "<h1>" not in html and "Title" in html  # the page title is the only h1
    for gone in ("onclick", "position", "button", "hidden", "<form", "<input", "color"):
        assert gone not in html
    assert "Inline <span>s</span> <u>u</u>" in html


@pytest.mark.parametrize("mode", ["escape", "safe"])
def test_external_links_get_rel_in_both_modes(mode: str) -> None:
    html = convert(
        "[a](https://evil.example/) [b](//evil.example/) [c](/careers/) "
        '<a href="https://evil.example/" rel="opener">d</a> <a href="/x">e</a>\n\n'
        '<p><a href="https://evil.example/" target="_blank">f</a></p>',
        mode,
    )
    links = list(html5lib.parse(html, namespaceHTMLElements=False).iter("a"))
    rels = [(a.get("href"), a.get("rel")) for a in links]
    external = {"https://evil.example/", "//evil.example/"}
    assert all(rel == "noopener noreferrer" for href, rel in rels if href in external)
    assert all(rel is None for href, rel in rels if href not in external)
    assert len(rels) == (3 if mode == "escape" else 6)
    assert all(a.get("target") is None for a in links)


def test_safe_mode_does_not_let_authors_forge_embeds() -> None:
    html = convert(
        '<figure class="embed" data-embed-src="https://evil.example/">x</figure>\n\n'
        '@[youtube](https://www.youtube.com/watch?v=M7lc1UVf-VE "Title")',
        "safe",
    )
    assert "evil.example" not in html
    assert html.count("data-embed-src") == 1  # the real embed's placeholder is brandsite's own


def test_safe_mode_is_part_of_the_cache_key() -> None:
    assert MarkdownRenderer(HOST).settings_key != MarkdownRenderer(HOST, html="escape").settings_key


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        ("[" * 4000, 0, "unclosed `[`"),
        ("intro\n\n" + "[a](" * 1500, 2, "unclosed `[`"),
        ("![" * 3000, 0, "unclosed `[`"),
        ("a\n=\n" * 4000, 0, "headings"),
        ("ok\n\n" + ">" * 60 + " deep", 2, "quoted"),
        ("<a\n" * 4000, 0, "unclosed HTML"),
        ("``a`" * 15000, 0, "backticks"),  # 11 s per story before code spans were counted
        ("intro\n\n" + "```a``" * 10000, 2, "backticks"),
    ],
)
def test_pathological_markdown_is_refused(body: str, line: int, words: str) -> None:
    found = complexity_problem(body)
    assert found is not None and words in found[1]
    assert found[0] >= line


@pytest.mark.parametrize(
    ("text", "work"),
    [
        ("no code at all", 0),
        ("a `b` c", 3),  # from the opener to the end of its closer
        ("a ``b`` c", 5),
        ("a `b c", 4),  # no closer: to the end of the paragraph
        ("a \\`b` c", 3),  # an escaped backtick opens nothing; the next one scans to the end
        ("```a`", 5),  # no run of three: to the end, then the shorter run closes it (fallback)
        ("``a```a`", 8 + 4),  # `` scans to the end and resumes inside ```: `` again, to the end
    ],
)
def test_code_span_work_replays_python_markdown(text: str, work: int) -> None:
    from generator.markdown.complexity import code_span_work

    assert code_span_work(text) == work


def test_a_refused_body_gets_no_summary_derived(monkeypatch) -> None:
    from generator.content import entries
    from generator.content.loading import SourceFile

    calls: list[str] = []
    real = entries.derive_summary
    monkeypatch.setattr(entries, "derive_summary", lambda body: calls.append(body) or real(body))
    head = "---\ntitle: T\nauthor: A\ndate: 2026-01-10\nvalues: [craft]\n---\n"
    for body, derived in (("[" * 60000, 0), ("![" * 30000, 0), ("Fine text.", 1)):
        calls.clear()
        entry, problems = entries.parse_story(SourceFile("content/stories/x.md", head + body))
        assert len(calls) == derived
        assert [p.code for p in problems] == (["markdown-too-complex"] if not derived else [])
        assert [p.line for p in problems] == ([7] if not derived else [])
        assert entry is not None and entry.summary == ("Fine text." if derived else "")


def test_real_stories_are_not_refused() -> None:
    from conftest import REPO

    for path in sorted((REPO / "content").rglob("*.md")):
        assert complexity_problem(path.read_text(encoding="utf-8")) is None, path
    long_story = ("A paragraph with [a link](https://example.org/) and `code`.\n\n" * 900)[:60000]
    assert complexity_problem(long_story) is None


def test_a_conversion_that_runs_too_long_falls_back_to_text(monkeypatch) -> None:
    monkeypatch.setattr(md, "MAX_CONVERT_SECONDS", 0.05)
    body = "a\n=\n" * 3000  # slow (and refused by complexity_problem before a real build)
    started = time.monotonic()
    html = convert(body)
    assert time.monotonic() - started < 2
    assert html.startswith("<pre>")


UNCLOSED = [
    'Text <a href="/x">unclosed',
    '<a href="/x">unclosed',
    "Text <b>bold <i>and italic",
    "<b>x\n\ny</b>",
    '<span><a href="/x">a</span> b',
    "<div>\nopen block",
    "<table><tr><td>open table",
    '| a | b |\n|---|---|\n| <a href="/x">c | d |',
    "<details><summary>s\n\nbody",
    "a </div></article></main> b",  # closing the theme's elements: dropped
]


def _ancestors(tree, target_id: str) -> list[str]:
    """Tags of the elements around the one with ``id=target_id`` in an html5lib tree."""

    def walk(element, path: list[str]) -> list[str] | None:
        if element.get("id") == target_id:
            return path
        for child in element:
            found = walk(child, [*path, element.tag])
            if found is not None:
                return found
        return None

    return walk(tree, []) or []


@pytest.mark.parametrize("text", UNCLOSED)
def test_safe_html_is_balanced(text: str) -> None:
    from generator.markdown.balance import balance_html

    body = convert(text, "safe")
    assert balance_html(body) == body  # nothing left to close or to drop
    page = f'<main><div id="body">{body}</div><a id="cta" href="/jobs/">Apply</a></main>'
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    assert _ancestors(tree, "cta") == ["html", "body", "main"]  # not in the story's <a> or <b>


@pytest.mark.parametrize(
    ("html", "balanced"),
    [
        ('<p>Text <a href="/x">unclosed</p>', '<p>Text <a href="/x">unclosed</a></p>'),
        ("<p><b>x</p>\n<p>y</b></p>", "<p><b>x</b></p>\n<p>y</p>"),
        ("<p>a<br>b</br></p>", "<p>a<br>b</p>"),
        ('<div title="a>b"><i>x</div>', '<div title="a>b"><i>x</i></div>'),
        ("<p>&lt;a&gt; <img src=a.png/></p></div>", "<p>&lt;a&gt; <img src=a.png/></p>"),
        ("<table><tr><td>x", "<table><tr><td>x</td></tr></table>"),
    ],
)
def test_balance_html(html: str, balanced: str) -> None:
    from generator.markdown.balance import balance_html

    assert balance_html(html) == balanced


def test_an_unclosed_link_does_not_swallow_the_call_to_action(tmp_path) -> None:
    """The browser-visible effect, on the built page: the theme's button is not in the link."""
    from conftest import SITE_TOML, run_build, story, write_site

    config = SITE_TOML + (
        '\n[markdown]\nhtml = "safe"\n\n[brand]\ncta_label = "Apply"\n'
        'cta_url = "https://jobs.example.org/"\n'
    )
    body = 'Read <a href="/stories/">our stories <b>now\n\n<div>And <table><tr><td>more'
    root = write_site(tmp_path / "site", {"content/stories/a.md": story(body=body)}, config)
    result = run_build(root)
    assert result.ok, result.diagnostics
    page = (root / "output/stories/a/index.html").read_text(encoding="utf-8")
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    buttons = [a for a in tree.iter("a") if a.get("href") == "https://jobs.example.org/"]
    assert buttons  # the call-to-action band (and the header's and footer's buttons)
    for number, button in enumerate(buttons):
        button.set("id", f"cta-{number}")
        path = _ancestors(tree, f"cta-{number}")
        assert path[:2] == ["html", "body"] and not {"a", "b", "table", "td"} & set(path), path
    story_links = [a for a in tree.iter("a") if a.get("href") == "/stories/"]
    assert all("Apply" not in "".join(a.itertext()) for a in story_links)
