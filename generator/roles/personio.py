"""Personio's public XML feed (``https://<company>.jobs.personio.de/xml``) → FeedRole records.

The feed is ``<workzag-jobs>`` with one ``<position>`` per role. XML is read with expat and
refuses any document type declaration: no entities can be declared, so none can expand (the
"billion laughs") or reach for a file on this machine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from xml.parsers import expat

from .feed import FeedProblem, FeedRole, feed_error, ordinal, parse_moment

ROOT_TAG = "workzag-jobs"
_ENDS_EARLY = frozenset({"no element found", "unclosed token"})
"""What expat says of a document that stops before its elements are closed."""


@dataclass
class _Element:
    """An XML element as far as the feed needs it (built while parsing, then only read)."""

    tag: str
    line: int
    text: list[str] = field(default_factory=list)
    children: list[_Element] = field(default_factory=list)

    def child(self, tag: str) -> _Element | None:
        return next((c for c in self.children if c.tag == tag), None)

    def value(self, tag: str) -> str:
        found = self.child(tag)
        return "".join(found.text).strip() if found is not None else ""


class _Refused(Exception):
    """The document declares a DTD or entities."""


def read_xml(data: bytes, source: str) -> _Element:
    """The root element of ``data``; FeedProblem when it is not well-formed or declares a DTD."""
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Element] = []
    roots: list[_Element] = []

    def refuse(*_: object) -> None:
        raise _Refused

    def refuse_external(*_: object) -> int:
        raise _Refused

    def start(tag: str, _attrs: dict[str, str]) -> None:
        element = _Element(tag, parser.CurrentLineNumber)
        (stack[-1].children if stack else roots).append(element)
        stack.append(element)

    def end(_tag: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            stack[-1].text.append(data)

    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.ExternalEntityRefHandler = refuse_external
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(data, True)
    except _Refused:
        raise FeedProblem(
            feed_error(
                source,
                parser.CurrentLineNumber,
                "the feed declares a document type (<!DOCTYPE …>), which a job feed never needs",
                "brandsite refuses such XML, as it can hide entities that expand without end; "
                "check that SOURCE is the Personio feed itself",
            )
        ) from None
    except expat.ExpatError as exc:
        reason = expat.ErrorString(exc.code) if exc.code is not None else str(exc)
        message = (
            f"the feed ends in the middle of its XML (line {exc.lineno})"
            if reason in _ENDS_EARLY and stack
            else f"the feed is not well-formed XML ({reason}, column {exc.offset + 1})"
        )
        raise FeedProblem(
            feed_error(
                source,
                exc.lineno,
                message,
                "the download may have been cut short; fetch the feed again",
            )
        ) from None
    return roots[0]


def parse_personio(data: bytes, source: str, board_url: str) -> tuple[FeedRole, ...]:
    """Every ``<position>`` of a Personio feed; FeedProblem on the first thing that is wrong.

    ``board_url`` is the company's Personio job site (``https://acme.jobs.personio.de``):
    the feed has no addresses, and a role's page there is ``<board_url>/job/<id>``.
    """
    root = read_xml(data, source)
    if root.tag != ROOT_TAG:
        raise FeedProblem(
            feed_error(
                source,
                root.line,
                f"the feed starts with <{root.tag}>, not <{ROOT_TAG}>: this is not a Personio feed",
                "use the address of the XML feed, https://<company>.jobs.personio.de/xml",
            )
        )
    roles = []
    positions = [c for c in root.children if c.tag == "position"]
    for index, position in enumerate(positions):
        roles.append(_role(position, index, source, board_url.rstrip("/")))
    return tuple(roles)


def _role(position: _Element, index: int, source: str, board: str) -> FeedRole:
    ident, title = position.value("id"), position.value("name")
    for tag, what in (("id", ident), ("name", title)):
        if not what:
            raise FeedProblem(
                feed_error(
                    source,
                    position.line,
                    f"the {ordinal(index)} <position> has no <{tag}>",
                    "every role in the feed needs an id and a name; check the role in Personio",
                )
            )
    created = parse_moment(position.value("createdAt"))
    if created is None:
        raise FeedProblem(
            feed_error(
                source,
                (position.child("createdAt") or position).line,
                f"the role {title!r} has no readable <createdAt> "
                f"({position.value('createdAt') or 'none'!r})",
                "Personio writes it as 2026-11-02T09:30:00+01:00",
            )
        )
    offices = [position.value("office")]
    extra = position.child("additionalOffices")
    offices += ["".join(o.text).strip() for o in extra.children] if extra is not None else []
    parts = []
    descriptions = position.child("jobDescriptions")
    for part in descriptions.children if descriptions is not None else []:
        heading, body = part.value("name"), part.value("value")
        if heading:
            parts.append(f"<h2>{_escape(heading)}</h2>")
        parts.append(body)
    url = f"{board}/job/{ident}"
    return FeedRole(
        ats_id=ident,
        title=title,
        department=position.value("department"),
        locations=tuple(dict.fromkeys(o for o in offices if o)),
        remote=False,
        types=tuple(
            word for word in (position.value("employmentType"), position.value("schedule")) if word
        ),
        posted=created,
        url=url,
        apply_url=url,
        description_html="\n".join(parts),
    )


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
