"""One import, start to end but for the writing: feed bytes → roles → job files → a SyncPlan."""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import parse_qs, urlsplit

from ..content.entries import LANG_RE
from ..content.loading import SourceFile
from ..errors import Diagnostic, Severity, error, has_errors
from .entries import parse_job
from .feed import FeedProblem, FeedRole
from .greenhouse import parse_greenhouse
from .lever import parse_lever
from .mapping import ImportedJob, ImportSettings, map_role
from .model import JOBS_DIR
from .personio import parse_personio
from .sync import ExistingFile, SyncPlan, plan_sync, render_job_file

FORMATS = ("personio", "greenhouse", "lever")


def parse_feed(fmt: str, data: bytes, feed: str, board_url: str) -> tuple[FeedRole, ...]:
    """The roles of a feed in ``fmt``; FeedProblem when it cannot be read."""
    if fmt == "personio":
        board = board_url or personio_board(feed)
        if not board:
            raise FeedProblem(
                error(
                    feed,
                    0,
                    "no-board-url",
                    "a Personio feed read from a file does not say where its roles are online",
                    'set `board_url = "https://<company>.jobs.personio.de"` under `[jobs]` in '
                    "site.toml, or import from the feed's address",
                )
            )
        return parse_personio(data, feed, board)
    if fmt == "greenhouse":
        return parse_greenhouse(data, feed)
    return parse_lever(data, feed)


def personio_board(feed: str) -> str:
    """``https://acme.jobs.personio.de/xml?language=de`` → ``https://acme.jobs.personio.de``."""
    parts = urlsplit(feed)
    return f"https://{parts.netloc}" if parts.scheme == "https" and parts.netloc else ""


def feed_language(feed: str) -> str | None:
    """The language a feed address asks for (Personio's ``?language=de``), if it names one."""
    asked = parse_qs(urlsplit(feed).query).get("language", [""])[0].strip()
    return asked if LANG_RE.fullmatch(asked) else None


def plan_import(
    data: bytes,
    feed: str,
    settings: ImportSettings,
    existing: Iterable[ExistingFile],
    board_url: str = "",
) -> tuple[SyncPlan | None, list[Diagnostic]]:
    """What importing ``data`` would change; None (and the problems) when the feed is broken."""
    try:
        roles = parse_feed(settings.source, data, feed, board_url)
    except FeedProblem as problem:
        return None, [problem.diagnostic]
    problems: list[Diagnostic] = []
    jobs = []
    for role in roles:
        job, found = map_role(role, settings, feed)
        jobs.append(job)
        problems += found
    problems += [problem for job in jobs for problem in unusable(job, settings.source, feed)]
    if has_errors(problems):
        return None, problems
    plan, found = plan_sync(jobs, existing, settings.source, feed)
    problems += found
    return (None if plan is None or has_errors(problems) else plan), problems


def unusable(job: ImportedJob, ats_source: str, feed: str) -> list[Diagnostic]:
    """Why the file an imported role would become is not a valid job file (so nothing is written)."""
    _, problems = parse_job(
        SourceFile(f"{JOBS_DIR}/{job.slug}.md", render_job_file(job, ats_source))
    )
    return [
        error(
            feed,
            0,
            "bad-feed",
            f"the role {job.title_of() or job.ats_id!r} cannot become a job file: {problem.message}",
            "complete the role in the ATS (e.g. its office), then import again",
        )
        for problem in problems
        if problem.severity is Severity.ERROR
    ]
