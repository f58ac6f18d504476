"""The shape of a template read with Jinja's own lexer and parser: unclosed tags and extends circles.

Jinja reports a missing ``{% endif %}`` where it gives up (the next ``{% endblock %}``, or the end of
the file); these functions find where the problem starts instead. They read tokens, never the raw
text, so tags inside ``{% raw %}``, comments and strings do not count.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import jinja2
from jinja2 import nodes

from ..errors import closest

OPENERS = frozenset({"if", "for", "block", "macro", "call", "filter", "with", "autoescape", "set"})
"""Tags that need an ``{% end… %}`` (``set`` only in its block form, without ``=``)."""
MIDDLES = {"elif": {"if"}, "else": {"if", "for"}}
"""Tags that only make sense directly inside one of these openers."""
SINGLES = frozenset({"extends", "include", "import", "from", "print", "do", "break", "continue"})


@dataclass(frozen=True)
class Tag:
    """One ``{% … %}`` tag as written."""

    name: str
    line: int
    text: str
    """The whole tag, e.g. ``{% if story.role %}``."""


@dataclass(frozen=True)
class TagProblem:
    """The first place where the tags of a template do not fit together.

    ``opened`` without ``found``: the template ends while ``opened`` is still open.
    ``opened`` with ``found``: ``found`` closes something outside ``opened``, which is never closed.
    ``found`` alone: a tag that closes nothing, or one Jinja does not know (``unknown``).
    """

    opened: Tag | None
    found: Tag | None
    unknown: bool = False
    suggestion: str | None = None
    """For an unknown tag: the tag it was probably meant to be."""

    @property
    def line(self) -> int:
        """Where the problem starts: the unknown tag, else the unclosed one, else the tag at fault."""
        tag = self.found if self.unknown else self.opened or self.found
        return tag.line if tag else 0


def tag_problem(env: jinja2.Environment, source: str) -> TagProblem | None:
    """The first unclosed, stray or unknown tag of ``source``; None when the tags fit together."""
    known = OPENERS | SINGLES | set(MIDDLES) | {f"end{name}" for name in OPENERS}
    for extension in env.extensions.values():
        known |= set(extension.tags)
    open_tags: list[Tag] = []
    try:
        for tag, assigns in _tags(env, source):
            if tag.name in OPENERS and not (tag.name == "set" and assigns):
                open_tags.append(tag)
            elif tag.name.startswith("end") and tag.name[3:] in OPENERS:
                wanted = tag.name[3:]
                if open_tags and open_tags[-1].name == wanted:
                    open_tags.pop()
                elif any(t.name == wanted for t in open_tags):
                    return TagProblem(open_tags[-1], tag)
                else:
                    return TagProblem(None, tag)
            elif tag.name in MIDDLES:
                if open_tags and open_tags[-1].name in MIDDLES[tag.name]:
                    continue
                if any(t.name in MIDDLES[tag.name] for t in open_tags):
                    return TagProblem(open_tags[-1], tag)
                return TagProblem(None, tag)
            elif tag.name not in known:
                expected = [f"end{open_tags[-1].name}"] if open_tags else []
                guess = closest(tag.name, expected) or closest(tag.name, known)
                return TagProblem(open_tags[-1] if open_tags else None, tag, True, guess)
    except jinja2.TemplateSyntaxError:
        return None  # the lexer itself gave up (an unclosed string or {{): Jinja's words fit
    return TagProblem(open_tags[-1], None) if open_tags else None


def _tags(env: jinja2.Environment, source: str) -> Iterator[tuple[Tag, bool]]:
    """Every ``{% … %}`` tag in order, and whether it assigns with ``=``."""
    tokens = list(env.lex(source))
    index = 0
    while index < len(tokens):
        line, kind, _ = tokens[index]
        if kind != "block_begin":
            index += 1
            continue
        end = index
        while end < len(tokens) and tokens[end][1] != "block_end":
            end += 1
        inside = [t for t in tokens[index + 1 : end] if t[1] != "whitespace"]
        text = "".join(t[2] for t in tokens[index : end + 1]).strip()
        if inside and inside[0][1] == "name":
            assigns = any(t[1] == "operator" and t[2] == "=" for t in inside)
            yield Tag(inside[0][2], line, _tidy(text)), assigns
        index = end + 1


def _tidy(text: str) -> str:
    """``{%- if x -%}`` → ``{% if x %}``: how people name the tag."""
    body = text.removeprefix("{%").removesuffix("%}").strip("-+ \n\t")
    return "{% " + " ".join(body.split()) + " %}"


def tokens_on_line(env: jinja2.Environment, source: str, line: int) -> list[tuple[str, str]]:
    """(kind, value) of the tokens on ``line``, whitespace left out; [] when it does not lex."""
    try:
        return [
            (kind, value)
            for n, kind, value in env.lex(source)
            if n == line and kind != "whitespace"
        ]
    except jinja2.TemplateSyntaxError:
        return []


def expression_of(tokens: Sequence[tuple[str, str]], name: str, owned: bool) -> str | None:
    """The dotted expression on a line that ends in ``name`` (``story.image.url``), if any.

    ``owned`` is False for a name looked up on its own (``stroy``), True for ``x.name``/``x['name']``.
    """
    for index, (kind, value) in enumerate(tokens):
        if kind == "name" and value == name:
            before = tokens[index - 1] if index else ("", "")
            if owned != (before == ("operator", ".")):
                continue
            if not owned:
                return name
            return _walk_back(tokens, index - 1) + "." + name
        if (
            owned
            and kind == "string"
            and _unquote(value) == name
            and index
            and tokens[index - 1] == ("operator", "[")
        ):
            return _walk_back(tokens, index - 1) + f"[{value}]"
    return None


def _walk_back(tokens: Sequence[tuple[str, str]], index: int) -> str:
    """The ``a.b['c']`` that ends just before ``tokens[index]`` (a ``.`` or ``[``)."""
    parts: list[str] = []
    while index > 0:
        kind, value = tokens[index - 1]
        if kind == "name":
            parts.append(value)
            index -= 1
            if index > 0 and tokens[index - 1] == ("operator", "."):
                parts.append(".")
                index -= 1
                continue
            break
        subscript = tokens[index - 3 : index]
        if (
            len(subscript) == 3
            and subscript[0] == ("operator", "[")
            and subscript[1][0] in ("string", "integer")
            and subscript[2] == ("operator", "]")
        ):
            parts.append(f"[{subscript[1][1]}]")
            index -= 3
            continue
        break
    return "".join(reversed(parts))


def _unquote(value: str) -> str:
    return value[1:-1] if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"" else value


@dataclass(frozen=True)
class Extends:
    """One step of an extends chain: template ``name`` (file ``filename``) extends at ``line``."""

    name: str
    filename: str
    line: int


def extends_circle(env: jinja2.Environment, start: str) -> list[Extends] | None:
    """The templates that extend each other in a circle on the way up from ``start``, if any.

    Only names written as text are followed (``{% extends "base.html" %}``): a name computed
    while rendering cannot be known before.
    """
    assert env.loader is not None
    chain: list[Extends] = []
    name = start
    while True:
        try:
            source, filename, _ = env.loader.get_source(env, name)
            tree = env.parse(source)
        except jinja2.TemplateError:
            return None
        filename = filename or name
        for number, step in enumerate(chain):
            if step.filename == filename:
                return chain[number:]
        parent = next((n for n in tree.body if isinstance(n, nodes.Extends)), None)
        if parent is None or not isinstance(parent.template, nodes.Const):
            return None
        chain.append(Extends(name, filename, parent.lineno))
        name = str(parent.template.value)


def names_defined_in(env: jinja2.Environment, source: str) -> set[str]:
    """Names a template gives itself: ``set``, ``for`` loop variables, macros and imports."""
    try:
        tree = env.parse(source)
    except jinja2.TemplateError:
        return set()
    names = {n.name for n in tree.find_all(nodes.Name) if n.ctx in ("store", "param")}
    names |= {n.name for n in tree.find_all(nodes.Macro)}
    names |= {n.target for n in tree.find_all(nodes.Import)}
    for imported in tree.find_all(nodes.FromImport):
        names |= {alias if isinstance(alias, str) else alias[1] for alias in imported.names}
    return names
