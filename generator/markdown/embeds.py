"""Click-to-load embeds: the Markdown syntax, the local placeholder, and the per-page CSP.

A story embeds a video or audio episode with one line of its own::

    @[youtube](https://www.youtube.com/watch?v=M7lc1UVf-VE "A night on the Skylark")
    @[vimeo](https://vimeo.com/76979871 "Blade inspection" poster=images/blade.jpg)
    @[spotify](https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk "Wavelight podcast #3")
    @[iframe](https://podcasts.example.com/player/42 "Our podcast, episode 42")

The page shows a local placeholder (title, provider, the poster picture when given, a notice
naming the provider, a link); ``embed.js`` adds a button that loads the player only on click.
Without JavaScript, and in feeds, the placeholder is a plain link.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from urllib.parse import parse_qs, urlencode, urlsplit

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor
from markdown.extensions import Extension
from markdown.util import AtomicString
from markupsafe import Markup

from ..errors import Diagnostic, did_you_mean, error

DEFAULT_CSP = Markup(
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-src 'none'"
)
"""The default theme's Content-Security-Policy: nothing from another host, no frames."""

SYNTAX = '@[youtube](https://www.youtube.com/watch?v=VIDEO_ID "Title" poster=images/poster.jpg)'
LINE_RE = re.compile(r"^ {0,3}@\[([^\]\n]*)\]\((.*)\)\s*$")
"""A line that means to be an embed (checked strictly by ``parse_embed``)."""
_ARGS_RE = re.compile(
    r"^\s*(?P<url>[^\s\"]+)"
    r"(?:\s+\"(?P<title>[^\"]*)\")?"
    r"(?:\s+poster=(?:\"(?P<quoted>[^\"]+)\"|(?P<poster>[^\s\"]+)))?\s*$"
)
_CONTAINER_RE = re.compile(r"^\s*(?:(?:>|[-*+]|\d{1,9}[.)])\s*)*")
_HOST_RE = re.compile(r"[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")
_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_SPOTIFY_TYPES = {"episode": 232, "show": 232, "track": 152, "album": 352, "playlist": 352}
_VIDEO_ALLOW = "autoplay; encrypted-media; fullscreen; picture-in-picture"
_AUDIO_ALLOW = "autoplay; clipboard-write; encrypted-media; fullscreen; picture-in-picture"

TEXTS = {
    "en": {
        "notice": "Playing it loads the player from {provider} ({host}), which may set cookies "
        "and learn that you visited this page.",
        "video": "Play video (loads {provider})",
        "audio": "Play audio (loads {provider})",
        "content": "Show content (loads {provider})",
        "link_video": "Watch on {provider}",
        "link_audio": "Listen on {provider}",
        "link_content": "Open on {provider}",
    },
    "de": {
        "notice": "Beim Abspielen wird der Player von {provider} ({host}) geladen; {provider} "
        "kann dann Cookies setzen und erfährt, dass Sie diese Seite besucht haben.",
        "video": "Video abspielen (lädt {provider})",
        "audio": "Audio abspielen (lädt {provider})",
        "content": "Inhalt anzeigen (lädt {provider})",
        "link_video": "Auf {provider} ansehen",
        "link_audio": "Auf {provider} anhören",
        "link_content": "Auf {provider} öffnen",
    },
}
"""Placeholder texts by language (the story's ``lang``); other languages get English."""


