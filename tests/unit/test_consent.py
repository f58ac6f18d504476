"""Consent and expiry: who agreed, until when; expired stories vanish everywhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import SITE_TOML, codes, run_build, story
from generator.cli import main
from generator.content.model import Consent

CONSENT = "consent:\n  by: Ada Lovelace\n  date: 2025-12-01\n"


def with_fields(fields: str, **kwargs: str) -> str:
    """A story with extra front matter ``fields`` before ``values``."""
    return story(**kwargs).replace("values:", fields + "values:")


def published_everywhere(root: Path, slug: str) -> dict[str, bool]:
    out = root / "output"
    return {
        "page": (out / f"stories/{slug}/index.html").exists(),
        "listing": f"/stories/{slug}/" in (out / "stories/index.html").read_text(),
        "home": f"/stories/{slug}/" in (out / "index.html").read_text(),
        "feed": f"/stories/{slug}/" in (out / "feed.xml").read_text(),
        "value feed": f"/stories/{slug}/" in (out / "values/craft/feed.xml").read_text(),
        "sitemap": f"/stories/{slug}/" in (out / "sitemap.xml").read_text(),
    }


def test_consent_and_expires_reach_the_model(site) -> None:
    root = site({"content/stories/a.md": with_fields(CONSENT + "expires: 2027-06-30\n")})
    result = run_build(root)
    assert result.ok, result.diagnostics
    assert result.site is not None
    (only,) = result.site.stories
    assert only.consent == Consent("Ada Lovelace", dt.date(2025, 12, 1))
    assert only.expires == dt.date(2027, 6, 30)


@pytest.mark.parametrize(
    ("today", "visible"),
    [(dt.date(2026, 11, 30), True), (dt.date(2026, 12, 1), True), (dt.date(2026, 12, 2), False)],
)
def test_expired_story_disappears_everywhere(site, today: dt.date, visible: bool) -> None:
    other = story(title="Other", date="2026-01-01")
    files = {
        "content/stories/a.md": with_fields("expires: 2026-12-01\n", title="Leaving"),
        "content/stories/b.md": other,
        "content/stories/images/a.jpg": b"",
    }
    root = site(files)
    result = run_build(root, today=today)
    assert result.ok, result.diagnostics
    assert published_everywhere(root, "a") == dict.fromkeys(
        ("page", "listing", "home", "feed", "value feed", "sitemap"), visible
    )
    assert published_everywhere(root, "b")["page"]


def test_expired_story_pictures_are_not_published(site) -> None:
    import io

    from PIL import Image as PILImage

    buffer = io.BytesIO()
    PILImage.new("RGB", (300, 200)).save(buffer, "JPEG")
    text = with_fields("image: images/a.jpg\nimage_alt: A\nexpires: 2026-01-31\n")
    root = site({"content/stories/a.md": text, "content/stories/images/a.jpg": buffer.getvalue()})
    assert run_build(root, today=dt.date(2026, 2, 1)).ok
    assert not (root / "output/media").exists()


@pytest.mark.parametrize(
    ("expires", "today", "expected"),
    [
        ("2026-12-22", dt.date(2026, 11, 22), "in 30 days"),
        ("2026-11-23", dt.date(2026, 11, 22), "in 1 day"),
        ("2026-11-22", dt.date(2026, 11, 22), "today"),
    ],
)
def test_consent_expiring_warning(site, expires: str, today: dt.date, expected: str) -> None:
    root = site({"content/stories/a.md": with_fields(f"expires: {expires}\n")})
    result = run_build(root, today=today)
    assert result.ok
    assert [(d.location, d.severity.value, d.code, d.message) for d in result.diagnostics] == [
        (
            "content/stories/a.md:5",
            "warning",
            "consent-expiring",
            f"the story expires on {expires} ({expected}); after that day it is no longer "
            "published",
        )
    ]


@pytest.mark.parametrize(
    ("fields", "today"),
    [
        ("expires: 2026-12-23\n", dt.date(2026, 11, 22)),  # 31 days away
        ("expires: 2026-11-21\n", dt.date(2026, 11, 22)),  # already expired: just gone
        ("expires: 2026-11-30\ndraft: true\n", dt.date(2026, 11, 22)),  # drafts are not published
    ],
)
def test_no_expiry_warning(site, fields: str, today: dt.date) -> None:
    root = site({"content/stories/a.md": with_fields(fields)})
    result = run_build(root, today=today)
    assert result.diagnostics == []


def test_check_lists_expiring_stories_with_now(site, capsys) -> None:
    root = site(
        {
            "content/stories/a.md": with_fields("expires: 2026-03-10\n", title="Soon"),
            "content/stories/b.md": with_fields("expires: 2026-09-01\n", title="Later"),
        }
    )
    assert main(["check", "--root", str(root), "--now", "2026-03-01"]) == 0
    captured = capsys.readouterr()
    assert captured.err == (
        "1. content/stories/a.md:5: warning: the story expires on 2026-03-10 (in 9 days); "
        "after that day it is no longer published [consent-expiring]\n"
        "   hint: renew the consent and move `expires` later, or let the story retire\n"
        "0 errors, 1 warning in 1 file\n"
    )
    assert "b.md" not in captured.err
    assert "All good: 2 stories would be published; 0 errors, 1 warning in 1 file." in captured.out
    assert main(["check", "--root", str(root), "--now", "2026-08-20"]) == 0
    captured = capsys.readouterr()
    assert "b.md:5: warning: the story expires on 2026-09-01 (in 12 days)" in captured.err
    assert "All good: 1 story would be published" in captured.out


REQUIRE = SITE_TOML + "require_consent = true\n"


def test_require_consent(site) -> None:
    root = site(
        {
            "content/stories/a.md": story(),
            "content/stories/b.md": with_fields(CONSENT),
            "content/stories/c.md": with_fields("draft: true\n"),
            "content/stories/d.md": with_fields("expires: 2026-02-01\n", date="2026-01-01"),
        },
        config=REQUIRE,
    )
    result = run_build(root)
    assert [(d.location, d.code, d.message) for d in result.diagnostics] == [
        (
            "content/stories/a.md:6",
            "missing-consent",
            "the story has no `consent`, and site.toml says `require_consent = true`",
        )
    ]
    result = run_build(root, include_drafts=True)
    assert sorted(d.location for d in result.diagnostics) == [
        "content/stories/a.md:6",
        "content/stories/c.md:7",
    ]


def test_scheduled_story_needs_consent_too(site) -> None:
    root = site({"content/stories/a.md": story(date="2027-01-01")}, config=REQUIRE)
    assert codes(run_build(root)) == ["missing-consent"]


@pytest.mark.parametrize(
    ("fields", "code", "message", "line"),
    [
        ("consent: yes\n", "bad-field-type",
         "`consent` must be a group of fields, not `yes`", 5),
        ("consent:\n  by: Ada\n", "bad-consent",
         "`consent` must say when they agreed (`date`, as YYYY-MM-DD)", 5),
        ("consent:\n  date: 2025-01-01\n", "bad-consent", "`consent` must say who agreed (`by`)", 5),
        ("consent:\n  by: Ada\n  date: 2025-02-30\n", "bad-consent",
         "`consent` must say when they agreed (`date`, as YYYY-MM-DD)", 5),
        ("consent:\n  by: Ada\n  dated: 2025-01-01\n  date: 2025-01-01\n", "unknown-field",
         "unknown field `consent.dated`", 5),
        ("expires: soon\n", "bad-date", "`expires: soon` is not a date in the form YYYY-MM-DD", 5),
        ("expires: 2025-01-01\n", "expires-before-date",
         "the story expires (2025-01-01) before it is published (2026-01-10), so it never appears",
         5),
    ],
)  # fmt: skip
def test_bad_consent_and_expiry(site, fields: str, code: str, message: str, line: int) -> None:
    root = site({"content/stories/a.md": with_fields(fields)})
    result = run_build(root)
    assert [(d.location, d.code, d.message) for d in result.diagnostics] == [
        (f"content/stories/a.md:{line}", code, message)
    ]


def test_unknown_consent_field_suggests(site) -> None:
    root = site({"content/stories/a.md": with_fields("consent:\n  by: A\n  dat: 2025-01-01\n")})
    problems = run_build(root).diagnostics
    hints = {d.code: d.hint for d in problems}
    assert hints["unknown-field"] == "did you mean `date`? `consent` takes `by` and `date`"


def test_incremental_build_retires_an_expired_story(site) -> None:
    from generator.engine.build import build
    from generator.engine.incremental import BuildState
    from generator.engine.records import BuildOptions

    root = site(
        {
            "content/stories/a.md": with_fields("expires: 2026-12-01\n", title="Leaving"),
            **{f"content/stories/s{i}.md": story(title=f"S{i}") for i in range(6)},
        }
    )
    state = BuildState()

    def build_on(day: dt.date):
        options = BuildOptions(
            root=root, output=root / "output", now=dt.datetime(2026, 1, 1, tzinfo=dt.UTC), today=day
        )
        return build(options, state)

    assert build_on(dt.date(2026, 12, 1)).ok
    assert (root / "output/stories/a/index.html").exists()
    assert build_on(dt.date(2026, 12, 2)).ok  # the same session, the next day
    assert published_everywhere(root, "a") == dict.fromkeys(
        ("page", "listing", "home", "feed", "value feed", "sitemap"), False
    )
