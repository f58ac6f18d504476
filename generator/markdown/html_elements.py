"""The names of HTML's elements: what a ``<word>`` in a story must be to count as a tag."""

from __future__ import annotations

HTML_ELEMENTS = frozenset({
    "a", "abbr", "acronym", "address", "applet", "area", "article", "aside", "audio", "b",
    "base", "basefont", "bdi", "bdo", "big", "blink", "blockquote", "body", "br", "button",
    "canvas", "caption", "center", "cite", "code", "col", "colgroup", "data", "datalist", "dd",
    "del", "details", "dfn", "dialog", "dir", "div", "dl", "dt", "em", "embed", "fieldset",
    "figcaption", "figure", "font", "footer", "form", "frame", "frameset", "h1", "h2", "h3",
    "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "i", "iframe", "image", "img",
    "input", "ins", "isindex", "kbd", "keygen", "label", "legend", "li", "link", "listing",
    "main", "map", "mark", "marquee", "math", "menu", "menuitem", "meta", "meter", "nav",
    "nobr", "noembed", "noframes", "noscript", "object", "ol", "optgroup", "option", "output",
    "p", "param", "picture", "plaintext", "portal", "pre", "progress", "q", "rb", "rp", "rt",
    "rtc", "ruby", "s", "samp", "script", "search", "section", "select", "slot", "small",
    "source", "spacer", "span", "strike", "strong", "style", "sub", "summary", "sup", "svg",
    "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead", "time", "title",
    "tr", "track", "tt", "u", "ul", "var", "video", "wbr", "xmp",
    # SVG and MathML inside a pasted <svg> or <math>: removed with it, never shown as text
    "circle", "clippath", "defs", "desc", "ellipse", "foreignobject", "g", "line",
    "lineargradient", "marker", "mask", "mfrac", "mi", "mn", "mo", "mrow", "msqrt", "msub",
    "msup", "mtext", "path", "pattern", "polygon", "polyline", "radialgradient", "rect", "stop",
    "symbol", "text", "textpath", "tspan", "use",
})  # fmt: skip
"""Every element name HTML knows (old ones too, and SVG's and MathML's common ones). ``<Name>`` or ``<vorname.nachname>`` in a
story is none of them: it is text, and stays visible (GitHub drops it)."""
