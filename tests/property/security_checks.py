"""What "no script survives" means, checked the way a browser reads the page (html5lib).

Shared by the property tests and the unit tests (which add this folder to ``sys.path``).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as etree

import html5lib

URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "action", "formaction", "poster", "background", "cite", "data",
     "ping", "xlink:href", "data-embed-src"}
)  # fmt: skip
"""Attributes a browser (or the theme's embed.js) loads or follows."""
FORBIDDEN_TAGS = frozenset({"iframe", "frame", "object", "embed", "applet", "base", "form"})
_CONTROL = re.compile(r"[\x00-\x20]")
_BAD_SCHEMES = ("javascript:", "vbscript:", "data:")
THEME_SCRIPTS = re.compile(r"^(/[a-z0-9/_-]*)?/assets/[a-z0-9_-]+\.[0-9a-f]{8}\.js$")
"""The only script files a page may load: the theme's own hashed static files."""


def bad_url(value: str) -> bool:
    """True when a browser would run or inline ``value`` (after its own clean-up)."""
    text = _CONTROL.sub("", value).lower()
    if text.startswith("data:image/") and not text.startswith("data:image/svg"):
        return False
    return text.startswith(_BAD_SCHEMES)


def theme_form(tag: str, attributes: dict[str, str]) -> bool:
    """The default theme's Mastodon share form: it sends nothing itself (no action, no method;
    its own script reads it), and content can never make one (the sanitiser drops forms)."""
    return (
        tag == "form"
        and "data-share-mastodon" in attributes
        and not {"action", "method", "target"} & {str(n).lower() for n in attributes}
    )


def unsafe_html(html: str) -> list[str]:
    """Every way ``html`` could run script, as readable strings (empty when there is none)."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    found: list[str] = []
    for element in document.iter():
        if not isinstance(element.tag, str):
            continue  # comments
        tag = element.tag.rpartition("}")[2].lower()
        if tag == "script":
            kind = (element.get("type") or "").lower()
            if kind == "application/ld+json":
                json.loads(element.text or "null")  # a data block that parses as JSON
                if "</" in (element.text or ""):
                    found.append("JSON-LD that closes its script element")
            elif not (THEME_SCRIPTS.match(element.get("src") or "") and not element.text):
                found.append(f"<script> {element.attrib} {element.text!r:.60}")
        if tag in FORBIDDEN_TAGS and not theme_form(tag, element.attrib):
            found.append(f"<{tag}> {element.attrib}")
        if tag == "meta" and (element.get("http-equiv") or "").lower() == "refresh":
            found.append("<meta http-equiv=refresh>")
        for name, value in element.attrib.items():
            local = str(name).rpartition("}")[2].lower()
            if local.startswith("on"):
                found.append(f"<{tag} {local}=…> event attribute")
            elif local in URL_ATTRIBUTES or str(name).endswith("}href"):
                urls = value.split(",") if local == "srcset" else [value]
                if any(bad_url(url.strip()) for url in urls):
                    found.append(f"<{tag} {local}={value!r:.60}>")
            elif local == "style" and ("expression(" in value or "url(" in value.lower()):
                found.append(f"<{tag} style={value!r:.60}>")
    return found


def unsafe_feed(xml: str) -> list[str]:
    """The same check for a feed: it must parse as XML, and each item's HTML must be safe."""
    root = etree.fromstring(xml.encode("utf-8"))
    found: list[str] = []
    encoded = "{http://purl.org/rss/1.0/modules/content/}encoded"
    for element in root.iter():
        if element.tag == encoded:
            found += unsafe_html(element.text or "")
        elif element.tag in {"link", "guid", "{http://www.w3.org/2005/Atom}link"} and bad_url(
            element.text or element.get("href") or ""
        ):
            found.append(f"<{element.tag}> {element.text or element.get('href')}")
    return found
