"""Zero third-party requests: find every resource a page would load from another host.

A careers page that fetches a font, a script or a picture from someone else's server tells that
server about the visitor before they agreed to anything. So every ``<img>``, ``<iframe>``,
``<script>``, stylesheet, font, media or preload URL that points off-site is a problem at its
file:line, found in three places:

1. theme files (templates and static CSS), by reading them as written;
2. content (Markdown pictures), by reading the bodies;
3. every built page, for URLs that only exist once a template is rendered (``{{ site.extra.cdn }}``);
   these are reported at the template or site.toml line that holds the URL, else at the page's
   template.

Links (``<a href>``), canonical/alternate links and JSON-LD are not requests and are not flagged.
Click-to-load embeds are placeholders until the visitor clicks, so they are not flagged either.
A host listed in ``[privacy] allowed_hosts`` may be used.
"""

from __future__ import annotations

import bisect
import html
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

from ..content.config import CONFIG_FILE, SiteConfig
from ..errors import Diagnostic, error
from ..theme.themes import ResolvedTheme
from .urls import css_unescape, url_host


class _Located(Protocol):
    @property
    def value(self) -> str: ...
    @property
    def line(self) -> int: ...


class ContentEntry(Protocol):
    """A story or value as the privacy scan sees it: its file and the remote pictures it names."""

    @property
    def source(self) -> str: ...
    @property
    def remote_images(self) -> Sequence[_Located]: ...


CODE = "external-resource"
_VALUE = r"""(?:"[^"]*"|'[^']*'|[^\s"'=<>`]++)"""
_TAG_RE = re.compile(
    r"<(img|source|iframe|frame|embed|object|script|link|video|audio|track|input|image|use)"
    rf"\b((?:[\s/]++[^\s\"'>/=]++(?:\s*=\s*{_VALUE})?|\s*\{{[{{%#].*?[%}}#]\}})*)[\s/]*>",
    re.IGNORECASE | re.DOTALL,
)
"""A tag with its attributes; as in browsers, a ``/`` separates attributes as a space does
(``<img/src=…>``). Possessive runs keep a tag without its ``>`` from backtracking."""
_ATTR_RE = re.compile(rf"([^\s\"'>/=]+)(?:\s*=\s*({_VALUE}))?", re.DOTALL)
_STYLE_ATTR_RE = re.compile(r"""\sstyle\s*=\s*("[^"]*"|'[^']*')""", re.IGNORECASE)
_STYLE_BLOCK_RE = re.compile(r"<style\b[^>]*>(.*?)</style\s*>", re.IGNORECASE | re.DOTALL)
_CSS_URL_RE = re.compile(r"""url\(\s*(["']?)([^"')]+?)\1\s*\)""", re.IGNORECASE)
_CSS_IMPORT_RE = re.compile(r"""@import\s+(["'])([^"']+)\1""", re.IGNORECASE)
_MD_IMAGE_RE = re.compile(r"!\[[^\][]*\]\(\s*(<[^>]*>|[^)]*)")
_MD_TITLE_RE = re.compile(r"""\s+(?:"[^"]*"|'[^']*')\s*$""")
_MD_REF_IMAGE_RE = re.compile(r"!\[([^\][]*)\]\[([^\][]*)\]")
"""An alt text stops at the next bracket, so a line of ``![`` is read once, not once per ``![``
(a nested ``]`` in an alt text is rare; the built page's scan still sees such a picture)."""
_MD_REF_DEF_RE = re.compile(r"^ {0,3}\[([^\]]+)\]:\s*<?(\S+?)>?(?:\s|$)")
_FONT_SUFFIXES = (".woff2", ".woff", ".ttf", ".otf", ".eot")
_RESOURCE_RELS = {
    "stylesheet": "a stylesheet",
    "preload": "a preloaded file",
    "modulepreload": "a script",
    "prefetch": "a prefetched file",
    "preconnect": "a connection",
    "dns-prefetch": "a DNS lookup",
    "icon": "an icon",
    "shortcut": "an icon",
    "apple-touch-icon": "an icon",
    "mask-icon": "an icon",
    "manifest": "a web app manifest",
}
_TAG_KINDS = {
    "img": "an image",
    "source": "an image or video",
    "input": "an image",
    "image": "an image",
    "use": "an image",
    "iframe": "an iframe",
    "frame": "an iframe",
    "embed": "an embedded object",
    "object": "an embedded object",
    "script": "a script",
    "video": "a video",
    "audio": "an audio file",
    "track": "a subtitle track",
}
_TAG_ATTRS = {
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "script": ("src",),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
}


