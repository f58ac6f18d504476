"""RSS 2.0 feeds, a sitemap and robots.txt, built as strings from the published Site."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from email.utils import format_datetime
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr
from zoneinfo import ZoneInfo

from ..content.config import SiteConfig
from ..content.model import Story, Value
from ..theme.rendering import SiteIndex
from .languages import Alternate
from .routes import (
    FEED_PATH,
    HTML_KINDS,
    SITEMAP_PATH,
    UNLISTED_KINDS,
    Route,
    absolute_url,
    value_feed_path,
    value_path,
)

GENERATOR = "brandsite"


def rfc822(date: dt.date, timezone: str) -> str:
    """Midnight of ``date`` in the site's time zone, as RSS wants it (RFC 822)."""
    moment = dt.datetime(date.year, date.month, date.day, tzinfo=ZoneInfo(timezone))
    return format_datetime(moment)


def absolutise(html: str, config: SiteConfig) -> str:
    """Root-relative ``href``/``src`` → absolute, since feed readers have no page to resolve against."""
    parts = urlsplit(config.base_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    html = re.sub(r'(\s(?:href|src))="/(?!/)', rf'\1="{origin}/', html)
    return re.sub(  # responsive pictures: every candidate of a srcset
        r'(\ssrcset=")([^"]*)"',
        lambda m: m.group(1) + re.sub(r"(^|,\s*)/(?!/)", rf"\1{origin}/", m.group(2)) + '"',
        html,
    )


def build_rss(
    config: SiteConfig,
    stories: Sequence[Story],
    *,
    title: str,
    description: str,
    link: str,
    self_url: str,
) -> str:
    """An RSS 2.0 document of the newest ``feed.limit`` stories, full content included."""
    items = [_item(story, config) for story in stories[: config.feed.limit]]
    newest = (
        rfc822(stories[0].date, config.timezone)
        if stories
        else rfc822(dt.date(2000, 1, 1), config.timezone)
    )
    return "".join(
        [
            '<?xml version="1.0" encoding="utf-8"?>\n',
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">\n',
            "<channel>\n",
            f"<title>{escape(title)}</title>\n",
            f"<link>{escape(link)}</link>\n",
            f"<description>{escape(description)}</description>\n",
            f"<language>{escape(config.language)}</language>\n",
            f"<lastBuildDate>{newest}</lastBuildDate>\n",
            f"<generator>{GENERATOR}</generator>\n",
            f'<atom:link href={quoteattr(self_url)} rel="self" type="application/rss+xml"/>\n',
            *items,
            "</channel>\n</rss>\n",
        ]
    )


def _item(story: Story, config: SiteConfig) -> str:
    categories = "".join(
        f"<category domain={quoteattr(absolute_url(config, value_path(v.slug)))}>{escape(v.title)}</category>\n"
        for v in story.values
    )
    lang = (
        f"<dc:language>{escape(story.lang)}</dc:language>\n"
        if story.lang != config.language
        else ""
    )
    content = absolutise(str(story.body_html), config).replace("]]>", "]]]]><![CDATA[>")
    return (
        "<item>\n"
        f"<title>{escape(story.title)}</title>\n"
        f"<link>{escape(story.absolute_url)}</link>\n"
        f'<guid isPermaLink="true">{escape(story.absolute_url)}</guid>\n'
        f"<pubDate>{rfc822(story.date, config.timezone)}</pubDate>\n"
        f"<dc:creator>{escape(story.author)}</dc:creator>\n"
        f"{lang}{categories}"
        f"<description>{escape(story.summary)}</description>\n"
        f"<content:encoded><![CDATA[{content}]]></content:encoded>\n"
        "</item>\n"
    )


def site_feed(config: SiteConfig, stories: Sequence[Story]) -> str:
    """The feed of all stories (``feed.xml``)."""
    return build_rss(
        config,
        stories,
        title=config.title,
        description=config.description or f"Stories from the people of {config.company}",
        link=config.base_url,
        self_url=absolute_url(config, FEED_PATH),
    )


def value_feed(config: SiteConfig, value: Value, stories: Sequence[Story]) -> str:
    """The feed of one value's stories (``values/<slug>/feed.xml``)."""
    url = absolute_url(config, value_path(value.slug))
    return build_rss(
        config,
        stories,
        title=f"{value.title} – {config.title}",
        description=value.summary or value.title,
        link=url,
        self_url=absolute_url(config, value_feed_path(value.slug)),
    )


def in_feed(stories: Sequence[Story], limit: int) -> Sequence[Story]:
    """The newest ``limit`` stories a feed carries: none shown untranslated (their own
    language's feed has them)."""
    if not any(story.untranslated for story in stories[:limit]):
        return stories[:limit]
    return [story for story in stories if not story.untranslated][:limit]


@dataclass(frozen=True)
class SitemapPage:
    """One ``<url>`` of the sitemap."""

    path: str
    """Path from the site's root (``en/stories/anna/``)."""
    lastmod: dt.date | None
    alternates: tuple[Alternate, ...] = ()
    """The page in the other languages (``xhtml:link``), itself included."""


def build_sitemap(config: SiteConfig, pages: Sequence[SitemapPage]) -> str:
    """``sitemap.xml``, with ``xhtml:link`` alternates for pages in several languages."""
    entries = []
    for page in pages:
        modified = f"<lastmod>{page.lastmod.isoformat()}</lastmod>" if page.lastmod else ""
        links = "".join(
            f'<xhtml:link rel="alternate" hreflang={quoteattr(a.hreflang)} href={quoteattr(a.url)}/>'
            for a in page.alternates
        )
        entries.append(
            f"<url><loc>{escape(absolute_url(config, page.path))}</loc>{modified}{links}</url>\n"
        )
    namespace = (
        ' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if any(p.alternates for p in pages) else ""
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{namespace}>\n'
        + "".join(entries)
        + "</urlset>\n"
    )


def build_robots(config: SiteConfig) -> str:
    """``robots.txt``: everything may be crawled; here is the sitemap."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute_url(config, SITEMAP_PATH)}\n"


def build_sitemap_pages(routes: Sequence[Route], index: SiteIndex) -> list[SitemapPage]:
    """Every HTML page but the unlisted ones (404s, the Mastodon share page) and stories shown
    untranslated, with the date of the newest story it shows and its versions in the other
    languages."""
    pages: list[SitemapPage] = []
    for route in routes:
        if route.kind not in HTML_KINDS or route.kind in UNLISTED_KINDS:
            continue
        own = index.edition(route)
        assert own.site is not None
        site = own.site
        path = route.output_path.removesuffix("index.html")
        if route.kind == "story":
            story = own.story_by_slug[route.key]
            if story.untranslated:
                continue
            lastmod: dt.date | None = story.date
        elif route.kind == "value":
            stories = own.stories_by_value[route.key]
            lastmod = stories[0].date if stories else None
        elif route.kind == "job":
            lastmod = next(r for r in site.roles if r.slug == route.key).job.date_posted
        elif route.kind == "jobs":
            lastmod = max(r.job.date_posted for r in site.roles)
        else:
            lastmod = site.stories[0].date if site.stories else None
        pages.append(SitemapPage(path, lastmod, index.alternates.get(route.group, ())))
    return pages
