"""Arbitrary bytes, YAML and Markdown: every outcome is a site or problems with file:line.

No exception escapes, nothing hangs, and no script survives into a page.
"""

from __future__ import annotations

import os
import string
import tempfile
import time
from pathlib import Path

import yaml
from hypothesis import assume, event, given
from hypothesis import strategies as st

from conftest import VALUE, run_build, write_site
from generator.content.entries import parse_story, parse_value
from generator.content.loading import SourceFile, read_text
from generator.markdown.complexity import complexity_problem
from generator.markdown.convert import MarkdownRenderer

from .security_checks import unsafe_feed, unsafe_html

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
MARKDOWN_TOKENS = [
    "\n", "\n\n", " ", "  \n", "    ", "\t", "#", "##", "*", "**", "_", "`", "```", "~~~", ">",
    "- ", "1. ", "[", "]", "(", ")", "![", "](", "[^1]", "[^1]: ", "|", "---", "===", "\\",
    "<", ">", "&", "&#106;", "&colon;", "&#x3C;", "<!--", "-->", "<script>", "</script>",
    "<b>", "</b>", "<div>", "</div>", "<a href=\"", "\">", "<img src=x onerror=alert(1)>",
    "javascript:", "java\tscript:", "data:text/html,", "https://evil.example/", "//evil.example",
    "mailto:a@b.c", "onclick=", "\"", "'", "word", "Wörter", "{", "}", ":", "@[youtube](",
    "<svg onload=alert(1)>", "<iframe src=//x>", "<style>", "<math>", "<![CDATA[", "%0a",
]  # fmt: skip
markdown_text = st.lists(
    st.one_of(st.sampled_from(MARKDOWN_TOKENS), st.text(max_size=8)), max_size=80
).map("".join)
printable_markdown = st.lists(
    st.one_of(
        st.sampled_from(MARKDOWN_TOKENS),
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=8),
    ),
    max_size=80,
).map("".join)
"""Markdown without control characters (which are refused), so most such sites build."""
yaml_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=30),
    st.dates(), st.binary(max_size=10),
)  # fmt: skip
yaml_data = st.recursive(
    yaml_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
story_keys = st.sampled_from(
    ["title", "author", "date", "values", "summary", "image", "image_alt", "draft", "slug",
     "lang", "extra", "consent", "expires", "role", "team", "location", "unknown", "order"]
)  # fmt: skip
front_matter = st.dictionaries(story_keys, yaml_data, max_size=8)


def _lines_ok(problems: list, text: str) -> None:
    """Every problem names the file and a line that exists in it (0: the file as a whole)."""
    last = text.count("\n") + 2
    for problem in problems:
        assert problem.source and problem.code and problem.message
        assert 0 <= problem.line <= last, problem


@given(st.binary(max_size=2000))
def test_any_bytes_decode_or_explain(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "story.md"
        path.write_bytes(data)
        result = read_text(path, "content/stories/story.md")
    if not isinstance(result, str):
        assert result.source == "content/stories/story.md" and result.code


@given(st.text(max_size=2000))
def test_any_text_parses_or_explains(text: str) -> None:
    for parse in (parse_story, parse_value):
        _, problems = parse(SourceFile("content/stories/x.md", text))
        _lines_ok(problems, text)


@given(front_matter, markdown_text)
def test_any_yaml_front_matter(data: dict, body: str) -> None:
    try:
        head = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        assume(False)
    text = f"---\n{head}---\n{body}"
    _, problems = parse_story(SourceFile("content/stories/x.md", text))
    _lines_ok(problems, text)


@given(st.text(alphabet=string.printable, max_size=400))
def test_any_yaml_text(head: str) -> None:
    text = f"---\n{head}\n---\nbody"
    _, problems = parse_story(SourceFile("content/stories/x.md", text))
    _lines_ok(problems, text)


@given(markdown_text, st.sampled_from(["escape", "safe"]))
def test_any_markdown_is_safe_html(body: str, mode: str) -> None:
    renderer = MarkdownRenderer("careers.test.example", html=mode)
    html = str(renderer.convert(body, "content/stories/x.md"))
    assert unsafe_html(html) == [], (body, html)


@given(
    st.text(alphabet="[]()<>!*_`\\#=-^:>& \n\tax1/", min_size=1, max_size=6),
    st.integers(min_value=100, max_value=64 * 1024 if THOROUGH else 8 * 1024),
    st.sampled_from(["escape", "safe"]),
)
def test_repeated_tokens_are_refused_or_fast(token: str, size: int, mode: str) -> None:
    """Python-Markdown is quadratic on repetitive input; such input is refused or finishes."""
    body = (token * (size // len(token) + 1))[:size]
    if complexity_problem(body) is not None:
        return
    started = time.monotonic()
    MarkdownRenderer("x", html=mode).convert(body, "content/stories/x.md")
    assert time.monotonic() - started < (12 if THOROUGH else 5), repr(token)


site_files = st.dictionaries(
    st.sampled_from(
        [
            "content/stories/a.md",
            "content/stories/b.md",
            "content/values/craft.md",
            "content/values/extra.md",
            "content/stories/c.md",
        ]
    ),
    st.one_of(
        st.binary(max_size=300),
        markdown_text,
        st.builds(
            lambda data, body: "---\n" + yaml.safe_dump(data, allow_unicode=True) + "---\n" + body,
            st.fixed_dictionaries(
                {
                    "title": st.text(max_size=20),
                    "author": st.text(max_size=20),
                    "date": st.sampled_from(["2026-01-10", "2026-13-01", "later", "2025-02-29"]),
                    "values": st.sampled_from(
                        [["craft"], ["care", "craft"], [], "craft", ["nope"]]
                    ),
                },
                optional={
                    "extra": yaml_data,
                    "slug": st.text(max_size=12),
                    "lang": st.text(max_size=6),
                    "summary": st.text(max_size=30),
                    "image": st.text(max_size=20),
                },
            ),
            markdown_text,
        ),
    ),
    max_size=4,
)


@given(site_files, st.sampled_from(["escape", "safe"]))
def test_whole_build_gives_a_site_or_problems(files: dict, mode: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        config = (
            'title = "T"\ncompany = "C"\nbase_url = "https://careers.test.example/"\n'
            f'[markdown]\nhtml = "{mode}"\n'
        )
        files = {"content/values/care.md": VALUE.format(title="Care", order=2), **files}
        root = write_site(Path(folder) / "project", files, config)
        started = time.monotonic()
        result = run_build(root)
        assert time.monotonic() - started < 60
        event("built" if result.ok else "problems")
        if result.ok:
            output = root / "output"
            assert (output / "index.html").is_file()
            for page in output.rglob("*.html"):
                assert unsafe_html(page.read_text(encoding="utf-8")) == [], page
            for feed in output.rglob("feed.xml"):
                assert unsafe_feed(feed.read_text(encoding="utf-8")) == [], feed
        else:
            assert result.diagnostics
            for problem in result.diagnostics:
                assert problem.code and problem.message
                if problem.source.startswith("content/") and problem.source.endswith(".md"):
                    assert (root / problem.source).exists() or (root / problem.source).is_symlink()


hostile_text = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "<script>alert(1)</script>",
                '"><img src=x onerror=alert(1)>',
                "</script>",
                "javascript:alert(1)",
                "{{ 7*7 }}",
                "{% raw %}",
                "]]>",
                "'",
                '"',
                "&",
                "\u2028",
                "<!--",
                "-->",
                "</title>",
                "<svg/onload=alert(1)>",
                "${x}",
                "\\",
            ]
        ),
        st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=10),
    ),
    min_size=1,
    max_size=6,
).map("".join)


