"""Where the e2e tools live, whether they are installed, and how to run them without leaks.

The tools come from `scripts/install-e2e-tools.sh`: Debian's chromium, a Java runtime and the npm
packages pinned in the repository's package.json (installed into ./node_modules). Missing tools skip
the e2e tests locally with a clear reason, but fail them when the CI environment variable is set,
so CI can never go green by silently skipping.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

E2E_DIR = Path(__file__).resolve().parent
REPO_ROOT = E2E_DIR.parents[1]
JS_DIR = E2E_DIR / "js"
NODE_MODULES = REPO_ROOT / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE_CLI = NODE_MODULES / "lighthouse" / "cli" / "index.js"
CHROMIUM = Path(os.environ.get("BRANDSITE_E2E_CHROMIUM", "/usr/bin/chromium"))
INSTALL_HINT = "run `bash scripts/install-e2e-tools.sh` (./run test does)"

# Debian's chromium headless as root, on a machine without network: without the networking flags
# Chromium keeps trying to reach update and sync services.
CHROME_FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    "--mute-audio",
)


def in_ci() -> bool:
    """Tell whether we run under CI (CI set to anything but empty, 0, false or no)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def _npm_package(name: str) -> Path:
    return NODE_MODULES / name / "package.json"


def _tool_problem(name: str) -> str | None:
    """Return why tool `name` is unusable, or None when it is there."""
    checks: dict[str, tuple[bool, str]] = {
        "java": (shutil.which("java") is not None, "java not on PATH"),
        "node": (shutil.which("node") is not None, "node not on PATH"),
        "chromium": (os.access(CHROMIUM, os.X_OK), f"{CHROMIUM} missing"),
        "vnu": (VNU_JAR.is_file(), f"{VNU_JAR.relative_to(REPO_ROOT)} missing"),
        "playwright-core": (
            _npm_package("playwright-core").is_file(),
            "npm playwright-core missing",
        ),
        "axe-core": (_npm_package("axe-core").is_file(), "npm axe-core missing"),
        "lighthouse": (LIGHTHOUSE_CLI.is_file(), "npm lighthouse missing"),
    }
    ok, why = checks[name]
    return None if ok else why


def require_tools(*names: str) -> None:
    """Skip the calling test when a tool is missing, or fail it under CI."""
    problems = [p for p in (_tool_problem(n) for n in names) if p]
    if not problems:
        return
    reason = f"e2e tools missing: {'; '.join(problems)}; {INSTALL_HINT}"
    if in_ci():
        pytest.fail(f"{reason} (CI is set: missing tools fail instead of skipping)", pytrace=False)
    pytest.skip(reason)


@dataclass(frozen=True)
class ToolRun:
    """The outcome of one external tool run."""

    command: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str
    timed_out: bool

    def describe(self) -> str:
        """Summarise the run for an assertion message (command, exit code, tail of stderr)."""
        status = "timed out" if self.timed_out else f"exit {self.returncode}"
        tail = "\n".join((self.stderr or self.stdout).strip().splitlines()[-25:])
        return f"`{' '.join(self.command)}` {status}\n{tail}"


def kill_processes_mentioning(marker: str) -> list[int]:
    """SIGKILL processes whose command line contains `marker` (a temp path only we created).

    Chromium started by lighthouse runs in its own process group, so killing the driver's group
    on a timeout can leave it behind; the unique profile path in its flags identifies it.
    """
    needle = marker.encode()
    killed: list[int] = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        if needle in cmdline:
            try:
                os.kill(int(entry.name), signal.SIGKILL)
                killed.append(int(entry.name))
            except ProcessLookupError:
                pass
    return killed


def run_tool(
    command: list[str],
    *,
    timeout: float,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    marker: str | None = None,
) -> ToolRun:
    """Run `command` in its own session; on timeout kill its whole process group.

    `marker` (a unique temp path passed to the tool) lets us also reap processes that escaped the
    group, so no browser outlives the test.
    """
    full_env = {**os.environ, **(env or {})}
    proc = subprocess.Popen(
        command,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=full_env,
        cwd=cwd,
        start_new_session=True,
    )
    timed_out = False
    try:
        stdout, stderr = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        # Kill the group and any escaped process first: an escaped one holding our pipes would
        # make the final read wait forever.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        if marker:
            kill_processes_mentioning(marker)
        try:
            stdout, stderr = proc.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
            stdout, stderr = "", "(output lost: a process outside the group kept the pipes open)"
    finally:
        if marker:
            kill_processes_mentioning(marker)
    return ToolRun(tuple(command), proc.returncode, stdout, stderr, timed_out)


def run_node_json(script: str, args: list[str], *, timeout: float, marker: str) -> Any:
    """Run tests/e2e/js/`script` with node and return the JSON it prints on stdout.

    `marker` is a fresh temp folder: the driver puts its Chromium profiles there.
    """
    run = run_tool(
        ["node", str(JS_DIR / script), *args],
        timeout=timeout,
        env={"BRANDSITE_E2E_PROFILE_ROOT": marker, "CHROMIUM": str(CHROMIUM)},
        cwd=REPO_ROOT,
        marker=marker,
    )
    if run.timed_out or run.returncode != 0:
        raise AssertionError(f"node driver {script} failed: {run.describe()}")
    try:
        return json.loads(run.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(f"{script} printed no JSON ({exc}): {run.stdout[:500]}") from exc
