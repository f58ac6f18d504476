"""The Mastodon share link (#18): the site's own share page, one per edition, and its script."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from test_multilingual import make

from conftest import REPO, run_build
from generator.share.links import page_share_links

SCRIPT = REPO / "themes/default/static/share-mastodon.js"
STORY_URL = "https://careers.test.example/de/stories/anna/"


def _share_nav(html: str) -> str:
    nav = html[html.index('<nav class="wrap wrap--narrow share-links"') :]
    return nav[: nav.index("</nav>")]


def test_the_mastodon_link_goes_to_the_sites_own_page_with_the_post_as_its_text() -> None:
    links = page_share_links(STORY_URL, "anna", "Anna & the sea: nights", "/de/share/mastodon/")
    assert [link.key for link in links] == ["linkedin", "x", "mastodon", "email", "copy"]
    mastodon = links[2]
    assert mastodon.name == "Mastodon"
    parts = urlsplit(mastodon.url)
    assert (parts.scheme, parts.netloc, parts.path) == ("", "", "/de/share/mastodon/")
    assert parse_qs(parts.query) == {
        "text": [
            "Anna & the sea: nights https://careers.test.example/de/stories/anna/?utm_source="
            "mastodon&utm_medium=social&utm_campaign=anna&utm_content=page-share"
        ]
    }
    # Everything that could end the query or the attribute early is escaped.
    assert parts.query.startswith("text=Anna%20%26%20the%20sea%3A%20nights%20https%3A%2F%2F")
    assert "%3Futm_source%3Dmastodon%26utm_medium%3Dsocial" in parts.query


def test_without_a_share_page_there_is_no_mastodon_link() -> None:
    links = page_share_links(STORY_URL, "anna", "Anna", None)
    assert [link.key for link in links] == ["linkedin", "x", "email", "copy"]


def test_every_edition_has_an_unlisted_share_page_with_its_local_script(tmp_path: Path) -> None:
    root = make(tmp_path)
    result = run_build(root)
    assert result.ok, result.diagnostics
    assert not [d for d in result.diagnostics if d.code == "external-resource"]
    output = root / "output"
    pages = {
        "de": output / "share/mastodon/index.html",
        "en": output / "en/share/mastodon/index.html",
    }
    scripts = sorted(p.name for p in (output / "assets").glob("share-mastodon.*.js"))
    assert len(scripts) == 1
    for lang, path in pages.items():
        html = path.read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in html
        assert '<meta name="robots" content="noindex">' in html
        assert f'<script src="/assets/{scripts[0]}" defer></script>' in html
        assert re.findall(r"<script\b[^>]*>", html) == [
            f'<script src="/assets/{scripts[0]}" defer>'
        ]
        form = re.search(r"<form [^>]*>", html)
        assert form and " hidden>" in form.group(0) and "data-share-mastodon" in form.group(0)
        field = re.search(r'<input [^>]*name="server"[^>]*>', html)
        assert field is not None
        for attribute in ('inputmode="url"', 'autocomplete="off"', 'placeholder="mastodon.social"'):
            assert attribute in field.group(0)
        assert 'for="share-server"' in html and 'type="submit"' in html
    german = pages["de"].read_text(encoding="utf-8")
    assert "<h1>Auf Mastodon teilen</h1>" in german
    assert "Kopieren Sie die Adresse der Geschichte und fügen Sie sie" in german
    assert 'data-invalid="Das ist keine Server-Adresse.' in german
    english = pages["en"].read_text(encoding="utf-8")
    assert "<h1>Share on Mastodon</h1>" in english
    assert "Copy the story&#39;s address and paste it into a new post" in english
    assert 'data-invalid="That is not a server address.' in english
    sitemap = (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "share/" not in sitemap
    for feed in (output / "feed.xml", output / "en/feed.xml"):
        assert "share/" not in feed.read_text(encoding="utf-8")
    # Each edition's stories link to their own edition's share page.
    for path, page in (
        ("stories/anna-nachtschicht/index.html", "/share/mastodon/"),
        ("en/stories/anna-night-shift/index.html", "/en/share/mastodon/"),
    ):
        nav = _share_nav((output / path).read_text(encoding="utf-8"))
        hrefs = re.findall(r'href="([^"]*)"', nav)
        assert [h.split("?")[0] for h in hrefs][2:4] == [page, "mailto:"]
        assert hrefs[2].startswith(page + "?text=")
        assert "utm_source%3Dmastodon" in hrefs[2]


def test_a_portable_build_links_the_share_page_by_its_file(tmp_path: Path) -> None:
    root = make(tmp_path)
    assert run_build(root, root / "output-portable", portable=True).ok
    html = (root / "output-portable/en/stories/anna-night-shift/index.html").read_text()
    hrefs = re.findall(r'href="([^"]*)"', _share_nav(html))
    assert hrefs[2].startswith("../../share/mastodon/index.html?text=Anna%27s%20night%20shift%20")
    assert (root / "output-portable/en/share/mastodon/index.html").is_file()


def test_a_theme_of_its_own_without_the_template_has_no_share_page(tmp_path: Path) -> None:
    site = tmp_path / "basic"
    shutil.copytree(REPO / "tests/sites/basic", site, ignore=shutil.ignore_patterns("expected"))
    result = run_build(site, output=tmp_path / "out")
    assert result.ok
    assert not (tmp_path / "out/share").exists()
    assert "share/mastodon" not in (tmp_path / "out/stories/ada/index.html").read_text()


SERVERS = [
    ("mastodon.social", "mastodon.social"),
    ("  https://mastodon.social/  ", "mastodon.social"),
    ("https://mastodon.social/@me", "mastodon.social"),
    ("@me@mastodon.social", "mastodon.social"),
    ("me@Mastodon.Social", "mastodon.social"),
    ("http://social.example.org/share?text=x", "social.example.org"),
    ("mastodon.social.", "mastodon.social"),
    ("bücher.example", "xn--bcher-kva.example"),
    ("", ""),
    ("localhost", ""),
    ("192.168.1.7", ""),
    ("mastodon.social:8443", ""),
    ("javascript:alert(1)", ""),
    ("ftp://mastodon.social", ""),
    ("masto don.social", ""),
    ("-bad.social", ""),
    ("under_score.social", ""),
    ("a..b.social", ""),
    ("%6dastodon.social", ""),
]


def test_the_script_reads_the_server_out_of_what_visitors_type(tmp_path: Path) -> None:
    node = shutil.which("node")
    if node is None:
        if os.environ.get("CI"):
            pytest.fail("CI is set but node is not installed", pytrace=False)
        pytest.skip("node is not installed")
    check = tmp_path / "check.cjs"
    check.write_text(
        "const m = require(process.argv[2]);\n"
        "const typed = JSON.parse(process.argv[3]);\n"
        "process.stdout.write(JSON.stringify({servers: typed.map(m.serverOf),"
        " url: m.shareUrl('mastodon.example', 'Anna & co: https://e.example/?a=1&b=2')}));\n"
    )
    run = subprocess.run(
        [node, str(check), str(SCRIPT), json.dumps([typed for typed, _ in SERVERS])],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout)
    assert list(zip([t for t, _ in SERVERS], found["servers"], strict=True)) == SERVERS
    assert found["url"] == (
        "https://mastodon.example/share?text=Anna%20%26%20co%3A%20https%3A%2F%2Fe.example"
        "%2F%3Fa%3D1%26b%3D2"
    )
