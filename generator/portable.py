"""A copy of the built site that works opened from disk (file://) or zipped and mailed.

Every internal reference becomes a path relative to the file that holds it and ends in a file
(``stories/anna/index.html``, never ``stories/anna/`` or ``/stories/anna/``). References are found
with the standard library's HTML parser and a small CSS scanner, and rewritten by their offsets
in the source, so every byte around them stays as it was. Absolute addresses are left alone: the
canonical link, og:url, feeds, JSON-LD and the sitemap name the public site.

Pure functions from (output path, bytes, the site's files) to bytes; ``make_portable`` at the end
is the one edge that reads and replaces files, through the build's staging folder.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence, Set
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

if TYPE_CHECKING:
    from .writer import Staging

DEFAULT_FOLDER = "output-portable"
"""Where ``build --portable`` writes unless ``--output`` says otherwise."""
REWRITTEN_SUFFIXES = (".html", ".htm", ".css")
"""The files whose references are rewritten (feeds, the sitemap and robots.txt stay absolute)."""
SCRIPT_SUFFIXES = (".js", ".mjs")
"""Scripts are not changed, only read for requests they make by themselves."""
SCRIPT_REQUESTS = (
    "fetch(",
    "XMLHttpRequest",
    "EventSource",
    "sendBeacon",
    "serviceWorker",
    "importScripts",
)
"""What a script that loads addresses by itself contains; opened from disk, such requests fail."""
DATA_SCRIPT_TYPES = frozenset({"application/ld+json", "application/json", "importmap"})

URL_ATTRIBUTES = frozenset({"href", "src", "poster", "action", "formaction", "data", "xlink:href"})
"""Attributes that hold one address."""
SRCSET_ATTRIBUTES = frozenset({"srcset", "imagesrcset"})
"""Attributes that hold a list of image candidates."""
LINK_RELS_REWRITTEN = frozenset(
    {"stylesheet", "icon", "apple-touch-icon", "mask-icon", "preload", "modulepreload", "prefetch"}
)
"""``<link rel>`` values that load a file; canonical, alternate and the rest name the public site."""
_WHITESPACE = " \t\n\r\f"
_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.")
_SAFE_IN_PATH = "!$*+,;=:@~"
"""Kept as they are when a file name is written into a reference; quotes and parentheses are
escaped, so the result is safe inside any attribute and an unquoted CSS ``url()``."""


@dataclass(frozen=True)
class Rewritten:
    """One file made portable."""

    content: bytes
    changed: int
    """References rewritten."""
    unresolved: tuple[str, ...]
    """Internal references that point at nothing in the site, left as they were."""
    requests: bool = False
    """The file is, or has inline, a script that requests addresses by itself."""


@dataclass(frozen=True)
class PortableReport:
    """What ``make_portable`` did to a staged site."""

    files: int
    """Files rewritten."""
    references: int
    """References rewritten in them."""
    unresolved: tuple[tuple[str, str], ...]
    """(output path, reference) for every internal reference that points at nothing."""
    scripts: tuple[str, ...] = ()
    """Files with a script that requests addresses by itself (``fetch``, a service worker…)."""

    def notes(self) -> list[str]:
        """A line for people about each thing that may not work from disk."""
        notes = [self._links()] if self.unresolved else []
        if self.scripts:
            shown = ", ".join(self.scripts[:3])
            more = f" and {len(self.scripts) - 3:,} more" if len(self.scripts) > 3 else ""
            notes.append(
                f"note: scripts in {shown}{more} request addresses by themselves (fetch, "
                "XMLHttpRequest, a service worker…); opened from disk, browsers refuse such "
                "requests, so try what they do in the portable copy"
            )
        return notes

    def _links(self) -> str:
        refs = sorted({ref for _, ref in self.unresolved})
        shown = ", ".join(refs[:3]) + (f" and {len(refs) - 3:,} more" if len(refs) > 3 else "")
        pages = len({path for path, _ in self.unresolved})
        count = len(self.unresolved)
        return (
            f"note: {count:,} link{'s' if count != 1 else ''} in {pages:,} "
            f"file{'s' if pages != 1 else ''} point{'s' if count == 1 else ''} at nothing "
            f"in the site and {'was' if count == 1 else 'were'} left as written: {shown}"
        )


# ---------------------------------------------------------------- one reference


def portable_url(url: str, output_path: str, files: Set[str], base_path: str = "/") -> str | None:
    """``url`` as written in ``output_path``, relative and ending in a file.

    Returns ``url`` unchanged when it is not a reference into the site (external, ``mailto:``,
    ``data:``, protocol-relative, fragment or query only), and None when it is one but points at
    nothing among ``files`` (output paths). A query or fragment is kept as written.
    """
    core = url.strip(_WHITESPACE)
    if not core or core[0] in "#?" or core.startswith("//") or _has_scheme(core):
        return url
    cut = min((i for i in (core.find("?"), core.find("#")) if i >= 0), default=len(core))
    path, rest = core[:cut], core[cut:]
    if "\\" in path:
        return None  # browsers read a backslash as a slash; too ambiguous to rewrite
    target = _site_file(path, output_path, files, base_path)
    if target is None:
        return None
    lead = url[: len(url) - len(url.lstrip(_WHITESPACE))]
    trail = url[len(url.rstrip(_WHITESPACE)) :]
    return lead + _relative(target, output_path) + rest + trail


def _has_scheme(url: str) -> bool:
    colon = url.find(":")
    if colon <= 0 or not url[0].isascii() or not url[0].isalpha():
        return False
    return all(c in _SCHEME_CHARS for c in url[:colon]) and "/" not in url[:colon]


def _site_file(path: str, output_path: str, files: Set[str], base_path: str) -> str | None:
    """The output file ``path`` (as written in ``output_path``) names, or None."""
    if path.startswith("/"):
        if not (path + "/").startswith(base_path):
            return None  # elsewhere on the host, outside the site
        joined = path[len(base_path) :] if path.startswith(base_path) else ""
    else:
        folder = output_path.rpartition("/")[0]
        joined = f"{folder}/{path}" if folder else path
    parts: list[str] = []
    segments = joined.split("/")
    for segment in segments:
        if segment in ("", "."):
            continue
        if segment == "..":
            if not parts:
                return None  # climbs out of the site's folder
            parts.pop()
            continue
        name = unquote(segment, errors="strict") if "%" in segment else segment
        if "/" in name or name in (".", ".."):
            return None
        parts.append(name)
    is_folder = not path or segments[-1] in ("", ".", "..")
    name = "/".join(parts)
    if is_folder:
        index = f"{name}/index.html" if name else "index.html"
        return index if index in files else None
    if name in files:
        return name
    index = f"{name}/index.html"
    return index if index in files else None


def _relative(target: str, output_path: str) -> str:
    """``target`` relative to the folder of ``output_path``, as a reference (escaped)."""
    start = output_path.split("/")[:-1]
    goal = target.split("/")
    common = 0
    while common < min(len(start), len(goal) - 1) and start[common] == goal[common]:
        common += 1
    parts = [".."] * (len(start) - common) + [quote(p, safe=_SAFE_IN_PATH) for p in goal[common:]]
    reference = "/".join(parts)
    # A first segment with a colon would read as a scheme ("a:b.html").
    return f"./{reference}" if ":" in parts[0] else reference


# ---------------------------------------------------------------- srcset and CSS


def srcset_spans(value: str) -> list[tuple[int, int]]:
    """(start, end) of each candidate's address in a ``srcset`` (the HTML standard's parser)."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(value)
    while i < n:
        while i < n and (value[i] in _WHITESPACE or value[i] == ","):
            i += 1
        if i >= n:
            break
        start = i
        while i < n and value[i] not in _WHITESPACE:
            i += 1
        end = i
        while end > start and value[end - 1] == ",":
            end -= 1  # "a.jpg," ends the candidate without descriptors
        spans.append((start, end))
        if end < i:
            continue
        depth = 0  # descriptors run to the next comma outside parentheses
        while i < n and (depth or value[i] != ","):
            if value[i] == "(":
                depth += 1
            elif value[i] == ")" and depth:
                depth -= 1
            i += 1
    return spans


