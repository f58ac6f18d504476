"""Lighthouse 12 (npm) on a locally served page, with Debian's chromium via CHROME_PATH."""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .e2e_tools import CHROME_FLAGS, CHROMIUM, LIGHTHOUSE_CLI, REPO_ROOT, run_tool

CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


@dataclass(frozen=True)
class LighthouseResult:
    """Scores (0-100) per category and the weighted audits that lost points."""

    url: str
    version: str
    scores: dict[str, int | None]
    lost: tuple[str, ...]
    runtime_error: str | None

    def below(self, minimum: int) -> dict[str, int | None]:
        """The categories scoring under `minimum` (None = Lighthouse could not score it)."""
        return {c: s for c, s in self.scores.items() if s is None or s < minimum}


def _lost_points(report: dict[str, Any]) -> tuple[str, ...]:
    """Weighted audits scoring below 1, as 'category: audit id = score (title; value)'."""
    lines = []
    for cat in CATEGORIES:
        for ref in report["categories"][cat]["auditRefs"]:
            audit = report["audits"][ref["id"]]
            score = audit.get("score")
            if ref.get("weight", 0) > 0 and score is not None and score < 1:
                value = audit.get("displayValue", "")
                lines.append(
                    f"{cat}: {ref['id']} = {score:.2f} ({audit.get('title', '')}"
                    + (f"; {value})" if value else ")")
                )
    return tuple(lines)


def parse_report(url: str, report: dict[str, Any]) -> LighthouseResult:
    """Extract what the tests judge from a Lighthouse JSON report."""
    scores: dict[str, int | None] = {}
    for cat in CATEGORIES:
        raw = report["categories"][cat]["score"]
        scores[cat] = None if raw is None else round(raw * 100)
    error = report.get("runtimeError")
    return LighthouseResult(
        url=url,
        version=report.get("lighthouseVersion", "?"),
        scores=scores,
        lost=_lost_points(report),
        runtime_error=f"{error.get('code')}: {error.get('message')}" if error else None,
    )


def run_lighthouse(url: str, *, timeout: float = 240) -> LighthouseResult:
    """Run Lighthouse's default (mobile, simulated throttling) audit of `url` in a fresh profile."""
    with tempfile.TemporaryDirectory(prefix="brandsite-e2e-lh-") as work:
        out = Path(work) / "report.json"
        profile = Path(work) / "profile"
        profile.mkdir()
        flags = " ".join((*CHROME_FLAGS, f"--user-data-dir={profile}"))
        run = run_tool(
            [
                "node",
                str(LIGHTHOUSE_CLI),
                url,
                "--quiet",
                "--output=json",
                f"--output-path={out}",
                f"--only-categories={','.join(CATEGORIES)}",
                "--max-wait-for-load=30000",
                f"--chrome-flags={flags}",
            ],
            timeout=timeout,
            env={"CHROME_PATH": str(CHROMIUM)},
            cwd=REPO_ROOT,
            marker=work,
        )
        if run.timed_out or run.returncode != 0 or not out.is_file():
            raise AssertionError(f"lighthouse failed on {url}: {run.describe()}")
        return parse_report(url, json.loads(out.read_text(encoding="utf-8")))
