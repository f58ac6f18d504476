"""Imported roles + the job files there are → what to write and remove (pure), then doing it.

An import owns the files whose front matter says ``ats.source: <this ATS>``: it updates them,
and removes those whose role left the feed. Files written by hand, or imported from another
ATS, are never touched. A file keeps its name when its role's title changes, so its address
stays. Nothing is written when nothing changed, so a file's modification time stays too.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ..content.frontmatter import parse_front_matter
from ..content.loading import read_text
from ..errors import Diagnostic, error
from .mapping import ImportedJob
from .model import JOBS_DIR

HEADER = "# Imported by `brandsite jobs import --from {source}`: edit the role there, not here."


@dataclass(frozen=True)
class ExistingFile:
    """A job file as it is on disk."""

    source: str
    """``content/jobs/<name>.md``."""
    text: str
    ats_source: str | None
    """``ats.source`` of its front matter; None for a role written by hand (or unreadable)."""
    ats_id: str | None


@dataclass(frozen=True)
class SyncPlan:
    """What an import changes, file by file (paths relative to the project root)."""

    writes: tuple[tuple[str, str], ...]
    """(source, new text) of every added or updated file."""
    removes: tuple[str, ...]
    added: tuple[str, ...]
    updated: tuple[str, ...]
    removed: tuple[str, ...]
    unchanged: tuple[str, ...]

    def summary(self) -> str:
        """E.g. "2 added, 1 updated, 0 removed, 4 unchanged"."""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.removed)} removed, {len(self.unchanged)} unchanged"
        )


def existing_file(source: str, text: str) -> ExistingFile:
    """What an import needs to know of a job file: whose it is."""
    fm, _ = parse_front_matter(text, source)
    ats = fm.data.get("ats") if fm is not None else None
    if not isinstance(ats, dict) or not isinstance(ats.get("source"), str):
        return ExistingFile(source, text, None, None)
    ident = ats.get("id")
    return ExistingFile(source, text, ats["source"], None if ident is None else str(ident))


def render_job_file(job: ImportedJob, ats_source: str) -> str:
    """The text of an imported job file: always the same bytes for the same role."""
    head = yaml.safe_dump(
        dict(job.fields),
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=1_000_000,
    )
    body = job.body if job.body.endswith("\n") or not job.body else job.body + "\n"
    return f"---\n{HEADER.format(source=ats_source)}\n{head}---\n\n{body}"


def plan_sync(
    jobs: Sequence[ImportedJob], existing: Iterable[ExistingFile], ats_source: str, feed: str
) -> tuple[SyncPlan | None, list[Diagnostic]]:
    """Compare the feed's roles with the files there are; None and problems when the feed repeats an id."""
    seen: dict[str, str] = {}
    for job in jobs:
        if job.ats_id in seen:
            return None, [
                error(
                    feed,
                    0,
                    "bad-feed",
                    f"the feed lists the id {job.ats_id} twice ({seen[job.ats_id]!r} and "
                    f"{job.title_of()!r})",
                    "check the feed: every role needs an id of its own",
                )
            ]
        seen[job.ats_id] = job.title_of()
    files = sorted(existing, key=lambda f: f.source)
    owned: dict[str, ExistingFile] = {}
    for file in files:
        if file.ats_source == ats_source and file.ats_id is not None:
            owned.setdefault(file.ats_id, file)
    taken = {file.source for file in files}
    writes: list[tuple[str, str]] = []
    added: list[str] = []
    updated: list[str] = []
    unchanged: list[str] = []
    for job in sorted(jobs, key=lambda j: j.ats_id):
        text = render_job_file(job, ats_source)
        mine = owned.get(job.ats_id)
        if mine is not None:
            (unchanged if mine.text == text else updated).append(mine.source)
            if mine.text != text:
                writes.append((mine.source, text))
            continue
        source = _free_name(job.slug, taken)
        taken.add(source)
        added.append(source)
        writes.append((source, text))
    removed = sorted(f.source for ident, f in owned.items() if ident not in seen)
    plan = SyncPlan(
        writes=tuple(sorted(writes)),
        removes=tuple(removed),
        added=tuple(sorted(added)),
        updated=tuple(sorted(updated)),
        removed=tuple(removed),
        unchanged=tuple(sorted(unchanged)),
    )
    return plan, []


def _free_name(slug: str, taken: set[str]) -> str:
    candidate, number = f"{JOBS_DIR}/{slug}.md", 2
    while candidate in taken:
        candidate, number = f"{JOBS_DIR}/{slug}-{number}.md", number + 1
    return candidate


def read_existing(root: Path) -> list[ExistingFile]:
    """Every job file under ``ROOT/content/jobs/`` (unreadable ones count as written by hand)."""
    folder = root / JOBS_DIR
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.iterdir()):
        if (
            path.suffix.lower() != ".md"
            or path.name.startswith(".")
            or not path.is_file()
            or path.is_symlink()
        ):
            continue
        source = f"{JOBS_DIR}/{path.name}"
        text = read_text(path, source)
        found.append(existing_file(source, "" if isinstance(text, Diagnostic) else text))
    return found


def apply_sync(root: Path, plan: SyncPlan) -> None:
    """Write and remove what ``plan`` says; each file is replaced whole, never half-written."""
    for source, text in plan.writes:
        _write(root / source, text)
    for source in plan.removes:
        (root / source).unlink(missing_ok=True)


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".import-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