def css_url_spans(css: str) -> list[tuple[int, int]]:
    """(start, end) of every address in ``url(…)`` and ``@import "…"``, outside comments."""
    spans: list[tuple[int, int]] = []
    i, n = 0, len(css)
    importing = False
    while i < n:
        c = css[i]
        if css.startswith("/*", i):
            end = css.find("*/", i + 2)
            i = n if end < 0 else end + 2
        elif c in "\"'":
            end = _string_end(css, i)
            if importing:
                spans.append((i + 1, end - 1))
                importing = False
            i = end
        elif c == "\\":
            i += 2
        elif css[i : i + 4].lower() == "url(" and not (i and _is_name_char(css[i - 1])):
            i = _url_token(css, i + 4, spans)
            importing = False
        elif css[i : i + 7].lower() == "@import" and not _is_name_char(css[i + 7 : i + 8] or " "):
            importing = True
            i += 7
        else:
            if c == ";":
                importing = False
            i += 1
    return spans


def _is_name_char(c: str) -> bool:
    return c.isalnum() or c in "-_" or not c.isascii()


def _string_end(css: str, start: int) -> int:
    """Offset just after the string opening at ``start`` (or at the line's end if unclosed)."""
    quote_char, i, n = css[start], start + 1, len(css)
    while i < n and css[i] != quote_char and css[i] != "\n":
        i += 2 if css[i] == "\\" else 1
    return min(i + 1, n) if i < n and css[i] == quote_char else i


