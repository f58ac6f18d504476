"""The URL normaliser reads addresses as browsers do, so no spelling of a host passes as local."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from generator.site.urls import NETWORK_SCHEMES, browser_url, css_unescape, url_host

SITE = "site.example"
PAGE = f"https://{SITE}/page/"
PIECES = [
    "https:", "HTTPS:", "Http:", "http:", "ws:", "ftp:", "file:", "data:", "mailto:",
    "javascript:", "h", "t", "ps:", "/", "//", "\\", "\\\\", "/\\", "\t", "\n", "\r", "\x00",
    "\x01", "\x1f", " ", "\x7f", "&#47;", "&#x2F;", "&sol;", "&Tab;", "&NewLine;", "&#92;",
    "&colon;", "&amp;", ":", "@", ":443", SITE, SITE.upper(), "tracker.example", ".", "?",
    "#", "%2F", "%2e", "%74", "[", "]", "::1", "x", "a/b", "p.gif",
]  # fmt: skip
urls = st.one_of(st.lists(st.sampled_from(PIECES), max_size=12).map("".join), st.text(max_size=30))


@given(urls)
@example("/\\tracker.example/p.gif")
@example("https:&#x2F;&#x2F;tracker.example/p.gif")
@example("\\\\tracker.example/p.gif")
@example("http:tracker.example")
@example("//%2e")  # found by hypothesis: a host of dots only was taken for the site
def test_what_it_calls_local_stays_on_the_site(url: str) -> None:
    """Resolved against a page of the site (by urllib, another parser), a local URL stays there."""
    host = url_host(url)
    assume(host is None or host == SITE)
    try:
        parts = urlsplit(urljoin(PAGE, browser_url(url)))
        resolved_host = parts.hostname
    except ValueError:  # urllib cannot read it (a bad IPv6 address): no browser fetches it either
        return
    if parts.scheme in NETWORK_SCHEMES:
        assert resolved_host in (None, SITE), (url, parts)


@given(urls, st.integers(min_value=0, max_value=40), st.sampled_from(["\t", "\n", "\r"]))
def test_tabs_and_newlines_anywhere_change_nothing(url: str, at: int, blank: str) -> None:
    assume("&" not in url)  # a tab inside `&#47;` breaks the reference, in browsers too
    assert url_host(url[:at] + blank + url[at:]) == url_host(url)


@given(urls, st.text(alphabet="".join(chr(c) for c in range(0x21)), min_size=1, max_size=3))
def test_leading_and_trailing_controls_and_spaces_change_nothing(url: str, edge: str) -> None:
    assert url_host(edge + url + edge) == url_host(url)


@given(st.text(max_size=60))
def test_any_text_is_read_without_error(text: str) -> None:
    host = url_host(text)
    assert host is None or (host and host == host.lower())


@pytest.mark.parametrize(
    "url",
    [
        "https://tracker.example/p.gif",
        "/\\tracker.example/p.gif",  # the bypasses, each fetched by browsers
        "https:&#x2F;&#x2F;tracker.example/p.gif",
        "&#47;&#47;tracker.example/p.gif",
        "https:\\\\tracker.example/p.gif",
        "ht\ttps://tracker.example/p.gif",  # tabs and newlines inside the scheme
        "https:/\n/tracker.example/p.gif",
        "h\r\nttps://tracker.example/p.gif",
        "\x01 \x1f//tracker.example/p.gif",  # leading C0 controls and spaces
        "  https://tracker.example/p.gif\x00",
        "HTTPS://TRACKER.EXAMPLE/p.gif",  # uppercase scheme and host
        "//tracker.example/p.gif",  # protocol-relative, in each spelling
        "\\\\tracker.example/p.gif",
        "\\/tracker.example/p.gif",
        "&sol;&sol;tracker.example/p.gif",
        "&#92;&#92;tracker.example/p.gif",
        "https&colon;//tracker.example/p.gif",
        "htt&Tab;ps://tracker.example/p.gif",
        "https:///tracker.example/p.gif",  # any number of slashes after the scheme
        "http:tracker.example/p.gif",  # another scheme than the page's: the host follows
        f"https://{SITE}@tracker.example/p.gif",  # the site's name as a user name
        f"https://{SITE}%2F@tracker.example/p.gif",
        "https://%74racker.example/p.gif",  # percent-encoded host
        "https://tracker.example:8443/p.gif",
        "wss://tracker.example/socket",
    ],
)
def test_every_spelling_of_another_host_is_foreign(url: str) -> None:
    assert url_host(url) == "tracker.example"


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("/images/a.png", None),
        ("images/a.png", None),
        ("#top", None),
        ("?page=2", None),
        ("/%2F/tracker.example/p.gif", None),  # an encoded slash is no slash
        ("data:image/png;base64,AAAA", None),
        ("mailto:jobs@tracker.example", None),
        ("JavaScript://tracker.example/%0aalert(1)", None),  # not fetched (and unsafe elsewhere)
        ("file:///etc/passwd", None),
        ("https://", None),
        (f"https://{SITE}/x", SITE),
        (f"HTTPS://{SITE.upper()}./x", SITE),
        (f"https://{SITE}:443/x", SITE),
        ("https://[::1]:8000/x", "[::1]"),
        ("https://[::1/x", "[::1"),  # unreadable: kept as written, never the site itself
    ],
)
def test_local_and_hostless_urls(url: str, host: str | None) -> None:
    assert url_host(url) == host


@pytest.mark.parametrize(
    ("url", "in_html", "cleaned"),
    [
        (" HTTPS:\\\\a.example\\b ", True, "https://a.example/b"),
        ("/\\a.example", True, "//a.example"),
        ("&#47;x", True, "/x"),
        ("&#47;x", False, "&#47;x"),  # CSS and plain text have no character references
        ("mailto:a\\b@example.org", True, "mailto:a\\b@example.org"),  # only web addresses
    ],
)
def test_browser_url(url: str, in_html: bool, cleaned: str) -> None:
    assert browser_url(url, in_html=in_html) == cleaned


@pytest.mark.parametrize(
    ("css", "plain"),
    [
        ("\\2f\\2f tracker.example", "//tracker.example"),
        ("\\68 ttps:\\/\\/t.example", "https://t.example"),
        ("\\75rl(x)", "url(x)"),
        ("\\0", "\ufffd"),
        ("a\\\nb", "ab"),
    ],
)
def test_css_unescape(css: str, plain: str) -> None:
    assert css_unescape(css) == plain
