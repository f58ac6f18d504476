"""The share kit of a story: suggested posts for every network, tagged links, plain share links.

Pure: ``share_kit(KitStory) -> ShareKit``. Texts are in the story's language (German or English),
from front matter ``share:`` when it plans posts for a network and from the title and summary
otherwise, and always within the network's limit. Links carry UTM parameters that name the
network, the story and the text variant, never the person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit, urlunsplit

from .plan import PlannedPost
from .platforms import PLATFORMS, URL_RE, Platform, clip

VARIANTS = ("story", "voice", "value")
"""The generated texts: title and summary; the person's words; what the value means."""
MAX_HASHTAGS = 3


@dataclass(frozen=True)
class KitStory:
    """What the kit of one story is made from."""

    slug: str
    url: str
    """The story's absolute address on the site."""
    title: str
    summary: str
    person: str
    role: str
    company: str
    lang: str
    """``de`` texts for German (``de``, ``de-AT``, …), English ones for any other language."""
    values: tuple[str, ...] = ()
    """Titles of the story's values, first one first."""
    planned: tuple[PlannedPost, ...] = ()
    mastodon_page: str = ""
    """Absolute address of the site's Mastodon share page; "" when the theme has none."""


@dataclass(frozen=True)
class Suggestion:
    """One suggested post."""

    variant: str
    """``story``, ``voice``, ``value``, or ``planned-1`` … for the front matter's texts."""
    text: str
    length: int
    """In the network's own count."""
    link: str
    """The tagged link in (or, for Instagram, to go with) the text."""
    planned: PlannedPost | None = None

    def within(self, platform: Platform) -> bool:
        """True when the network accepts the text."""
        return self.length <= platform.limit


@dataclass(frozen=True)
class PlatformPosts:
    """The suggestions for one network."""

    platform: Platform
    suggestions: tuple[Suggestion, ...]


@dataclass(frozen=True)
class ShareLink:
    """A link that opens a network's own share dialogue (or ``url`` "" and a note)."""

    name: str
    url: str
    note: str = ""


@dataclass(frozen=True)
class ShareKit:
    """Everything the kit page of one story shows."""

    story: KitStory
    posts: tuple[PlatformPosts, ...]
    links: tuple[ShareLink, ...]


def share_kit(story: KitStory) -> ShareKit:
    """Two or three posts per network, each within its limit, and the plain share links."""
    posts = tuple(PlatformPosts(p, suggestions(story, p)) for p in PLATFORMS)
    return ShareKit(story, posts, share_links(story))


def tagged(url: str, source: str, campaign: str, content: str) -> str:
    """``url`` with ``utm_source``, ``utm_medium=social``, ``utm_campaign`` and ``utm_content``."""
    parts = urlsplit(url)
    query = urlencode(
        [
            ("utm_source", source),
            ("utm_medium", "social"),
            ("utm_campaign", campaign),
            ("utm_content", content),
        ]
    )
    joined = f"{parts.query}&{query}" if parts.query else query
    return urlunsplit((parts.scheme, parts.netloc, parts.path, joined, parts.fragment))


def suggestions(story: KitStory, platform: Platform) -> tuple[Suggestion, ...]:
    """The front matter's texts for this network first, then generated ones, three in all."""
    found: list[Suggestion] = []
    planned = [p for p in story.planned if p.channel == platform.key]
    for number, post in enumerate(planned, start=1):
        variant = f"planned-{number}"
        link = tagged(story.url, platform.key, story.slug, variant)
        text = post.text
        if platform.links_in_text and not URL_RE.search(text):
            text = f"{text}\n\n{link}"
        found.append(Suggestion(variant, text, platform.count(text), link, post))
    for variant in VARIANTS:
        if len(found) >= len(VARIANTS):
            break
        link = tagged(story.url, platform.key, story.slug, variant)
        text = _generated(story, platform, variant, link)
        if text and all(s.text != text for s in found):
            found.append(Suggestion(variant, text, platform.count(text), link))
    return tuple(found)


