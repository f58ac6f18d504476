"""Share links for the public story page: plain links, no script, nothing loaded from elsewhere.

Each opens the network's own share dialogue with the story's address (tagged with UTM
parameters that name the network, never the reader). Mastodon has no one share address (every
server has its own, and the services that pick one are third parties), so its link goes to the
site's own share page (``share/mastodon/?text=…``): the visitor types their server there, and
only that submit sends them, with the text, to ``https://<server>/share``. "Copy link" is the
page's own address, copied with the browser's own "copy link" (no script needed).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlencode

from .kit import tagged


@dataclass(frozen=True)
class PageShareLink:
    """One share link on a story page."""

    key: str
    """``linkedin``, ``x``, ``mastodon``, ``email`` or ``copy`` (themes pick words and icons by
    it)."""
    name: str
    """The network as people write it (``LinkedIn``); "" for e-mail and the copy link."""
    url: str


def page_share_links(
    url: str, slug: str, title: str, mastodon_page: str | None = None
) -> tuple[PageShareLink, ...]:
    """LinkedIn, X, Mastodon, e-mail and the page's own address, in that order.

    ``mastodon_page`` is the root-relative URL of the edition's Mastodon share page; its link
    carries the text to post (title, a space, the tagged address) in ``?text=``. Without one
    (a theme with no such page) there is no Mastodon link.
    """

    def link(source: str) -> str:
        return tagged(url, source, slug, "page-share")

    def query(pairs: list[tuple[str, str]]) -> str:
        return urlencode(pairs, quote_via=quote)

    mastodon = (
        ()
        if mastodon_page is None
        else (
            PageShareLink(
                "mastodon",
                "Mastodon",
                mastodon_page + "?" + query([("text", f"{title} {link('mastodon')}")]),
            ),
        )
    )
    return (
        PageShareLink(
            "linkedin",
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?url=" + quote(link("linkedin"), ""),
        ),
        PageShareLink(
            "x", "X", "https://x.com/intent/post?" + query([("text", title), ("url", link("x"))])
        ),
        *mastodon,
        PageShareLink(
            "email", "", "mailto:?" + query([("subject", title), ("body", link("email"))])
        ),
        PageShareLink("copy", "", url),
    )
