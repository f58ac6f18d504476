"""The RSS feeds, fetched over HTTP from the served site, parse cleanly as RSS 2.0."""

from __future__ import annotations

import calendar
import xml.etree.ElementTree as ET
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import urljoin

import feedparser
import pytest

from .e2e_http import fetch
from .e2e_site import NOW

pytestmark = pytest.mark.e2e

# A story dated NOW is published; nothing dated later (scheduled) may be in a feed. Allow the
# whole of NOW's day in any time zone.
LATEST_ALLOWED = datetime.fromisoformat(NOW).replace(tzinfo=UTC).timestamp() + 2 * 86400


def feed_problems(url: str, base_url: str) -> tuple[list[str], int]:
    """Fetch and check one feed; return (problems, number of entries)."""
    answer = fetch(url)
    if answer.status != 200:
        return [f"{url}: HTTP {answer.status}"], 0
    problems: list[str] = []
    if "xml" not in answer.content_type and "rss" not in answer.content_type:
        problems.append(f"{url}: served as {answer.content_type!r}")
    try:
        ET.fromstring(answer.body)
    except ET.ParseError as exc:
        problems.append(f"{url}: not well-formed XML: {exc}")
    parsed = feedparser.parse(answer.body)
    if parsed.bozo:
        problems.append(f"{url}: feedparser bozo: {parsed.bozo_exception!r}")
    if parsed.version != "rss20":
        problems.append(f"{url}: version {parsed.version!r}, expected 'rss20'")
    if not str(parsed.feed.get("link", "")).startswith(base_url):
        problems.append(f"{url}: channel link {parsed.feed.get('link')!r} not under {base_url}")
    ids: set[str] = set()
    for n, entry in enumerate(parsed.entries, 1):
        label = f"{url} item {n} ({entry.get('title', '?')!r})"
        missing = [k for k in ("title", "link", "id", "published") if not entry.get(k)]
        if missing:
            problems.append(f"{label}: missing {missing}")
        if entry.get("published") and not entry.get("published_parsed"):
            problems.append(f"{label}: unparseable pubDate {entry.get('published')!r}")
        elif (
            entry.get("published_parsed")
            and calendar.timegm(entry.published_parsed) > LATEST_ALLOWED
        ):
            problems.append(f"{label}: published {entry.published}, after --now {NOW}")
        link = entry.get("link", "")
        if link and not link.startswith(base_url):
            problems.append(f"{label}: link {link!r} is not absolute under {base_url}")
        elif link and (status := fetch(link).status) != 200:
            problems.append(f"{label}: link {link} answers HTTP {status}")
        if entry.get("id") in ids:
            problems.append(f"{label}: duplicate guid {entry.get('id')!r}")
        ids.add(entry.get("id", ""))
    return problems, len(parsed.entries)


def test_site_feed_parses_as_rss20_with_complete_absolute_entries(served_site) -> None:
    problems, entries = feed_problems(served_site.url_for("feed.xml"), served_site.url)
    assert not problems, "\n".join(problems)
    assert entries > 0, "the site feed has no entries"


def test_every_value_feed_parses_as_rss20(served_site) -> None:
    feeds = sorted((served_site.output / "values").glob("*/feed.xml"))
    assert feeds, "no values/<slug>/feed.xml"
    problems: list[str] = []
    for feed in feeds:
        path = feed.relative_to(served_site.output).as_posix()
        problems += feed_problems(served_site.url_for(path), served_site.url)[0]
    assert not problems, "\n".join(problems)


class _AlternateFeeds(HTMLParser):
    """Collect the href of every <link rel="alternate" type="application/rss+xml">."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        rels = a.get("rel", "").lower().split()
        if tag == "link" and "alternate" in rels and a.get("type") == "application/rss+xml":
            self.hrefs.append(a.get("href", ""))


def alternate_feeds(page_url: str) -> list[str]:
    """The absolute URLs of the RSS feeds a page advertises."""
    parser = _AlternateFeeds()
    parser.feed(fetch(page_url).text())
    return [urljoin(page_url, href) for href in parser.hrefs]


def test_home_page_advertises_the_site_feed(served_site) -> None:
    feeds = alternate_feeds(served_site.url)
    assert served_site.url_for("feed.xml") in feeds, f"home page feed links: {feeds}"