@dataclass(frozen=True)
class Embed:
    """One click-to-load player in a story."""

    provider: str
    """``youtube``, ``vimeo``, ``spotify`` or ``iframe``."""
    provider_name: str
    """Shown to visitors: ``YouTube``, ``Vimeo``, ``Spotify`` or the iframe's host."""
    kind: str
    """``video``, ``audio`` or ``content`` (decides the placeholder's shape and wording)."""
    title: str
    """What the visitor would load (the iframe's accessible name)."""
    player_url: str
    """The iframe's address, loaded only after the click."""
    link_url: str
    """The provider's own page, for visitors without JavaScript and for feeds."""
    frame_origin: str
    """``https://www.youtube-nocookie.com``: what the page's CSP must allow in ``frame-src``."""
    height: int = 0
    """Fixed player height in pixels for audio players; 0 for 16:9 video."""
    poster: str | None = None
    """Poster picture as written (relative to the story file), or None."""
    line: int = 0
    """Line in the source file."""

    @property
    def host(self) -> str:
        """Host the player loads from."""
        return urlsplit(self.frame_origin).hostname or ""


class EmbedError(ValueError):
    """An embed line that cannot be used; the message says why, ``hint`` how to fix it."""

    def __init__(self, code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.code, self.hint = code, hint


def parse_embed(line: str) -> Embed | None:
    """The embed on ``line``; None if the line is no embed; EmbedError if it is a broken one."""
    match = LINE_RE.match(line)
    if match is None:
        return None
    provider = match.group(1).strip().lower()
    args = _ARGS_RE.match(match.group(2))
    if args is None:
        raise EmbedError(
            "bad-embed",
            "this embed line cannot be read",
            f"write it as {SYNTAX} (the title in double quotes)",
        )
    url = args.group("url").strip("<>")
    title = (args.group("title") or "").strip()
    poster = args.group("quoted") or args.group("poster")
    parse = _PROVIDERS.get(provider)
    if parse is None:
        guess = did_you_mean(provider, _PROVIDERS)
        raise EmbedError(
            "unknown-embed-provider",
            f"unknown embed provider `{provider}`",
            (guess + " " if guess else "") + f"known providers: {', '.join(_PROVIDERS)}",
        )
    if not title:
        raise EmbedError(
            "embed-missing-title",
            "the embed has no title",
            'add what it is in double quotes after the address: (… "Our team on the vessel")',
        )
    return replace(parse(url, title), poster=poster)


def find_embeds(
    body: str, body_line: int, source: str
) -> tuple[tuple[Embed, ...], list[Diagnostic]]:
    """Every embed in a Markdown body (not in fenced code), with its file line; problems too."""
    embeds: list[Embed] = []
    problems: list[Diagnostic] = []
    fence: str | None = None
    for offset, line in enumerate(body.split("\n")):
        stripped = line.lstrip()
        if fence is None and stripped.startswith(("```", "~~~")):
            fence = stripped[:3]
            continue
        if fence is not None:
            if stripped.startswith(fence):
                fence = None
            continue
        # Embeds inside quotes, list items and their indented continuations count too (Markdown
        # renders them there); an indented code block with embed syntax is a rare false alarm.
        candidate = _CONTAINER_RE.sub("", line)
        try:
            embed = parse_embed(candidate)
        except EmbedError as exc:
            problems.append(error(source, body_line + offset, exc.code, str(exc), exc.hint))
            continue
        if embed is not None:
            embeds.append(replace(embed, line=body_line + offset))
    return tuple(embeds), problems


def content_security_policy(embeds: Iterable[Embed]) -> Markup:
    """The page's CSP: the default, with ``frame-src`` opened for exactly the embedded players.

    Safe to put in an attribute as it is: origins are ``https://`` and a checked host name.
    """
    origins = frame_origins(embeds)
    if not origins:
        return DEFAULT_CSP
    return Markup(DEFAULT_CSP.replace("frame-src 'none'", "frame-src " + " ".join(origins)))


def placeholder(embed: Embed, lang: str) -> etree.Element:
    """The local stand-in for a player: works without JavaScript, loads nothing from the provider."""
    texts = TEXTS.get(lang.split("-")[0].lower(), TEXTS["en"])
    name = embed.provider_name
    figure = etree.Element(
        "figure",
        {
            "class": f"embed embed--{embed.kind} embed--{embed.provider}",
            "data-embed-src": embed.player_url,
            "data-embed-title": embed.title,
            "data-embed-allow": _AUDIO_ALLOW if embed.kind == "audio" else _VIDEO_ALLOW,
            "data-embed-label": texts[embed.kind].format(provider=name),
        },
    )
    if embed.height:
        figure.set("data-embed-height", str(embed.height))
    stage = etree.SubElement(figure, "div", {"class": "embed__stage"})
    if embed.poster:
        etree.SubElement(stage, "img", {"class": "embed__poster", "src": embed.poster, "alt": ""})
    consent = etree.SubElement(stage, "div", {"class": "embed__consent"})
    notice = etree.SubElement(consent, "p", {"class": "embed__notice"})
    # Kept as written: the host named in the notice is no link to it.
    notice.text = AtomicString(texts["notice"].format(provider=name, host=embed.host))
    actions = etree.SubElement(consent, "p", {"class": "embed__actions"})
    link = etree.SubElement(actions, "a", {"class": "embed__link", "href": embed.link_url})
    link.text = texts[f"link_{embed.kind}"].format(provider=name)
    caption = etree.SubElement(figure, "figcaption", {"class": "embed__caption"})
    title = etree.SubElement(caption, "span", {"class": "embed__title"})
    title.text = embed.title
    provider = etree.SubElement(caption, "span", {"class": "embed__provider"})
    provider.text = name
    return figure


class EmbedExtension(Extension):
    """Python-Markdown extension: embed lines become placeholders (see ``placeholder``)."""

    def __init__(self, lang_of: Callable[[], str]) -> None:
        super().__init__()
        self.lang_of = lang_of

    def extendMarkdown(self, md: Markdown) -> None:
        """Register the block processor before paragraphs, after indented code."""
        md.parser.blockprocessors.register(_EmbedProcessor(md.parser, self.lang_of), "embed", 75)


class _EmbedProcessor(BlockProcessor):
    def __init__(self, parser: object, lang_of: Callable[[], str]) -> None:
        super().__init__(parser)  # type: ignore[arg-type]
        self.lang_of = lang_of

    def test(self, parent: etree.Element, block: str) -> bool:
        return block.lstrip(" ").startswith("@[") and bool(LINE_RE.match(block.split("\n")[0]))

    def run(self, parent: etree.Element, blocks: list[str]) -> bool | None:
        first, _, rest = blocks[0].partition("\n")
        try:
            embed = parse_embed(first)
        except EmbedError:
            embed = None  # reported by the check at file:line; shown as text meanwhile
        if embed is None:
            return False
        blocks.pop(0)
        parent.append(placeholder(embed, self.lang_of()))
        if rest.strip():
            blocks.insert(0, rest)
        return None


def _youtube(url: str, title: str) -> Embed:
    video, start = _youtube_id(url)
    if video is None:
        raise EmbedError(
            "bad-embed-url",
            f"`{url}` is not a YouTube video address",
            "copy the address from the browser: https://www.youtube.com/watch?v=VIDEO_ID",
        )
    query = {"autoplay": "1", **({"start": str(start)} if start else {})}
    return Embed(
        "youtube",
        "YouTube",
        "video",
        title,
        f"https://www.youtube-nocookie.com/embed/{video}?{urlencode(query)}",
        f"https://www.youtube.com/watch?v={video}" + (f"&t={start}s" if start else ""),
        "https://www.youtube-nocookie.com",
    )


def _youtube_id(url: str) -> tuple[str | None, int]:
    if _YOUTUBE_ID.fullmatch(url):
        return url, 0
    parts = urlsplit(url)
    host = (parts.hostname or "").removeprefix("www.").removeprefix("m.")
    query = parse_qs(parts.query)
    start = _seconds((query.get("t") or query.get("start") or [""])[0])
    segments = [s for s in parts.path.split("/") if s]
    candidate = None
    if host == "youtu.be" and segments:
        candidate = segments[0]
    elif host in ("youtube.com", "youtube-nocookie.com", "music.youtube.com"):
        if segments == ["watch"]:
            candidate = (query.get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "shorts", "live", "v"):
            candidate = segments[1]
    if parts.scheme not in ("http", "https") or not candidate:
        return None, 0
    return (candidate, start) if _YOUTUBE_ID.fullmatch(candidate) else (None, 0)


def _seconds(text: str) -> int:
    """``90``, ``90s``, ``1m30s``, ``1h2m3s`` → seconds; anything else → 0."""
    match = re.fullmatch(r"(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s?)?", text)
    if not text or match is None:
        return 0
    hours, minutes, seconds = (int(g or 0) for g in match.groups())
    return hours * 3600 + minutes * 60 + seconds


def _vimeo(url: str, title: str) -> Embed:
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    host = (parts.hostname or "").removeprefix("www.")
    video, private = None, None
    if url.isdigit():
        video = url
    elif host == "vimeo.com" and segments and segments[0].isdigit():
        video = segments[0]
        private = segments[1] if len(segments) > 1 and segments[1].isalnum() else None
    elif host == "player.vimeo.com" and segments[:1] == ["video"] and len(segments) > 1:
        video = segments[1] if segments[1].isdigit() else None
        private = next(iter(parse_qs(parts.query).get("h", [])), None)
    if video is None:
        raise EmbedError(
            "bad-embed-url",
            f"`{url}` is not a Vimeo video address",
            "copy the address from the browser: https://vimeo.com/123456789",
        )
    query = {**({"h": private} if private else {}), "dnt": "1", "autoplay": "1"}
    return Embed(
        "vimeo",
        "Vimeo",
        "video",
        title,
        f"https://player.vimeo.com/video/{video}?{urlencode(query)}",
        f"https://vimeo.com/{video}" + (f"/{private}" if private else ""),
        "https://player.vimeo.com",
    )


def _spotify(url: str, title: str) -> Embed:
    match = re.fullmatch(r"spotify:([a-z]+):([A-Za-z0-9]+)", url)
    if match:
        kind, item = match.groups()
    else:
        parts = urlsplit(url)
        segments = [s for s in parts.path.split("/") if s and not s.startswith("intl-")]
        if segments[:1] == ["embed"]:
            segments = segments[1:]
        ok = parts.hostname == "open.spotify.com" and len(segments) >= 2
        kind, item = (segments[0], segments[1]) if ok else ("", "")
    if kind not in _SPOTIFY_TYPES or not re.fullmatch(r"[A-Za-z0-9]+", item):
        raise EmbedError(
            "bad-embed-url",
            f"`{url}` is not a Spotify episode, show, track, album or playlist address",
            "use Share → Copy link in Spotify: https://open.spotify.com/episode/…",
        )
    return Embed(
        "spotify",
        "Spotify",
        "audio",
        title,
        f"https://open.spotify.com/embed/{kind}/{item}",
        f"https://open.spotify.com/{kind}/{item}",
        "https://open.spotify.com",
        height=_SPOTIFY_TYPES[kind],
    )


def _iframe(url: str, title: str) -> Embed:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        parts, port = urlsplit(""), None
    host = parts.hostname or ""
    if parts.scheme != "https" or not _HOST_RE.fullmatch(host) or parts.username is not None:
        raise EmbedError(
            "bad-embed-url",
            f"`{url}` is not an https:// address",
            "generic embeds need the player's full https:// address",
        )
    origin = f"https://{host}" + (f":{port}" if port else "")
    return Embed("iframe", host, "content", title, url, url, origin)


_PROVIDERS: dict[str, Callable[[str, str], Embed]] = {
    "youtube": _youtube,
    "vimeo": _vimeo,
    "spotify": _spotify,
    "iframe": _iframe,
}


def frame_origins(embeds: Iterable[Embed]) -> tuple[str, ...]:
    """The distinct player origins of ``embeds``, sorted."""
    return tuple(sorted({embed.frame_origin for embed in embeds}))
