"""Crawl a locally served site and check that every internal reference resolves.

References are what a browser or a visitor would follow: href, src, srcset, poster, object data,
og:image/og:url style meta URLs, and url(...) inside CSS. A reference is internal when it points at
the test server's origin; each is fetched once and must answer 200 (a redirect counts as a
problem: links should name the final URL). Fragments must name an id on the target page.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import unquote, urldefrag, urljoin, urlsplit

from .e2e_http import Response, fetch

URL_ATTRS: dict[str, tuple[str, ...]] = {
    "a": ("href",),
    "area": ("href",),
    "link": ("href",),
    "script": ("src",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "form": ("action",),
}
META_URL_KEYS = ("og:image", "og:url", "twitter:image", "og:image:url", "og:image:secure_url")
SKIPPED_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:")
CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)""")


@dataclass(frozen=True)
class Reference:
    """One URL found on a page: where it was, how it was written, and what it resolves to."""

    page: str
    where: str
    raw: str
    url: str


@dataclass
class _PageScan:
    references: list[tuple[str, str]] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)


class _ReferenceParser(HTMLParser):
    """Collect (where, raw URL) pairs and element ids from an HTML document."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.scan = _PageScan()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v for k, v in attrs if v is not None}
        for key in ("id",) + (("name",) if tag == "a" else ()):
            if values.get(key):
                self.scan.ids.add(values[key])
        for attr in URL_ATTRS.get(tag, ()):
            value = values.get(attr, "").strip()
            if not value:
                continue
            if attr == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        self.scan.references.append((f"{tag} srcset", candidate.split()[0]))
            else:
                self.scan.references.append((f"{tag} {attr}", value))
        if tag == "meta":
            key = values.get("property") or values.get("name") or ""
            if key in META_URL_KEYS and values.get("content"):
                self.scan.references.append((f"meta {key}", values["content"].strip()))


def scan_html(html: str) -> tuple[list[tuple[str, str]], set[str]]:
    """Return the (where, raw URL) references and the ids of an HTML document."""
    parser = _ReferenceParser()
    parser.feed(html)
    parser.close()
    return parser.scan.references, parser.scan.ids


def scan_css(css: str) -> list[tuple[str, str]]:
    """Return the url(...) references of a stylesheet."""
    return [("css url()", m.group(2).strip()) for m in CSS_URL.finditer(css) if m.group(2).strip()]


def is_checkable(raw: str) -> bool:
    """Tell whether a raw reference is something to resolve (not mailto:, data:, or a bare #)."""
    return bool(raw) and raw != "#" and not raw.lower().startswith(SKIPPED_SCHEMES)


@dataclass(frozen=True)
class Problem:
    """A reference that does not resolve, ready to print."""

    reference: Reference
    detail: str

    def __str__(self) -> str:
        ref = self.reference
        return f"{ref.page}: {ref.where}={ref.raw!r} -> {ref.url}: {self.detail}"


@dataclass
class CrawlReport:
    """Everything one crawl saw: answers by URL, references, ids by page, and the problems."""

    origin: str
    responses: dict[str, Response] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    ids: dict[str, set[str]] = field(default_factory=dict)

    @property
    def html_pages(self) -> list[str]:
        """URLs that answered 200 with an HTML document, sorted."""
        return sorted(u for u, r in self.responses.items() if r.status == 200 and r.is_html)

    def internal(self, url: str) -> bool:
        """Tell whether `url` points at the served site."""
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def problems(self) -> list[Problem]:
        """Every internal reference that is not a 200, or whose #fragment is not an id there."""
        found: list[Problem] = []
        for ref in self.references:
            if not self.internal(ref.url):
                continue
            target, fragment = urldefrag(ref.url)
            answer = self.responses[target]
            anchor = unquote(fragment)
            if answer.status != 200:
                moved = answer.headers.get("location")
                detail = f"HTTP {answer.status}" + (f" to {moved}" if moved else "")
                found.append(Problem(ref, detail))
            elif anchor and answer.is_html and anchor not in self.ids.get(target, set()):
                found.append(Problem(ref, f"no element with id {anchor!r} on the target"))
        return found


def crawl(start_urls: Iterable[str], origin: str, *, max_urls: int = 5000) -> CrawlReport:
    """Fetch start_urls and everything internal they reference, transitively (breadth first)."""
    report = CrawlReport(origin=origin.rstrip("/"))
    queue = deque(urldefrag(u)[0] for u in start_urls)
    while queue:
        url = queue.popleft()
        if url in report.responses:
            continue
        if len(report.responses) >= max_urls:
            raise AssertionError(f"crawl stopped after {max_urls} URLs: is a link generating URLs?")
        answer = fetch(url)
        report.responses[url] = answer
        if answer.status != 200:
            continue
        if answer.is_html:
            found, ids = scan_html(answer.text())
            report.ids[url] = ids
        elif answer.content_type == "text/css":
            found = scan_css(answer.text())
        else:
            continue
        for where, raw in found:
            if not is_checkable(raw):
                continue
            ref = Reference(page=url, where=where, raw=raw, url=urljoin(url, raw))
            report.references.append(ref)
            if report.internal(ref.url):
                queue.append(urldefrag(ref.url)[0])
    return report
