"""Job files (content/jobs/<slug>.md) → Job: each rule, its message and its line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.content.loading import SourceFile
from generator.errors import Severity
from generator.roles.entries import load_jobs, parse_job
from generator.roles.model import AtsRef, Job, Salary

GOOD = """\
---
title: Servicetechniker:in Offshore (m/w/d)
team: Offshore Service North Sea
location: [Cuxhaven, Emden]
employment_type: full-time
date_posted: 2026-11-02
valid_through: 2027-01-31
apply_url: https://jobs.example.com/apply/1482031
salary:
  min: 52000
  max: 64000
  currency: eur
  per: year
values: [ownership, Sustainability]
lang: de
ats:
  source: personio
  id: 1482031
  url: https://wavelight.jobs.personio.de/job/1482031
extra:
  shift: 14/14
---
Wartung in der Deutschen Bucht.
"""


def parse(text: str, source: str = "content/jobs/servicetechniker.md") -> tuple[Job | None, list]:
    return parse_job(SourceFile(source, text))


def test_a_complete_job_file_becomes_a_job() -> None:
    job, problems = parse(GOOD)
    assert problems == []
    assert job == Job(
        source="content/jobs/servicetechniker.md",
        slug="servicetechniker",
        title="Servicetechniker:in Offshore (m/w/d)",
        team="Offshore Service North Sea",
        locations=("Cuxhaven", "Emden"),
        remote=False,
        employment_types=("full-time",),
        date_posted=dt.date(2026, 11, 2),
        valid_through=dt.date(2027, 1, 31),
        apply_url="https://jobs.example.com/apply/1482031",
        salary=Salary(52000, 64000, "EUR", "year"),
        values=("ownership", "sustainability"),
        lang="de",
        ats=AtsRef("personio", "1482031", "https://wavelight.jobs.personio.de/job/1482031"),
        body_markdown="Wartung in der Deutschen Bucht.\n",
        body_line=23,
        extra={"shift": "14/14"},
        lines=job.lines if job else {},
    )
    assert job is not None
    assert job.line("salary") == 9 and job.line("valid_through") == 7
    assert job.line("missing") == 22  # the closing ---
    assert job.schema_employment_types == ("FULL_TIME",)


def minimal(**fields: str) -> str:
    base = {
        "title": "Data Engineer",
        "location": "Hamburg",
        "date_posted": "2026-11-02",
        "apply_url": "https://jobs.example.com/1",
    }
    base.update(fields)
    lines = [f"{k}: {v}" for k, v in base.items() if v != "-"]
    return "---\n" + "\n".join(lines) + "\n---\nBody.\n"


def test_a_minimal_job_has_no_problems() -> None:
    job, problems = parse(minimal())
    assert problems == [] and job is not None
    assert job.locations == ("Hamburg",) and job.employment_types == () and job.salary is None


@pytest.mark.parametrize(
    ("fields", "line", "code", "message"),
    [
        (
            {"titel": "X", "title": "-"},
            5,
            "unknown-field",
            "unknown field `titel` in a job",
        ),
        ({"title": "-"}, 5, "missing-field", "the required field `title` is missing"),
        ({"date_posted": "-"}, 5, "missing-field", "the required field `date_posted` is missing"),
        ({"location": "-"}, 5, "missing-field", "the required field `location` is missing"),
        (
            {"date_posted": "2026-13-01"},
            4,
            "bad-date",
            "`date_posted: 2026-13-01` is not a real date",
        ),
        (
            {"valid_through": "31.12.2026"},
            6,
            "bad-date",
            "`valid_through: 31.12.2026` is not a date in the form YYYY-MM-DD",
        ),
        (
            {"valid_through": "2026-10-01"},
            6,
            "closes-before-posted",
            "the role closes (2026-10-01) before it is posted (2026-11-02), so it never appears",
        ),
        (
            {"apply_url": "http://jobs.example.com/1"},
            5,
            "bad-apply-url",
            "`apply_url` must be a full https:// address, not 'http://jobs.example.com/1'",
        ),
        (
            {"remote": "maybe"},
            6,
            "bad-field-type",
            "`remote` must be true or false, not the text 'maybe'",
        ),
        (
            {"employment_type": "fulltime"},
            6,
            "unknown-employment-type",
            "`employment_type: fulltime` is not a kind of employment brandsite knows",
        ),
        ({"lang": "deutsch!"}, 6, "bad-language", "`lang: deutsch!` is not a language code"),
        ({"title": "[a, b]"}, 2, "bad-field-type", "`title` must be text on one line, not a list"),
        (
            {"salary": "{min: 90, max: 80, currency: EUR, per: year}"},
            6,
            "bad-salary",
            "`salary.min` (90) is more than `salary.max` (80)",
        ),
        (
            {"salary": "{min: 1, max: 2, currency: Euro, per: year}"},
            6,
            "bad-salary",
            "`salary.currency` must be a three-letter currency code such as EUR",
        ),
        (
            {"salary": "{min: 1, max: 2, currency: EUR, per: fortnight}"},
            6,
            "bad-salary",
            "`salary.per` must be one of hour, day, week, month, year",
        ),
        (
            {"salary": "{min: 1, max: 2, currency: EUR, per: year, bonus: 3}"},
            6,
            "unknown-field",
            "unknown field `salary.bonus`",
        ),
        (
            {"ats": "{source: workday, id: 1, url: 'https://x.example/'}"},
            6,
            "bad-ats",
            "`ats.source` must be one of greenhouse, lever, personio",
        ),
        (
            {"slug": "Not A Slug"},
            6,
            "bad-slug",
            "`slug` gives the URL segment 'Not A Slug', which is not a plain URL segment",
        ),
    ],
)
def test_each_problem_is_reported_at_its_line(
    fields: dict[str, str], line: int, code: str, message: str
) -> None:
    job, problems = parse(minimal(**fields))
    assert job is None
    found = [(p.line, p.code, p.message) for p in problems]
    assert (line, code, message) in found, found


def test_a_misspelt_field_says_what_was_meant_and_is_not_also_missing() -> None:
    text = minimal(date_posted="-", datum_posted="2026-11-02", locaton="Kiel", location="-")
    job, problems = parse(text)
    assert job is None
    messages = [(p.code, p.hint.split(" known")[0]) for p in problems]
    assert ("unknown-field", "did you mean `date_posted`?") in messages
    assert ("unknown-field", "did you mean `location`?") in messages
    assert not [p for p in problems if p.code == "missing-field"]


def test_every_problem_of_a_file_is_reported_at_once() -> None:
    text = minimal(date_posted="2026-02-30", apply_url="ftp://x", remote="sometimes", lang="x1!")
    _, problems = parse(text)
    assert sorted(p.code for p in problems) == [
        "bad-apply-url",
        "bad-date",
        "bad-field-type",
        "bad-language",
    ]
    assert all(p.severity is Severity.ERROR for p in problems)


def test_a_remote_role_needs_no_location() -> None:
    job, problems = parse(minimal(location="-", remote="true"))
    assert problems == [] and job is not None and job.remote and job.locations == ()


def test_employment_types_may_be_a_list_and_are_written_loosely() -> None:
    job, _ = parse(minimal(employment_type="[Full time, part_time, full-time]"))
    assert job is not None
    assert job.employment_types == ("full-time", "part-time")
    assert job.schema_employment_types == ("FULL_TIME", "PART_TIME")


def test_a_file_without_front_matter_is_the_front_matter_problem() -> None:
    job, problems = parse("Just text.\n")
    assert job is None and [p.code for p in problems] == ["no-front-matter"]


def test_load_jobs_reads_the_folder_sorted_and_catches_two_roles_on_one_slug(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "content" / "jobs"
    folder.mkdir(parents=True)
    (folder / "b.md").write_text(minimal(slug="a"), encoding="utf-8")
    (folder / "a.md").write_text(minimal(), encoding="utf-8")
    (folder / "notes.txt").write_text("not a role", encoding="utf-8")
    (folder / "c.md").write_text(minimal(title="-"), encoding="utf-8")
    jobs, problems = load_jobs(tmp_path)
    assert [job.source for job in jobs] == ["content/jobs/a.md", "content/jobs/b.md"]
    assert [(p.source, p.code) for p in problems] == [
        ("content/jobs/c.md", "missing-field"),
        ("content/jobs/b.md", "duplicate-slug"),
    ]


def test_no_jobs_folder_is_no_jobs(tmp_path: Path) -> None:
    assert load_jobs(tmp_path) == ((), [])


def test_values_written_on_one_line_with_commas_are_several() -> None:
    job, _ = parse(minimal(values="ownership, Customer Focus"))
    assert job is not None and job.values == ("ownership", "customer-focus")
