"""The RSS feeds, read back by feedparser and a strict XML parser."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from email.utils import parsedate_to_datetime
from pathlib import Path

import feedparser

from conftest import run_build, story, write_site

CONFIG = """\
title = "Feeds & Co"
company = "Feeds & Co"
base_url = "https://example.com/careers/"
timezone = "Europe/Berlin"
[feed]
limit = 2
"""


def build_three(tmp_path: Path) -> Path:
    files = {
        "content/stories/old.md": story(title="Old", date="2026-01-01", values="care"),
        "content/stories/mid.md": story(
            title="Mid", date="2026-02-01", values="care, craft"
        ).replace("---\nFirst", "lang: de\n---\nFirst"),
        "content/stories/new.md": story(
            title="New <b>&", date="2026-03-01", body="Hello ![pic](images/p.png) [home](/careers/)"
        ),
    }
    root = write_site(tmp_path / "p", files, CONFIG)
    from PIL import Image

    (root / "content/stories/images").mkdir()
    Image.new("RGB", (2, 2)).save(root / "content/stories/images/p.png")
    result = run_build(root)
    assert result.ok, result.diagnostics
    return root / "output"


def test_site_feed_is_valid_rss_with_complete_entries(tmp_path: Path) -> None:
    output = build_three(tmp_path)
    raw = (output / "feed.xml").read_bytes()
    ET.fromstring(raw)  # well-formed XML
    feed = feedparser.parse(raw)
    assert feed.bozo == 0
    assert feed.version == "rss20"
    assert [e.title for e in feed.entries] == ["New <b>&", "Mid"], (
        "newest first, limited to feed.limit"
    )
    for entry in feed.entries:
        assert entry.link.startswith("https://example.com/careers/stories/")
        assert entry.id == entry.link
        assert entry.published
        assert entry.content[0].value
    assert feed.feed.links[0].href in (
        "https://example.com/careers/",
        "https://example.com/careers/feed.xml",
    )


def test_items_carry_categories_language_and_rfc822_dates(tmp_path: Path) -> None:
    output = build_three(tmp_path)
    root = ET.parse(output / "feed.xml").getroot()
    items = root.findall("channel/item")
    mid = items[1]
    assert [c.text for c in mid.findall("category")] == ["Care", "Craft"]
    assert mid.find("{http://purl.org/dc/elements/1.1/}language").text == "de"
    assert items[0].find("{http://purl.org/dc/elements/1.1/}language") is None
    published = parsedate_to_datetime(mid.find("pubDate").text)
    assert published.isoformat() == "2026-02-01T00:00:00+01:00"
    self_link = root.find("channel/{http://www.w3.org/2005/Atom}link")
    assert (
        self_link.get("rel") == "self"
        and self_link.get("href") == "https://example.com/careers/feed.xml"
    )


def test_content_links_and_images_are_absolute(tmp_path: Path) -> None:
    output = build_three(tmp_path)
    content = feedparser.parse((output / "feed.xml").read_bytes()).entries[0].content[0].value
    assert 'src="https://example.com/careers/media/stories/images/p.png"' in content
    assert 'href="https://example.com/careers/"' in content


def test_each_value_has_its_own_feed(tmp_path: Path) -> None:
    output = build_three(tmp_path)
    care = feedparser.parse((output / "values/care/feed.xml").read_bytes())
    assert care.bozo == 0
    assert [e.title for e in care.entries] == ["Mid", "Old"]
    craft = feedparser.parse((output / "values/craft/feed.xml").read_bytes())
    assert [e.title for e in craft.entries] == ["New <b>&", "Mid"]


def test_pages_link_their_feed(tmp_path: Path) -> None:
    output = build_three(tmp_path)
    home = (output / "index.html").read_text()
    value = (output / "values/care/index.html").read_text()
    assert 'type="application/rss+xml"' in home and "https://example.com/careers/feed.xml" in home
    assert "https://example.com/careers/values/care/feed.xml" in value
