"""Markup from other site generators that brandsite would publish as text: found, with the fix.

Stories often move over from Jekyll or Hugo with Liquid tags (``{% include … %}``,
``{{ site.baseurl }}``), Hugo shortcodes (``{{< youtube … >}}``) or kramdown attribute lists
(``{:target="_blank"}``) in them. None of these mean anything here, so each is a warning at its
line, saying what to write instead (for videos and podcasts: brandsite's own embed line).
Code (fenced blocks, indented blocks, `` `spans` ``) is left alone: there they are examples.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ..errors import Diagnostic, warning

_HUGO_RE = re.compile(r"\{\{([<%])\s*(/?)\s*([\w.-]*)(.*?)\s*[>%]\}\}")
_LIQUID_TAG_RE = re.compile(r"\{%-?\s*(\w*)(.*?)-?%\}")
_LIQUID_OUTPUT_RE = re.compile(r"\{\{-?\s*(.+?)\s*-?\}\}")
_KRAMDOWN_RE = re.compile(r"\{:\s*([^{}\n]*)\}")
_CODE_SPAN_RE = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)")
_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_LIST_RE = re.compile(r"^ {0,3}(?:[-*+]|\d{1,9}[.)])(?: |$)")
_ARG_RE = re.compile(r'(\w+)\s*=\s*"([^"]*)"|(\w+)\s*=\s*(\S+)|"([^"]*)"|(\S+)')
_SHOWN = 60
"""Longest piece of markup quoted in a message."""

TITLE = "What it shows"
"""Placeholder title in suggested embed lines (the author replaces it)."""


@dataclass(frozen=True)
class Found:
    """One piece of foreign markup: where, what kind, and the fix."""

    line: int
    """0-based line in the body."""
    col: int
    """0-based column."""
    code: str
    message: str
    hint: str


def foreign_markup_warnings(body: str, body_line: int, source: str) -> list[Diagnostic]:
    """A warning for every Liquid tag, Hugo shortcode or kramdown attribute list outside code."""
    return [
        warning(source, body_line + f.line, f.code, f.message, f.hint, col=f.col + 1)
        for f in find_foreign_markup(body)
    ]


def find_foreign_markup(body: str) -> list[Found]:
    """Every piece of foreign markup in ``body`` outside code, in order."""
    found: list[Found] = []
    for number, text in _prose_lines(body):
        taken: list[tuple[int, int]] = []
        for pattern, describe in _KINDS:
            for match in pattern.finditer(text):
                if any(start <= match.start() < end for start, end in taken):
                    continue  # ``{{< … >}}`` is not also a Liquid ``{{ … }}``
                taken.append(match.span())
                code, message, hint = describe(match)
                found.append(Found(number, match.start(), code, message, hint))
    return sorted(found, key=lambda f: (f.line, f.col))


def _prose_lines(body: str) -> Iterator[tuple[int, str]]:
    """(0-based line, text) of the lines that are not code; code spans blanked out."""
    fence: str | None = None
    previous_blank, in_list = True, False
    for number, line in enumerate(body.split("\n")):
        opened = _FENCE_RE.match(line)
        if fence is not None:
            if opened is not None and opened.group(1).startswith(fence):
                fence = None
            continue
        if opened is not None:
            fence = opened.group(1)[0] * len(opened.group(1))
            continue
        if not line.strip():
            previous_blank = True
            continue
        indented = line.startswith("    ") or line.startswith("\t")
        if indented and previous_blank and not in_list:
            continue  # an indented code block
        if not indented:
            in_list = bool(_LIST_RE.match(line))
        previous_blank = False
        yield number, _CODE_SPAN_RE.sub(lambda m: " " * len(m.group()), line)


def _shown(text: str) -> str:
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _hugo(match: re.Match[str]) -> tuple[str, str, str]:
    closing, name, args = match.group(2), match.group(3).lower(), match.group(4)
    message = f"`{_shown(match.group())}` is a Hugo shortcode, which would show as text"
    embed = None if closing else _embed_for(name, _arguments(args))
    if embed is not None:
        return "hugo-shortcode", message, f"write brandsite's embed line instead: {embed}"
    if name == "figure" and not closing:
        named = _arguments(args)[0]
        alt = named.get("alt") or named.get("title") or named.get("caption") or "description"
        picture = f"![{alt}]({named.get('src', 'images/picture.jpg')})"
        return "hugo-shortcode", message, f"write the picture as Markdown: {picture}"
    return (
        "hugo-shortcode",
        message,
        "remove it, or write what it stood for as Markdown (text, a link, a picture)",
    )


def _arguments(text: str) -> tuple[dict[str, str], list[str]]:
    """A shortcode's named (``id="x"``) and positional arguments."""
    named: dict[str, str] = {}
    positional: list[str] = []
    for match in _ARG_RE.finditer(text):
        if match.group(1):
            named[match.group(1).lower()] = match.group(2)
        elif match.group(3):
            named[match.group(3).lower()] = match.group(4)
        else:
            positional.append(match.group(5) if match.group(5) is not None else match.group(6))
    return named, positional


