"""Job files → Job: every per-file rule for ``content/jobs/<slug>.md``, with exact lines.

The same rules as stories (``generator.content.entries``): unknown fields with a did-you-mean, wrong
types, impossible dates, all problems of a file at once, each at its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from ..content.entries import LANG_RE, SLUG_RE, file_slug, slugify
from ..content.frontmatter import parse_front_matter
from ..content.loading import MAX_TEXT_BYTES, SourceFile, is_markdown, read_text
from ..errors import Diagnostic, did_you_mean, error
from .model import EMPLOYMENT_TYPES, JOBS_DIR, SALARY_PERIODS, AtsRef, Job, Salary
from .reader import FieldReader, kind_of

JOB_FIELDS = (
    "title", "team", "location", "remote", "employment_type", "date_posted", "valid_through",
    "apply_url", "salary", "values", "lang", "ats", "slug", "extra",
)  # fmt: skip
SALARY_FIELDS = ("min", "max", "currency", "per")
ATS_FIELDS = ("source", "id", "url")
ATS_SOURCES = ("greenhouse", "lever", "personio")
_CURRENCY_RE = re.compile(r"[A-Z]{3}")


def parse_job(file: SourceFile) -> tuple[Job | None, list[Diagnostic]]:
    """Check a job file; the Job is None when any of its problems is an error."""
    fm, problems = parse_front_matter(file.text, file.source)
    if fm is None:
        return None, problems
    read = FieldReader(fm, file.source)
    read.unknown_keys(JOB_FIELDS)
    title = read.text("title", required=True, example="Offshore Service Technician (m/w/d)")
    team = read.text("team")
    remote = read.flag("remote")
    locations = read.texts("location", "[Hamburg, Cuxhaven]")
    if locations == () and not remote:
        read.missing("location", "Hamburg")
    kinds = _employment_types(read)
    posted = read.day("date_posted", required=True)
    until = read.day("valid_through", required=False)
    if posted is not None and until is not None and until < posted:
        read.fail(
            "valid_through",
            "closes-before-posted",
            f"the role closes ({until}) before it is posted ({posted}), so it never appears",
            "check both dates; `valid_through` is the last day applications are taken",
        )
    apply_url = _https(read, "apply_url", required=True)
    salary = _salary(read)
    values = read.texts("values", "[ownership, sustainability]")
    if isinstance(fm.data.get("values"), str) and values:
        # `values: ownership, sustainability` can only mean the two values, as in stories.
        values = tuple(part.strip() for part in values[0].split(",") if part.strip())
    lang = read.text("lang")
    if lang is not None and not LANG_RE.fullmatch(lang):
        read.fail(
            "lang", "bad-language", f"`lang: {lang}` is not a language code", "e.g. `en` or `de`"
        )
    ats = _ats(read)
    slug = _slug(read, file.source)
    extra = fm.data.get("extra") or {}
    if not isinstance(extra, dict):
        read.fail(
            "extra",
            "bad-field-type",
            f"`extra` must be a group of fields, not {kind_of(extra)}",
            "indent the fields under `extra:`",
        )
    if read.problems or title is None or posted is None or apply_url is None:
        return None, read.problems
    job = Job(
        source=file.source,
        slug=slug,
        title=title,
        team=team,
        locations=locations or (),
        remote=remote,
        employment_types=kinds,
        date_posted=posted,
        valid_through=until,
        apply_url=apply_url,
        salary=salary,
        values=tuple(slugify(value) for value in values or ()),
        lang=lang,
        ats=ats,
        body_markdown=fm.body,
        body_line=fm.body_line,
        extra=dict(extra) if isinstance(extra, dict) else {},
        lines={**fm.key_lines, "": fm.end_line},
    )
    return job, []


def _employment_types(read: FieldReader) -> tuple[str, ...]:
    written = read.texts("employment_type", "full-time")
    kinds: list[str] = []
    for word in written or ():
        kind = word.lower().replace(" ", "-").replace("_", "-")
        if kind not in EMPLOYMENT_TYPES:
            suggestion = did_you_mean(kind, EMPLOYMENT_TYPES)
            read.fail(
                "employment_type",
                "unknown-employment-type",
                f"`employment_type: {word}` is not a kind of employment brandsite knows",
                (suggestion + " " if suggestion else "")
                + f"use one or a list of: {', '.join(EMPLOYMENT_TYPES)}",
            )
            continue
        kinds.append(kind)
    return tuple(dict.fromkeys(kinds))


def _https(read: FieldReader, key: str, required: bool) -> str | None:
    url = read.text(key, required=required, example="https://jobs.example.com/apply/123")
    if url is None:
        return None
    if not re.fullmatch(r"https://[^\s/?#]+[^\s]*", url):
        read.fail(
            key,
            "bad-apply-url",
            f"`{key}` must be a full https:// address, not {url!r}",
            f"copy the address from the browser, e.g. `{key}: https://jobs.example.com/apply/123`",
        )
        return None
    return url


def _salary(read: FieldReader) -> Salary | None:
    example = "`salary:` then `  min: 52000`, `  max: 64000`, `  currency: EUR`, `  per: year`"
    group = read.mapping("salary", SALARY_FIELDS, example)
    if group is None:
        return None
    before = len(read.problems)
    amounts: list[float] = []
    for key in ("min", "max"):
        value = group.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            read.fail(
                "salary",
                "bad-salary",
                f"`salary.{key}` must be an amount (a number without currency or dots)",
                f"write {example}",
            )
            continue
        amounts.append(float(value))
    currency, per = group.get("currency"), group.get("per")
    if not isinstance(currency, str) or not _CURRENCY_RE.fullmatch(currency.strip().upper()):
        read.fail(
            "salary",
            "bad-salary",
            "`salary.currency` must be a three-letter currency code such as EUR",
            f"write {example}",
        )
    if not isinstance(per, str) or per.strip().lower() not in SALARY_PERIODS:
        read.fail(
            "salary",
            "bad-salary",
            f"`salary.per` must be one of {', '.join(SALARY_PERIODS)}",
            f"write {example}",
        )
    if len(amounts) == 2 and amounts[0] > amounts[1]:
        read.fail(
            "salary",
            "bad-salary",
            f"`salary.min` ({amounts[0]:g}) is more than `salary.max` ({amounts[1]:g})",
            "swap the two figures",
        )
    if len(read.problems) > before or not isinstance(currency, str) or not isinstance(per, str):
        return None
    return Salary(amounts[0], amounts[1], currency.strip().upper(), per.strip().lower())


def _ats(read: FieldReader) -> AtsRef | None:
    group = read.mapping("ats", ATS_FIELDS, "`ats:` then `  source: personio`, `  id: …`")
    if group is None:
        return None
    source, ident, url = (group.get(key) for key in ATS_FIELDS)
    if source not in ATS_SOURCES:
        read.fail(
            "ats",
            "bad-ats",
            f"`ats.source` must be one of {', '.join(ATS_SOURCES)}",
            "`ats` is written by `brandsite jobs import`; remove it from a role written by hand",
        )
        return None
    if isinstance(ident, bool) or not isinstance(ident, str | int) or not str(ident).strip():
        read.fail("ats", "bad-ats", "`ats.id` is missing", "import the role again")
        return None
    if not isinstance(url, str) or not url.startswith("https://"):
        read.fail("ats", "bad-ats", "`ats.url` must be an https:// address", "import again")
        return None
    return AtsRef(str(source), str(ident).strip(), url.strip())


def _slug(read: FieldReader, source: str) -> str:
    explicit = read.text("slug")
    slug = explicit if explicit is not None else slugify(file_slug(source))
    if not SLUG_RE.fullmatch(slug):
        where = "`slug`" if explicit is not None else "the file name"
        read.problems.append(
            error(
                source,
                read.fm.line("slug") if explicit is not None else 1,
                "bad-slug",
                f"{where} gives the URL segment {slug!r}, which is not a plain URL segment",
                f"use lowercase letters, digits and hyphens, e.g. `{slugify(slug) or 'my-role'}`",
            )
        )
    return slug


def load_jobs(
    root: Path, max_bytes: int = MAX_TEXT_BYTES
) -> tuple[tuple[Job, ...], list[Diagnostic]]:
    """Read and check every job file under ``ROOT/content/jobs/``, sorted by path."""
    folder = root / JOBS_DIR
    if not folder.is_dir() or folder.is_symlink():
        return (), []
    jobs: list[Job] = []
    problems: list[Diagnostic] = []
    for source in job_sources(folder):
        text = read_text(folder / source, f"{JOBS_DIR}/{source}", max_bytes)
        if isinstance(text, Diagnostic):
            problems.append(text)
            continue
        job, found = parse_job(SourceFile(f"{JOBS_DIR}/{source}", text))
        problems += found
        if job is not None:
            jobs.append(job)
    problems += _duplicate_slugs(jobs)
    return tuple(jobs), problems


def job_sources(folder: Path) -> list[str]:
    """Names of the job files in ``folder`` (not in subfolders, no hidden files, no links)."""
    return sorted(
        entry.name
        for entry in folder.iterdir()
        if is_markdown(entry.name)
        and not entry.name.startswith(".")
        and entry.is_file()
        and not entry.is_symlink()
    )


def _duplicate_slugs(jobs: Iterable[Job]) -> list[Diagnostic]:
    first: dict[str, Job] = {}
    problems = []
    for job in jobs:
        if job.slug in first:
            problems.append(
                error(
                    job.source,
                    job.line("slug") if "slug" in job.lines else 1,
                    "duplicate-slug",
                    f"the slug `{job.slug}` is already taken by {first[job.slug].source}",
                    "give one of the two roles another `slug:` or file name",
                )
            )
        else:
            first[job.slug] = job
    return problems
