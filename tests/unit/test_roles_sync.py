"""An import against the job files there are: added, updated, removed, unchanged, nothing on failure."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import REPO
from generator.content.loading import SourceFile
from generator.errors import Severity
from generator.roles.entries import load_jobs, parse_job
from generator.roles.feed import FeedRole
from generator.roles.importer import plan_import
from generator.roles.mapping import ImportSettings, map_role, type_words_for
from generator.roles.sync import SyncPlan, apply_sync, read_existing

FIXTURES = REPO / "tests" / "fixtures" / "ats"
BOARD = "https://wavelight.jobs.personio.de"


def settings(source: str = "personio", **changes: object) -> ImportSettings:
    base: dict[str, object] = {
        "source": source,
        "teams": {"Offshore Service": "Offshore Service North Sea"},
        "type_words": {},
        "timezone": "Europe/Berlin",
    }
    base.update(changes)
    return ImportSettings(**base)  # type: ignore[arg-type]


def run_import(root: Path, name: str, source: str = "personio") -> SyncPlan:
    plan, problems = plan_import(
        (FIXTURES / name).read_bytes(), name, settings(source), read_existing(root), BOARD
    )
    assert plan is not None, problems
    apply_sync(root, plan)
    return plan


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    folder = root / "content" / "jobs"
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_a_first_import_adds_one_valid_job_file_per_role(tmp_path: Path) -> None:
    plan = run_import(tmp_path, "personio.xml")
    assert plan.added == (
        "content/jobs/recruiter-in-fuer-technische-berufe-teilzeit-moeglich-1501200.md",
        "content/jobs/servicetechniker-in-offshore-windenergie-m-w-d-1482031.md",
        "content/jobs/werkstudent-in-datenqualitaet-windparks-m-w-d-1490877.md",
    )
    assert plan.summary() == "3 added, 0 updated, 0 removed, 0 unchanged"
    jobs, problems = load_jobs(tmp_path)
    assert problems == []
    service = jobs[1]
    assert service.title == "Servicetechniker:in Offshore-Windenergie (m/w/d)"
    assert service.team == "Offshore Service North Sea"  # mapped
    assert jobs[0].team == "People & Culture"  # as the ATS has it
    assert service.locations == ("Cuxhaven", "Emden")
    assert service.employment_types == ("full-time",)
    assert jobs[0].remote and jobs[0].locations == ("Hamburg",)  # Homeoffice is not a place
    assert jobs[0].employment_types == ("full-time", "part-time")
    assert jobs[2].employment_types == ("working-student", "part-time")
    # 23:30 UTC on the 20th is the 21st in Berlin.
    assert jobs[2].date_posted == dt.date(2026, 11, 21)
    assert service.ats is not None and service.ats.id == "1482031"
    assert service.apply_url == "https://wavelight.jobs.personio.de/job/1482031"


def test_the_file_is_written_in_a_fixed_order(tmp_path: Path) -> None:
    run_import(tmp_path, "personio.xml")
    text = (
        tmp_path / "content/jobs/servicetechniker-in-offshore-windenergie-m-w-d-1482031.md"
    ).read_text(encoding="utf-8")
    assert text == (
        "---\n"
        "# Imported by `brandsite jobs import --from personio`: edit the role there, not here.\n"
        "title: Servicetechniker:in Offshore-Windenergie (m/w/d)\n"
        "team: Offshore Service North Sea\n"
        "location:\n- Cuxhaven\n- Emden\n"
        "employment_type: full-time\n"
        "date_posted: 2026-11-02\n"
        "apply_url: https://wavelight.jobs.personio.de/job/1482031\n"
        "ats:\n  source: personio\n  id: '1482031'\n"
        "  url: https://wavelight.jobs.personio.de/job/1482031\n"
        "---\n\n"
        "## Deine Aufgaben\n\n"
        "- Wartung und Instandsetzung von Windenergieanlagen in der Deutschen Bucht\n"
        "- Fehlersuche an Umrichtern, Getrieben und Pitch-Systemen\n"
        "- Arbeit im 14/14-Rhythmus auf unserem Service-Schiff *Skylark*\n\n"
        "## Das bringst du mit\n\n"
        "Eine abgeschlossene Ausbildung als Elektroniker:in oder Mechatroniker:in und Lust auf "
        "Höhe und See. **GWO-Zertifikate** sind ein Plus, aber kein Muss – die Schulungen "
        "übernehmen wir.\n"
    )


def test_the_same_feed_again_changes_nothing_not_even_a_modification_time(tmp_path: Path) -> None:
    run_import(tmp_path, "personio.xml")
    before = snapshot(tmp_path)
    plan = run_import(tmp_path, "personio.xml")
    assert plan.writes == () and plan.removes == ()
    assert plan.summary() == "0 added, 0 updated, 0 removed, 3 unchanged"
    assert snapshot(tmp_path) == before


def test_the_next_feed_adds_updates_and_removes_and_leaves_the_rest(tmp_path: Path) -> None:
    run_import(tmp_path, "personio.xml")
    before = snapshot(tmp_path)
    plan = run_import(tmp_path, "personio-next.xml")
    assert plan.added == (
        "content/jobs/ausbildung-elektroniker-in-fuer-betriebstechnik-2027-1510333.md",
    )
    assert plan.updated == (
        "content/jobs/servicetechniker-in-offshore-windenergie-m-w-d-1482031.md",
    )
    assert plan.removed == (
        "content/jobs/werkstudent-in-datenqualitaet-windparks-m-w-d-1490877.md",
    )
    assert plan.unchanged == (
        "content/jobs/recruiter-in-fuer-technische-berufe-teilzeit-moeglich-1501200.md",
    )
    after = snapshot(tmp_path)
    name = "recruiter-in-fuer-technische-berufe-teilzeit-moeglich-1501200.md"
    assert after[name] == before[name]
    assert (
        "Pitch- und Yaw-Systemen"
        in after["servicetechniker-in-offshore-windenergie-m-w-d-1482031.md"][0].decode()
    )
    assert "werkstudent-in-datenqualitaet-windparks-m-w-d-1490877.md" not in after
    jobs, problems = load_jobs(tmp_path)
    assert problems == [] and len(jobs) == 3
    assert jobs[0].employment_types == ("apprenticeship", "full-time")


def test_files_written_by_hand_or_by_another_ats_are_never_touched(tmp_path: Path) -> None:
    folder = tmp_path / "content" / "jobs"
    folder.mkdir(parents=True)
    hand = folder / "werkstudent-in-datenqualitaet-windparks-m-w-d-1490877.md"
    hand.write_text("---\ntitle: Written by HR\n---\nMine.\n", encoding="utf-8")
    run_import(tmp_path, "lever.json", source="lever")
    others = snapshot(tmp_path)
    plan = run_import(tmp_path, "personio.xml")
    # The name HR's file has is taken: the imported role gets the next free one.
    assert "content/jobs/werkstudent-in-datenqualitaet-windparks-m-w-d-1490877-2.md" in plan.added
    plan = run_import(tmp_path, "personio-next.xml")
    after = snapshot(tmp_path)
    for name, state in others.items():
        assert after[name] == state
    assert plan.removed == (
        "content/jobs/werkstudent-in-datenqualitaet-windparks-m-w-d-1490877-2.md",
    )


def test_a_role_whose_title_changed_keeps_its_file_and_so_its_address(tmp_path: Path) -> None:
    run_import(tmp_path, "personio.xml")
    renamed = tmp_path / "renamed.xml"
    text = (FIXTURES / "personio.xml").read_text(encoding="utf-8")
    renamed.write_text(text.replace("Servicetechniker:in", "Windtechniker:in"), encoding="utf-8")
    plan, _ = plan_import(
        renamed.read_bytes(), "renamed.xml", settings(), read_existing(tmp_path), BOARD
    )
    assert plan is not None
    assert plan.updated == (
        "content/jobs/servicetechniker-in-offshore-windenergie-m-w-d-1482031.md",
    )
    assert plan.added == ()


@pytest.mark.parametrize(
    "name",
    [
        "personio-truncated.xml",
        "personio-wrong-root.xml",
        "personio-missing-name.xml",
        "personio-entity-bomb.xml",
        "personio-external-entity.xml",
    ],
)
def test_a_broken_feed_writes_nothing_and_removes_nothing(tmp_path: Path, name: str) -> None:
    run_import(tmp_path, "personio.xml")
    before = snapshot(tmp_path)
    plan, problems = plan_import(
        (FIXTURES / name).read_bytes(), name, settings(), read_existing(tmp_path), BOARD
    )
    assert plan is None
    assert [p.code for p in problems] == ["bad-feed"] and problems[0].source == name
    assert snapshot(tmp_path) == before


def test_a_feed_that_lists_an_id_twice_is_refused(tmp_path: Path) -> None:
    text = (FIXTURES / "personio.xml").read_text(encoding="utf-8").replace("1490877", "1482031")
    plan, problems = plan_import(text.encode(), "feed.xml", settings(), [], BOARD)
    assert plan is None
    assert problems[0].message.startswith("the feed lists the id 1482031 twice")


def test_greenhouse_and_lever_imports_give_valid_job_files(tmp_path: Path) -> None:
    run_import(tmp_path, "greenhouse.json", source="greenhouse")
    run_import(tmp_path, "lever.json", source="lever")
    jobs, problems = load_jobs(tmp_path)
    assert problems == []
    by_title = {job.title: job for job in jobs}
    frontend = by_title["Frontend Engineer, Control Room UI"]
    assert frontend.remote and frontend.locations == ("Portugal",)
    assert frontend.employment_types == ("contract",)
    assert "script" not in frontend.body_markdown and "evil" not in frontend.body_markdown
    science = by_title["Senior Data Scientist, Wind Forecasting"]
    assert science.salary is not None and (science.salary.min, science.salary.per) == (
        78000,
        "year",
    )
    assert science.apply_url.endswith("/apply") and science.ats is not None
    triage = by_title["Working Student, Alarm Triage"]
    assert triage.remote and triage.locations == () and triage.team == "Remote Operations Centre"


def role(**changes: object) -> FeedRole:
    base: dict[str, object] = {
        "ats_id": "7",
        "title": "Elektroniker:in",
        "department": "Technik",
        "locations": ("Kiel",),
        "remote": False,
        "types": ("Vollzeit",),
        "posted": dt.date(2026, 11, 2),
        "url": "https://x.example/7",
        "apply_url": "https://x.example/7",
        "description_html": "<p>Text</p>",
    }
    base.update(changes)
    return FeedRole(**base)  # type: ignore[arg-type]


def test_an_unknown_ats_type_is_a_warning_and_the_file_still_comes() -> None:
    job, problems = map_role(role(types=("Saisonkraft",)), settings(), "feed.xml")
    assert [(p.severity, p.code) for p in problems] == [(Severity.WARNING, "unknown-ats-type")]
    assert problems[0].hint.startswith(
        'add it to site.toml: `[jobs.employment_types]` then `"Saisonkraft"'
    )
    assert "employment_type" not in dict(job.fields)


def test_site_settings_extend_and_override_the_mapping_table() -> None:
    words = {"Saisonkraft": "temporary, part-time", "Vollzeit": ""}
    job, problems = map_role(
        role(types=("Saisonkraft", "Vollzeit")),
        settings(type_words=words, teams={"Technik": "Service"}),
        "f",
    )
    assert problems == []
    assert dict(job.fields)["employment_type"] == ["temporary", "part-time"]
    assert dict(job.fields)["team"] == "Service"
    assert type_words_for("Full Time", {}) == ("full-time",)
    assert type_words_for("full_or_part_time", {}) == ("full-time", "part-time")


def test_a_mapped_file_reads_back_as_the_same_role() -> None:
    from generator.roles.sync import render_job_file

    job, _ = map_role(role(salary=None, types=("intern",)), settings(lang="de"), "f")
    parsed, problems = parse_job(SourceFile("content/jobs/x.md", render_job_file(job, "personio")))
    assert problems == [] and parsed is not None
    assert (parsed.title, parsed.lang, parsed.employment_types) == (
        "Elektroniker:in",
        "de",
        ("internship",),
    )


def test_a_role_that_would_make_an_invalid_job_file_stops_the_import(tmp_path: Path) -> None:
    text = (FIXTURES / "personio.xml").read_text(encoding="utf-8")
    text = text.replace(
        "<office>Hamburg</office>\n    <department>Asset",
        "<office></office>\n    <department>Asset",
    )
    plan, problems = plan_import(text.encode(), "feed.xml", settings(), [], BOARD)
    assert plan is None
    assert [p.message for p in problems] == [
        "the role 'Werkstudent:in Datenqualität Windparks (m/w/d)' cannot become a job file: "
        "the required field `location` is missing"
    ]
