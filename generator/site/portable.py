"""A copy of the built site that works opened from disk (file://) or zipped and mailed.

Every internal reference becomes a path relative to the file that holds it and ends in a file
(``stories/anna/index.html``, never ``stories/anna/`` or ``/stories/anna/``). ``references``
finds them (with the standard library's HTML parser and a small CSS scanner); they are rewritten
by their offsets in the source, so every byte around them stays as it was. Absolute addresses are left alone: the
canonical link, og:url, feeds, JSON-LD and the sitemap name the public site.

Pure functions from (output path, bytes, the site's files) to bytes; ``make_portable`` at the end
is the one edge that reads and replaces files, through the build's staging folder.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence, Set
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote

from .references import WHITESPACE, css_url_spans, page_references, requests_by_itself

if TYPE_CHECKING:
    from ..engine.writer import Staging

REWRITTEN_SUFFIXES = (".html", ".htm", ".css")
"""The files whose references are rewritten (feeds, the sitemap and robots.txt stay absolute)."""
SCRIPT_SUFFIXES = (".js", ".mjs")
"""Scripts are not changed, only read for requests they make by themselves."""

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
    core = url.strip(WHITESPACE)
    if not core or core[0] in "#?" or core.startswith("//") or _has_scheme(core):
        return url
    cut = min((i for i in (core.find("?"), core.find("#")) if i >= 0), default=len(core))
    path, rest = core[:cut], core[cut:]
    if "\\" in path:
        return None  # browsers read a backslash as a slash; too ambiguous to rewrite
    target = _site_file(path, output_path, files, base_path)
    if target is None:
        return None
    lead = url[: len(url) - len(url.lstrip(WHITESPACE))]
    trail = url[len(url.rstrip(WHITESPACE)) :]
    return lead + _relative(target, output_path) + rest + trail


def _has_scheme(url: str) -> bool:
    colon = url.find(":")
    if colon <= 0 or not url[0].isascii() or not url[0].isalpha():
        return False
    return all(c in _SCHEME_CHARS for c in url[:colon])


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
        try:
            name = unquote(segment, errors="strict") if "%" in segment else segment
        except UnicodeDecodeError:
            return None  # escapes that are no UTF-8, so no file name brandsite writes
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


# ---------------------------------------------------------------- whole files


def rewrite_html(output_path: str, page: bytes, files: Set[str], base_path: str = "/") -> Rewritten:
    """A page with every internal reference made relative and ending in a file."""
    text = page.decode("utf-8", "surrogateescape")
    found = page_references(text)
    changes: list[Change] = []
    unresolved = [f"{tag} (attributes too irregular to rewrite)" for tag in found.irregular]
    count = 0
    for piece in found.pieces:
        edits = _rewrites(piece.text, piece.spans, output_path, files, base_path, unresolved)
        count += len(edits)
        if not edits:
            continue
        if text[piece.start : piece.end] == piece.text and (piece.quote or not piece.attribute):
            # Quoted, no character references: offsets in the value are offsets in the source.
            changes += [(piece.start + a, piece.start + b, new) for a, b, new in edits]
            continue
        quote = piece.quote or '"'
        value = _apply(piece.text, edits).replace("&", "&amp;").replace(quote, _ENTITIES[quote])
        changes.append((piece.start, piece.end, value if piece.quote else f'"{value}"'))
    content = _apply(text, changes).encode("utf-8", "surrogateescape") if changes else page
    return Rewritten(content, count, tuple(unresolved), found.requests)


def rewrite_css(output_path: str, css: bytes, files: Set[str], base_path: str = "/") -> Rewritten:
    """A stylesheet with every ``url()`` and ``@import`` into the site made relative."""
    text = css.decode("utf-8", "surrogateescape")
    unresolved: list[str] = []
    changes = _rewrites(text, css_url_spans(text), output_path, files, base_path, unresolved)
    content = _apply(text, changes).encode("utf-8", "surrogateescape") if changes else css
    return Rewritten(content, len(changes), tuple(unresolved))


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


Change = tuple[int, int, str]
_ENTITIES = {'"': "&quot;", "'": "&#39;"}


def _rewrites(
    text: str,
    spans: Iterable[tuple[int, int]],
    output_path: str,
    files: Set[str],
    base_path: str,
    unresolved: list[str],
) -> list[Change]:
    """The replacement of each address span of ``text`` that changes; unresolved ones noted."""
    changes = []
    for start, end in spans:
        url = text[start:end]
        new = portable_url(url, output_path, files, base_path)
        if new is None:
            unresolved.append(url.strip(WHITESPACE))
        elif new != url:
            changes.append((start, end, new))
    return changes


def _apply(text: str, changes: Sequence[Change]) -> str:
    pieces, last = [], 0
    for start, end, new in sorted(changes):
        pieces += [text[last:start], new]
        last = end
    pieces.append(text[last:])
    return "".join(pieces)


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