@dataclass(frozen=True)
class Finding:
    """One URL a file would make the browser fetch."""

    kind: str
    """What it is, with its article: ``a script``, ``a font``."""
    url: str
    line: int
    """1-based line in the scanned text."""


@dataclass(frozen=True)
class Policy:
    """Which hosts count as the site itself or as allowed."""

    site_host: str
    allowed: tuple[str, ...] = ()

    @classmethod
    def of(cls, config: SiteConfig) -> Policy:
        """The policy of a site: its own host, plus ``[privacy] allowed_hosts``."""
        host = (urlsplit(config.base_url).hostname or "").lower()
        return cls(host, tuple(h.lower() for h in config.privacy.allowed_hosts))

    def foreign_host(self, url: str) -> str | None:
        """The other host ``url`` points to, or None for the site itself, allowed hosts and
        relative or ``data:`` URLs (read as a browser reads them: see ``urls``)."""
        host = url_host(url)
        if host is None or host == self.site_host:
            return None
        for allowed in self.allowed:
            if host == allowed or (allowed.startswith(".") and host.endswith(allowed)):
                return None
            if allowed.startswith(".") and host == allowed[1:]:
                return None
        return host


_MAY_LEAVE = r"""(?://|\\|&|[\t\n\r])"""
"""What a URL that names another host has: ``//``, or what a browser reads as part of it
(a backslash, a character reference, a tab or newline between the slashes)."""
_QUICK_ATTR_RE = re.compile(
    rf"""\b(?:src|srcset|data|poster|action|formaction)\s*=\s*["']?[^"'>]*?{_MAY_LEAVE}"""
    rf"""|<(?:image|use)\b[^>]*\bhref\s*=\s*["']?[^"'>]*?{_MAY_LEAVE}"""
    r"""|url\(|@import|<style\b[^>]*>[^<]*\\|\bstyle\s*=\s*["'][^"']*[\\&]""",
    re.IGNORECASE,
)
_QUICK_LINK_RE = re.compile(rf"<link\b[^>]*{_MAY_LEAVE}[^>]*>", re.IGNORECASE)


def might_load_from_elsewhere(html: str) -> bool:
    """A fast first look: False when no tag on the page could load a full (``//``) address.

    Most pages link to other hosts (canonical URL, social links) but load nothing from them; the
    full scan runs only on pages this cannot rule out.
    """
    if _QUICK_ATTR_RE.search(html):
        return True
    for match in _QUICK_LINK_RE.finditer(html):
        rels = re.search(r"""\brel\s*=\s*["']?([^"'>]*)""", match.group(0), re.IGNORECASE)
        if rels is None or any(r in _RESOURCE_RELS for r in rels.group(1).lower().split()):
            return True
    return False


def scan_html(text: str) -> list[Finding]:
    """Resource URLs in HTML or a Jinja template (tags, ``style`` attributes and blocks)."""
    lines = _LineIndex(text)
    found: list[Finding] = []
    for match in _TAG_RE.finditer(text):
        tag = match.group(1).lower()
        attrs = _attributes(match.group(2))
        line = lines.line_of(match.start())
        if tag == "link":
            rels = attrs.get("rel", "").lower().split()
            kind = next((_RESOURCE_RELS[r] for r in rels if r in _RESOURCE_RELS), None)
            if kind is None:
                continue  # canonical, alternate, author…: links, not requests
            if "preload" in rels and attrs.get("as", "").lower() == "font":
                kind = "a font"
            found += [Finding(kind, url, line) for url in _urls("href", attrs.get("href", ""))]
            continue
        for name in _TAG_ATTRS[tag]:
            if name in attrs:
                found += [Finding(_TAG_KINDS[tag], u, line) for u in _urls(name, attrs[name])]
    for match in _STYLE_ATTR_RE.finditer(text):  # an attribute: references decoded, then CSS
        found += scan_css(html.unescape(match.group(1)[1:-1]), lines.line_of(match.start()))
    for match in _STYLE_BLOCK_RE.finditer(text):
        found += scan_css(match.group(1), lines.line_of(match.start(1)))
    return sorted(set(found), key=lambda f: (f.line, f.url, f.kind))


