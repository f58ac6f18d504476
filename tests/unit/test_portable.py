"""``build --portable``: every internal reference relative and ending in a file, nothing else changed."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import REPO, SITE_TOML, brandsite, run_build, story, write_site
from generator.site.portable import (
    PortableReport,
    portable_url,
    rewrite_css,
    rewrite_file,
    rewrite_html,
)
from generator.site.references import css_url_spans, scan_attributes, srcset_spans

FILES = frozenset(
    {
        "index.html",
        "404.html",
        "feed.xml",
        "stories/index.html",
        "stories/page/2/index.html",
        "stories/anna/index.html",
        "values/care/index.html",
        "assets/style.css",
        "assets/logo.svg",
        "media/x.jpg",
        "media/x-400w.webp",
        "media/x-800w.webp",
        "media/a b.jpg",
        "media/caf\u00e9.jpg",
        "a:b.html",
    }
)

# (page, reference as written, reference in the portable copy; None = points at nothing)
URL_CASES = [
    # root-relative links to folders become folder/index.html relative to the page's folder
    ("index.html", "/", "index.html"),
    ("index.html", "/stories/", "stories/index.html"),
    ("index.html", "/stories/anna/", "stories/anna/index.html"),
    ("stories/anna/index.html", "/", "../../index.html"),
    ("stories/anna/index.html", "/stories/", "../index.html"),
    ("stories/anna/index.html", "/stories/anna/", "index.html"),
    ("stories/anna/index.html", "/values/care/", "../../values/care/index.html"),
    ("stories/page/2/index.html", "/stories/", "../../index.html"),
    ("stories/page/2/index.html", "/assets/style.css", "../../../assets/style.css"),
    # a folder named without its slash
    ("stories/index.html", "/stories/anna", "anna/index.html"),
    # relative links are resolved against the page, then written the same way
    ("stories/index.html", "anna/", "anna/index.html"),
    ("stories/anna/index.html", "../", "../index.html"),
    ("stories/anna/index.html", "./", "index.html"),
    ("stories/anna/index.html", ".", "index.html"),
    ("stories/anna/index.html", "../../media/x.jpg", "../../media/x.jpg"),
    ("stories/anna/index.html", "../.././stories/../media/x.jpg", "../../media/x.jpg"),
    # files and assets
    ("index.html", "/assets/style.css", "assets/style.css"),
    ("index.html", "/feed.xml", "feed.xml"),
    ("404.html", "/media/x.jpg", "media/x.jpg"),
    ("assets/style.css", "/media/x.jpg", "../media/x.jpg"),
    # queries and fragments are kept as written
    ("index.html", "/stories/?page=2", "stories/index.html?page=2"),
    ("stories/index.html", "/stories/anna/#top", "anna/index.html#top"),
    ("index.html", "/stories/anna?x=1#a", "stories/anna/index.html?x=1#a"),
    ("index.html", "/media/x.jpg#frag?not-a-query", "media/x.jpg#frag?not-a-query"),
    # escaped names are looked up decoded and written escaped
    ("index.html", "/media/a%20b.jpg", "media/a%20b.jpg"),
    ("index.html", "/media/caf%C3%A9.jpg", "media/caf%C3%A9.jpg"),
    ("stories/index.html", "/media/caf\u00e9.jpg", "../media/caf%C3%A9.jpg"),
    ("index.html", "/a:b.html", "./a:b.html"),  # "a:" must not read as a scheme
    ("stories/index.html", "/a:b.html", "../a:b.html"),
    # surrounding white space (browsers ignore it) stays where it was
    ("index.html", " /stories/\n", " stories/index.html\n"),
    # not references into the site: untouched
    ("index.html", "", ""),
    ("index.html", "#main", "#main"),
    ("index.html", "?page=2", "?page=2"),
    (
        "index.html",
        "https://careers.test.example/stories/",
        "https://careers.test.example/stories/",
    ),
    ("index.html", "HTTP://example.org/x", "HTTP://example.org/x"),
    ("index.html", "mailto:jobs@test.example", "mailto:jobs@test.example"),
    ("index.html", "tel:+4940123", "tel:+4940123"),
    ("index.html", "data:image/png;base64,iVBORw0KGgo=", "data:image/png;base64,iVBORw0KGgo="),
    ("index.html", "javascript:void(0)", "javascript:void(0)"),
    ("index.html", "//cdn.example/lib.js", "//cdn.example/lib.js"),
    # internal, but pointing at nothing in the site: left as written and counted
    ("index.html", "/jobs/", None),
    ("index.html", "/missing.png", None),
    ("index.html", "missing/", None),
    ("stories/index.html", "../../outside.html", None),
    ("index.html", "/media/x.jpg/", None),
    ("index.html", "/media\\x.jpg", None),
    ("index.html", "/media/%ZZ.jpg", None),
    ("index.html", "/media/%FF.jpg", None),  # an escape that is no UTF-8
]


@pytest.mark.parametrize(("page", "url", "expected"), URL_CASES)
def test_portable_url(page: str, url: str, expected: str | None) -> None:
    assert portable_url(url, page, FILES) == expected


@pytest.mark.parametrize(
    ("page", "url", "expected"),
    [
        ("index.html", "/careers/", "index.html"),
        ("index.html", "/careers", "index.html"),
        ("index.html", "/careers/stories/anna/", "stories/anna/index.html"),
        ("stories/anna/index.html", "/careers/media/x.jpg", "../../media/x.jpg"),
        ("stories/anna/index.html", "../", "../index.html"),
        ("index.html", "/", None),  # the host's root is not part of a site under /careers/
        ("index.html", "/stories/anna/", None),
        ("index.html", "/careersx/", None),
    ],
)
def test_portable_url_under_a_base_path(page: str, url: str, expected: str | None) -> None:
    assert portable_url(url, page, FILES, "/careers/") == expected


@pytest.mark.parametrize(
    ("srcset", "urls"),
    [
        ("/a.jpg", ["/a.jpg"]),
        ("/a.jpg 400w, /b.jpg 800w", ["/a.jpg", "/b.jpg"]),
        ("/a.jpg 1x,/b.jpg 2x", ["/a.jpg", "/b.jpg"]),
        ("  /a.jpg,  /b.jpg 2x ", ["/a.jpg", "/b.jpg"]),
        ("/a,b.jpg 1x, /c.jpg 2x", ["/a,b.jpg", "/c.jpg"]),
        ("data:image/png;base64,AAA= 1x, /b.jpg 2x", ["data:image/png;base64,AAA=", "/b.jpg"]),
        ("/a.jpg (weird, descriptor) 1x, /b.jpg", ["/a.jpg", "/b.jpg"]),
        ("", []),
    ],
)
def test_srcset_candidates(srcset: str, urls: list[str]) -> None:
    assert [srcset[a:b] for a, b in srcset_spans(srcset)] == urls


@pytest.mark.parametrize(
    ("css", "urls"),
    [
        ("a{background:url(/x.jpg)}", ["/x.jpg"]),
        ('a{background:url("/x.jpg")}', ["/x.jpg"]),
        ("a{background:URL( '/x.jpg' )}", ["/x.jpg"]),
        ("a{background:url( /x.jpg )}", ["/x.jpg"]),
        ('@import "/a.css";@import url(/b.css) screen;', ["/a.css", "/b.css"]),
        ("/* url(/commented.jpg) */ a{b:url(/x.jpg)}", ["/x.jpg"]),
        ('a::before{content:"url(/in-a-string.jpg)"}', []),
        ("a{mask:my-url(/x.jpg)}", []),
        ('a{b:"@import"} c{d:"/not-an-import.css"}', []),
        ("@font-face{src:url(/f.woff2) format('woff2'),url(/f.woff)}", ["/f.woff2", "/f.woff"]),
        ('@import "/unclosed.css', []),
        ('a{b:url("/unclosed.jpg)}', []),
        ("a{b:url(/unclosed.jpg", ["/unclosed.jpg"]),
        ('a{content:"\\"";b:url(/after-an-escaped-quote.jpg)}', ["/after-an-escaped-quote.jpg"]),
    ],
)
def test_css_urls(css: str, urls: list[str]) -> None:
    assert [css[a:b] for a, b in css_url_spans(css)] == urls


@pytest.mark.parametrize(
    "tag",
    [
        '<a href="/x/">',
        "<a href='/x/' class=big>",
        "<a href=/x/>",
        "<a HREF = /x/ data-x=1/>",
        '<img src="/x.jpg" alt="a &amp; b" hidden />',
        '<a href=="/x/" title="">',
        "<a href='/x/\"y' title=\"'\">",
        '<input disabled value=x name="q">',
        '<a href="/x/"title="no space">',
    ],
)
def test_attribute_scanner_reads_tags_as_html_parser_does(tag: str) -> None:
    seen: list[list[tuple[str, str | None]]] = []

    class Parser(HTMLParser):
        def handle_starttag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
            seen.append(attrs)

    Parser().feed(tag)
    scanned = scan_attributes(tag)
    assert [(name, value) for name, value, _ in scanned] == seen[0]
    for _, value, span in scanned:
        if value is not None and span is not None and "&" not in tag[span[0] : span[1]]:
            assert tag[span[0] : span[1]] == value


# (page, HTML as written, HTML in the portable copy)
HTML_CASES = [
    pytest.param(
        "stories/anna/index.html",
        '<link rel="stylesheet" href="/assets/style.css">\n'
        '<link rel="icon" href="/assets/logo.svg" type="image/svg+xml">\n'
        '<link rel="preload" as="image" href="/media/x.jpg">',
        '<link rel="stylesheet" href="../../assets/style.css">\n'
        '<link rel="icon" href="../../assets/logo.svg" type="image/svg+xml">\n'
        '<link rel="preload" as="image" href="../../media/x.jpg">',
        id="head-links-of-a-nested-page",
    ),
    pytest.param(
        "stories/anna/index.html",
        '<link rel="canonical" href="/stories/anna/">'
        '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        '<meta property="og:url" content="/stories/anna/">'
        '<script type="application/ld+json">{"url": "/stories/anna/"}</script>',
        '<link rel="canonical" href="/stories/anna/">'
        '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        '<meta property="og:url" content="/stories/anna/">'
        '<script type="application/ld+json">{"url": "/stories/anna/"}</script>',
        id="canonical-alternate-meta-and-json-ld-stay",
    ),
    pytest.param(
        "stories/index.html",
        '<img src="/media/x.jpg" srcset="/media/x-400w.webp 400w, /media/x-800w.webp 800w"'
        ' sizes="100vw" alt="">',
        '<img src="../media/x.jpg" srcset="../media/x-400w.webp 400w, ../media/x-800w.webp 800w"'
        ' sizes="100vw" alt="">',
        id="img-with-srcset",
    ),
    pytest.param(
        "index.html",
        '<picture><source type="image/webp" srcset="/media/x-400w.webp 1x,/media/x-800w.webp 2x">'
        '<img src="/media/x.jpg" alt=""></picture>'
        '<video poster="/media/x.jpg" src="/media/x.jpg"></video>',
        '<picture><source type="image/webp" srcset="media/x-400w.webp 1x,media/x-800w.webp 2x">'
        '<img src="media/x.jpg" alt=""></picture>'
        '<video poster="media/x.jpg" src="media/x.jpg"></video>',
        id="picture-source-and-video-poster",
    ),
    pytest.param(
        "values/care/index.html",
        '<a href="/">Home</a> <a href="/stories/?page=2">2</a> <a href="#main">skip</a>'
        ' <a href="/stories/anna/#comments">c</a>',
        '<a href="../../index.html">Home</a> <a href="../../stories/index.html?page=2">2</a>'
        ' <a href="#main">skip</a> <a href="../../stories/anna/index.html#comments">c</a>',
        id="links-fragments-queries",
    ),
    pytest.param(
        "index.html",
        '<a href="https://jobs.test.example/">Jobs</a><a href="mailto:hr@test.example">HR</a>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">'
        '<script src="//cdn.test.example/x.js"></script>',
        '<a href="https://jobs.test.example/">Jobs</a><a href="mailto:hr@test.example">HR</a>'
        '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">'
        '<script src="//cdn.test.example/x.js"></script>',
        id="external-mailto-data-protocol-relative-untouched",
    ),
    pytest.param(
        "stories/index.html",
        "<A HREF='/stories/anna/' Class=x>a</A><a href=/values/care/>b</a><a href = />c</a>",
        "<A HREF='anna/index.html' Class=x>a</A><a href=\"../values/care/index.html\">b</a>"
        '<a href = "../index.html">c</a>',
        id="upper-case-single-quoted-and-unquoted",
    ),
    pytest.param(
        "index.html",
        '<a href="/stories/?a=1&amp;b=2">x</a><a title="&quot;" href="/stories/">y</a>',
        '<a href="stories/index.html?a=1&amp;b=2">x</a><a title="&quot;" href="stories/index.html">y</a>',
        id="character-references",
    ),
    pytest.param(
        "stories/index.html",
        '<div style="background-image: url(/media/x.jpg); color: red"></div>'
        '<div style="background:url(&quot;/media/x.jpg&quot;)"></div>'
        "<style>.hero{background:url('/media/x.jpg')}/* url(/nope.jpg) */</style>",
        '<div style="background-image: url(../media/x.jpg); color: red"></div>'
        '<div style="background:url(&quot;../media/x.jpg&quot;)"></div>'
        "<style>.hero{background:url('../media/x.jpg')}/* url(/nope.jpg) */</style>",
        id="inline-style-and-style-element",
    ),
    pytest.param(
        "index.html",
        '<form action="/stories/" method="get"><button formaction="/values/care/">go</button></form>'
        '<svg><use href="/assets/logo.svg#mark"/><image xlink:href="/media/x.jpg"/></svg>',
        '<form action="stories/index.html" method="get">'
        '<button formaction="values/care/index.html">go</button></form>'
        '<svg><use href="assets/logo.svg#mark"/><image xlink:href="media/x.jpg"/></svg>',
        id="form-action-and-svg",
    ),
    pytest.param(
        "index.html",
        '<!-- <a href="/stories/"> --><script>var a = \'<a href="/stories/">\';</script>'
        '<textarea><a href="/stories/"></textarea><p data-href="/stories/">x</p>',
        '<!-- <a href="/stories/"> --><script>var a = \'<a href="/stories/">\';</script>'
        '<textarea><a href="/stories/"></textarea><p data-href="/stories/">x</p>',
        id="comments-scripts-text-and-data-attributes-untouched",
    ),
]


@pytest.mark.parametrize(("page", "before", "after"), HTML_CASES)
def test_rewrite_html(page: str, before: str, after: str) -> None:
    result = rewrite_html(page, before.encode(), FILES)
    assert result.content.decode() == after
    assert result.unresolved == ()


def test_untouched_bytes_stay_byte_identical() -> None:
    page = (
        "<!DOCTYPE html>\r\n<html lang=de>\r\n<head>\t<meta charset=utf-8>"
        '<link   rel="stylesheet"   href="/assets/style.css"  >\r\n</head>\n'
        "<body>\xe4\xff<p>Gr\u00fc\u00dfe &amp; &nbsp; <br/>\n"
        '<img\nsrc="/media/x.jpg"\nalt="Bild">\n</body></html>'
    ).encode("utf-8", "surrogateescape")
    page = page.replace("\xe4\xff".encode(), b"\xe4\xff")  # bytes that are not UTF-8
    result = rewrite_html("index.html", page, FILES)
    expected = page.replace(b'"/assets/style.css"', b'"assets/style.css"').replace(
        b'"/media/x.jpg"', b'"media/x.jpg"'
    )
    assert result.content == expected
    assert result.changed == 2


def test_a_page_without_internal_links_is_returned_as_is() -> None:
    page = b'<p><a href="https://example.org/">x</a></p>'
    result = rewrite_html("index.html", page, FILES)
    assert result.content is page and result.changed == 0


def test_links_to_nothing_stay_and_are_counted() -> None:
    page = (
        b'<a href="/jobs/">a</a><img src="/media/gone.jpg" srcset="/media/x.jpg 1x, /gone.jpg 2x">'
    )
    result = rewrite_html("index.html", page, FILES)
    assert result.content == (
        b'<a href="/jobs/">a</a><img src="/media/gone.jpg" srcset="media/x.jpg 1x, /gone.jpg 2x">'
    )
    assert result.unresolved == ("/jobs/", "/media/gone.jpg", "/gone.jpg")
    assert result.changed == 1


def test_report_notes() -> None:
    assert PortableReport(3, 10, ()).notes() == []
    one = PortableReport(1, 1, (("index.html", "/jobs/"),))
    assert one.notes() == [
        "note: 1 link in 1 file points at nothing in the site and was left as written: /jobs/"
    ]
    many = PortableReport(
        2,
        5,
        tuple((p, r) for p in ("a.html", "b.html") for r in ("/a/", "/b/", "/c/", "/d/")),
        ("assets/search.js", "index.html"),
    )
    assert many.notes() == [
        "note: 8 links in 2 files point at nothing in the site and were left as written: "
        "/a/, /b/, /c/ and 1 more",
        "note: scripts in assets/search.js, index.html request addresses by themselves (fetch, "
        "XMLHttpRequest, a service worker…); opened from disk, browsers refuse such requests, "
        "so try what they do in the portable copy",
    ]


@pytest.mark.parametrize(
    ("path", "content", "requests"),
    [
        ("assets/search.js", "fetch('/search.json').then(show)", True),
        ("assets/a.mjs", "navigator.serviceWorker.register('/sw.js')", True),
        ("assets/embed.js", "iframe.src = figure.getAttribute('data-embed-src')", False),
        ("index.html", "<script>var x = new XMLHttpRequest()</script>", True),
        ("index.html", '<script type="module">await fetch("/a.json")</script>', True),
        ("index.html", '<script type="application/ld+json">{"a": "fetch("}</script>', False),
        ("index.html", "<p>We fetch( nothing: this is text.</p>", False),
        ("index.html", '<script src="/assets/logo.svg"></script>', False),
    ],
)
def test_scripts_that_request_addresses_are_noticed(
    path: str, content: str, requests: bool
) -> None:
    result = rewrite_file(path, content.encode(), FILES)
    assert result is not None and result.requests is requests


@pytest.mark.parametrize(
    ("css", "expected", "unresolved"),
    [
        ("a{b:url(/media/x.jpg)}", "a{b:url(../media/x.jpg)}", ()),
        ('a{b:url("/media/x.jpg?v=2#c")}', 'a{b:url("../media/x.jpg?v=2#c")}', ()),
        ("a{b:url(../media/x.jpg)}", "a{b:url(../media/x.jpg)}", ()),
        ("a{b:url(logo.svg)}", "a{b:url(logo.svg)}", ()),
        ('@import "/assets/style.css";', '@import "style.css";', ()),
        ("a{b:url(/media/a%20b.jpg)}", "a{b:url(../media/a%20b.jpg)}", ()),
        (
            "a{b:url(data:image/svg+xml;utf8,<svg/>)}",
            "a{b:url(data:image/svg+xml;utf8,<svg/>)}",
            (),
        ),
        (
            "/* url(/gone.jpg) */a{b:url(/gone.jpg)}",
            "/* url(/gone.jpg) */a{b:url(/gone.jpg)}",
            ("/gone.jpg",),
        ),
    ],
)
def test_rewrite_css(css: str, expected: str, unresolved: tuple[str, ...]) -> None:
    result = rewrite_css("assets/theme.css", css.encode(), FILES)
    assert result.content.decode() == expected
    assert result.unresolved == unresolved


def test_only_pages_and_stylesheets_are_rewritten() -> None:
    feed = b'<rss><link>/stories/</link><a href="/stories/"/></rss>'
    assert rewrite_file("feed.xml", feed, FILES) is None
    assert rewrite_file("sitemap.xml", feed, FILES) is None
    assert rewrite_file("assets/logo.svg", b'<svg><a href="/"/></svg>', FILES) is None
    assert rewrite_file("a/B.HTM", b'<a href="/">x</a>', FILES) is not None


_PIECES = st.sampled_from(
    [
        '<a href="/stories/">',
        "<a href=/stories/anna>",
        "<A HREF='../values/care/'>",
        '<img src="/media/x.jpg" srcset="/media/x-400w.webp 400w,/media/gone.jpg 2x">',
        '<div style="background:url(&quot;/media/x.jpg&quot;)">',
        "<style>a{b:url(/media/x.jpg)}</style>",
        '<link rel="canonical" href="/">',
        '<a href="https://example.org/?a=1&amp;b=2#c">',
        '<a href="/jobs/">',
        "<textarea>",
        "</textarea>",
        "<!--",
        "-->",
        "<script>",
        "</script>",
        "<",
        ">",
        '"',
        "'",
        "=",
        "&amp;",
        "text \u00e4 ",
        "\n",
        "\r\n",
    ]
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(_PIECES | st.text(max_size=8), max_size=25).map("".join),
    st.sampled_from(["index.html", "stories/anna/index.html", "stories/page/2/index.html"]),
)
def test_rewrite_never_fails_and_is_idempotent(page: str, where: str) -> None:
    data = page.encode("utf-8", "surrogatepass")
    once = rewrite_html(where, data, FILES)
    if once.changed == 0:
        assert once.content == data
    twice = rewrite_html(where, once.content, FILES)
    assert twice.content == once.content  # a portable page has nothing left to rewrite


# ---------------------------------------------------------------- whole builds


class _References(HTMLParser):
    """Every address in a page that a browser would load or follow (a crawler's view)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.kept: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        rel = (values.get("rel") or "").split()
        self.in_style = tag == "style"
        for name, value in attrs:
            if value is None:
                continue
            if tag == "link" and name == "href" and ("canonical" in rel or "alternate" in rel):
                self.kept.append(value)
            elif name in ("href", "src", "poster", "action"):
                self.found.append(value)
            elif name == "srcset":
                self.found += [c.split()[0] for c in value.split(", ") if c.strip()]
            elif name == "style":
                self.found += re.findall(r"url\(\s*['\"]?([^'\")]+)", value)

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.found += re.findall(r"url\(\s*['\"]?([^'\")]+)", data)


def _is_local(url: str) -> bool:
    return not (url.startswith(("#", "//", "data:", "mailto:", "tel:")) or urlsplit(url).scheme)


def crawl(output: Path) -> tuple[int, list[str]]:
    """Check every relative reference in every page and stylesheet; (checked, problems)."""
    checked, problems = 0, []
    for file in sorted(output.rglob("*")):
        if file.suffix not in (".html", ".css"):
            continue
        text = file.read_text(encoding="utf-8")
        if file.suffix == ".css":
            refs = re.findall(r"url\(\s*['\"]?([^'\")]+)", text)
        else:
            parser = _References()
            parser.feed(text)
            refs = parser.found
            for kept in parser.kept:
                if not kept.startswith("https://"):
                    problems.append(f"{file}: canonical/alternate {kept} is not absolute")
        for ref in filter(_is_local, refs):
            checked += 1
            path = unquote(urlsplit(ref).path)
            target = (file.parent / path).resolve()
            if ref.startswith("/") or path.endswith("/") or path == "":
                problems.append(f"{file.relative_to(output)}: {ref} does not name a file")
            elif not target.is_file():
                problems.append(f"{file.relative_to(output)}: {ref} -> nothing at {target}")
            elif output.resolve() not in target.parents:
                problems.append(f"{file.relative_to(output)}: {ref} leaves the folder")
    return checked, problems


def _sample_site(root: Path) -> Path:
    root.mkdir(parents=True)
    shutil.copy2(REPO / "site.toml", root / "site.toml")
    for folder in ("content", "themes"):
        shutil.copytree(REPO / folder, root / folder)
    return root


def test_sample_site_portable_build_resolves_every_reference(tmp_path: Path) -> None:
    root = _sample_site(tmp_path / "sample")
    result = run_build(root, root / "output-portable", portable=True)
    assert result.ok, result.diagnostics
    assert result.mode == "full"
    assert result.portable is not None and result.portable.unresolved == ()
    assert result.portable.scripts == ()
    assert result.portable.references > 500
    checked, problems = crawl(root / "output-portable")
    assert problems == []
    assert checked > 500
    # Absolute addresses name the public site, as in a normal build.
    page = (root / "output-portable/en/stories/anna-offshore-night-shift/index.html").read_text()
    assert '<link rel="canonical" href="https://careers.wavelight.example/en/stories/' in page
    assert '<meta property="og:url" content="https://careers.wavelight.example/en/stories/' in page
    assert '"mainEntityOfPage": "https://careers.wavelight.example/en/stories/' in page
    sitemap = (root / "output-portable/sitemap.xml").read_text()
    assert "<loc>https://careers.wavelight.example/stories/" in sitemap
    feed = (root / "output-portable/feed.xml").read_text()
    assert "<link>https://careers.wavelight.example/stories/" in feed
    # Nothing of the preview server (live reload) and no service worker.
    everything = b"".join(
        p.read_bytes() for p in (root / "output-portable").rglob("*") if p.is_file()
    )
    assert b"__brandsite" not in everything and b"serviceWorker" not in everything


def test_portable_differs_from_a_normal_build_only_in_references(tmp_path: Path) -> None:
    root = _sample_site(tmp_path / "sample")
    assert run_build(root, root / "output").ok
    assert run_build(root, root / "output-portable", portable=True).ok
    normal = {
        p.relative_to(root / "output"): p for p in (root / "output").rglob("*") if p.is_file()
    }
    portable = {
        p.relative_to(root / "output-portable"): p
        for p in (root / "output-portable").rglob("*")
        if p.is_file()
    }
    assert sorted(normal) == sorted(portable)
    _, problems = crawl(root / "output")
    assert len(problems) > 500  # the crawler sees what a normal build does from disk
    attribute = re.compile(rb'(href|src|srcset|poster|action)="[^"]*"')
    for name, path in normal.items():
        before, after = path.read_bytes(), portable[name].read_bytes()
        if path.suffix != ".html":
            assert before == after, name
        else:
            assert attribute.sub(b"", before) == attribute.sub(b"", after), name


def test_portable_builds_are_deterministic_and_never_incremental(tmp_path: Path) -> None:
    from generator.engine.incremental import BuildState

    root = _sample_site(tmp_path / "sample")
    out = root / "output-portable"
    state = BuildState()
    assert run_build(root, out, state, portable=True).ok
    first = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    assert str(out) not in state.manifests
    again = run_build(root, out, state, portable=True)
    assert again.ok and again.mode == "full"
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == first
    # A normal build into the same folder afterwards is a full one, not an update of it.
    normal = run_build(root, out, state)
    assert normal.mode == "full"
    assert b'href="/stories/"' in (out / "index.html").read_bytes()


def test_links_to_pages_outside_the_site_are_noted(tmp_path: Path) -> None:
    body = "See [the imprint](/imprint/) and [Ada](/stories/a/)."
    root = write_site(tmp_path / "p", {"content/stories/a.md": story(body=body)})
    result = run_build(root, root / "output-portable", portable=True)
    assert result.ok, result.diagnostics
    assert result.portable is not None
    assert sorted(set(result.portable.unresolved)) == [("stories/a/index.html", "/imprint/")]
    page = (root / "output-portable/stories/a/index.html").read_text()
    assert '<a href="/imprint/">the imprint</a>' in page
    assert '<a href="index.html">Ada</a>' in page


def test_a_theme_script_that_fetches_is_noted(tmp_path: Path) -> None:
    root = write_site(tmp_path / "p", {"content/stories/a.md": story()})
    (root / "themes/default/static/search.js").write_text("fetch('/index.json').then(show);\n")
    result = run_build(root, root / "output-portable", portable=True)
    assert result.ok, result.diagnostics
    assert result.portable is not None
    [script] = result.portable.scripts
    assert script.startswith("assets/search.") and script.endswith(".js")
    assert "request addresses by themselves" in result.portable.notes()[-1]


def test_a_site_under_a_sub_path(tmp_path: Path) -> None:
    config = SITE_TOML.replace("https://careers.test.example/", "https://test.example/careers/")
    body = "Back to [all stories](/careers/stories/) and [the main site](/about/)."
    root = write_site(tmp_path / "p", {"content/stories/a.md": story(body=body)}, config)
    result = run_build(root, root / "output-portable", portable=True)
    assert result.ok, result.diagnostics
    checked, problems = crawl(root / "output-portable")
    assert problems == ["stories/a/index.html: /about/ does not name a file"]  # left, and noted
    assert checked > 50
    assert result.portable is not None
    assert {ref for _, ref in result.portable.unresolved} == {"/about/"}
    home = (root / "output-portable/index.html").read_text()
    assert '<link rel="canonical" href="https://test.example/careers/">' in home
    assert 'href="stories/index.html"' in home


def test_cli_portable_writes_output_portable_and_leaves_output_alone(tmp_path: Path) -> None:
    body = "See [the imprint](/imprint/)."
    root = write_site(tmp_path / "p", {"content/stories/a.md": story(body=body)})
    run = brandsite("build", "--portable", "--now", "2026-11-22", cwd=root)
    assert run.returncode == 0, run.stderr
    assert "into output-portable/" in run.stdout
    assert "Open output-portable/index.html from disk" in run.stdout
    assert run.stderr == (  # the build warns about the story's link; portable notes it too
        "1. content/stories/a.md:7: warning: the link `/imprint/` leads to no page of the site "
        "[broken-link]\n"
        "   hint: link to a page of the site (`/stories/…/`, `other-story.md`) or write the full "
        "address of another site\n"
        "0 errors, 1 warning in 1 file\n"
        "note: 1 link in 1 file points at nothing in the site and was left as written: /imprint/\n"
    )
    assert "scripts" not in run.stderr  # the default theme's embed.js loads nothing itself
    assert not (root / "output").exists()
    assert (root / "output-portable/.brandsite-output").is_file()
    assert b'href="stories/index.html"' in (root / "output-portable/index.html").read_bytes()
    assert [p.name for p in root.iterdir() if "staging" in p.name] == []

    elsewhere = brandsite("build", "--portable", "-o", "mail", "--quiet", cwd=root)
    assert elsewhere.returncode == 0, elsewhere.stderr
    assert elsewhere.stdout == ""
    assert (root / "mail/stories/a/index.html").is_file()


def test_cli_portable_has_the_same_safety_checks(tmp_path: Path) -> None:
    root = write_site(tmp_path / "p", {"content/stories/a.md": story()})
    (root / "output-portable").mkdir()
    (root / "output-portable/notes.txt").write_text("mine")
    refused = brandsite("build", "--portable", cwd=root)
    assert refused.returncode == 2
    assert "was not made by brandsite" in refused.stderr
    assert (root / "output-portable/notes.txt").read_text() == "mine"
    into_content = brandsite("build", "--portable", "-o", "content/x", cwd=root)
    assert into_content.returncode == 2 and "inside content/" in into_content.stderr


def test_staging_replace_only_replaces_staged_files(tmp_path: Path) -> None:
    from generator.engine.writer import OutputRefused, Staging

    staging = Staging(tmp_path / "out")
    staging.write("stories/a/index.html", b"old")
    (tmp_path / "elsewhere.html").write_bytes(b"not ours")
    (staging.path / "link.html").symlink_to(tmp_path / "elsewhere.html")
    staging.replace("stories/a/index.html", b"new")
    assert (staging.path / "stories/a/index.html").read_bytes() == b"new"
    assert sorted(p.name for p in (staging.path / "stories/a").iterdir()) == ["index.html"]
    for refused in ("stories/b/index.html", "link.html", "../elsewhere.html"):
        with pytest.raises(OutputRefused):
            staging.replace(refused, b"x")
    assert (tmp_path / "elsewhere.html").read_bytes() == b"not ours"
    staging.commit()
    assert (tmp_path / "out/stories/a/index.html").read_bytes() == b"new"
