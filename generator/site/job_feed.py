"""The feed of the open roles (``jobs/feed.xml``): RSS 2.0 like the stories' feed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from ..content.config import SiteConfig
from ..content.entries import derive_summary
from ..content.model import Role
from .feeds import GENERATOR, absolutise, rfc822
from .routes import JOBS_FEED_PATH, JOBS_PATH, absolute_url, value_path


def jobs_feed(config: SiteConfig, roles: Sequence[Role], title: str, description: str) -> str:
    """An RSS 2.0 document of every open role, newest first, descriptions included."""
    newest = max((r.job.date_posted for r in roles), default=dt.date(2000, 1, 1))
    self_url = absolute_url(config, JOBS_FEED_PATH)
    return "".join(
        [
            '<?xml version="1.0" encoding="utf-8"?>\n',
            '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/">\n',
            "<channel>\n",
            f"<title>{escape(title)}</title>\n",
            f"<link>{escape(absolute_url(config, JOBS_PATH))}</link>\n",
            f"<description>{escape(description)}</description>\n",
            f"<language>{escape(config.language)}</language>\n",
            f"<lastBuildDate>{rfc822(newest, config.timezone)}</lastBuildDate>\n",
            f"<generator>{GENERATOR}</generator>\n",
            f'<atom:link href={quoteattr(self_url)} rel="self" type="application/rss+xml"/>\n',
            *(_item(role, config) for role in roles),
            "</channel>\n</rss>\n",
        ]
    )


def _item(role: Role, config: SiteConfig) -> str:
    categories = "".join(
        f"<category domain={quoteattr(absolute_url(config, value_path(v.slug)))}>"
        f"{escape(v.title)}</category>\n"
        for v in role.values
    )
    team = f"<category>{escape(role.team)}</category>\n" if role.team else ""
    lang = (
        f"<dc:language>{escape(role.lang)}</dc:language>\n" if role.lang != config.language else ""
    )
    content = absolutise(str(role.body_html), config).replace("]]>", "]]]]><![CDATA[>")
    return (
        "<item>\n"
        f"<title>{escape(role.title)}</title>\n"
        f"<link>{escape(role.absolute_url)}</link>\n"
        f'<guid isPermaLink="true">{escape(role.absolute_url)}</guid>\n'
        f"<pubDate>{rfc822(role.job.date_posted, config.timezone)}</pubDate>\n"
        f"{lang}{team}{categories}"
        f"<description>{escape(derive_summary(role.job.body_markdown))}</description>\n"
        f"<content:encoded><![CDATA[{content}]]></content:encoded>\n"
        "</item>\n"
    )
