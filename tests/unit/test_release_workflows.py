"""brandsite's own workflows: CI runs .ci/run, releases publish with trusted publishing, a weekly run tries the newest versions."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"


def load(name: str) -> dict[str, Any]:
    data = yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads `on` as true
    return data


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


@pytest.mark.parametrize("name", sorted(p.name for p in WORKFLOWS.glob("*.yml")))
def test_every_workflow_matches_githubs_schema(name: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(WORKFLOWS / name)],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr


def test_ci_runs_the_same_script_as_a_fresh_machine() -> None:
    flow = load("ci.yml")
    assert {"push", "pull_request"} <= set(flow["on"])
    assert "bash .ci/run" in runs(flow["jobs"]["ci"])


def test_newest_dependencies_run_weekly_without_the_lock() -> None:
    flow = load("newest-deps.yml")
    (cron,) = [entry["cron"] for entry in flow["on"]["schedule"]]
    assert cron.split()[2:4] == ["*", "*"] and cron.split()[4] != "*", "weekly"
    (step,) = [s for s in flow["jobs"]["newest"]["steps"] if "run" in s]
    assert step["env"] == {"BRANDSITE_NEWEST": "1"} and step["run"] == "bash .ci/run"
    run_script = (REPO / "run").read_text(encoding="utf-8")
    assert (
        "BRANDSITE_NEWEST" in run_script and "--require-hashes -r requirements.lock" in run_script
    )


def test_release_publishes_a_tagged_version_with_trusted_publishing() -> None:
    flow = load("release.yml")
    assert flow["on"] == {"push": {"tags": ["v*"]}}
    assert flow["permissions"] == {"contents": "read"}
    build, publish, release = (flow["jobs"][k] for k in ("build", "publish", "github-release"))
    assert "bash .ci/run" in runs(build) and "python -m build" in runs(build)
    assert "CHANGELOG.md" in runs(build), "a tag without a changelog section fails"
    assert publish["permissions"] == {"id-token": "write"}, "trusted publishing, no token"
    assert [s["uses"] for s in publish["steps"]][-1].startswith("pypa/gh-action-pypi-publish@")
    assert release["needs"] == "publish" and "gh release create" in runs(release)


def test_changelog_has_a_section_for_the_current_version() -> None:
    from generator import __version__

    text = (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    assert re.search(rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, re.M)