def _embed_for(name: str, arguments: tuple[dict[str, str], list[str]]) -> str | None:
    """The ``@[provider](…)`` line for a youtube, vimeo or spotify shortcode, if it has an id."""
    named, positional = arguments
    item = named.get("id") or (positional[0] if positional else "")
    title = named.get("title") or TITLE
    if not item:
        return None
    if name == "youtube":
        url = f"https://www.youtube.com/watch?v={item}"
    elif name == "vimeo":
        url = f"https://vimeo.com/{item}"
    elif name == "spotify":
        kind = named.get("type") or (positional[1] if len(positional) > 1 else "episode")
        url = f"https://open.spotify.com/{kind}/{item}"
    else:
        return None
    return f'@[{name}]({url} "{title}")'


def _liquid_tag(match: re.Match[str]) -> tuple[str, str, str]:
    name = match.group(1).lower()
    message = f"`{_shown(match.group())}` is a Liquid tag (Jekyll), which would show as text"
    if name in {"highlight", "endhighlight"}:
        hint = "put the code between two lines of three backticks: ```ruby … ```"
    elif name in {"raw", "endraw"}:
        hint = "remove it: nothing here reads `{{` or `{%`, so nothing needs protecting"
    elif name in {"link", "post_url"}:
        hint = "link to the story by its address: [text](/stories/its-slug/)"
    else:
        hint = "remove it, or write what it produced as Markdown (text, a link, a picture)"
    return "liquid-markup", message, hint


def _liquid_output(match: re.Match[str]) -> tuple[str, str, str]:
    variable = match.group(1).strip()
    message = f"`{_shown(match.group())}` is a Liquid variable (Jekyll), which would show as text"
    if variable.replace(" ", "") in {"site.baseurl", "site.url", "site.url}}{{site.baseurl"}:
        hint = "leave it out: write the address from the site's root (`/stories/…`) or in full"
    else:
        hint = "write the text it stood for"
    return "liquid-markup", message, hint


def _kramdown(match: re.Match[str]) -> tuple[str, str, str]:
    inside = match.group(1)
    message = f"`{_shown(match.group())}` is a kramdown attribute list, which would show as text"
    if "target" in inside:
        hint = "remove it: links open in the same tab here, and other sites' links get a safe rel"
    elif inside.strip().startswith("#") and " " not in inside.strip():
        hint = f"for a heading's id write `{{{inside.strip()}}}` at the end of the heading line"
    else:
        hint = "remove it: classes and attributes are set by the theme, not in the story"
    return "kramdown-attributes", message, hint


_KINDS = (
    (_HUGO_RE, _hugo),
    (_LIQUID_TAG_RE, _liquid_tag),
    (_LIQUID_OUTPUT_RE, _liquid_output),
    (_KRAMDOWN_RE, _kramdown),
)