def share_links(story: KitStory) -> tuple[ShareLink, ...]:
    """LinkedIn, X, Bluesky and e-mail links, and Mastodon's: the site's own share page, where
    one types one's server (every server has its own address), or a note without one."""

    def link(source: str) -> str:
        return tagged(story.url, source, story.slug, "share-link")

    title = story.title
    mail_body = f"{title}\n\n{story.summary}\n\n{link('email')}".strip()
    return (
        ShareLink(
            "LinkedIn",
            "https://www.linkedin.com/sharing/share-offsite/?url=" + quote(link("linkedin"), ""),
        ),
        ShareLink(
            "X",
            "https://x.com/intent/post?"
            + urlencode([("text", title), ("url", link("x"))], quote_via=quote),
        ),
        ShareLink(
            "Bluesky",
            "https://bsky.app/intent/compose?"
            + urlencode([("text", f"{title} {link('bluesky')}")], quote_via=quote),
        ),
        ShareLink(
            "E-mail",
            "mailto:?" + urlencode([("subject", title), ("body", mail_body)], quote_via=quote),
        ),
        ShareLink(
            "Mastodon",
            story.mastodon_page
            + "?"
            + urlencode([("text", f"{title} {link('mastodon')}")], quote_via=quote),
        )
        if story.mastodon_page
        else ShareLink(
            "Mastodon",
            "",
            "Mastodon has no one address for sharing: every server has its own. Open yours and "
            "paste one of the Mastodon texts above, or go to https://YOUR.SERVER/share?text=… "
            "with the text after the equals sign.",
        ),
    )


def hashtags(story: KitStory) -> str:
    """``#Sustainability #WavelightEnergy``: the first values and the company, as hashtags."""
    tags: list[str] = []
    for name in (*story.values[: MAX_HASHTAGS - 1], story.company):
        words = re.findall(r"\w+", name)
        tag = "".join(w[:1].upper() + w[1:] for w in words)
        if tag and not tag.isdigit() and f"#{tag}" not in tags:
            tags.append(f"#{tag}")
    return " ".join(tags)


def _generated(story: KitStory, platform: Platform, variant: str, link: str) -> str:
    """A generated text of ``variant``, shortened (summary first, then title) to fit."""
    words = _WORDS["de" if _german(story.lang) else "en"]
    if variant == "value" and not story.values:
        return ""
    if variant == "voice" and not story.person:
        return ""
    ending = link if platform.links_in_text else words["bio"]
    tags = hashtags(story) if platform.key in ("linkedin", "instagram") else ""

    def compose(title: str, summary: str) -> str:
        person = story.person
        who = f"{person}, {story.role}," if story.role else person
        if variant == "story":
            parts = [title, summary, f"{words['read']} {ending}"]
        elif variant == "voice":
            parts = [words["voice"].format(who=who, company=story.company, title=title), ending]
        else:
            value = story.values[0]
            parts = [
                words["value"].format(value=value, company=story.company, who=who, title=title),
                summary,
                ending,
            ]
        return "\n\n".join(p for p in [*parts, tags] if p.strip())

    def fits(text: str) -> bool:
        return platform.count(text) <= platform.limit

    summary = story.summary if variant != "voice" else ""
    text = compose(story.title, summary)
    if fits(text):
        return text
    shortened = clip(summary, lambda s: fits(compose(story.title, s))) if summary else ""
    if shortened:
        return compose(story.title, shortened)
    title = clip(story.title, lambda t: fits(compose(t, "")))
    return compose(title, "") if title else ""


def _german(lang: str) -> bool:
    return lang.lower().split("-")[0] == "de"


_WORDS = {
    "en": {
        "read": "Read the whole story:",
        "voice": "{who} tells their story at {company}: “{title}”",
        "value": "What {value} means at {company}: {who} on “{title}”",
        "bio": "Link in bio.",
    },
    "de": {
        "read": "Zur ganzen Geschichte:",
        "voice": "{who} erzählt von der Arbeit bei {company}: „{title}“",
        "value": "Was {value} bei {company} bedeutet: {who} über „{title}“",
        "bio": "Link in der Bio.",
    },
}
"""The kit's own words in the languages it writes; any other language gets the English ones."""
