"""Is an SVG safe to publish on the site's own origin? Decided by the parsed tree, not by bytes.

An SVG opened directly is a document like a web page: a script in it, an XSLT stylesheet that
writes one, or an event attribute runs with the site's cookies and storage. So an SVG is read
the way a browser reads it (its encoding from the byte-order mark or the XML declaration,
UTF-16 and UTF-32 included), parsed by expat with every DTD, entity and processing instruction
refused, and then judged by its elements and attributes: no script or event attributes, no
``<foreignObject>`` (HTML inside), no HTML or XSLT elements, and no reference to anything outside
the file (links other than ``#fragment`` and embedded raster pictures, CSS ``url()``, ``@import``).
"""

from __future__ import annotations

import codecs
import re
import xml.parsers.expat as expat

SVG_NS = "http://www.w3.org/2000/svg"
_FORBIDDEN_NS = {
    "http://www.w3.org/1999/xhtml": "an HTML",
    "http://www.w3.org/1999/XSL/Transform": "an XSLT",
    "http://www.w3.org/2001/xml-events": "an XML Events",
}
_FORBIDDEN = frozenset(
    {"script", "foreignobject", "iframe", "frame", "embed", "object", "applet",
     "handler", "listener", "base", "link", "meta"}
)  # fmt: skip
_ANIMATION = frozenset({"set", "animate", "animatemotion", "animatetransform", "animatecolor"})
_LINKS = frozenset({"href", "src", "action", "formaction", "data"})
_RASTER_DATA = re.compile(r"data:image/(?:png|jpeg|jpg|gif|webp|avif)[;,]", re.IGNORECASE)
_SAFE_ENCODINGS = {
    "utf-8": "utf-8", "utf8": "utf-8", "us-ascii": "utf-8", "ascii": "utf-8",
    "iso-8859-1": "latin-1", "latin-1": "latin-1", "latin1": "latin-1",
    "windows-1252": "cp1252", "cp1252": "cp1252",
}  # fmt: skip
"""Declared encodings of an ASCII-based file (markup is plain ASCII in each, so what the tree is
does not depend on which one a browser picks)."""
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_DECLARATION = re.compile(rb"""<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_CSS_COMMENT = re.compile(r"/\*.*?(?:\*/|\Z)", re.DOTALL)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n\r\f]?|\\(.)", re.DOTALL)
_CSS_URL = re.compile(r"url\(\s*(?:\"([^\"]*)\"|'([^']*)'|([^)]*))", re.IGNORECASE)
_CSS_LOADS = re.compile(
    r"@import|(?:-webkit-)?image-set\(|\bimage\(|cross-fade\(|\bsrc\(|expression\(|"
    r"-moz-binding|behavior\s*:",
    re.IGNORECASE,
)


class _Refused(Exception):
    pass


def svg_problem(data: bytes) -> str | None:
    """Why this SVG must not be published (in the author's words), or None when it is safe."""
    judge = _Judge()
    parser = expat.ParserCreate(encoding="UTF-8", namespace_separator=" ")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = judge.doctype
    parser.EntityDeclHandler = judge.entity
    parser.UnparsedEntityDeclHandler = judge.entity
    parser.ExternalEntityRefHandler = judge.external
    parser.ProcessingInstructionHandler = judge.instruction
    parser.StartElementHandler = judge.start
    parser.EndElementHandler = judge.end
    parser.CharacterDataHandler = judge.text
    try:
        parser.Parse(_decode(data).encode("utf-8"), True)
    except _Refused as refused:
        return str(refused)
    except expat.ExpatError as exc:
        return (
            f"the file is not a readable SVG image (line {exc.lineno}: "
            f"{expat.ErrorString(exc.code)})"
        )
    return None


def _decode(data: bytes) -> str:
    """The file's text as a browser decodes it; ``_Refused`` when that cannot be known."""
    encoding = None
    for bom, name in _BOMS:
        if data.startswith(bom):
            encoding, data = name, data[len(bom) :]
            break
    if encoding is None:
        head = data[:4]
        if head[:3] == b"\x00\x00\x00" and head[3:4] != b"\x00":
            encoding = "utf-32-be"
        elif head[1:4] == b"\x00\x00\x00" and head[:1] != b"\x00":
            encoding = "utf-32-le"
        elif head[:1] == b"\x00" and head[1:2] != b"\x00":
            encoding = "utf-16-be"
        elif head[1:2] == b"\x00" and head[:1] != b"\x00":
            encoding = "utf-16-le"
    if encoding is None:
        declared = _DECLARATION.match(data.lstrip()[:200])
        name = declared.group(1).decode("ascii").lower() if declared else "utf-8"
        encoding = _SAFE_ENCODINGS.get(name)
        if encoding is None:
            raise _Refused(
                f"the SVG is saved in the {name} encoding, which brandsite cannot check; "
                "save it as UTF-8"
            )
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise _Refused(
            f"the SVG is not saved correctly as {encoding.upper()}; save it again as UTF-8"
        ) from None


class _Judge:
    """expat's handlers: each raises ``_Refused`` at the first thing that is not allowed."""

    def __init__(self) -> None:
        self.seen_root = False
        self.style_depth = 0
        self.style = ""

    def doctype(self, *_: object) -> None:
        raise _Refused(
            "the SVG has a DOCTYPE, which can define entities or load other files; "
            "export it again without one"
        )

    def entity(self, *_: object) -> None:
        raise _Refused("the SVG defines entities, which can expand to gigabytes or load files")

    def external(self, *_: object) -> int:
        raise _Refused("the SVG refers to an external entity (another file)")

    def instruction(self, target: str, data: str) -> None:
        raise _Refused(
            f"the SVG has a processing instruction (<?{target} …?>), which can turn it "
            "into a page that runs script"
        )

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        namespace, _, name = tag.rpartition(" ")
        if not self.seen_root:
            self.seen_root = True
            if (namespace, name) != (SVG_NS, "svg"):
                raise _Refused(
                    f'the file is not an SVG image: it must start with <svg xmlns="{SVG_NS}">'
                )
        local = name.lower()
        if namespace in _FORBIDDEN_NS:
            raise _Refused(
                f"the SVG contains {_FORBIDDEN_NS[namespace]} element <{name}>, which could "
                "run code"
            )
        if local in _FORBIDDEN:
            raise _Refused(f"the SVG contains a <{name}> element, which could run code")
        for key, value in attributes.items():
            attribute = key.rpartition(" ")[2].lower()
            if attribute.startswith("on"):
                raise _Refused(
                    f"the SVG has an event attribute ({attribute}), which could run code"
                )
            if local in _ANIMATION and attribute == "attributename":
                target = value.strip().lower().rpartition(":")[2]
                if target in _LINKS or target.startswith("on"):
                    raise _Refused("the SVG animates a link or an event, which could run code")
            if attribute in _LINKS and not _inside_file(value):
                raise _Refused(
                    f"the SVG refers to another file or address (`{_short(value)}`); "
                    "only links within the SVG (`#…`) and embedded pictures are allowed"
                )
            if attribute == "style" or "url(" in value.lower():
                _check_css(value)
        if local == "style":
            self.style_depth += 1

    def end(self, tag: str) -> None:
        if tag.rpartition(" ")[2].lower() == "style" and self.style_depth:
            self.style_depth -= 1
            if not self.style_depth:
                _check_css(self.style)
                self.style = ""

    def text(self, data: str) -> None:
        if self.style_depth:
            self.style += data


def _check_css(css: str) -> None:
    """Refuse CSS that loads anything from outside the SVG (after comments and escapes)."""
    plain = _CSS_ESCAPE.sub(_unescape, _CSS_COMMENT.sub(" ", css))
    loads = _CSS_LOADS.search(plain)
    if loads:
        raise _Refused(
            f"the SVG's style uses `{loads.group().rstrip('(')}`, which loads other files"
        )
    for match in _CSS_URL.finditer(plain):
        target = next(group for group in match.groups() if group is not None)
        if not _inside_file(target):
            raise _Refused(
                f"the SVG's style refers to another file or address (`{_short(target)}`); "
                "only `url(#…)` and embedded pictures are allowed"
            )


def _unescape(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        code = int(match.group(1), 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return match.group(2)


def _inside_file(address: str) -> bool:
    """A link to a part of the same file, or a raster picture carried in the address itself."""
    value = address.strip(" \t\n\r\f\x00")
    return value.startswith("#") or bool(_RASTER_DATA.match(value))


def _short(value: str) -> str:
    shown = value.strip()
    return shown if len(shown) <= 60 else shown[:57] + "…"
