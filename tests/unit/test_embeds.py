"""Click-to-load embeds: syntax, providers, placeholder markup, per-page CSP, feeds."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image as PILImage

from conftest import codes, run_build, story
from generator.content.entries import derive_summary
from generator.markdown.embeds import (
    DEFAULT_CSP,
    EmbedError,
    content_security_policy,
    find_embeds,
    parse_embed,
)


@pytest.mark.parametrize(
    ("line", "player", "link", "origin"),
    [
        (
            '@[youtube](https://www.youtube.com/watch?v=M7lc1UVf-VE "T")',
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1",
            "https://www.youtube.com/watch?v=M7lc1UVf-VE",
            "https://www.youtube-nocookie.com",
        ),
        (
            '@[youtube](https://youtu.be/M7lc1UVf-VE?t=1m30s "T")',
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1&start=90",
            "https://www.youtube.com/watch?v=M7lc1UVf-VE&t=90s",
            "https://www.youtube-nocookie.com",
        ),
        (
            '@[YouTube](https://www.youtube.com/shorts/M7lc1UVf-VE "T")',
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1",
            "https://www.youtube.com/watch?v=M7lc1UVf-VE",
            "https://www.youtube-nocookie.com",
        ),
        (
            '@[youtube](M7lc1UVf-VE "T")',
            "https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1",
            "https://www.youtube.com/watch?v=M7lc1UVf-VE",
            "https://www.youtube-nocookie.com",
        ),
        (
            '@[vimeo](https://vimeo.com/76979871 "T")',
            "https://player.vimeo.com/video/76979871?dnt=1&autoplay=1",
            "https://vimeo.com/76979871",
            "https://player.vimeo.com",
        ),
        (
            '@[vimeo](https://vimeo.com/76979871/abc123def "T")',
            "https://player.vimeo.com/video/76979871?h=abc123def&dnt=1&autoplay=1",
            "https://vimeo.com/76979871/abc123def",
            "https://player.vimeo.com",
        ),
        (
            '@[spotify](https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk?si=x "T")',
            "https://open.spotify.com/embed/episode/4rOoJ6Egrf8K2IrywzwOMk",
            "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
            "https://open.spotify.com",
        ),
        (
            '@[spotify](spotify:show:5CfCWKI5pZ28U0uOzXkDHe "T")',
            "https://open.spotify.com/embed/show/5CfCWKI5pZ28U0uOzXkDHe",
            "https://open.spotify.com/show/5CfCWKI5pZ28U0uOzXkDHe",
            "https://open.spotify.com",
        ),
        (
            '@[iframe](https://Podcasts.Example.com:8443/player/42?x=1 "T")',
            "https://Podcasts.Example.com:8443/player/42?x=1",
            "https://Podcasts.Example.com:8443/player/42?x=1",
            "https://podcasts.example.com:8443",
        ),
    ],
)
def test_providers(line: str, player: str, link: str, origin: str) -> None:
    embed = parse_embed(line)
    assert embed is not None
    assert (embed.player_url, embed.link_url, embed.frame_origin) == (player, link, origin)


def test_poster_and_kind() -> None:
    embed = parse_embed('@[spotify](https://open.spotify.com/track/abc "Song" poster="a b.jpg")')
    assert embed is not None
    assert (embed.kind, embed.height, embed.poster, embed.title) == (
        "audio",
        152,
        "a b.jpg",
        "Song",
    )


@pytest.mark.parametrize(
    ("line", "code", "message"),
    [
        ('@[youtub](https://youtu.be/M7lc1UVf-VE "T")', "unknown-embed-provider",
         "unknown embed provider `youtub`"),
        ("@[youtube](https://youtu.be/M7lc1UVf-VE)", "embed-missing-title",
         "the embed has no title"),
        ('@[youtube](https://example.com/watch?v=M7lc1UVf-VE "T")', "bad-embed-url",
         "`https://example.com/watch?v=M7lc1UVf-VE` is not a YouTube video address"),
        ('@[vimeo](https://vimeo.com/about "T")', "bad-embed-url",
         "`https://vimeo.com/about` is not a Vimeo video address"),
        ('@[spotify](https://open.spotify.com/user/x "T")', "bad-embed-url",
         "`https://open.spotify.com/user/x` is not a Spotify episode, show, track, album or "
         "playlist address"),
        ('@[iframe](http://player.example.com/1 "T")', "bad-embed-url",
         "`http://player.example.com/1` is not an https:// address"),
        ('@[youtube](https://youtu.be/M7lc1UVf-VE "T" autoplay)', "bad-embed",
         "this embed line cannot be read"),
    ],
)  # fmt: skip
def test_broken_embeds(line: str, code: str, message: str) -> None:
    with pytest.raises(EmbedError) as caught:
        parse_embed(line)
    assert (caught.value.code, str(caught.value)) == (code, message)


def test_unknown_provider_hint() -> None:
    with pytest.raises(EmbedError) as caught:
        parse_embed('@[vimoe](https://vimeo.com/1 "T")')
    assert caught.value.hint == (
        "did you mean `vimeo`? known providers: youtube, vimeo, spotify, iframe"
    )


def test_find_embeds_lines_containers_and_fences() -> None:
    body = "\n".join(
        [
            "Intro.",
            "",
            '@[youtube](M7lc1UVf-VE "One")',
            "",
            "```",
            '@[nonsense](x "in code")',
            "```",
            "",
            '> @[youtube](M7lc1UVf-VE "quoted")',
            "",
            '- @[vimeo](https://vimeo.com/1 "Two")',
            '@[bogus](x "Three")',
            "1. item",
            "",
            '    @[spotify](https://open.spotify.com/episode/a "in the item")',
        ]
    )
    embeds, problems = find_embeds(body, 10, "content/stories/a.md")
    assert [(e.title, e.line) for e in embeds] == [
        ("One", 12),
        ("quoted", 18),
        ("Two", 20),
        ("in the item", 24),
    ]
    assert [(p.location, p.code) for p in problems] == [
        ("content/stories/a.md:21", "unknown-embed-provider")
    ]


def test_csp() -> None:
    assert content_security_policy([]) == DEFAULT_CSP
    assert "frame-src 'none'" in DEFAULT_CSP
    embeds = [
        parse_embed('@[vimeo](https://vimeo.com/1 "A")'),
        parse_embed('@[youtube](M7lc1UVf-VE "B")'),
        parse_embed('@[youtube](https://youtu.be/M7lc1UVf-VE "C")'),
    ]
    csp = content_security_policy([e for e in embeds if e])
    assert csp.endswith("frame-src https://player.vimeo.com https://www.youtube-nocookie.com")
    assert csp.startswith("default-src 'self'; img-src 'self' data:;")


def test_summary_skips_embed_line() -> None:
    assert derive_summary('@[youtube](M7lc1UVf-VE "A")\n\nReal text.') == "Real text."


def _poster() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (960, 540), (20, 60, 90)).save(buffer, "JPEG")
    return buffer.getvalue()


EMBED_STORY = story(
    title="Video story",
    body="First paragraph.\n\n"
    '@[youtube](https://www.youtube.com/watch?v=M7lc1UVf-VE "Our <team> & the sea" '
    "poster=images/poster.jpg)\n\nAfter the video.\n",
)


def test_story_page_placeholder_csp_and_script(site, tmp_path) -> None:
    root = site(
        {"content/stories/v.md": EMBED_STORY, "content/stories/images/poster.jpg": _poster()}
    )
    result = run_build(root)
    assert result.ok, result.diagnostics
    page = (root / "output/stories/v/index.html").read_text()
    assert "<iframe" not in page
    assert (
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; img-src 'self' "
        "data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'self'; "
        "form-action 'self'; frame-src https://www.youtube-nocookie.com\">" in page
    )
    assert re.search(r'<script src="/assets/embed\.[0-9a-f]{8}\.js" defer></script>', page)
    assert 'data-embed-src="https://www.youtube-nocookie.com/embed/M7lc1UVf-VE?autoplay=1"' in page
    assert 'data-embed-title="Our &lt;team&gt; &amp; the sea"' in page
    assert 'data-embed-label="Play video (loads YouTube)"' in page
    assert (
        '<a class="embed__link" href="https://www.youtube.com/watch?v=M7lc1UVf-VE" '
        'rel="noopener noreferrer">Watch on YouTube</a>' in page
    )
    assert "loads the player from YouTube (www.youtube-nocookie.com)" in page
    poster = re.search(r'<img alt="" class="embed__poster"[^>]*>', page)
    assert poster is not None
    assert 'src="/media/stories/images/poster.jpg"' in poster.group(0)
    assert 'srcset="/media/stories/images/poster-400w.webp 400w' in poster.group(0)
    assert 'width="960" height="540"' in poster.group(0) or (
        'height="540"' in poster.group(0) and 'width="960"' in poster.group(0)
    )
    assert (root / "output/media/stories/images/poster-400w.webp").is_file()
    # Pages without embeds keep the strict policy and load no script.
    home = (root / "output/index.html").read_text()
    assert "frame-src 'none'" in home
    assert "embed." not in home
    # Feeds carry the link, never an iframe.
    feed = (root / "output/feed.xml").read_text()
    assert "<iframe" not in feed
    assert "https://www.youtube.com/watch?v=M7lc1UVf-VE" in feed


def test_german_story_gets_german_placeholder(site) -> None:
    text = story(body='Text.\n\n@[spotify](https://open.spotify.com/episode/abc "Folge 3")\n')
    text = text.replace("values:", "lang: de\nvalues:")
    root = site({"content/stories/d.md": text})
    result = run_build(root)
    assert result.ok, result.diagnostics
    page = (root / "output/stories/d/index.html").read_text()
    assert 'data-embed-label="Audio abspielen (lädt Spotify)"' in page
    assert ">Auf Spotify anhören</a>" in page
    assert "frame-src https://open.spotify.com" in page
    assert 'data-embed-height="232"' in page


@pytest.mark.parametrize(
    ("body_line", "code"),
    [
        ('@[youtub](https://youtu.be/M7lc1UVf-VE "T")', "unknown-embed-provider"),
        (
            '@[youtube](https://youtu.be/M7lc1UVf-VE "T" poster=../../x.jpg)',
            "image-outside-content",
        ),
        ('@[youtube](https://youtu.be/M7lc1UVf-VE "T" poster=images/none.jpg)', "missing-image"),
    ],
)
def test_embed_problems_at_file_line(site, body_line: str, code: str) -> None:
    root = site({"content/stories/v.md": story(body="Para.\n\n" + body_line)})
    result = run_build(root)
    assert not result.ok
    assert codes(result) == [code]
    assert result.diagnostics[0].location == "content/stories/v.md:9"
    assert not (root / "output").exists()


def test_embed_in_list_item_and_two_embeds(site) -> None:
    body = (
        '- item\n\n@[vimeo](https://vimeo.com/76979871 "One")\n'
        '@[iframe](https://player.example.net/x "Two")\n'
    )
    root = site({"content/stories/v.md": story(body=body)})
    result = run_build(root)
    assert result.ok, result.diagnostics
    page = (root / "output/stories/v/index.html").read_text()
    assert page.count('<figure class="embed ') == 2
    assert "frame-src https://player.example.net https://player.vimeo.com" in page
