"""Social-network embed snippets pasted as HTML: found, with the line to write instead.

Copying "Embed" on YouTube, X (Twitter) or Instagram gives an ``<iframe>`` or a ``<blockquote>``
with a ``<script>``. Neither scripts nor frames ever reach a page (the sanitiser removes them),
so each snippet is a warning at its line: with brandsite's own ``@[youtube](…)`` line where
``embeds`` supports the provider, else saying what is removed and suggesting a link. Code
(fenced, indented, `` `spans` ``) is left alone: there they are examples.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..errors import Diagnostic, warning
from .embeds import EmbedError, parse_embed
from .foreign_markup import TITLE, _prose_lines

_TAG_RE = re.compile(r"<(iframe|blockquote|script)\b([^<>]*)>", re.IGNORECASE)
_ATTRIBUTE_RE = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))""")
_POST_URL_RE = re.compile(
    r"https://(?:www\.)?(?:twitter\.com|x\.com|instagram\.com|tiktok\.com)/[^\s\"'<>]+"
)
_CLOSE_RE = re.compile(r"</blockquote\s*>", re.IGNORECASE)
NETWORKS = {
    "twitter-tweet": ("X (Twitter)", "platform.twitter.com"),
    "twitter-video": ("X (Twitter)", "platform.twitter.com"),
    "instagram-media": ("Instagram", "instagram.com"),
    "tiktok-embed": ("TikTok", "tiktok.com"),
}
"""Blockquote class → (network, where its script comes from)."""
PROVIDERS = {
    "youtube.com": "youtube",
    "youtube-nocookie.com": "youtube",
    "youtu.be": "youtube",
    "vimeo.com": "vimeo",
    "spotify.com": "spotify",
}
"""Host (without ``www.``/``player.``/``open.``) → the ``embeds`` provider that plays it."""
_GENERIC_TITLE_RE = re.compile(r"(?i)\b(?:video player|player|embed)\b")
SNIPPET_CHARACTERS = 2_000
"""How far after its ``<blockquote`` a post's link is looked for (a tweet's snippet is ~600
characters; a bound keeps many posts linear)."""
_NAMES = {"youtube": "YouTube", "vimeo": "Vimeo", "spotify": "Spotify"}


@dataclass(frozen=True)
class Snippet:
    """One pasted embed: where, and the warning's text."""

    line: int
    """0-based line in the body."""
    col: int
    message: str
    hint: str


def html_embed_warnings(body: str, body_line: int, source: str) -> list[Diagnostic]:
    """A warning for every pasted iframe, social-network blockquote or script outside code."""
    return [
        warning(source, body_line + s.line, "html-embed", s.message, s.hint, col=s.col + 1)
        for s in find_html_embeds(body)
    ]


def find_html_embeds(body: str) -> list[Snippet]:
    """Every embed snippet in ``body`` outside code, in order."""
    if "<" not in body:
        return []
    starts = [0]  # where each line begins in ``body``
    for line in body.split("\n")[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    found: list[Snippet] = []
    networks: set[str] = set()  # a post's script says nothing new after its quote
    for number, text in _prose_lines(body):
        for match in _TAG_RE.finditer(text):
            tag, attrs = match.group(1).lower(), _attributes(match.group(2))
            if tag == "iframe":
                found.append(_iframe(number, match.start(), attrs))
            elif tag == "blockquote":
                classes = set(attrs.get("class", "").split())
                network = next((NETWORKS[c] for c in sorted(classes) if c in NETWORKS), None)
                if network is not None:
                    at = starts[number] + match.start()
                    rest = body[at : at + SNIPPET_CHARACTERS]
                    snippet = _post(number, match.start(), network[0], attrs, rest)
                    found.append(snippet)
                    networks.add(network[1])
            else:
                src = attrs.get("src", "")
                if not any(host in src for host in networks):
                    found.append(_script(number, match.start(), src))
    return found


def _attributes(text: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for match in _ATTRIBUTE_RE.finditer(text):
        value = next((g for g in match.groups()[1:] if g is not None), "")
        found.setdefault(match.group(1).lower(), html.unescape(value))
    return found


def _iframe(line: int, col: int, attrs: dict[str, str]) -> Snippet:
    src = attrs.get("src", "")
    title = " ".join(attrs.get("title", "").replace('"', "'").split())
    if not title or _GENERIC_TITLE_RE.search(title):
        title = TITLE  # "YouTube video player", "vimeo-player", "Spotify Embed: …"
    host = (urlsplit(src).hostname or "").lower() if src.startswith("https://") else ""
    bare = re.sub(r"^(?:www\.|m\.|player\.|open\.)", "", host)
    provider = PROVIDERS.get(bare)
    name = _NAMES.get(provider or "")
    player = f"a {name} player" if name else f"a player from {host}" if host else "a player"
    message = f"{player} pasted as HTML (`<iframe>`) is removed from the page"
    for kind in (provider, "iframe") if host else ():
        if kind is None:
            continue
        try:
            embed = parse_embed(f'@[{kind}]({src} "{title}")')
        except EmbedError:
            continue
        if embed is not None:
            address = src if kind == "iframe" else embed.link_url
            hint = f'write brandsite\'s embed line instead, alone on its line: @[{kind}]({address} "{title}")'
            return Snippet(line, col, message, hint)
    return Snippet(
        line,
        col,
        message,
        "link to it instead: [what it shows](https://…), or ask for the player as an "
        "`@[…](…)` embed line (README: videos and podcasts)",
    )


def _post(line: int, col: int, network: str, attrs: dict[str, str], rest: str) -> Snippet:
    close = _CLOSE_RE.search(rest)
    inside = rest[: close.end()] if close else rest
    url = attrs.get("data-instgrm-permalink") or attrs.get("cite") or ""
    if not url:
        urls = _POST_URL_RE.findall(inside)
        url = urls[-1] if urls else ""
    link = f"[the post on {network}]({url.split('?')[0] or 'https://…'})"
    return Snippet(
        line,
        col,
        f"an embedded {network} post is shown as a plain quote: its script is removed",
        f"brandsite cannot embed {network} posts; keep the quoted text, or replace the snippet "
        f"with a link: {link}",
    )


def _script(line: int, col: int, src: str) -> Snippet:
    shown = f" (`{src}`)" if src and len(src) <= 60 else ""
    return Snippet(
        line,
        col,
        f"a script{shown} is removed from the page: stories cannot run programs",
        "remove it; for a video or podcast use brandsite's embed line, e.g. "
        '@[youtube](https://www.youtube.com/watch?v=VIDEO_ID "What it shows")',
    )
