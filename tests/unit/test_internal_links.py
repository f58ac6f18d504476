"""Links to the site's own pages (issue #14, item 6): `x.md` resolved, broken ones warned."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SITE_TOML, brandsite, run_build, story, write_site
from generator.content.internal_links import FoundLink, find_links
from generator.errors import Severity

HINT = (
    "link to a page of the site (`/stories/…/`, `other-story.md`) or write the full address "
    "of another site"
)
STORY_LINE = 7
"""Line of a story body's first line."""


def _site(tmp_path: Path, body: str, config: str = SITE_TOML) -> Path:
    return write_site(
        tmp_path,
        {
            "content/stories/anna-night-shift.md": story(title="Anna", body=body),
            "content/stories/bernd-blade-repair.md": story(title="Bernd", date="2026-01-11"),
            "content/stories/cleo-draft.md": story(title="Cleo").replace(
                "---\n", "---\ndraft: true\n", 1
            ),
        },
        config,
    )


def _links(tmp_path: Path, body: str, config: str = SITE_TOML) -> list[tuple[int, str, str]]:
    result = run_build(_site(tmp_path, body, config))
    assert result.ok, result.diagnostics
    return [
        (d.line, d.message, d.hint)
        for d in result.diagnostics
        if d.code == "broken-link" and d.severity is Severity.WARNING
    ]


FINE = [
    "[Bernd](bernd-blade-repair.md)",
    "[Bernd](./bernd-blade-repair.md#start)",
    "[Craft](../values/craft.md)",
    "[Bernd](/stories/bernd-blade-repair/)",
    "[Bernd](/stories/bernd-blade-repair)",
    "[Bernd](/stories/bernd-blade-repair/index.html?x=1)",
    "[Bernd](../bernd-blade-repair/)",
    "[all](/stories/) [values](/values/) [home](/) [feed](/feed.xml)",
    "[value feed](/values/craft/feed.xml) [sitemap](/sitemap.xml)",
    "[abs](https://careers.test.example/stories/bernd-blade-repair/)",
    "[here](#team) [query](?a=1) [mail](mailto:a@b.example) [out](https://other.example/x)",
    "`[code](/nope/)`\n\n```\n[code](/nope/)\n```",
    '<a href="bernd-blade-repair.md">raw</a>',
    "![A picture][pic] and ![pic2]\n\n[pic]: images/x.png\n[pic2]: images/y.png",
]


@pytest.mark.parametrize("body", FINE)
def test_links_to_existing_pages_are_fine(tmp_path: Path, body: str) -> None:
    assert _links(tmp_path, body) == []


BROKEN = [
    (
        "Old: [post](/blog/2019/anna/)",
        "the link `/blog/2019/anna/` leads to no page of the site",
        HINT,
    ),
    (
        "[Bernd](/stories/bernd-blade-repiar/)",
        "the link `/stories/bernd-blade-repiar/` leads to no page of the site",
        f"did you mean `/stories/bernd-blade-repair/`? {HINT}",
    ),
    (
        "[Bernd](../bernd-blade-repiar/#x)",
        "the link `../bernd-blade-repiar/` (`/stories/bernd-blade-repiar/`) leads to no page "
        "of the site",
        f"did you mean `/stories/bernd-blade-repair/`? {HINT}",
    ),
    (
        "[Bernd](bernd-blade-repiar.md)",
        "the link `bernd-blade-repiar.md` leads to no file in content/",
        f"did you mean `bernd-blade-repair.md`? {HINT}",
    ),
    (
        "[Craft](../values/kraft.md)",
        "the link `../values/kraft.md` leads to no file in content/",
        f"did you mean `../values/craft.md`? {HINT}",
    ),
    (
        "[Cleo](cleo-draft.md)",
        "the link `cleo-draft.md` leads to a story that is not published",
        HINT,
    ),
    (
        '<a href="/jobs/">raw</a>',
        "the link `/jobs/` leads to no page of the site",
        HINT,
    ),
    (
        "[ref][r]\n\n[r]: /team/",
        "the link `/team/` leads to no page of the site",
        HINT,
    ),
    (
        "[abs](https://careers.test.example/blog/)",
        "the link `/blog/` leads to no page of the site",
        HINT,
    ),
]


