"""Output for terminals and CI cannot be steered by content (issue 12, finding 10).

Control characters in tags, file names and titles are written out (``\\x1b``) in every
formatter; the job summary's fence cannot be closed by a title; base_url cannot add lines to
robots.txt.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from test_cli import brandsite

from conftest import REPO, SITE_TOML, story, write_site
from generator.errors import error, format_github, format_json, format_text, json_for_terminals
from generator.errors import printable as printable_text

WEDNESDAY = "2026-11-18"
RAW_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
"""What must never reach a terminal: control characters other than the line break and tab."""


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text, ümlauts, emoji 🎉", "plain text, ümlauts, emoji 🎉"),
        ("\x1b[2J\x1b]0;title\x07", "\\x1b[2J\\x1b]0;title\\x07"),
        ("one\ntwo\r\nthree", "one\\x0atwo\\x0d\\x0athree"),
        ("tab\tand nul\x00", "tab\\x09and nul\\x00"),
        ("DEL \x7f and CSI \x9b", "DEL \\x7f and CSI \\x9b"),
        ("bidi \u202eevil\u2066", "bidi \\u202eevil\\u2066"),
        ("line \u2028 paragraph \u2029", "line \\u2028 paragraph \\u2029"),
    ],
)
def test_printable_writes_out_what_would_steer_a_terminal(text: str, shown: str) -> None:
    assert printable_text(text) == shown


def test_json_for_terminals_is_the_same_json_without_raw_controls() -> None:
    data = {"title": "a\x1b\x9b\u202e\u2028\n\t", "n": [1, 2]}
    text = json_for_terminals(data)
    assert json.loads(text) == data
    assert not RAW_CONTROLS.search(text)
    assert '"a\\u001b\\u009b\\u202e\\u2028\\n\\t"' in text


def test_the_three_formats_of_a_diagnostic_with_controls() -> None:
    problem = error(
        "content/stories/b\x1b[2J.md", 5, "unknown-value", "tag `\x1b[31mred` \u202e", "x\ny"
    )
    assert format_text([problem]).splitlines() == [
        "1. content/stories/b\\x1b[2J.md:5: error: tag `\\x1b[31mred` \\u202e [unknown-value]",
        "   hint: x\\x0ay",
        "1 error in 1 file",
    ]
    assert format_github([problem]) == (
        "::error file=content/stories/b\\x1b[2J.md,line=5,title=brandsite unknown-value::"
        "tag `\\x1b[31mred` \\u202e Hint: x%0Ay"
    )
    assert json.loads(format_json([problem]))["problems"][0]["source"] == problem.source
    assert not RAW_CONTROLS.search(format_json([problem]))


@pytest.fixture
def hostile_site(tmp_path: Path) -> Path:
    """A tag with an escape sequence, a file name with one, and a value title with a bidi mark."""
    return write_site(
        tmp_path / "p",
        {
            "content/stories/a.md": story(
                title="Fine", date="2026-11-17", values='"\\e[31mred", craft'
            ),
            "content/stories/b\x1b[2J.md": story(title="Also fine", values="nope"),
            "content/stories/c.md": story(title="Later", date="2026-12-01", values="care"),
        },
    )


@pytest.mark.parametrize(
    ("args", "stream", "expected"),
    [
        (
            ["check"],
            "stderr",
            "1. content/stories/a.md:5: error: the story is tagged with `\\x1b[31mred`",
        ),
        (["check"], "stderr", "2. content/stories/b\\x1b[2J.md:5: error: the story is tagged"),
        (
            ["check", "--format", "github"],
            "stdout",
            "::error file=content/stories/a.md,line=5,title=brandsite unknown-value::"
            "the story is tagged with `\\x1b[31mred`",
        ),
        (["check", "--format", "github"], "stdout", "::error file=content/stories/b\\x1b[2J.md"),
        (["check", "--format", "json"], "stdout", '"source": "content/stories/b\\u001b[2J.md"'),
        (["build"], "stderr", "2. content/stories/b\\x1b[2J.md:5: error: the story is tagged"),
        (
            ["calendar", "--now", WEDNESDAY],
            "stdout",
            "    Tue 17 Nov 2026  published  Fine (Ada) [\\x1b[31mred, craft]",
        ),
        (["calendar", "--now", WEDNESDAY, "--format", "json"], "stdout", '"\\u001b[31mred"'),
        (["report", "--now", WEDNESDAY, "--out", "r"], "stdout", "Value coverage of"),
        (["report", "--now", WEDNESDAY, "--format", "json", "--out", "r"], "stdout", '"slug"'),
    ],
)
def test_no_command_prints_raw_control_characters(
    hostile_site: Path, args: list[str], stream: str, expected: str
) -> None:
    run = brandsite(*args, cwd=hostile_site)
    assert run.returncode in (0, 1), run.stderr
    assert "Traceback" not in run.stderr
    assert expected in getattr(run, stream)
    for text in (run.stdout, run.stderr):
        assert not RAW_CONTROLS.search(text), text


def summary_step() -> str:
    flow = yaml.safe_load((REPO / ".github/workflows/check.yml").read_text(encoding="utf-8"))
    (step,) = [s for s in flow["jobs"]["check"]["steps"] if s.get("name") == "Editorial calendar"]
    return step["run"]


@pytest.mark.parametrize(
    "title",
    [
        '"Fence ```\\n# Injected heading\\n```"',
        '"````````"',
        '"Line\\u2028break and ``` inline"',
    ],
)
def test_the_job_summary_fence_cannot_be_closed_by_a_title(tmp_path: Path, title: str) -> None:
    """The real step from check.yml, run by bash with a real `brandsite` on PATH."""
    root = write_site(
        tmp_path / "p",
        {"content/stories/a.md": story(title=title, date="2026-11-20")},
        SITE_TOML.replace('"Careers at Testco"', '"Careers ``` at Testco"'),
    )
    tools = tmp_path / "bin"
    tools.mkdir()
    (tools / "brandsite").write_text(
        f'#!/bin/sh\nexec "{sys.executable}" -m generator "$@"\n', encoding="utf-8"
    )
    (tools / "brandsite").chmod(0o755)
    summary = tmp_path / "summary.md"
    env = {
        "PATH": f"{tools}:/usr/bin:/bin",
        "PYTHONPATH": str(REPO),
        "GITHUB_STEP_SUMMARY": str(summary),
    }
    done = subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", summary_step()],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    lines = summary.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "### Editorial calendar"
    fence = lines[1]
    assert re.fullmatch("````*", fence) and lines[-1] == fence
    body = lines[2:-1]
    assert body[0].startswith("Editorial calendar of Careers ``` at Testco, as of")
    # A closing fence is a line of at least as many backticks; no run inside is that long.
    longest = max((len(run) for line in body for run in re.findall("`+", line)), default=0)
    assert longest < len(fence)
    assert not any(line.lstrip().startswith("#") for line in body)
    assert not RAW_CONTROLS.search("\n".join(body))


@pytest.mark.parametrize(
    ("base_url", "message"),
    [
        (
            "https://careers.test.example/\\nDisallow: /",
            "site.toml:4: error: base_url contains the character \\x0a at position 30: a web "
            "address has no spaces, line breaks or control characters [bad-base-url]",
        ),
        (
            "https://careers.test.example/a b/",
            "site.toml:4: error: base_url contains a space at position 31: a web address has no "
            "spaces, line breaks or control characters [bad-base-url]",
        ),
        (
            "https://careers.test.example/\\u001b[2J",
            "site.toml:4: error: base_url contains the character \\x1b at position 30: a web "
            "address has no spaces, line breaks or control characters [bad-base-url]",
        ),
    ],
)
def test_a_base_url_that_would_add_lines_to_robots_txt_is_a_settings_error(
    tmp_path: Path, base_url: str, message: str
) -> None:
    config = SITE_TOML.replace('"https://careers.test.example/"', f'"{base_url}"')
    root = write_site(tmp_path / "p", {"content/stories/a.md": story()}, config)
    run = brandsite("build", "--now", WEDNESDAY, cwd=root)
    assert run.returncode == 2
    assert run.stderr.startswith(f"1. {message}\n")
    assert not (root / "output").exists()


def test_a_base_url_option_with_a_line_break_is_a_usage_error(tmp_path: Path) -> None:
    root = write_site(tmp_path / "p", {"content/stories/a.md": story()})
    run = brandsite("build", "--base-url", "https://a.example/\nDisallow: /", cwd=root)
    assert run.returncode == 2
    assert run.stderr.endswith(
        "brandsite build: error: argument --base-url: the address contains the character \\x0a "
        "at position 19: a web address has no spaces, line breaks or control characters\n"
    )
    assert not (root / "output").exists()


def test_robots_txt_is_four_lines_with_a_good_base_url(tmp_path: Path) -> None:
    root = write_site(tmp_path / "p", {"content/stories/a.md": story()})
    assert brandsite("build", "--now", WEDNESDAY, cwd=root).returncode == 0
    assert (root / "output/robots.txt").read_text(encoding="utf-8").splitlines() == [
        "User-agent: *",
        "Allow: /",
        "",
        "Sitemap: https://careers.test.example/sitemap.xml",
    ]
