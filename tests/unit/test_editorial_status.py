"""Calendar and report agree with the build on every story's status: one publish rule."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import SITE_TOML, TODAY, run_build, write_site
from generator.cli import main
from generator.content.publishing import PublishOptions, PublishStatus, publish_status

CONSENT = "consent:\n  by: Ada Lovelace\n  date: 2025-12-01\n"

# name → (front matter lines after title/author/values, status on 2026-11-22, day it is dated)
STORIES: dict[str, tuple[str, str, str]] = {
    "live": ("date: 2026-11-10\n" + CONSENT, "published", "2026-11-10"),
    "draft": ("date: 2026-11-10\ndraft: true\n" + CONSENT, "draft", "2026-11-10"),
    "tomorrow": ("date: 2026-11-23\n" + CONSENT, "scheduled", "2026-11-23"),
    "expired": (
        "date: 2026-10-01\nexpires: 2026-11-21\n" + CONSENT,
        "expired",
        "2026-10-01",
    ),
    "no-consent": ("date: 2026-11-10\n", "needs-consent", "2026-11-10"),
    # Written as today, but 23:30 in New York is 05:30 tomorrow in Berlin, the site's zone.
    "late-in-new-york": ("date: 2026-11-22 23:30:00 -0500\n" + CONSENT, "scheduled", "2026-11-23"),
    # Written as tomorrow, but 00:30 in Tokyo is 16:30 today in Berlin.
    "early-in-tokyo": ("date: 2026-11-23 00:30:00 +0900\n" + CONSENT, "published", "2026-11-22"),
}


def story_text(name: str, fields: str) -> str:
    return f"---\ntitle: Story {name}\nauthor: Ada\nvalues: [craft]\n{fields}---\nThe story.\n"


def editorial_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    capsys.readouterr()
    main([*args, "--now", TODAY.isoformat(), "--format", "json"])
    return json.loads(capsys.readouterr().out)


def test_calendar_report_and_build_agree_on_every_status(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    files = {f"content/stories/{n}.md": story_text(n, f) for n, (f, _, _) in STORIES.items()}
    root = write_site(tmp_path / "p", files, SITE_TOML + "require_consent = true\n")
    plan = editorial_json(capsys, "calendar", "--root", str(root), "--past", "8")
    planned = {s["slug"]: s for w in plan["weeks"] for s in w["stories"]}  # type: ignore[index]
    planned.update((s["slug"], s) for s in plan["drafts"])  # type: ignore[union-attr]
    assert {n: (s["status"], s["date"]) for n, s in planned.items()} == {
        n: (status, day) for n, (_, status, day) in STORIES.items()
    }
    assert sorted(s["slug"] for s in plan["scheduled"]) == ["late-in-new-york", "tomorrow"]  # type: ignore[union-attr]
    report = editorial_json(
        capsys, "report", "--root", str(root), "--out", str(tmp_path / "report")
    )
    assert (report["published"], report["scheduled"], report["drafts"]) == (2, 2, 1)

    # The build: the story without consent is refused, and only it.
    result = run_build(root)
    assert [(d.code, d.source) for d in result.diagnostics if d.severity == "error"] == [
        ("missing-consent", "content/stories/no-consent.md")
    ]
    (root / "content/stories/no-consent.md").unlink()
    result = run_build(root)
    assert result.ok and result.site is not None, result.diagnostics
    built = {s.slug: s.date.isoformat() for s in result.site.stories}
    assert built == {n: day for n, (_, status, day) in STORIES.items() if status == "published"}


@pytest.mark.parametrize(
    ("draft", "expires", "consent", "date", "options", "status"),
    [
        (True, None, None, "2026-11-30", {}, PublishStatus.DRAFT),
        (True, None, None, "2026-11-10", {"include_drafts": True}, PublishStatus.PUBLISHED),
        (True, "2026-11-01", None, "2026-10-10", {}, PublishStatus.DRAFT),
        (False, "2026-11-21", None, "2026-10-10", {"require_consent": True}, PublishStatus.EXPIRED),
        (False, "2026-11-22", True, "2026-10-10", {}, PublishStatus.PUBLISHED),  # its last day
        (False, None, None, "2026-11-30", {"require_consent": True}, PublishStatus.NEEDS_CONSENT),
        (False, None, True, "2026-11-23", {"require_consent": True}, PublishStatus.SCHEDULED),
        (False, None, None, "2026-11-22", {}, PublishStatus.PUBLISHED),
    ],
)
def test_the_publish_rule(
    draft: bool,
    expires: str | None,
    consent: bool | None,
    date: str,
    options: dict[str, bool],
    status: PublishStatus,
) -> None:
    from editorial_helpers import entry

    extra = (f"expires: {expires}\n" if expires else "") + (CONSENT if consent else "")
    story = entry("s", date, draft=draft, extra=extra.rstrip("\n"))
    assert publish_status(story, PublishOptions(TODAY, **options)) is status