def _url_token(css: str, i: int, spans: list[tuple[int, int]]) -> int:
    """Record the address of the ``url(`` whose content starts at ``i``; return where it ends."""
    n = len(css)
    while i < n and css[i] in _WHITESPACE:
        i += 1
    if i < n and css[i] in "\"'":
        end = _string_end(css, i)
        if end - 1 > i and css[end - 1] == css[i]:
            spans.append((i + 1, end - 1))
        close = css.find(")", end)
        return n if close < 0 else close + 1
    start = i
    while i < n and css[i] != ")" and css[i] not in _WHITESPACE:
        i += 1
    spans.append((start, i))
    close = css.find(")", i)
    return n if close < 0 else close + 1


# ---------------------------------------------------------------- whole files


class _Edits:
    """Replacements by offset in one text, and what could not be resolved."""

    def __init__(self, resolve: Callable[[str], str | None]) -> None:
        self.resolve = resolve
        self.changes: list[tuple[int, int, str]] = []
        self.unresolved: list[str] = []

    def url(self, text: str, start: int, end: int) -> str | None:
        """The replacement for ``text[start:end]``, or None when it stays."""
        url = text[start:end]
        new = self.resolve(url)
        if new is None:
            self.unresolved.append(url.strip(_WHITESPACE))
            return None
        return new if new != url else None

    def spans(self, text: str, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int, str]]:
        """Replacements for each span of ``text`` that changes."""
        found = []
        for start, end in spans:
            new = self.url(text, start, end)
            if new is not None:
                found.append((start, end, new))
        return found


def _apply(text: str, changes: Sequence[tuple[int, int, str]]) -> str:
    pieces, last = [], 0
    for start, end, new in sorted(changes):
        pieces += [text[last:start], new]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


def rewrite_css(output_path: str, css: bytes, files: Set[str], base_path: str = "/") -> Rewritten:
    """A stylesheet with every ``url()`` and ``@import`` into the site made relative."""
    text = css.decode("utf-8", "surrogateescape")
    edits = _Edits(lambda url: portable_url(url, output_path, files, base_path))
    changes = edits.spans(text, css_url_spans(text))
    content = _apply(text, changes).encode("utf-8", "surrogateescape") if changes else css
    return Rewritten(content, len(changes), tuple(edits.unresolved))


