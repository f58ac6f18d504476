"""URLs as a browser reads them: the one place that decides whether an address leaves the site.

Browsers forgive a lot before they parse a URL (the WHATWG URL standard): character references
in HTML attributes are decoded, leading and trailing spaces and control characters dropped, tabs
and newlines removed anywhere, a backslash read as a slash in web addresses, and the scheme is
case-insensitive. So ``/\\tracker.example/p.gif``, ``https:&#x2F;&#x2F;tracker.example/``,
``&#47;&#47;tracker.example/`` and ``HT\\tTPS:\\\\tracker.example/`` all load from
tracker.example. The privacy check and the ``rel`` on external links read URLs through here.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

SPECIAL_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp", "file"})
"""Schemes whose URLs have a host and read ``\\`` as ``/`` (WHATWG "special schemes")."""
NETWORK_SCHEMES = frozenset({"http", "https", "ws", "wss", "ftp"})
"""Special schemes that reach a host over the network (``file:`` is the visitor's own disk)."""

_EDGE = "".join(chr(c) for c in range(0x21))
"""C0 controls and space, stripped from both ends."""
_TAB_OR_NEWLINE_RE = re.compile(r"[\t\n\r]")
_SCHEME_RE = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_SLASHES_RE = re.compile(r"[/\\]*")
_AUTHORITY_END_RE = re.compile(r"[/\\?#]")
_CSS_ESCAPE_RE = re.compile(r"\\(?:([0-9a-fA-F]{1,6})[ \t\n\r\f]?|(.))", re.DOTALL)


def browser_url(url: str, *, in_html: bool = True) -> str:
    """``url`` cleaned as a browser does before parsing it.

    ``in_html``: the text comes from an HTML attribute or Markdown (which writes character
    references through to the page), so references are decoded first, once.
    """
    text = html.unescape(url) if in_html else url
    text = _TAB_OR_NEWLINE_RE.sub("", text.strip(_EDGE))
    scheme = _SCHEME_RE.match(text)
    if scheme is None:  # relative: resolved against the page, a web address
        return text.replace("\\", "/")
    name = scheme.group(1).lower()
    rest = text[scheme.end() :]
    return f"{name}:{rest.replace(chr(92), '/') if name in SPECIAL_SCHEMES else rest}"


def url_host(url: str, *, in_html: bool = True) -> str | None:
    """The host ``url`` makes a browser contact, lowercased; None when it names no host.

    None: paths on the page's own site (``/x``, ``x``, ``#top``, ``?q``) and addresses no
    browser fetches from a host (``data:``, ``mailto:``, ``javascript:``, ``file:``). A
    protocol-relative ``//host``, ``/\\host`` or ``\\\\host`` names a host. A host that cannot be
    read (``https://[::1``) is returned as written, so it is never taken for the site itself.
    """
    text = browser_url(url, in_html=in_html)
    scheme = _SCHEME_RE.match(text)
    if scheme is not None:
        if scheme.group(1) not in NETWORK_SCHEMES:
            return None
        rest = text[scheme.end() :]
    elif text.startswith("//"):
        rest = text
    else:
        return None
    # Any number of slashes may stand between the scheme and the host ("https:///host").
    rest = rest[_SLASHES_RE.match(rest).end() :]  # type: ignore[union-attr]
    end = _AUTHORITY_END_RE.search(rest)
    authority = rest[: end.start()] if end is not None else rest
    host = authority.rpartition("@")[2]
    if host.startswith("["):
        host = host[: host.find("]") + 1] if "]" in host else host
    else:
        host = host.partition(":")[0]
    host = unquote(host).lower()
    # "example.com." is example.com; a host of dots only ("//%2e") is no name, but still a host.
    return host.rstrip(".") or host or None


def css_unescape(text: str) -> str:
    """CSS escapes decoded (``\\68 ttps`` is ``https``, ``\\/`` is ``/``), as in ``url(…)``."""

    def decode(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            code = int(match.group(1), 16)
            return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
        return match.group(2) if match.group(2) != "\n" else ""

    return _CSS_ESCAPE_RE.sub(decode, text)
