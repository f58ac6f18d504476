"""Links from story and value bodies to the site's own pages: found at parse time, checked at link.

Found in the text (so entries read back from the cache keep them): Markdown links and link
definitions, and raw ``<a href>`` and ``<img src>``, outside code. Checked against every address
the build writes (``routes.plan_routes``, pictures, files): a link to the site that leads nowhere
is a ``broken-link`` warning at its line, with the closest address or file. ``other.md`` and
``../values/teamwork.md`` name content files, and lead to their pages (as in MkDocs).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

from ..engine.pickling import fast_pickle
from ..errors import Diagnostic, warning
from ..markdown.foreign_markup import _prose_lines

_LINK_RE = re.compile(r"(?<!!)\[[^\][\n]*\]\(\s*(<[^<>\n]*>|[^()\s<>]*)")
"""``[text](target``: the text without brackets of its own, so each ``[`` is scanned once."""
_DEFINITION_RE = re.compile(r"^ {0,3}\[([^\]\n]+)\]:\s*(<[^<>\n]*>|\S+)")
_IMAGE_REFERENCE_RE = re.compile(r"!\[([^\][\n]*)\](?:\[([^\][\n]*)\])?")
"""``![alt][label]``, ``![label][]`` and ``![label]``: their definitions are pictures, not links."""
_TAG_RE = re.compile(r"<(a|img)\s([^<>]*)>", re.IGNORECASE)
_HREF_RE = re.compile(r"""\b(href|src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'<>]+))""", re.IGNORECASE)
_SCHEME_RE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


@fast_pickle
@dataclass(frozen=True, slots=True)
class FoundLink:
    """One address in a body, as written."""

    line: int
    """0-based line in the body."""
    target: str
    picture: bool = False
    """From ``<img src>`` (a picture, resolved like ``![…](…)``)."""


def find_links(body: str) -> list[FoundLink]:
    """Every link target (and raw ``<img>`` source) in ``body`` outside code, in order."""
    if "[" not in body and "<" not in body:
        return []
    found: list[FoundLink] = []
    pictures = {
        " ".join((m.group(2) or m.group(1)).split()).lower()
        for m in _IMAGE_REFERENCE_RE.finditer(body)
    }
    for number, text in _prose_lines(body):
        if "](" in text:
            found += [FoundLink(number, _bare(m.group(1))) for m in _LINK_RE.finditer(text)]
        if "]:" in text:
            match = _DEFINITION_RE.match(text)
            if match is not None and " ".join(match.group(1).split()).lower() not in pictures:
                found.append(FoundLink(number, _bare(match.group(2))))
        if "<" in text:
            for tag in _TAG_RE.finditer(text):
                for attr in _HREF_RE.finditer(tag.group(2)):
                    value = next(g for g in attr.groups()[1:] if g is not None)
                    picture = tag.group(1).lower() == "img"
                    if picture == (attr.group(1).lower() == "src"):
                        found.append(FoundLink(number, html.unescape(value).strip(), picture))
    return [f for f in found if f.target]


def _bare(target: str) -> str:
    return target[1:-1].strip() if target.startswith("<") else target


def is_site_link(target: str, base_url: str) -> bool:
    """Whether ``target`` leads into this site (not another host, a mail address or a fragment)."""
    if target.startswith("#") or target.startswith("//"):
        return False
    if _SCHEME_RE.match(target):
        return target.startswith(base_url)
    return True


@dataclass(frozen=True)
class SiteAddresses:
    """What a link inside the site may lead to."""

    urls: frozenset[str]
    """Every root-relative URL the output has (``/careers/stories/anna/``, ``…/feed.xml``)."""
    pages: Mapping[str, str]
    """Content file of each page → its URL (``content/stories/anna.md`` → ``/…/anna/``)."""
    files: frozenset[str]
    """Every story's and value's file, published or not (for "not published")."""
    theme_files: str
    """Where the theme's files go (``/careers/assets/``; their names carry a hash)."""


def check_links(
    source: str,
    page_url: str,
    links: Iterable[tuple[int, str]],
    site: SiteAddresses,
    base_url: str,
    closest_url: Callable[[str], str | None],
    closest_file: Callable[[str], str | None],
) -> list[Diagnostic]:
    """A ``broken-link`` warning for each link of ``source`` to an address the site lacks.

    ``links`` are (file line, target); ``page_url`` is the page the body is shown on (relative
    links are read from there, as browsers do); ``closest_url`` and ``closest_file`` suggest
    an address or a content file for one that is missing.
    """
    problems: list[Diagnostic] = []
    base_path = urlsplit(base_url).path or "/"
    for line, target in links:
        if not is_site_link(target, base_url):
            continue
        if _SCHEME_RE.match(target):
            target = base_path + target[len(base_url) :]
        path = unquote(re.split(r"[?#]", target, maxsplit=1)[0])
        if not path:
            continue  # `?page=2` or `#team`: this page
        problem = _missing(source, path, page_url, site)
        if problem is None:
            continue
        message, wanted = problem
        if not wanted:
            guess = None
        elif wanted.startswith("content/"):
            guess = closest_file(wanted)
            guess = posixpath.relpath(guess, posixpath.dirname(source)) if guess else None
        else:
            guess = closest_url(wanted)
        hint = f"did you mean `{guess}`? " if guess else ""
        problems.append(
            warning(
                source,
                line,
                "broken-link",
                message,
                hint + "link to a page of the site (`/stories/…/`, `other-story.md`) "
                "or write the full address of another site",
            )
        )
    return problems


def _missing(source: str, path: str, page_url: str, site: SiteAddresses) -> tuple[str, str] | None:
    """(message, what to suggest a neighbour of) for a path that leads nowhere, or None."""
    if path.lower().endswith(".md") and not path.startswith("/"):
        file = posixpath.normpath(posixpath.join(posixpath.dirname(source), path))
        if file in site.pages:
            return None
        shown = f"`{path}`"
        if file in site.files:
            return f"the link {shown} leads to a story that is not published", ""
        return f"the link {shown} leads to no file in content/", file
    shown = f"`{path}`"
    if not path.startswith("/"):  # read from the page's address, as a browser does
        joined = posixpath.normpath(posixpath.join(page_url, path))
        path = joined + ("/" if path.endswith("/") and joined != "/" else "")
        shown += f" (`{path}`)"
    if _exists(path, site.urls) or path.startswith(site.theme_files):
        return None
    return f"the link {shown} leads to no page of the site", path


def _exists(path: str, urls: frozenset[str]) -> bool:
    """``/x/``, ``/x`` and ``/x/index.html`` are the same page."""
    if path in urls:
        return True
    trimmed = path.removesuffix("index.html")
    return trimmed in urls or (not trimmed.endswith("/") and trimmed + "/" in urls)