def rewrite_html(output_path: str, page: bytes, files: Set[str], base_path: str = "/") -> Rewritten:
    """A page with every internal reference made relative and ending in a file."""
    text = page.decode("utf-8", "surrogateescape")
    edits = _Edits(lambda url: portable_url(url, output_path, files, base_path))
    finder = _ReferenceFinder(text, edits)
    finder.feed(text)
    finder.close()
    changes = edits.changes
    content = _apply(text, changes).encode("utf-8", "surrogateescape") if changes else page
    return Rewritten(content, finder.changed, tuple(edits.unresolved), finder.requests)


def rewrite_file(
    output_path: str, content: bytes, files: Set[str], base_path: str = "/"
) -> Rewritten | None:
    """The portable version of one output file, or None for kinds that stay as they are."""
    suffix = output_path.rpartition(".")[2].lower()
    if suffix in ("html", "htm"):
        return rewrite_html(output_path, content, files, base_path)
    if suffix == "css":
        return rewrite_css(output_path, content, files, base_path)
    if suffix in ("js", "mjs"):
        text = content.decode("utf-8", "surrogateescape")
        return Rewritten(content, 0, (), requests_by_itself(text))
    return None


def requests_by_itself(script: str) -> bool:
    """Whether a script loads addresses itself (which fails from file://), by what it calls."""
    return any(call in script for call in SCRIPT_REQUESTS)


class _ReferenceFinder(HTMLParser):
    """Finds the references in a page with the standard parser and records their rewrites.

    The parser says where each start tag begins and what it contains; the attribute values'
    offsets come from scanning that tag's own text, checked against the parser's reading.
    """

    def __init__(self, text: str, edits: _Edits) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.edits = edits
        self.changed = 0
        self.line_starts = [0]  # the parser counts lines by "\n" alone
        newline = text.find("\n")
        while newline >= 0:
            self.line_starts.append(newline + 1)
            newline = text.find("\n", newline + 1)
        self.in_style = False
        self.in_script = False
        self.requests = False
        """An inline script requests addresses by itself."""
        self.raw_text: str | None = None
        """The raw-text element (``<textarea>``…) being read, if any."""

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.line_starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.raw_text is not None:
            return
        if tag in RAW_TEXT_ELEMENTS:
            self.raw_text = tag
        self.in_style = tag == "style"
        self.in_script = tag == "script" and (
            (dict(attrs).get("type") or "").strip().lower() not in DATA_SCRIPT_TYPES
        )
        if not any(name in _REWRITABLE for name, _ in attrs):
            return
        raw = self.get_starttag_text() or ""
        start = self._offset()
        if self.text[start : start + len(raw)] != raw:
            self.edits.unresolved.append(f"<{tag}> (not found where the parser saw it)")
            return
        scanned = scan_attributes(raw)
        if [(name, value) for name, value, _ in scanned] != attrs:
            self.edits.unresolved.append(f"<{tag}> (attributes too irregular to rewrite)")
            return
        rels = {
            token
            for name, value, _ in scanned
            if name == "rel" and value
            for token in value.lower().split()
        }
        for name, value, span in scanned:
            if value is None or span is None or not self._wanted(tag, name, rels):
                continue
            self._attribute(name, value, start + span[0], start + span[1])

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw_text = self.raw_text
        self.handle_starttag(tag, attrs)
        self.in_style = self.in_script = False
        self.raw_text = raw_text  # a self-closed one (SVG's <title/>) holds no text

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self.in_style = False
        if tag == "script":
            self.in_script = False
        if tag == self.raw_text:
            self.raw_text = None

    def handle_data(self, data: str) -> None:
        if self.in_script:
            self.requests = self.requests or requests_by_itself(data)
        if not self.in_style:
            return
        start = self._offset()
        if self.text[start : start + len(data)] != data:
            return
        changes = self.edits.spans(data, css_url_spans(data))
        self.edits.changes += [(start + a, start + b, new) for a, b, new in changes]
        self.changed += len(changes)

    @staticmethod
    def _wanted(tag: str, name: str, rels: set[str]) -> bool:
        if tag == "base" or tag == "meta":
            return False
        if tag == "link" and name == "href":
            return bool(rels & LINK_RELS_REWRITTEN)
        return name in _REWRITABLE

    def _attribute(self, name: str, value: str, start: int, end: int) -> None:
        """Record the rewrite of one attribute whose raw value is ``text[start:end]``."""
        raw = self.text[start:end]
        quoted = start > 0 and self.text[start - 1] in "\"'"
        if name in SRCSET_ATTRIBUTES:
            spans = srcset_spans(value)
        elif name == "style":
            spans = css_url_spans(value)
        else:
            spans = [(0, len(value))]
        changes = self.edits.spans(value, spans)
        if not changes:
            return
        self.changed += len(changes)
        if quoted and html.unescape(raw) == raw:
            # No character references: offsets in the value are offsets in the source.
            self.edits.changes += [(start + a, start + b, new) for a, b, new in changes]
            return
        quote_char = self.text[start - 1] if quoted else '"'
        new_value = _apply(value, changes)
        escaped = new_value.replace("&", "&amp;").replace(quote_char, _QUOTE_ENTITIES[quote_char])
        if quoted:
            self.edits.changes.append((start, end, escaped))
        else:
            self.edits.changes.append((start, end, f'"{escaped}"'))


