"""Raw HTML as on GitHub (issue #14, item 3): safe by default, pictures, words in brackets, embeds."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image as PILImage

from conftest import SITE_TOML, run_build, story, write_site
from generator.content.config import MarkdownConfig
from generator.errors import Severity
from generator.markdown.convert import MarkdownRenderer
from generator.markdown.html_embeds import html_embed_warnings

HOST = "careers.test.example"
SOURCE = "content/stories/a.md"


def convert(text: str, mode: str = "safe") -> str:
    return str(MarkdownRenderer(HOST, html=mode).convert(text, SOURCE))


def png(width: int = 800, height: int = 600) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (width, height), (200, 40, 40)).save(out, "PNG")
    return out.getvalue()


def test_safe_is_the_default() -> None:
    assert MarkdownConfig().html == "safe"
    assert MarkdownRenderer(HOST).html == "safe"


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Write to <vorname.nachname> today", "<p>Write to &lt;vorname.nachname&gt; today</p>"),
        ("Ask <Name> or <Team Lead>", "<p>Ask &lt;Name&gt; or &lt;Team Lead&gt;</p>"),
        ("a <b c", "<p>a &lt;b c</p>"),
        ("x < y > z", "<p>x &lt; y &gt; z</p>"),
        ("<b>bold</b> and <kbd>Ctrl</kbd>", "<p><b>bold</b> and <kbd>Ctrl</kbd></p>"),
        ("line<br>break", "<p>line<br>break</p>"),
        ("<div>Hi <Name></div>", "<div>Hi &lt;Name&gt;</div>"),
        ("</Name> closes nothing", "<p>&lt;/Name&gt; closes nothing</p>"),
    ],
)
def test_words_in_angle_brackets_stay_text(text: str, html: str) -> None:
    assert convert(text) == html


@pytest.mark.parametrize(
    "text",
    [
        '<blockquote class="twitter-tweet"><p>Hi</p><a href="https://twitter.com/a/status/1">x'
        '</a></blockquote> <script async src="https://platform.twitter.com/widgets.js"></script>',
        '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/p/A/">'
        '</blockquote>\n<script async src="//www.instagram.com/embed.js"></script>',
        '<iframe src="https://www.youtube.com/embed/M7lc1UVf-VE" allowfullscreen></iframe>',
        'Text <iframe src="https://player.vimeo.com/video/76979871"></iframe> more',
        "<script>alert(1)</script>",
        "Inline <script src=x.js></script> and <ScRiPt>alert(2)</script>",
        "<div><iframe srcdoc='<script>alert(3)</script>'></iframe></div>",
    ],
)
def test_no_script_or_frame_reaches_the_page(text: str) -> None:
    html = convert(text).lower()
    assert "<script" not in html and "<iframe" not in html


def test_a_tweet_stays_a_plain_quote() -> None:
    html = convert(
        '<blockquote class="twitter-tweet"><p>Hello</p>&mdash; Co <a href="https://twitter.com/'
        'co/status/1">May 1</a></blockquote>\n<script src="https://platform.twitter.com/widgets.js">'
        "</script>"
    )
    assert html == (
        '<blockquote><p>Hello</p>— Co <a rel="noopener noreferrer" '
        'href="https://twitter.com/co/status/1">May 1</a></blockquote>\n'
    )


EMBED_CASES = [
    (
        '<iframe width="560" src="https://www.youtube.com/embed/M7lc1UVf-VE?si=x" '
        'title="Our crew at sea"></iframe>',
        "a YouTube player pasted as HTML (`<iframe>`) is removed from the page",
        "write brandsite's embed line instead, alone on its line: "
        '@[youtube](https://www.youtube.com/watch?v=M7lc1UVf-VE "Our crew at sea")',
    ),
    (
        '<iframe src="https://player.vimeo.com/video/76979871" title="vimeo-player"></iframe>',
        "a Vimeo player pasted as HTML (`<iframe>`) is removed from the page",
        "write brandsite's embed line instead, alone on its line: "
        '@[vimeo](https://vimeo.com/76979871 "What it shows")',
    ),
    (
        '<iframe src="https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk"></iframe>',
        "a Spotify player pasted as HTML (`<iframe>`) is removed from the page",
        "write brandsite's embed line instead, alone on its line: "
        '@[spotify](https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk "What it shows")',
    ),
    (
        '<iframe src="https://maps.example.org/embed?pb=1"></iframe>',
        "a player from maps.example.org pasted as HTML (`<iframe>`) is removed from the page",
        "write brandsite's embed line instead, alone on its line: "
        '@[iframe](https://maps.example.org/embed?pb=1 "What it shows")',
    ),
    (
        '<iframe src="http://old.example.org/player"></iframe>',
        "a player pasted as HTML (`<iframe>`) is removed from the page",
        "link to it instead: [what it shows](https://…), or ask for the player as an "
        "`@[…](…)` embed line (README: videos and podcasts)",
    ),
    (
        '<blockquote class="twitter-tweet"><p>Hi</p><a href="https://twitter.com/co/status/12?'
        'ref_src=x">May 1</a></blockquote> <script src="https://platform.twitter.com/widgets.js">'
        "</script>",
        "an embedded X (Twitter) post is shown as a plain quote: its script is removed",
        "brandsite cannot embed X (Twitter) posts; keep the quoted text, or replace the snippet "
        "with a link: [the post on X (Twitter)](https://twitter.com/co/status/12)",
    ),
    (
        '<blockquote class="instagram-media" data-instgrm-permalink="https://www.instagram.com/'
        'p/ABC/?utm_source=ig_embed"></blockquote>',
        "an embedded Instagram post is shown as a plain quote: its script is removed",
        "brandsite cannot embed Instagram posts; keep the quoted text, or replace the snippet "
        "with a link: [the post on Instagram](https://www.instagram.com/p/ABC/)",
    ),
    (
        "<script>track()</script>",
        "a script is removed from the page: stories cannot run programs",
        "remove it; for a video or podcast use brandsite's embed line, e.g. "
        '@[youtube](https://www.youtube.com/watch?v=VIDEO_ID "What it shows")',
    ),
]


@pytest.mark.parametrize(("snippet", "message", "hint"), EMBED_CASES)
def test_embed_snippets_are_warnings_with_the_line_to_use(
    snippet: str, message: str, hint: str
) -> None:
    body = f"Intro.\n\n{snippet}\n"
    [problem] = html_embed_warnings(body, 8, SOURCE)
    assert (problem.severity, problem.code, problem.line, problem.col) == (
        Severity.WARNING,
        "html-embed",
        10,
        1,
    )
    assert (problem.message, problem.hint) == (message, hint)


def test_embed_snippets_in_code_are_examples() -> None:
    body = '```html\n<iframe src="https://www.youtube.com/embed/M7lc1UVf-VE"></iframe>\n```\n'
    body += "Write `<script>` as text.\n"
    assert html_embed_warnings(body, 8, SOURCE) == []


def _site(tmp_path: Path, body: str, config: str = SITE_TOML) -> Path:
    return write_site(
        tmp_path,
        {
            "content/stories/a.md": story(title="A", body=body),
            "content/stories/images/team.png": png(),
        },
        config,
    )


def test_an_img_tag_is_a_picture_like_markdown(tmp_path: Path) -> None:
    root = _site(tmp_path, 'Our team:\n\n<img src="images/team.png" alt="The team">\n')
    result = run_build(root)
    assert result.ok, result.diagnostics
    html = (root / "output/stories/a/index.html").read_text()
    assert (
        '<img src="/media/stories/images/team.png" alt="The team" width="800" height="600" '
        'srcset="/media/stories/images/team-400w.webp 400w, /media/stories/images/team-800w.webp'
        ' 800w" sizes="(min-width: 44rem) 41rem, 100vw" loading="lazy" decoding="async">'
    ) in html
    assert (root / "output/media/stories/images/team-400w.webp").exists()


def test_an_img_tag_inside_a_paragraph_and_a_block(tmp_path: Path) -> None:
    body = 'See <img src="images/team.png" alt="us"> here.\n\n<figure><img src="images/team.png">'
    body += "<figcaption>Us</figcaption></figure>\n"
    root = _site(tmp_path, body)
    assert run_build(root).ok
    html = (root / "output/stories/a/index.html").read_text()
    assert html.count('src="/media/stories/images/team.png"') == 2


def test_a_missing_img_file_is_an_error_at_its_line(tmp_path: Path) -> None:
    root = _site(tmp_path, 'Text.\n\n<img src="images/teem.png" alt="x">\n')
    result = run_build(root)
    [problem] = [d for d in result.diagnostics if d.severity is Severity.ERROR]
    assert (problem.source, problem.line, problem.code) == (SOURCE, 9, "missing-image")
    assert problem.message == "the image `images/teem.png` does not exist"
    assert problem.hint.startswith("did you mean `images/team.png`?")


def test_escape_mode_shows_img_as_text_and_checks_no_file(tmp_path: Path) -> None:
    config = SITE_TOML + '\n[markdown]\nhtml = "escape"\n'
    root = _site(tmp_path, 'Text.\n\n<img src="images/missing.png" alt="x">\n', config)
    result = run_build(root)
    assert result.ok, result.diagnostics
    html = (root / "output/stories/a/index.html").read_text()
    assert '&lt;img src="images/missing.png" alt="x"&gt;' in html


def test_pasted_svg_is_removed_not_shown_as_text() -> None:
    assert convert('<svg width="9"><path d="M0"/><circle r="1"/></svg>\n\nText') == "<p>Text</p>"


def test_a_summary_of_pasted_data_is_not_converted() -> None:
    renderer = MarkdownRenderer(HOST)
    assert str(renderer.convert_inline("[" * 30_000, SOURCE)) == "[" * 30_000
