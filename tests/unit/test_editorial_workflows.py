"""The shipped CI: GitHub workflows with the expected triggers and jobs, and the pre-commit hook."""

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
    # YAML 1.1 reads the key `on` as true; GitHub reads it as "on".
    data["on"] = data.pop(True, data.get("on"))
    return data


def uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in job["steps"] if "uses" in step]


def runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job["steps"])


def test_pull_requests_are_checked_with_annotations() -> None:
    flow = load("check.yml")
    assert set(flow["on"]) == {"pull_request", "workflow_dispatch"}
    assert flow["permissions"] == {"contents": "read"}
    job = flow["jobs"]["check"]
    assert uses(job) == ["actions/checkout", "actions/setup-python"]
    assert "brandsite check --format github" in runs(job)


def test_main_and_a_daily_schedule_deploy_to_pages() -> None:
    flow = load("deploy.yml")
    assert set(flow["on"]) == {"push", "schedule", "workflow_dispatch"}
    assert flow["on"]["push"] == {"branches": ["main"]}
    (cron,) = [entry["cron"] for entry in flow["on"]["schedule"]]
    minute, hour, day, month, weekday = cron.split()
    assert (day, month, weekday) == ("*", "*", "*"), "daily"
    assert 0 <= int(minute) < 60 and 0 <= int(hour) < 24
    assert flow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert uses(build) == [
        "actions/checkout",
        "actions/setup-python",
        "actions/configure-pages",
        "actions/cache",
        "actions/upload-pages-artifact",
    ]
    cache = next(s for s in build["steps"] if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"].split() == [".brandsite-cache", "~/.cache/brandsite"]
    upload = next(s for s in build["steps"] if "upload-pages-artifact" in s.get("uses", ""))
    assert upload["with"]["path"] == "output"
    assert re.search(r"^\s*brandsite build\b", runs(build), re.MULTILINE)
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert uses(deploy) == ["actions/deploy-pages"]


@pytest.mark.parametrize("name", ["check.yml", "deploy.yml"])
def test_actions_are_pinned_to_a_major_version(name: str) -> None:
    for job in load(name)["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                assert re.fullmatch(r"actions/[a-z-]+@v\d+", step["uses"]), step["uses"]


@pytest.mark.parametrize("name", ["check.yml", "deploy.yml"])
def test_workflows_match_githubs_schema(name: str) -> None:
    pytest.importorskip("check_jsonschema")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "check_jsonschema",
            "--builtin-schema",
            "vendor.github-workflows",
            str(WORKFLOWS / name),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    (hook,) = hooks
    assert hook["id"] == "brandsite-check"
    assert hook["entry"] == "brandsite check"
    assert hook["language"] == "python"
    assert hook["pass_filenames"] is False
    for path in ("content/stories/a.md", "content/values/b.md", "site.toml", "themes/x/base.html"):
        assert re.search(hook["files"], path), path
    assert not re.search(hook["files"], "README.md")
