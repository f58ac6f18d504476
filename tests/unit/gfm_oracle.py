"""GitHub's renderer (cmark-gfm) as the oracle for brandsite's Markdown: block structure compared.

Both outputs become a tree of block elements, each with its text (inline markup, attributes and
whitespace ignored), so a list that stays a paragraph, code that falls apart or a ``~~`` left
over shows, while ``<em>`` vs ``<i>`` or an added ``rel`` does not.

Where brandsite means to differ from GitHub, the difference is listed in INTENDED_DIFFERENCES and
normalised here, in this one place, before the trees are compared.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

from generator.markdown.convert import SAFE_TAGS, MarkdownRenderer

INTENDED_DIFFERENCES = {
    "heading demotion": "the page title is the only h1: when a body has an h1, every heading "
    "moves down a level (h1 → h2 … h5 → h6); the oracle's headings are moved the same way",
    "raw-HTML policy": 'raw HTML is sanitised (markdown.html = "safe": nh3\'s allow-list); the '
    "oracle's tags outside SAFE_TAGS are taken away (their text stays; script, style, iframe "
    "and their content go), as nh3 does",
    "embeds": "an `@[youtube](…)` line is a click-to-load placeholder; GitHub shows a paragraph "
    "`@` + link; both become one `embed` block",
    "pictures": "images get src, srcset, sizes, width, height and loading set: attributes only, "
    "which the comparison ignores",
    "heading ids": "`## Team {#team}` gives the heading the id `team`; GitHub keeps `{#team}` as "
    "text, which is removed from the oracle's headings",
}
"""What brandsite does differently from GitHub on purpose, and how the comparison evens it out."""

BLOCKS = frozenset({
    "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre", "table",
    "thead", "tbody", "tr", "th", "td", "hr", "section", "div", "figure", "dl", "dt", "dd",
    "details", "summary",
})  # fmt: skip
_OWN_MARKUP = frozenset({"h1", "section", "input", "label", "figure", "sup"})
"""Tags brandsite's converter writes itself (the h1 it demotes, footnotes, task lists, embeds)."""
_DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "textarea", "noscript"})
_VOID = frozenset({"br", "img", "hr", "input", "wbr", "col", "meta", "link", "source"})
_SPACE_RE = re.compile(r"\s+")
_HEADING_ID_RE = re.compile(r"\s*\{#[A-Za-z][\w.:-]*\}$")
_EMBED_RE = re.compile(r"^@(youtube|vimeo|spotify|iframe)$")


@dataclass
class Block:
    """A block element: its name, its own text (collapsed), and the blocks inside it."""

    tag: str
    text: str = ""
    children: list[Block] = field(default_factory=list)
    classes: frozenset[str] = frozenset()
    links: int = 0

    def shape(self) -> tuple[object, ...]:
        """The comparable form: (tag, text, children's shapes)."""
        return (self.tag, self.text, tuple(child.shape() for child in self.children))


class _TreeBuilder(HTMLParser):
    def __init__(self, keep: frozenset[str] | None) -> None:
        super().__init__(convert_charrefs=True)
        self.keep = keep
        self.root = Block("root")
        self.stack = [self.root]
        self.texts: list[list[str]] = [[]]
        self.dropping = 0
        self.in_pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.dropping or (self.keep is not None and tag in _DROPPED_WITH_CONTENT):
            self.dropping += tag not in _VOID
            return
        if self.keep is not None and tag not in self.keep:
            return
        if tag == "a":
            self.stack[-1].links += 1
        if tag not in BLOCKS:
            return
        classes = frozenset((dict(attrs).get("class") or "").split())
        block = Block(tag, classes=classes)
        self._flush()
        self.stack[-1].children.append(block)
        if tag in _VOID:
            return
        self.stack.append(block)
        self.texts.append([])
        self.in_pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID and tag in BLOCKS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.dropping:
            self.dropping -= 1
            return
        if tag not in BLOCKS or not any(b.tag == tag for b in self.stack[1:]):
            return
        while self.stack[-1].tag != tag:  # close what the author left open
            self._pop()
        self._pop()

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.texts[-1].append(data)

    def _pop(self) -> None:
        self._flush()
        block = self.stack.pop()
        self.texts.pop()
        self.in_pre -= block.tag == "pre"

    def _flush(self) -> None:
        text = "".join(self.texts[-1])
        self.texts[-1] = []
        block = self.stack[-1]
        if block.tag == "pre":
            block.text += text.strip("\n")
            return
        joined = _SPACE_RE.sub(" ", f"{block.text} {text}").strip()
        block.text = joined


def block_tree(html: str, keep: frozenset[str] | None = None) -> Block:
    """The block tree of ``html``; with ``keep``, other tags are unwrapped as nh3 would."""
    builder = _TreeBuilder(keep)
    builder.feed(html)
    builder.close()
    while len(builder.stack) > 1:
        builder._pop()
    builder._flush()
    return builder.root


def _normalise(root: Block, oracle: bool) -> Block:
    """Apply INTENDED_DIFFERENCES (to the oracle where it is GitHub's side that moves)."""
    if oracle and any(b.tag == "h1" for b in _walk(root)):
        for block in _walk(root):
            if block.tag in {"h1", "h2", "h3", "h4", "h5"}:
                block.tag = f"h{int(block.tag[1]) + 1}"
    for block in _walk(root):
        if oracle and block.tag in {"h2", "h3", "h4", "h5", "h6", "h1"}:
            block.text = _HEADING_ID_RE.sub("", block.text)
        if oracle and block.tag == "p" and block.links == 1 and _EMBED_RE.match(block.text):
            block.tag, block.text = "embed", _EMBED_RE.match(block.text).group(1)  # type: ignore[union-attr]
        if not oracle and block.tag == "figure" and "embed" in block.classes:
            names = {c.removeprefix("embed--") for c in block.classes}
            provider = next(iter(names & {"youtube", "vimeo", "spotify", "iframe"}), "")
            block.tag, block.text, block.children = "embed", provider, []
        # An empty paragraph carries nothing either renderer shows.
        block.children = [c for c in block.children if c.tag != "p" or c.text or c.children]
    return root


def _walk(root: Block) -> list[Block]:
    found, todo = [], [root]
    while todo:
        block = todo.pop()
        found.append(block)
        todo.extend(block.children)
    return found


def strip_front_matter(text: str) -> str:
    """The document without a leading ``---`` YAML block (brandsite reads it, GitHub shows it)."""
    if text.startswith("---\n"):
        end = text.find("\n---\n", 4)
        if end >= 0:
            return text[end + 5 :]
    return text


def github_html(text: str) -> str:
    """cmark-gfm's HTML for ``text``: GitHub's extensions, footnotes, raw HTML passed through."""
    return cmarkgfm.github_flavored_markdown_to_html(
        text, options=Options.CMARK_OPT_FOOTNOTES | Options.CMARK_OPT_UNSAFE
    )


def brandsite_html(text: str) -> str:
    """brandsite's HTML for ``text`` as a story body (raw HTML sanitised)."""
    renderer = MarkdownRenderer(site_host="careers.example.com", html="safe")
    return str(renderer.convert(text, "content/stories/fixture.md"))


def compare(text: str) -> tuple[tuple[object, ...], tuple[object, ...]]:
    """(brandsite's shape, GitHub's shape) of the Markdown ``text``, normalised."""
    ours = _normalise(block_tree(brandsite_html(text)), oracle=False)
    theirs = _normalise(block_tree(github_html(text), SAFE_TAGS | _OWN_MARKUP), oracle=True)
    return ours.shape(), theirs.shape()