@pytest.mark.parametrize(("body", "message", "hint"), BROKEN)
def test_a_link_to_no_page_is_a_warning_with_a_guess(
    tmp_path: Path, body: str, message: str, hint: str
) -> None:
    line = STORY_LINE + body.count("\n")  # the link is on the body's last line
    assert _links(tmp_path, body) == [(line, message, hint)]


def test_links_between_content_files_lead_to_their_pages(tmp_path: Path) -> None:
    body = (
        '[B](bernd-blade-repair.md#x) [C](../values/craft.md) <a href="bernd-blade-repair.md">r</a>'
    )
    root = _site(tmp_path, body)
    assert run_build(root).ok
    html = (root / "output/stories/anna-night-shift/index.html").read_text(encoding="utf-8")
    assert '<a href="/stories/bernd-blade-repair/#x">B</a>' in html
    assert '<a href="/values/craft/">C</a>' in html
    assert '<a href="/stories/bernd-blade-repair/">r</a>' in html


def test_a_base_path_is_part_of_every_address(tmp_path: Path) -> None:
    config = SITE_TOML.replace("https://careers.test.example/", "https://t.example/careers/")
    body = "[B](bernd-blade-repair.md) [C](/careers/values/) [old](/stories/)"
    assert _links(tmp_path, body, config) == [
        (
            STORY_LINE,
            "the link `/stories/` leads to no page of the site",
            f"did you mean `/careers/stories/`? {HINT}",
        )
    ]
    html = (tmp_path / "output/stories/anna-night-shift/index.html").read_text(encoding="utf-8")
    assert '<a href="/careers/stories/bernd-blade-repair/">B</a>' in html


def test_check_strict_fails_on_a_broken_link(tmp_path: Path) -> None:
    root = _site(tmp_path, "[old](/blog/)")
    assert brandsite("check", cwd=root).returncode == 0
    strict = brandsite("check", "--strict", cwd=root)
    assert strict.returncode != 0
    assert "content/stories/anna-night-shift.md:7: warning: the link `/blog/`" in strict.stdout + (
        strict.stderr
    )


def test_find_links_reads_markdown_raw_html_and_definitions() -> None:
    body = (
        '[a](x.md "t") ![pic](p.jpg) [b](<with space.md>)\n'
        '<a href="/y/">y</a> <img src="images/z.png" alt="">\n\n'
        "    [code](/indented/)\n\n"
        "[d]: /defined/\n"
    )
    assert find_links(body) == [
        FoundLink(0, "x.md"),
        FoundLink(0, "with space.md"),
        FoundLink(1, "/y/"),
        FoundLink(1, "images/z.png", picture=True),
        FoundLink(5, "/defined/"),
    ]


def test_which_pages_exist_is_not_part_of_the_markdown_cache(tmp_path: Path) -> None:
    """A story added must not make every body convert again; cached HTML still finds x.md's page."""
    from generator.engine.cache import HtmlStore
    from generator.markdown.convert import MarkdownRenderer

    store = HtmlStore(tmp_path / "html.sqlite")
    first = MarkdownRenderer("h.example", store=store, pages={"content/stories/b.md": "/b/"})
    later = MarkdownRenderer("h.example", store=store, pages={"content/stories/b.md": "/new/b/"})
    assert first.settings_key == later.settings_key
    text = "[B](b.md#x) and `[B](b.md)`"
    assert '<a href="/b/#x">B</a>' in first.convert(text, "content/stories/a.md", key="k")
    store.close()  # written
    cached = later.convert(None, "content/stories/a.md", key="k")
    assert '<a href="/new/b/#x">B</a> and <code>[B](b.md)</code>' in cached
