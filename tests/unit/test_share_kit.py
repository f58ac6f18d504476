"""The share kit: posts within every network's limit (counted the network's way), UTM links, share
links, the pages; and front matter ``share:`` checked entry by entry."""

from __future__ import annotations

import datetime as dt
import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.content.frontmatter import parse_front_matter
from generator.share.kit import KitStory, share_kit, tagged
from generator.share.kit_html import CSP, IndexEntry, render_kit_index, render_kit_page
from generator.share.plan import PlannedPost, check_share
from generator.share.platforms import (
    BY_KEY,
    PLATFORMS,
    grapheme_length,
    mastodon_length,
    utf16_length,
    x_length,
)

URL = "https://careers.example/stories/anna-night-shift/"


def story(**changes: object) -> KitStory:
    fields: dict[str, object] = {
        "slug": "anna-night-shift",
        "url": URL,
        "title": "My first night shift offshore",
        "summary": "Anna spends two weeks at a time on a service vessel 90 kilometres out.",
        "person": "Anna Schmidt",
        "role": "Offshore Service Technician",
        "company": "Wavelight Energy",
        "lang": "en",
        "values": ("Sustainability", "Customer focus"),
    }
    fields.update(changes)
    return KitStory(**fields)  # type: ignore[arg-type]


LONG = " ".join(["Eine sehr lange Zusammenfassung über die Nachtschicht auf See."] * 80)
STORIES = {
    "short-en": story(),
    "long-de": story(
        title="Datenschutzbeauftragtenausbildungsverordnungsänderung im Qualitätsmanagement " * 4,
        summary=LONG,
        lang="de",
        role="Auszubildender Elektroniker für Betriebstechnik",
    ),
    "emoji": story(title="Night shift 🌊🌙👩‍💻 " * 30, summary="🇩🇪 " * 400),
    "no-role-no-values": story(role="", values=()),
}


@pytest.mark.parametrize("name", sorted(STORIES))
def test_every_network_gets_two_or_three_different_posts_within_its_limit(name: str) -> None:
    kit = share_kit(STORIES[name])
    assert [group.platform.key for group in kit.posts] == [p.key for p in PLATFORMS]
    for group in kit.posts:
        texts = [s.text for s in group.suggestions]
        assert 2 <= len(texts) <= 3 and len(set(texts)) == len(texts), group.platform.key
        for suggestion in group.suggestions:
            assert suggestion.length == group.platform.count(suggestion.text)
            assert suggestion.length <= group.platform.limit, (group.platform.key, suggestion)
            assert suggestion.text.strip()


@pytest.mark.parametrize(
    ("count", "text", "expected"),
    [
        (x_length, "Hello", 5),
        (x_length, "Hallo https://careers.example/" + "a" * 200, 6 + 23),
        (x_length, "two links http://a.example/x www.b.example/y", 10 + 23 + 1 + 23),
        (x_length, "日本語", 6),
        (x_length, "Grüße – “quoted”", 16),
        (mastodon_length, "Toot https://careers.example/" + "a" * 200, 5 + 23),
        (utf16_length, "a😀", 3),
        (grapheme_length, "👩‍💻", 1),
        (grapheme_length, "🇩🇪🇫🇷", 2),
        (grapheme_length, "e\u0301", 1),
        (grapheme_length, "👍🏽 ❤️", 3),
        (grapheme_length, "Straße", 6),
    ],
)
def test_lengths_are_counted_the_way_each_network_counts(count, text, expected) -> None:  # type: ignore[no-untyped-def]
    assert count(text) == expected


def test_x_posts_count_each_link_as_23_so_a_long_link_still_fits() -> None:
    long_url = "https://careers.example/stories/" + "a-very-long-slug-" * 12 + "/"
    kit = share_kit(story(url=long_url, summary="Short summary."))
    x_posts = next(g for g in kit.posts if g.platform.key == "x").suggestions
    first = x_posts[0]
    assert first.link in first.text and len(first.text) > 280 >= first.length
    assert "Short summary." in first.text  # nothing had to be cut


