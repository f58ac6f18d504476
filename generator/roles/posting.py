"""Whether a role is open, and its JobPosting structured data for Google (pure functions)."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from ..errors import Diagnostic, warning
from .model import SALARY_PERIODS, Job

REQUIRED_FIELDS = ("title", "description", "datePosted", "hiringOrganization")
"""What Google requires of every JobPosting, plus a location: ``jobLocation``, or
``jobLocationType: TELECOMMUTE`` with ``applicantLocationRequirements``."""
RECOMMENDED_FIELDS = ("validThrough", "employmentType", "baseSalary", "identifier", "directApply")
"""What Google recommends where it is known."""


@dataclass(frozen=True)
class Organisation:
    """The employer as JobPosting names it: facts from site.toml, resolved to absolute URLs."""

    name: str
    """``company`` from site.toml."""
    same_as: str
    """The employer's web address (``hiringOrganization.sameAs``), e.g. the site's base URL."""
    logo: str = ""
    """Absolute URL of the logo; empty when the theme has none."""
    timezone: str = "UTC"
    """The site's time zone: ``valid_through`` ends at midnight there."""
    countries: Mapping[str, str] = field(default_factory=dict)
    """Location name → ISO country code (``[jobs] countries`` in site.toml)."""


def site_today(now: dt.datetime, timezone: str) -> dt.date:
    """The day it is at the aware moment ``now`` in the site's time zone."""
    return now.astimezone(ZoneInfo(timezone)).date()


def is_open(job: Job, today: dt.date) -> bool:
    """Whether ``job`` is online on ``today`` (the site's day): posted, and not past its last day."""
    if job.date_posted > today:
        return False
    return job.valid_through is None or today <= job.valid_through


def job_posting(
    job: Job, org: Organisation, url: str, description_html: str | None = None
) -> dict[str, Any]:
    """The JobPosting JSON-LD of ``job`` at ``url``, as a plain mapping ready for ``json.dumps``.

    ``description_html`` is the role page's rendered body; without it the description is the
    body's text, escaped, one paragraph per blank-line block.
    """
    posting: dict[str, Any] = {
        "@context": "https://schema.org/",
        "@type": "JobPosting",
        "title": job.title,
        "description": description_html
        if description_html is not None
        else _plain_html(job.body_markdown),
        "datePosted": job.date_posted.isoformat(),
        "hiringOrganization": _organisation(org),
        "url": url,
        "directApply": False,
        "identifier": {
            "@type": "PropertyValue",
            "name": job.ats.source if job.ats else org.name,
            "value": job.ats.id if job.ats else job.slug,
        },
    }
    if job.valid_through is not None:
        posting["validThrough"] = _end_of_day(job.valid_through, org.timezone)
    kinds = job.schema_employment_types
    if kinds:
        posting["employmentType"] = kinds[0] if len(kinds) == 1 else list(kinds)
    if job.remote:
        posting["jobLocationType"] = "TELECOMMUTE"
        posting["applicantLocationRequirements"] = [
            {"@type": "Country", "name": place} for place in job.locations
        ]
    else:
        posting["jobLocation"] = [_place(place, org.countries) for place in job.locations]
    if job.salary is not None:
        value: dict[str, Any] = {
            "@type": "QuantitativeValue",
            "unitText": SALARY_PERIODS[job.salary.per],
        }
        if job.salary.min == job.salary.max:
            value["value"] = _number(job.salary.min)
        else:
            value["minValue"] = _number(job.salary.min)
            value["maxValue"] = _number(job.salary.max)
        posting["baseSalary"] = {
            "@type": "MonetaryAmount",
            "currency": job.salary.currency,
            "value": value,
        }
    if job.lang:
        posting["inLanguage"] = job.lang
    return posting


def missing_required(posting: Mapping[str, Any]) -> list[str]:
    """Google's required JobPosting fields that ``posting`` lacks or leaves empty."""
    missing = [name for name in REQUIRED_FIELDS if not posting.get(name)]
    org = posting.get("hiringOrganization") or {}
    missing += [f"hiringOrganization.{key}" for key in ("name", "sameAs") if not org.get(key)]
    remote = posting.get("jobLocationType") == "TELECOMMUTE"
    if remote and not posting.get("applicantLocationRequirements"):
        missing.append("applicantLocationRequirements")
    if not remote and not posting.get("jobLocation"):
        missing.append("jobLocation")
    for place in posting.get("jobLocation") or ():
        if not (place.get("address") or {}).get("addressLocality"):
            missing.append("jobLocation.address.addressLocality")
    return missing


def posting_warnings(job: Job, org: Organisation) -> list[Diagnostic]:
    """ "Recommended field missing" warnings, each at the line of the job file it is about."""
    found: list[Diagnostic] = []

    def warn(key: str, code: str, message: str, hint: str) -> None:
        found.append(warning(job.source, job.line(key), code, message, hint))

    if not job.body_markdown.strip():
        found.append(
            warning(
                job.source,
                job.body_line,
                "job-without-description",
                "the role has no description; Google requires one",
                "write what the role is about below the second `---`",
            )
        )
    if job.valid_through is None:
        warn(
            "valid_through",
            "job-without-end",
            "the role has no `valid_through`, so Google cannot tell when it closes",
            "add `valid_through: YYYY-MM-DD`, the last day applications are taken",
        )
    if not job.employment_types:
        warn(
            "employment_type",
            "job-without-type",
            "the role has no `employment_type`",
            "add e.g. `employment_type: full-time` (or a list: `[full-time, part-time]`)",
        )
    if job.salary is None:
        warn(
            "salary",
            "job-without-salary",
            "the role shows no salary; Google recommends a pay range",
            "add `salary:` with `min`, `max`, `currency` and `per` (hour, day, week, month, year)",
        )
    if job.remote and not job.locations:
        warn(
            "location",
            "remote-without-country",
            "the remote role does not say where applicants may live",
            "list the countries under `location`, e.g. `location: [Germany, Netherlands]`",
        )
    for place in () if job.remote else job.locations:
        if place not in org.countries:
            warn(
                "location",
                "location-without-country",
                f"brandsite does not know which country {place!r} is in",
                f'add it to site.toml: `[jobs.countries]` then `"{place}" = "DE"`',
            )
    return found


def _organisation(org: Organisation) -> dict[str, Any]:
    found: dict[str, Any] = {"@type": "Organization", "name": org.name, "sameAs": org.same_as}
    if org.logo:
        found["logo"] = org.logo
    return found


def _place(place: str, countries: Mapping[str, str]) -> dict[str, Any]:
    address: dict[str, Any] = {"@type": "PostalAddress", "addressLocality": place}
    if place in countries:
        address["addressCountry"] = countries[place]
    return {"@type": "Place", "address": address}


def _end_of_day(day: dt.date, timezone: str) -> str:
    """The last second of ``day`` in ``timezone``, with its offset (summer time included)."""
    moment = dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=ZoneInfo(timezone))
    return moment.isoformat()


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else float(value)


def _plain_html(markdown_body: str) -> str:
    blocks = [block.strip() for block in markdown_body.split("\n\n") if block.strip()]
    return "\n".join(f"<p>{html.escape(' '.join(block.split()))}</p>" for block in blocks)