@given(
    st.fixed_dictionaries(
        {"title": hostile_text, "author": hostile_text},
        optional={
            "role": hostile_text,
            "team": hostile_text,
            "location": hostile_text,
            "summary": hostile_text,
            "extra": st.dictionaries(hostile_text, hostile_text, max_size=3),
        },
    ),
    printable_markdown,
    hostile_text,
    st.sampled_from(["escape", "safe"]),
)
def test_hostile_fields_build_safely(fields: dict, body: str, value_title: str, mode: str) -> None:
    """Well-formed files full of hostile text: a safe site, or problems (never a traceback)."""
    head = yaml.safe_dump(
        {**fields, "date": "2026-01-10", "values": ["craft", "care"]}, allow_unicode=True
    )
    value = yaml.safe_dump({"title": value_title, "summary": value_title}, allow_unicode=True)
    with tempfile.TemporaryDirectory() as folder:
        config = (
            'title = "T"\ncompany = "C"\nbase_url = "https://careers.test.example/"\n'
            f'[markdown]\nhtml = "{mode}"\n'
        )
        files = {
            "content/stories/a.md": f"---\n{head}---\n{body}",
            "content/values/care.md": f"---\n{value}---\n{body}",
        }
        root = write_site(Path(folder) / "project", files, config)
        result = run_build(root)
        event("built" if result.ok else "problems")
        for problem in result.diagnostics:
            event(problem.code)
        if not result.ok:
            assert all(p.code and p.message for p in result.diagnostics)
            return
        for page in (root / "output").rglob("*.html"):
            assert unsafe_html(page.read_text(encoding="utf-8")) == [], page
        for feed in (root / "output").rglob("feed.xml"):
            assert unsafe_feed(feed.read_text(encoding="utf-8")) == [], feed