def test_links_carry_utm_parameters_naming_network_story_and_variant_never_the_person() -> None:
    kit = share_kit(story())
    for group in kit.posts:
        for suggestion in group.suggestions:
            query = parse_qs(urlsplit(suggestion.link).query)
            assert query == {
                "utm_source": [group.platform.key],
                "utm_medium": ["social"],
                "utm_campaign": ["anna-night-shift"],
                "utm_content": [suggestion.variant],
            }
            assert "anna schmidt" not in suggestion.link.lower().replace("-", " ")
            if group.platform.links_in_text:
                assert suggestion.link in suggestion.text
            else:
                assert "http" not in suggestion.text and "Link in bio" in suggestion.text
    assert tagged("https://x.example/a/?page=2", "x", "a", "story") == (
        "https://x.example/a/?page=2&utm_source=x&utm_medium=social&utm_campaign=a&utm_content=story"
    )


def test_german_stories_get_german_texts_and_english_ones_english() -> None:
    german = share_kit(story(lang="de-AT")).posts[0].suggestions
    english = share_kit(story(lang="en")).posts[0].suggestions
    assert "Zur ganzen Geschichte:" in german[0].text and "„" in german[1].text
    assert "Read the whole story:" in english[0].text and "“" in english[1].text
    assert "#Sustainability #CustomerFocus #WavelightEnergy" in english[0].text


def test_front_matter_texts_come_first_and_get_the_tagged_link() -> None:
    planned = (
        PlannedPost(dt.date(2026, 3, 16), "linkedin", "Anna, in her own words.", 4, 6),
        PlannedPost(dt.date(2026, 3, 18), "x", "See https://elsewhere.example/", 7, 9),
    )
    kit = share_kit(story(planned=planned))
    linkedin = next(g for g in kit.posts if g.platform.key == "linkedin").suggestions
    assert [s.variant for s in linkedin] == ["planned-1", "story", "voice"]
    assert linkedin[0].text.startswith("Anna, in her own words.\n\nhttps://careers.example/")
    assert linkedin[0].planned == planned[0]
    x_post = next(g for g in kit.posts if g.platform.key == "x").suggestions[0]
    assert x_post.text == "See https://elsewhere.example/"  # it has a link of its own


def test_share_links_open_each_networks_own_dialogue() -> None:
    links = {link.name: link for link in share_kit(story()).links}
    linkedin = urlsplit(links["LinkedIn"].url)
    assert (linkedin.netloc, linkedin.path) == ("www.linkedin.com", "/sharing/share-offsite/")
    assert parse_qs(linkedin.query)["url"][0].startswith(URL + "?utm_source=linkedin")
    x_intent = parse_qs(urlsplit(links["X"].url).query)
    assert x_intent["text"] == ["My first night shift offshore"]
    assert links["E-mail"].url.startswith("mailto:?subject=My%20first")
    assert links["Mastodon"].url == "" and "YOUR.SERVER/share" in links["Mastodon"].note


def test_the_mastodon_link_is_the_sites_share_page_when_it_has_one() -> None:
    page = "https://careers.example/share/mastodon/"
    links = {link.name: link for link in share_kit(story(mastodon_page=page)).links}
    mastodon = urlsplit(links["Mastodon"].url)
    assert f"{mastodon.scheme}://{mastodon.netloc}{mastodon.path}" == page
    assert parse_qs(mastodon.query) == {
        "text": [
            f"My first night shift offshore {URL}?utm_source=mastodon&utm_medium=social"
            "&utm_campaign=anna-night-shift&utm_content=share-link"
        ]
    }
    assert links["Mastodon"].note == ""