def scan_css(text: str, first_line: int = 1) -> list[Finding]:
    """``url(…)`` and ``@import`` in a stylesheet; fonts are told apart from images.

    CSS escapes are decoded first, as the browser does (``\\75rl(\\2f\\2fhost/x)`` loads
    ``//host/x``).
    """
    if "\\" in text:
        text = css_unescape(text)
    lines = _LineIndex(text)
    found = [
        Finding("a stylesheet", m.group(2), first_line - 1 + lines.line_of(m.start()))
        for m in _CSS_IMPORT_RE.finditer(text)
    ]
    for match in _CSS_URL_RE.finditer(text):
        url = match.group(2).strip()
        before = text[: match.start()]
        rule_start = before.rfind("{")
        selector = before[before.rfind("}", 0, rule_start) + 1 : rule_start]
        if re.search(r"@import\s*$", before):
            kind = "a stylesheet"
        elif "@font-face" in selector or urlsplit(url).path.lower().endswith(_FONT_SUFFIXES):
            kind = "a font"
        else:
            kind = "an image"
        found.append(Finding(kind, url, first_line - 1 + lines.line_of(match.start())))
    return found


def scan_markdown(text: str) -> list[Finding]:
    """Pictures in a Markdown body: ``![alt](url)`` and ``![alt][ref]`` with ``[ref]: url``."""
    definitions: dict[str, tuple[str, int]] = {}
    found: list[Finding] = []
    references: list[tuple[str, int]] = []
    for number, line in enumerate(text.split("\n"), start=1):
        definition = _MD_REF_DEF_RE.match(line)
        if definition:
            definitions[definition.group(1).strip().lower()] = (definition.group(2), number)
        found += [
            Finding("an image", url, number)
            for url in (markdown_target(m.group(1)) for m in _MD_IMAGE_RE.finditer(line))
            if url
        ]
        for match in _MD_REF_IMAGE_RE.finditer(line):
            references.append(((match.group(2) or match.group(1)).strip().lower(), number))
    for ref, number in references:
        if ref in definitions:
            found.append(Finding("an image", definitions[ref][0], number))
    return found


def markdown_target(raw: str) -> str:
    """The address in ``(…)`` after ``![alt]`` (the part before ``)``), as Python-Markdown reads
    it: ``<…>`` unwrapped, a quoted title dropped, spaces kept (``&#1; //host/x`` is one URL)."""
    raw = raw.strip()
    if raw.startswith("<") and raw.endswith(">"):
        return raw[1:-1].strip()
    return _MD_TITLE_RE.sub("", raw).strip()


def check_sources(
    root: Path,
    config: SiteConfig,
    theme: ResolvedTheme,
    entries: Iterable[ContentEntry],
) -> list[Diagnostic]:
    """External resources written into the theme's files and the content's Markdown."""
    policy = Policy.of(config)
    problems: list[Diagnostic] = []
    for theme_part in theme.chain:
        for path in sorted(theme_part.path.rglob("*")):
            scan = _theme_scanner(path, theme_part.path)
            if scan is None:
                continue
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError):
                continue  # the theme loader reports unreadable templates
            source = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
            problems += _problems(policy, source, scan(text), _THEME_HINT)
    for entry in entries:
        findings = [Finding("an image", ref.value, ref.line) for ref in entry.remote_images]
        problems += _problems(policy, entry.source, findings, _CONTENT_HINT)
    return problems


