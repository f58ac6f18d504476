"""is_open, and JobPosting JSON-LD checked against Google's required and recommended fields."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from generator.errors import Severity
from generator.roles.model import AtsRef, Job, Salary
from generator.roles.posting import (
    RECOMMENDED_FIELDS,
    REQUIRED_FIELDS,
    Organisation,
    is_open,
    job_posting,
    missing_required,
    posting_warnings,
    site_today,
)

ORG = Organisation(
    name="Wavelight Energy",
    same_as="https://careers.wavelight.example/",
    logo="https://careers.wavelight.example/static/logo.svg",
    timezone="Europe/Berlin",
    countries={"Cuxhaven": "DE", "Emden": "DE"},
)
URL = "https://careers.wavelight.example/jobs/servicetechniker/"
JOB = Job(
    source="content/jobs/servicetechniker.md",
    slug="servicetechniker",
    title="Servicetechniker:in Offshore (m/w/d)",
    team="Offshore Service North Sea",
    locations=("Cuxhaven", "Emden"),
    remote=False,
    employment_types=("full-time", "part-time"),
    date_posted=dt.date(2026, 11, 2),
    valid_through=dt.date(2027, 1, 31),
    apply_url="https://wavelight.jobs.personio.de/job/1482031",
    salary=Salary(52000, 64000, "EUR", "year"),
    lang="de",
    ats=AtsRef("personio", "1482031", "https://wavelight.jobs.personio.de/job/1482031"),
    body_markdown="Wartung & Instandsetzung.\n\nIm 14/14-Rhythmus <auf See>.\n",
    lines={"title": 2, "location": 4, "salary": 9, "employment_type": 5, "": 20},
)


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (dt.date(2026, 11, 1), False),  # not posted yet
        (dt.date(2026, 11, 2), True),
        (dt.date(2027, 1, 31), True),  # the last day is still open
        (dt.date(2027, 2, 1), False),
    ],
)
def test_a_role_is_open_from_its_posting_to_its_last_day(today: dt.date, expected: bool) -> None:
    assert is_open(JOB, today) is expected


def test_a_role_without_an_end_stays_open() -> None:
    assert is_open(dataclasses.replace(JOB, valid_through=None), dt.date(2099, 1, 1))


def test_the_posting_has_every_required_and_recommended_field() -> None:
    posting = job_posting(JOB, ORG, URL, description_html="<p>Wartung</p>")
    assert missing_required(posting) == []
    assert set(REQUIRED_FIELDS) | set(RECOMMENDED_FIELDS) <= set(posting)
    assert posting == {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": "Servicetechniker:in Offshore (m/w/d)",
        "description": "<p>Wartung</p>",
        "datePosted": "2026-11-02",
        "hiringOrganization": {
            "@type": "Organization",
            "name": "Wavelight Energy",
            "sameAs": "https://careers.wavelight.example/",
            "logo": "https://careers.wavelight.example/static/logo.svg",
        },
        "url": URL,
        "directApply": False,
        "identifier": {"@type": "PropertyValue", "name": "personio", "value": "1482031"},
        # Midnight in Berlin, in winter time.
        "validThrough": "2027-01-31T23:59:59+01:00",
        "employmentType": ["FULL_TIME", "PART_TIME"],
        "jobLocation": [
            {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": "Cuxhaven",
                    "addressCountry": "DE",
                },
            },
            {
                "@type": "Place",
                "address": {
                    "@type": "PostalAddress",
                    "addressLocality": "Emden",
                    "addressCountry": "DE",
                },
            },
        ],
        "baseSalary": {
            "@type": "MonetaryAmount",
            "currency": "EUR",
            "value": {
                "@type": "QuantitativeValue",
                "unitText": "YEAR",
                "minValue": 52000,
                "maxValue": 64000,
            },
        },
        "inLanguage": "de",
    }
    json.dumps(posting)  # plain data all the way down


def test_a_remote_role_is_telecommute_with_the_countries_applicants_may_live_in() -> None:
    remote = dataclasses.replace(JOB, remote=True, locations=("Germany", "Netherlands"))
    posting = job_posting(remote, ORG, URL)
    assert "jobLocation" not in posting
    assert posting["jobLocationType"] == "TELECOMMUTE"
    assert posting["applicantLocationRequirements"] == [
        {"@type": "Country", "name": "Germany"},
        {"@type": "Country", "name": "Netherlands"},
    ]
    assert missing_required(posting) == []


def test_without_rendered_html_the_description_is_the_escaped_text() -> None:
    posting = job_posting(JOB, ORG, URL)
    assert posting["description"] == (
        "<p>Wartung &amp; Instandsetzung.</p>\n<p>Im 14/14-Rhythmus &lt;auf See&gt;.</p>"
    )


def test_a_single_figure_is_a_value_and_a_hand_written_role_is_identified_by_its_slug() -> None:
    job = dataclasses.replace(JOB, salary=Salary(18.5, 18.5, "EUR", "hour"), ats=None)
    posting = job_posting(job, ORG, URL)
    assert posting["baseSalary"]["value"] == {
        "@type": "QuantitativeValue",
        "unitText": "HOUR",
        "value": 18.5,
    }
    assert posting["identifier"] == {
        "@type": "PropertyValue",
        "name": "Wavelight Energy",
        "value": "servicetechniker",
    }


@pytest.mark.parametrize(
    ("change", "missing"),
    [
        ({"title": ""}, ["title"]),
        ({"locations": ()}, ["jobLocation"]),
        ({"remote": True, "locations": ()}, ["applicantLocationRequirements"]),
    ],
)
def test_missing_required_names_what_google_would_refuse(change: dict, missing: list[str]) -> None:
    assert missing_required(job_posting(dataclasses.replace(JOB, **change), ORG, URL)) == missing


def test_missing_required_checks_the_organisation() -> None:
    org = dataclasses.replace(ORG, same_as="")
    assert missing_required(job_posting(JOB, org, URL)) == ["hiringOrganization.sameAs"]


def test_a_complete_role_has_no_warnings() -> None:
    assert posting_warnings(JOB, ORG) == []


def test_missing_recommended_fields_are_warnings_at_the_jobs_lines() -> None:
    bare = dataclasses.replace(
        JOB, valid_through=None, salary=None, employment_types=(), locations=("Kiel",)
    )
    found = [(w.line, w.code) for w in posting_warnings(bare, ORG)]
    assert found == [
        (20, "job-without-end"),
        (5, "job-without-type"),
        (9, "job-without-salary"),
        (4, "location-without-country"),
    ]
    warnings = posting_warnings(bare, ORG)
    assert all(w.severity is Severity.WARNING for w in warnings)
    assert warnings[3].message == "brandsite does not know which country 'Kiel' is in"
    assert warnings[3].hint == 'add it to site.toml: `[jobs.countries]` then `"Kiel" = "DE"`'


def test_a_remote_role_without_countries_is_a_warning() -> None:
    remote = dataclasses.replace(JOB, remote=True, locations=())
    assert [w.code for w in posting_warnings(remote, ORG)] == ["remote-without-country"]


def test_the_sites_day_is_the_day_in_its_time_zone() -> None:
    late = dt.datetime(2027, 1, 31, 23, 30, tzinfo=dt.UTC)
    assert site_today(late, "Europe/Berlin") == dt.date(2027, 2, 1)
    assert not is_open(JOB, site_today(late, "Europe/Berlin"))
    assert is_open(JOB, site_today(late, "UTC"))


def test_a_role_without_a_description_is_a_warning_at_the_body() -> None:
    empty = dataclasses.replace(JOB, body_markdown="\n", body_line=21)
    assert [(w.line, w.code) for w in posting_warnings(empty, ORG)] == [
        (21, "job-without-description")
    ]
    assert missing_required(job_posting(empty, ORG, URL)) == ["description"]