def test_the_kit_page_is_self_contained_and_texts_work_without_its_script() -> None:
    kit = share_kit(story(title="<script>alert(1)</script> & more"))
    page = render_kit_page(kit, "anna-night-shift.png")
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    # What a browser loads by itself: only the card beside the page (links load nothing).
    assert re.findall(r'\ssrc="([^"]+)"', page) == ["anna-night-shift.png"]
    assert "<link" not in page and "@import" not in page and "url(" not in page
    hosts = {urlsplit(html.unescape(h)).netloc for h in re.findall(r'href="([^"]+)"', page)}
    assert hosts == {"", "careers.example", "www.linkedin.com", "x.com", "bsky.app"}
    assert html.escape(CSP, quote=True).replace("&#x27;", "&#39;") in page
    assert "default-src 'none'" in CSP and "connect-src" not in CSP
    assert page.count("<textarea") == 15 and "readonly>" in page
    assert page.count('<button type="button" data-copy=') == 15  # hidden until the script runs
    index = render_kit_index([IndexEntry("a", "A & B", "Ann", "de", "a.png")], "Careers")
    assert 'href="a/index.html"' in index and 'src="a/a.png"' in index and "A &amp; B" in index


FRONT_MATTER = """\
---
title: X
share:
  - on: 2026-03-16
    channel: linkedin
    text: "Hallo"
  - {on: 2026-13-01, channel: linkdin, text: Hi}
  - on: 2026-03-20
    chanel: x
    channel: x
    text: >-
      TEXT
  - just words
  - on: 2026-03-21
    channel: bluesky
  - channel: mastodon
    text: fine
---
body
"""


def test_share_plans_are_checked_entry_by_entry_at_their_lines() -> None:
    text = FRONT_MATTER.replace("TEXT", "x" * 300)
    fm, problems = parse_front_matter(text, "s.md")
    assert fm is not None and not problems
    posts, found = check_share(
        fm.data["share"], "s.md", fm.line("share"), fm.item_lines["share"], text.split("\n")
    )
    assert posts == (PlannedPost(dt.date(2026, 3, 16), "linkedin", "Hallo", 4, 6),)
    shown = [(d.line, d.severity.value, d.code, d.message, d.hint) for d in found]
    assert shown == [
        (
            7,
            "error",
            "bad-share-plan",
            "`on` of planned post 2 is not a date: `2026-13-01`",
            "write the day as YYYY-MM-DD, e.g. `on: 2026-03-16`",
        ),
        (
            7,
            "error",
            "bad-share-plan",
            "`channel` of planned post 2 is not a network brandsite knows: `linkdin`",
            "did you mean `linkedin`? channels: linkedin, instagram, x, mastodon, bluesky",
        ),
        (
            9,
            "error",
            "bad-share-plan",
            "planned post 3 has an unknown field `chanel`",
            "did you mean `channel`? a planned post has `on`, `channel` and `text`",
        ),
        (
            11,
            "warning",
            "share-text-too-long",
            "the X text of planned post 3 is 300 characters (links count as 23); X allows 280",
            "shorten it by 20",
        ),
        (
            13,
            "error",
            "bad-share-plan",
            "planned post 4 in `share` is not a post with `on`, `channel` and `text`",
            'write it as `- {on: 2026-03-16, channel: linkedin, text: "…"}`',
        ),
        (
            14,
            "error",
            "bad-share-plan",
            "planned post 5 has no `text`",
            'add the post\'s words: `text: "…"` (in quotes when it has a `:` or `#`)',
        ),
        (
            16,
            "error",
            "bad-share-plan",
            "planned post 6 has no `on` date",
            "write the day as YYYY-MM-DD, e.g. `on: 2026-03-16`",
        ),
    ]


@pytest.mark.parametrize("platform", [p.key for p in PLATFORMS])
def test_a_planned_text_is_counted_with_the_link_the_kit_adds(platform: str) -> None:
    limit = BY_KEY[platform].limit
    item = {True: dt.date(2026, 3, 16), "channel": platform, "text": "a" * (limit - 10)}
    _, alone = check_share([item], "s.md", 3, (4,))
    _, with_link = check_share([item], "s.md", 3, (4,), link=URL + "?utm_source=linkedin")
    assert alone == []
    if BY_KEY[platform].links_in_text:
        [problem] = with_link
        assert problem.code == "share-text-too-long" and "with the story's link" in problem.message
    else:
        assert with_link == []


def test_share_that_is_not_a_list_is_one_problem() -> None:
    posts, found = check_share("linkedin tomorrow", "s.md", 3)
    assert posts == () and [(d.line, d.code) for d in found] == [(3, "bad-share-plan")]
    assert check_share(None, "s.md", 0) == ((), [])