class PageChecker:
    """Scans rendered pages for external resources the source scan could not see.

    A URL found on a page is reported at the template line that writes it literally (the same
    problem ``check_sources`` reports, so it is listed once) or the site.toml line that sets it,
    else at the page's template.
    URLs that come from content bodies were reported at their Markdown line already.
    """

    def __init__(
        self,
        root: Path,
        config: SiteConfig,
        theme: ResolvedTheme,
        entries: Iterable[ContentEntry],
    ) -> None:
        self.root, self.policy = root, Policy.of(config)
        self.templates: list[tuple[str, str]] = []
        for part in theme.chain:
            for path in sorted((part.path / "templates").rglob("*")):
                if path.is_file():
                    text = path.read_text(encoding="utf-8-sig", errors="replace")
                    self.templates.append((_relative(path, root), text))
        # A URL a template takes from settings (`{{ site.extra.cdn }}`) is fixed in site.toml.
        config_text = (root / CONFIG_FILE).read_text(encoding="utf-8-sig", errors="replace")
        self.templates.append((CONFIG_FILE, config_text))
        self.content_urls = {ref.value for e in entries for ref in e.remote_images}
        self.theme = theme

    def check(self, template: str, html: str) -> list[Diagnostic]:
        """Problems for the page rendered from ``template`` (a name like ``story.html``)."""
        problems: list[Diagnostic] = []
        if not might_load_from_elsewhere(html):
            return problems
        for finding in scan_html(html):
            host = self.policy.foreign_host(finding.url)
            if host is None:
                continue
            located = self._locate(finding.url)
            if located is None:
                if finding.url in self.content_urls:
                    continue  # reported at its Markdown line by check_sources
                located = (self._template_source(template), 0)
            source, line = located
            problems.append(_diagnostic(source, line, finding, host, _THEME_HINT))
        return problems

    def _locate(self, url: str) -> tuple[str, int] | None:
        for source, text in self.templates:
            at = text.find(url)
            if at >= 0:
                return source, text.count("\n", 0, at) + 1
        return None

    def _template_source(self, template: str) -> str:
        for folder in self.theme.template_dirs:
            if (folder / template).is_file():
                return _relative(folder / template, self.root)
        return f"template {template}"


_THEME_HINT = (
    "serve the file from the site itself (put it in the theme's static/ folder and use "
    'asset_url), or allow the host in {config}: [privacy] allowed_hosts = ["{host}"]'
)
_CONTENT_HINT = (
    "save the picture next to the story (e.g. images/…) and link it by that path, or allow the "
    'host in {config}: [privacy] allowed_hosts = ["{host}"]'
)


def _problems(
    policy: Policy, source: str, findings: Sequence[Finding], hint: str
) -> list[Diagnostic]:
    problems = []
    for finding in findings:
        host = policy.foreign_host(finding.url)
        if host is not None:
            problems.append(_diagnostic(source, finding.line, finding, host, hint))
    return problems


def _diagnostic(source: str, line: int, finding: Finding, host: str, hint: str) -> Diagnostic:
    url = finding.url if len(finding.url) <= 100 else finding.url[:99] + "…"
    return error(
        source,
        line,
        CODE,
        f"{finding.kind} is loaded from another site ({host}) before the visitor agrees: {url}",
        hint.format(config=CONFIG_FILE, host=host),
    )


def _theme_scanner(path: Path, theme_root: Path) -> Callable[[str], list[Finding]] | None:
    if not path.is_file() or path.name.startswith("."):
        return None
    part = path.relative_to(theme_root).parts[0]
    suffix = path.suffix.lower()
    if suffix == ".css":
        return scan_css
    if part == "templates" or suffix in (".html", ".htm", ".svg"):
        return scan_html
    return None


def _attributes(text: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for name, value in _ATTR_RE.findall(text):
        if value[:1] in ("'", '"'):
            value = value[1:-1]
        attrs.setdefault(name.lower(), value)
    return attrs


def _urls(name: str, value: str) -> list[str]:
    if name != "srcset":
        return [value.strip()] if value.strip() else []
    return [part.split()[0] for part in value.split(",") if part.split()]


def _relative(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return str(path)


class _LineIndex:
    """Offsets → 1-based line numbers in one text, without counting from the start each time."""

    def __init__(self, text: str) -> None:
        self.starts = [m.end() for m in re.finditer("\n", text)]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) + 1