_REWRITABLE = URL_ATTRIBUTES | SRCSET_ATTRIBUTES | {"style"}
_QUOTE_ENTITIES = {'"': "&quot;", "'": "&#39;"}
RAW_TEXT_ELEMENTS = frozenset({"textarea", "title", "xmp", "iframe", "noembed", "noframes"})
"""Elements whose content browsers read as text: a tag written inside one is not a tag."""


def scan_attributes(tag: str) -> list[tuple[str, str | None, tuple[int, int] | None]]:
    """(name, value, value's span in ``tag``) for each attribute of one start tag's text.

    Reads attributes as ``html.parser`` does (names lowercased, ``=`` runs allowed, values
    unquoted and unescaped), so the result can be compared with the parser's own list.
    """
    n = len(tag)
    i = 1
    while i < n and tag[i] not in _WHITESPACE and tag[i] not in "/>":
        i += 1
    found: list[tuple[str, str | None, tuple[int, int] | None]] = []
    while i < n:
        while i < n and (tag[i] in _WHITESPACE or (tag[i] == "/" and tag[i + 1 : i + 2] != ">")):
            i += 1
        if i >= n or tag[i] == ">" or tag.startswith("/>", i):
            break
        start = i
        i += 1
        while i < n and tag[i] not in _WHITESPACE and tag[i] not in "/=>":
            i += 1
        name = tag[start:i].lower()
        after_name = i
        while i < n and tag[i] in _WHITESPACE:
            i += 1
        if i >= n or tag[i] != "=":
            found.append((name, None, None))
            i = after_name
            continue
        while i < n and tag[i] == "=":
            i += 1
        while i < n and tag[i] in _WHITESPACE:
            i += 1
        if i < n and tag[i] in "\"'":
            close = tag.find(tag[i], i + 1)
            if close < 0:
                close = n
            span = (i + 1, close)
            i = close + 1
        else:
            start = i
            while i < n and tag[i] not in _WHITESPACE and tag[i] != ">":
                i += 1
            span = (start, i)
        found.append((name, html.unescape(tag[span[0] : span[1]]), span))
    return found


# ---------------------------------------------------------------- the edge


def make_portable(staging: Staging, output_paths: Iterable[str], base_path: str) -> PortableReport:
    """Rewrite the staged site's pages and stylesheets in place, in sorted order; note scripts
    that request addresses by themselves."""
    paths = sorted(output_paths)
    files = frozenset(paths)
    rewritten = references = 0
    unresolved: list[tuple[str, str]] = []
    scripts: list[str] = []
    for path in paths:
        if not path.lower().endswith(REWRITTEN_SUFFIXES + SCRIPT_SUFFIXES):
            continue
        original = staging.target(path).read_bytes()
        result = rewrite_file(path, original, files, base_path)
        if result is None:
            continue
        unresolved += [(path, ref) for ref in result.unresolved]
        if result.requests:
            scripts.append(path)
        if result.content != original:
            staging.replace(path, result.content)
            rewritten += 1
            references += result.changed
    return PortableReport(rewritten, references, tuple(unresolved), tuple(scripts))
