"""Share images and share links in the built site (#18): one card per story, cached, as og:image."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from test_incremental import edit, project, tree

from conftest import REPO, run_build, story, write_site
from generator.engine.incremental import BuildState
from generator.share import card as card_module
from generator.share import publish
from generator.share.publish import CARD_CACHE_DIR
from generator.site import privacy


def _count_draws(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    drawn: list[str] = []
    real = card_module.render_card

    def counting(spec: card_module.CardSpec) -> card_module.CardResult:
        drawn.append(spec.title)
        return real(spec)

    monkeypatch.setattr(publish, "render_card", counting)
    return drawn


def _meta(page: Path, name: str) -> str:
    found = re.search(
        rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', page.read_text()
    )
    assert found, (page, name)
    return found.group(1)


def test_every_published_story_has_a_card_and_two_clean_builds_are_equal(tmp_path: Path) -> None:
    root = project(tmp_path)
    first = run_build(root, jobs=1)
    assert first.ok, first.diagnostics
    cards = sorted(p.parent.name for p in (root / "output/stories").glob("*/share.png"))
    assert cards == [f"s{i}" for i in range(7)]
    assert (root / "output/stories/s0/share.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    shutil.rmtree(root / CARD_CACHE_DIR)
    again = run_build(root, output=tmp_path / "again", state=BuildState())
    assert again.ok and again.cards_drawn == 7
    assert tree(root / "output") == tree(tmp_path / "again")


def test_og_image_is_the_card_without_a_picture_and_the_picture_otherwise(tmp_path: Path) -> None:
    root = project(tmp_path)
    assert run_build(root).ok
    plain = root / "output/stories/s0/index.html"
    assert _meta(plain, "og:image") == "https://careers.test.example/stories/s0/share.png"
    assert _meta(plain, "twitter:image") == _meta(plain, "og:image")
    assert _meta(plain, "og:image:width") == "1200"
    assert _meta(plain, "og:image:height") == "630"
    assert _meta(plain, "og:image:alt") == "Story 0 – Ada"
    assert _meta(plain, "twitter:card") == "summary_large_image"
    pictured = root / "output/stories/s1/index.html"
    assert "share.png" not in _meta(pictured, "og:image")
    assert "/media/" in _meta(pictured, "og:image")
    assert _meta(pictured, "og:image:alt") == "Blue"


def test_prefer_makes_the_card_the_og_image_of_every_story(tmp_path: Path) -> None:
    root = project(tmp_path)
    toml = root / "themes/default/theme.toml"
    edit(toml, "line_height = 1.15", "line_height = 1.15\nprefer = true")
    assert run_build(root).ok
    page = root / "output/stories/s1/index.html"
    assert _meta(page, "og:image") == "https://careers.test.example/stories/s1/share.png"
    assert _meta(page, "og:image:alt") == "Story 1 – Ada"


def test_a_rebuild_draws_nothing_and_a_title_edit_redraws_only_that_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = project(tmp_path)
    drawn = _count_draws(monkeypatch)
    state = BuildState()
    assert run_build(root, state=state).ok
    assert len(drawn) == 7
    before = (root / "output/stories/s2/share.png").read_bytes()
    other = (root / "output/stories/s4/share.png").read_bytes()
    drawn.clear()
    result = run_build(root, state=state)
    assert drawn == [] and result.cards_drawn == 0 and result.mode == ""
    # A fresh process (nothing in memory) finds the cards in the build cache too.
    assert run_build(root, output=tmp_path / "other", state=BuildState()).ok
    assert drawn == []
    edit(root / "content/stories/s3.md", "First paragraph", "Another body")
    assert run_build(root, state=state).ok
    assert drawn == [], "a body edit draws no card"
    edit(root / "content/stories/s2.md", "title: Story 2", "title: A new title")
    result = run_build(root, state=state)
    assert drawn == ["A new title"] and result.cards_drawn == 1
    assert "stories/s2/share.png" in result.written
    assert (root / "output/stories/s2/share.png").read_bytes() != before
    assert (root / "output/stories/s4/share.png").read_bytes() == other


CARD_EDITS = {
    "title": ("content/stories/s2.md", "title: Story 2", "title: Story two"),
    "share_title": (
        "content/stories/s2.md",
        "title: Story two",
        "title: Story two\nshare_title: Short",
    ),
    "author": ("content/stories/s3.md", "author: Ada", "author: Grace Hopper"),
    "role": ("content/stories/s5.md", "author: Ada", "author: Ada\nrole: Engineer"),
    "values": ("content/stories/s0.md", "values: [care, craft]", "values: [craft]"),
    "value title": ("content/values/craft.md", "title: Craft", "title: Craftsmanship"),
}


def test_after_card_edits_incremental_equals_clean(tmp_path: Path) -> None:
    root = project(tmp_path)
    state = BuildState()
    assert run_build(root, state=state).ok
    for name, (path, old, new) in CARD_EDITS.items():
        card = root / "output" / "stories" / path.split("/")[-1][:-3] / "share.png"
        before = card.read_bytes() if card.is_file() else b""
        edit(root / path, old, new)
        result = run_build(root, state=state)
        assert result.ok, (name, result.diagnostics)
        if path.startswith("content/stories"):
            assert card.read_bytes() != before, name
        run_build(root, output=tmp_path / "clean", state=BuildState())
        assert tree(root / "output") == tree(tmp_path / "clean"), name
        shutil.rmtree(tmp_path / "clean")


def test_a_withdrawn_story_loses_its_card(tmp_path: Path) -> None:
    root = project(tmp_path)
    state = BuildState()
    assert run_build(root, state=state).ok
    (root / "content/stories/s4.md").unlink()
    result = run_build(root, state=state)
    assert result.ok
    assert not (root / "output/stories/s4").exists()


def test_share_links_are_plain_links_and_the_page_stays_private(tmp_path: Path) -> None:
    root = project(tmp_path)
    result = run_build(root)
    assert result.ok
    assert not [d for d in result.diagnostics if d.code.startswith("third-party")]
    html = (root / "output/stories/s0/index.html").read_text()
    nav = html[html.index('<nav class="wrap wrap--narrow share-links"') :]
    nav = nav[: nav.index("</nav>")]
    hrefs = re.findall(r'href="([^"]*)"', nav)
    assert [h.split("?")[0] for h in hrefs] == [
        "https://www.linkedin.com/sharing/share-offsite/",
        "https://x.com/intent/post",
        "/share/mastodon/",
        "mailto:",
        "https://careers.test.example/stories/s0/",
    ]
    assert "utm_source%3Dlinkedin%26utm_medium%3Dsocial%26utm_campaign%3Ds0" in hrefs[0]
    for words in ("Share on LinkedIn", "Share on X", "Share on Mastodon", "Send by e-mail"):
        assert f">{words}</a>" in nav
    assert ">Copy link</a>" in nav
    assert "<script" not in nav
    assert 'rel="noopener noreferrer"' in nav
    checker = privacy.PageChecker(root, *_config_and_theme(root))
    assert checker.check("story.html", html) == []


def _config_and_theme(root: Path) -> tuple[object, object, list[object]]:
    from generator.content.config import load_config
    from generator.theme.themes import resolve_theme

    config, _ = load_config(root)
    assert config is not None
    theme, _ = resolve_theme(root, config)
    return config, theme, []


def test_share_link_words_follow_a_german_site(tmp_path: Path) -> None:
    root = project(tmp_path)
    edit(root / "site.toml", 'language = "en"', 'language = "de"')
    assert run_build(root).ok
    html = (root / "output/stories/s0/index.html").read_text()
    assert ">Geschichte teilen</h2>" in html
    assert ">Auf LinkedIn teilen</a>" in html
    assert ">Auf Mastodon teilen</a>" in html
    assert ">Per E-Mail senden</a>" in html
    assert ">Link kopieren</a>" in html


def test_a_title_too_long_for_the_card_is_a_warning_at_its_line_every_build(
    tmp_path: Path,
) -> None:
    long_title = " ".join(["Unbelievably"] * 40)
    root = write_site(
        tmp_path / "p",
        {"content/stories/long.md": story(title=long_title), "content/stories/ok.md": story()},
    )
    for _ in range(2):  # the second build finds the card in the cache, and its warning too
        result = run_build(root)
        assert result.ok
        found = [d for d in result.diagnostics if d.code == "share-title-too-long"]
        assert [(d.source, d.line) for d in found] == [("content/stories/long.md", 2)]
        assert "share_title" in found[0].hint
    # Only a card with problems has a notes file beside its picture in the cache.
    cache = root / ".brandsite-cache" / "cards"
    pictures, notes = sorted(cache.glob("*.png")), sorted(cache.glob("*.json"))
    assert len(pictures) == 2 and len(notes) == 1 and notes[0].stem in {p.stem for p in pictures}


def test_share_title_shortens_the_card_and_moves_the_warning(tmp_path: Path) -> None:
    text = story(title=" ".join(["Unbelievably"] * 40)).replace(
        "author:", "share_title: Short and sweet\nauthor:"
    )
    root = write_site(tmp_path / "p", {"content/stories/long.md": text})
    result = run_build(root)
    assert result.ok
    assert not [d for d in result.diagnostics if d.code == "share-title-too-long"]
    page = root / "output/stories/long/index.html"
    assert _meta(page, "og:image:alt") == "Short and sweet – Ada"


def test_bad_share_plans_are_problems_at_their_lines(tmp_path: Path) -> None:
    text = story().replace(
        "values:",
        "share:\n  - on: 2026-03-16\n    channel: linkdin\n    text: Hello\nvalues:",
    )
    root = write_site(tmp_path / "p", {"content/stories/a.md": text})
    result = run_build(root)
    assert not result.ok
    found = [d for d in result.diagnostics if d.code == "bad-share-plan"]
    assert [(d.source, d.line) for d in found] == [("content/stories/a.md", 7)]
    assert "linkedin" in found[0].hint


def test_a_missing_card_font_is_one_error_naming_the_file(tmp_path: Path) -> None:
    root = project(tmp_path)
    edit(root / "themes/default/theme.toml", "fonts/Inter-Bold.otf", "fonts/Brand-Bold.otf")
    result = run_build(root)
    assert not result.ok
    found = [d for d in result.diagnostics if d.code == "missing-card-font"]
    assert len(found) == 1
    assert "fonts/Brand-Bold.otf is missing" in found[0].message
    assert (found[0].source, found[0].line) == ("themes/default/theme.toml", 10)


def test_a_theme_that_extends_none_still_gets_the_default_fonts(tmp_path: Path) -> None:
    root = write_site(tmp_path / "p", {"content/stories/a.md": story()}, theme=False)
    shutil.copytree(REPO / "themes/default/templates", root / "themes/plain/templates")
    shutil.copytree(REPO / "themes/default/static", root / "themes/plain/static")
    (root / "themes/plain/theme.toml").write_text('name = "Plain"\n')
    with (root / "site.toml").open("a") as settings:
        settings.write('theme = "plain"\n')
    result = run_build(root)
    assert result.ok, result.diagnostics
    assert (root / "output/stories/a/share.png").is_file()


def test_a_damaged_card_font_is_one_error_not_one_per_story(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "themes/default/fonts/Inter-Bold.otf").write_bytes(b"not a font")
    result = run_build(root)
    assert not result.ok
    found = [d for d in result.diagnostics if d.code == "bad-card-font"]
    assert len(found) == 1 and "Inter-Bold.otf" in found[0].message
    assert not (root / "output").exists()


def test_an_svg_brand_logo_draws_the_company_name_without_a_warning(tmp_path: Path) -> None:
    root = project(tmp_path)
    static = root / "themes/default/static"
    (static / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    with (root / "site.toml").open("a") as settings:
        settings.write('\n[brand]\nlogo = "logo.svg"\n')
    result = run_build(root)
    assert result.ok
    assert result.diagnostics == []


def test_the_preview_serves_a_gallery_of_every_card_that_the_site_never_has(
    tmp_path: Path,
) -> None:
    import http.client
    import threading

    from generator.preview.server import CARDS_URL, PreviewServer, ReloadHub

    root = project(tmp_path)
    assert run_build(root).ok
    output = root / "output"
    assert not any("__brandsite" in p.as_posix() for p in output.rglob("*"))
    server = PreviewServer(("127.0.0.1", 0), ReloadHub(output, "/"))
    thread = threading.Thread(target=server.serve_forever)
    thread.start()
    try:
        address = f"127.0.0.1:{server.server_address[1]}"

        def get(path: str) -> tuple[int, str, bytes]:
            connection = http.client.HTTPConnection(address, timeout=5)
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                return response.status, response.getheader("Content-Type") or "", response.read()
            finally:
                connection.close()

        status, kind, body = get(CARDS_URL)
        assert (status, kind.split(";")[0]) == (200, "text/html")
        page = body.decode()
        images = re.findall(r'<img src="([^"]+)"', page)
        assert images == [f"/stories/s{i}/share.png" for i in range(7)]
        assert "Share images: 7 share images" in page
        assert "livereload.js" in page  # the gallery reloads after each build
        status, kind, body = get(images[0])
        assert (status, kind) == (200, "image/png")
        assert body == (output / "stories/s0/share.png").read_bytes()
    finally:
        server.stop()
        thread.join(5)


def test_check_reports_a_title_too_long_for_the_card_without_writing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from generator.cli import main

    long_title = " ".join(["Unbelievably"] * 40)
    root = write_site(tmp_path / "p", {"content/stories/long.md": story(title=long_title)})
    assert main(["check", "--root", str(root), "--now", "2026-11-22"]) == 0
    err = capsys.readouterr().err
    assert "content/stories/long.md:2: warning: the title is too long for the share image" in err
    assert not (root / CARD_CACHE_DIR).exists()
    assert not (root / "output").exists()
