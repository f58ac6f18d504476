#!/usr/bin/env python3
"""Benchmark brandsite builds, and Hugo building the same pages, on the shared generated corpus.

    python bench/run.py [--sizes 1000,10000] [--repeat 3] [--skip-hugo] [--brandsite CMD]
                        [--json FILE]

Every measurement is the whole-process wall time, CPU time and peak memory of one build, taken
in a fresh helper process. Repetitions alternate the tools (brandsite scenarios, then Hugo, then
again) and the table reports medians. See bench/README.md for what each scenario means.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import hashlib
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
HUGO_TEMPLATE_DIR = BENCH_DIR / "hugo"
NOW = "2026-11-22"
THEME = "default"
STORY_EDIT = "\nOne more sentence, appended by the benchmark to change this story.\n"
DELETION_TIMEOUT_S = 900
TEMPLATE_EDIT = "\n{# appended by the benchmark to change this template #}\n"

SITE_TOML = """\
title = "Careers at Benchmark Co"
company = "Benchmark Co"
description = "Stories from the people who work at Benchmark Co."
base_url = "https://bench.example/"
language = "en"
timezone = "Europe/Berlin"
theme = "{theme}"
stories_per_page = 9

[feed]
limit = 20
"""

# Runs one command and reports its wall time, CPU time (user + system) and peak RSS. It runs in a
# fresh process per measurement so that RUSAGE_CHILDREN covers exactly one build (ru_maxrss is in
# KiB on Linux).
MEASURE_HELPER = """\
import json, resource, subprocess, sys, time
cmd, cwd, log = json.loads(sys.argv[1])
with open(log, "wb") as out:
    start = time.perf_counter()
    code = subprocess.call(cmd, cwd=cwd, stdout=out, stderr=subprocess.STDOUT)
    wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = usage.ru_utime + usage.ru_stime
print(json.dumps({"wall_s": wall, "cpu_s": cpu, "peak_kib": usage.ru_maxrss, "returncode": code}))
"""


class BenchError(Exception):
    """A problem that stops the benchmark, reported as one line without a traceback."""


@dataclass(frozen=True)
class Settings:
    """What to measure and where, from the command line."""

    sizes: tuple[int, ...]
    repeat: int
    brandsite: tuple[str, ...] | None
    """Build command prefix (run from the repository root), None to skip brandsite."""
    no_cache_flag: bool
    """Whether `build --help` lists --no-cache (the cold build passes it when it exists)."""
    hugo: str | None
    """Path of the hugo executable, None to skip Hugo."""
    corpus_script: Path
    themes: Path
    work: Path
    json_path: Path | None
    scenarios: tuple[str, ...] = ()
    """Keys of the scenarios to run (all when empty)."""


@dataclass(frozen=True)
class Layout:
    """Every path used for one corpus size, all under the work folder."""

    size: int
    site: Path
    out: Path
    hugo_site: Path
    hugo_out: Path
    logs: Path

    @classmethod
    def for_size(cls, work: Path, size: int) -> Layout:
        """Name the folders for a corpus of `size` stories."""
        return cls(
            size=size,
            site=work / f"site-{size}",
            out=work / f"out-{size}-brandsite",
            hugo_site=work / f"hugo-{size}",
            hugo_out=work / f"out-{size}-hugo",
            logs=work / "logs",
        )

    @property
    def cache(self) -> Path:
        """brandsite's incremental build cache inside the bench site."""
        return self.site / ".brandsite-cache"

    @property
    def story_template(self) -> Path:
        """The bench site's own copy of the theme's story template (never the repository's)."""
        return self.site / "themes" / THEME / "templates" / "story.html"

    @property
    def edited_story(self) -> Path:
        """The one story the story-edit scenario changes: the middle one by file name."""
        stories = sorted((self.site / "content" / "stories").glob("*.md"))
        return stories[len(stories) // 2]


@dataclass(frozen=True)
class Run:
    """One measured build."""

    wall_s: float
    cpu_s: float
    """User + system CPU time of the build and its waited-for children."""
    peak_kib: int
    pages: int
    """Number of *.html files in the output folder after the build."""
    load_1m: float = 0.0
    """The machine's 1-minute load average just before the build (other jobs share the cores)."""
    waited_s: float = 0.0
    """Time spent before this build waiting for an earlier build's background deletion of the
    output it replaced (brandsite deletes a replaced 10,000-page site in a detached process)."""


@dataclass
class Bench:
    """What a scenario needs: the settings, the paths of this size, and a way to make edits.

    Edits made with `append` are undone when the repetition ends, so every repetition starts
    from the generated corpus and the repository's theme.
    """

    settings: Settings
    layout: Layout
    edits: contextlib.ExitStack
    label: str = ""

    def append(self, path: Path, text: str) -> None:
        """Append `text` to `path` for the rest of this repetition."""
        original = path.read_bytes()
        self.edits.callback(path.write_bytes, original)
        with path.open("a", encoding="utf-8") as f:
            f.write(text)

    def wait_for_deletions(self) -> float:
        """Wait until no earlier build is still deleting a replaced output beside brandsite's
        output folder, so that its disk work is not timed as part of the next build; return
        the seconds waited."""
        prefixes = (f".{self.layout.out.name}.staging-", f".{self.layout.out.name}.update-")
        started = time.perf_counter()
        while any(
            p.name.startswith(prefixes) for p in self.layout.out.parent.iterdir() if p.is_dir()
        ):
            if time.perf_counter() - started > DELETION_TIMEOUT_S:
                raise BenchError(f"an earlier build's folder beside {self.layout.out} stays")
            time.sleep(0.1)
        return time.perf_counter() - started

    def build_brandsite(self, *extra: str) -> Run:
        """Time `brandsite build` of the bench site into its output folder."""
        assert self.settings.brandsite is not None
        waited = self.wait_for_deletions()
        command = [
            *self.settings.brandsite,
            "build",
            "--root",
            str(self.layout.site),
            "--output",
            str(self.layout.out),
            "--now",
            NOW,
            *extra,
        ]
        return replace(measure(command, REPO, self.layout.out, self.log_path()), waited_s=waited)

    def build_hugo(self) -> Run:
        """Time `hugo` building the Hugo copy of the corpus into its output folder."""
        assert self.settings.hugo is not None
        waited = self.wait_for_deletions()
        command = [self.settings.hugo, "--quiet", "-d", str(self.layout.hugo_out)]
        run = measure(command, self.layout.hugo_site, self.layout.hugo_out, self.log_path())
        return replace(run, waited_s=waited)

    def log_path(self) -> Path:
        """Where the current measurement's output goes (the last repetition's is kept)."""
        return self.layout.logs / f"{self.layout.size}-{self.label}.log"


@dataclass(frozen=True)
class Scenario:
    """One measured situation; `run` prepares it and returns the measurement."""

    key: str
    label: str
    tool: str
    run: Callable[[Bench], Run]


# --- Scenarios: to add one, write a function like these and list it in SCENARIOS. -------------


def cold_build(bench: Bench) -> Run:
    """Build everything from scratch: no cache folder, --no-cache, empty output."""
    shutil.rmtree(bench.layout.cache, ignore_errors=True)
    shutil.rmtree(bench.layout.out, ignore_errors=True)
    return bench.build_brandsite(*(["--no-cache"] if bench.settings.no_cache_flag else []))


def cold_build_cards_drawn(bench: Bench) -> Run:
    """A cold build whose share cards are already drawn: the cache folder emptied but for its
    `cards/`, --no-cache, empty output. Its difference to `cold` is what drawing the cards costs
    (their cache keys and copies into the output are in both)."""
    if not (bench.layout.cache / "cards").is_dir():
        settle(bench)  # run alone: an untimed build draws the cards first
        bench.label = "cold-cards"
    for entry in bench.layout.cache.iterdir():
        if entry.is_dir() and entry.name != "cards":
            shutil.rmtree(entry)
        elif not entry.is_dir():
            entry.unlink()
    shutil.rmtree(bench.layout.out, ignore_errors=True)
    return bench.build_brandsite(*(["--no-cache"] if bench.settings.no_cache_flag else []))


def cache_fill_build(bench: Bench) -> Run:
    """Build with an empty cache folder, which the build fills (a first build, or one after
    `--no-cache`, which neither reads nor writes the cache). The output folder is kept."""
    shutil.rmtree(bench.layout.cache, ignore_errors=True)
    return bench.build_brandsite()


def noop_rebuild(bench: Bench) -> Run:
    """Build again with nothing changed, keeping the cache and output of the build before."""
    return bench.build_brandsite()


def story_edit_rebuild(bench: Bench) -> Run:
    """Rebuild after appending a sentence to one story."""
    bench.append(bench.layout.edited_story, STORY_EDIT)
    return bench.build_brandsite()


def template_edit_rebuild(bench: Bench) -> Run:
    """Rebuild after appending a comment to the story template (every story page depends on it)."""
    bench.append(bench.layout.story_template, TEMPLATE_EDIT)
    return bench.build_brandsite()


def hugo_cold_build(bench: Bench) -> Run:
    """Hugo's full build from scratch: empty output and no resources/ cache."""
    shutil.rmtree(bench.layout.hugo_out, ignore_errors=True)
    shutil.rmtree(bench.layout.hugo_site / "resources", ignore_errors=True)
    return bench.build_hugo()


# Order matters: each brandsite scenario starts from the state the previous one left.
SCENARIOS: tuple[Scenario, ...] = (
    Scenario("cold", "cold full build", "brandsite", cold_build),
    Scenario("cold-cards", "cold, share cards drawn", "brandsite", cold_build_cards_drawn),
    Scenario("cache-fill", "build filling an empty cache", "brandsite", cache_fill_build),
    Scenario("noop", "no-change rebuild", "brandsite", noop_rebuild),
    Scenario("story-edit", "rebuild, one story edited", "brandsite", story_edit_rebuild),
    Scenario("template-edit", "rebuild, story.html edited", "brandsite", template_edit_rebuild),
    Scenario("hugo-cold", "Hugo cold full build", "hugo", hugo_cold_build),
)
BASELINE = "hugo-cold"
# Scenarios that make their own starting state; any other brandsite scenario needs a settled
# cache and output first (see `settle`): the first one after only cold builds gets an untimed
# settling build (without it, a no-change rebuild after `--scenarios cold,noop` is the build that
# fills the cache).
SELF_STARTING = ("cold", "cold-cards", "cache-fill")
# Self-starting scenarios that leave a cache behind (the cold ones pass --no-cache, which does not).
FILLS_CACHE = ("cache-fill",)


# --- Measuring ---------------------------------------------------------------------------------


def measure(command: Sequence[str], cwd: Path, out: Path, log: Path) -> Run:
    """Run `command` in a fresh helper process; return its wall and CPU time, peak RSS, pages."""
    log.parent.mkdir(parents=True, exist_ok=True)
    payload = json.dumps([list(command), str(cwd), str(log)])
    load = os.getloadavg()[0]
    helper = subprocess.run(
        [sys.executable, "-c", MEASURE_HELPER, payload],
        capture_output=True,
        text=True,
        check=True,
    )
    result = json.loads(helper.stdout)
    if result["returncode"] != 0:
        raise BenchError(
            f"{shlex.join(command)} exited with {result['returncode']}; "
            f"output in {log}:\n{tail(log)}"
        )
    return Run(
        wall_s=result["wall_s"],
        cpu_s=result["cpu_s"],
        peak_kib=result["peak_kib"],
        pages=count_pages(out),
        load_1m=load,
    )


def count_pages(out: Path) -> int:
    """Count the HTML pages in a built site."""
    return sum(1 for _ in out.rglob("*.html"))


def tail(path: Path, lines: int = 20) -> str:
    """The last lines of a log file."""
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


# --- Preparing the sites -----------------------------------------------------------------------


def file_digest(path: Path) -> str:
    """A short content hash, so a changed corpus script regenerates the corpus."""
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


def ensure_corpus(script: Path, layout: Layout) -> None:
    """Generate the corpus for this size unless an identical one is already there."""
    stamp = layout.site / ".corpus-stamp"
    expected = f"stories={layout.size} script={file_digest(script)}\n"
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == expected:
        return
    content = layout.site / "content"
    shutil.rmtree(content, ignore_errors=True)
    print(f"generating {layout.size:,} stories into {content} ...", flush=True)
    subprocess.run(
        [sys.executable, str(script), "--stories", str(layout.size), "--out", str(content)],
        check=True,
    )
    stamp.write_text(expected, encoding="utf-8")


def prepare_brandsite_site(themes: Path, layout: Layout) -> None:
    """Write the bench site's site.toml and give it a fresh copy of the repository's themes."""
    (layout.site / "site.toml").write_text(SITE_TOML.format(theme=THEME), encoding="utf-8")
    if not (themes / THEME).is_dir():
        raise BenchError(f"no theme {THEME!r} in {themes} (use --themes)")
    # A copy, not a symlink: the template-edit scenario changes it.
    shutil.rmtree(layout.site / "themes", ignore_errors=True)
    shutil.copytree(themes, layout.site / "themes")


def rename_front_matter_keys(text: str, renames: dict[str, str]) -> str:
    """Rename top-level keys in a Markdown file's leading YAML front matter."""
    if not text.startswith("---\n"):
        return text
    end = text.index("\n---\n", 3)
    lines = text[:end].split("\n")
    for i, line in enumerate(lines):
        key, sep, rest = line.partition(":")
        if sep and key in renames:
            lines[i] = f"{renames[key]}:{rest}"
    return "\n".join(lines) + text[end:]


def ensure_hugo_site(themes: Path, layout: Layout) -> None:
    """Lay the corpus out as a Hugo site (content once per corpus, templates every run).

    The theme's static files (stylesheet, logo, favicon, share picture, script) go to
    `assets/assets/`, so Hugo fingerprints and publishes the same files brandsite does.
    """
    stamp = layout.hugo_site / ".corpus-stamp"
    corpus_stamp = (layout.site / ".corpus-stamp").read_text(encoding="utf-8")
    if not (stamp.is_file() and stamp.read_text(encoding="utf-8") == corpus_stamp):
        write_hugo_content(layout.site / "content", layout.hugo_site / "content")
        stamp.write_text(corpus_stamp, encoding="utf-8")
    for name in ("layouts", "assets"):
        shutil.rmtree(layout.hugo_site / name, ignore_errors=True)
        shutil.copytree(HUGO_TEMPLATE_DIR / name, layout.hugo_site / name)
    shutil.copytree(
        themes / THEME / "static", layout.hugo_site / "assets" / "assets", dirs_exist_ok=True
    )
    shutil.copy2(HUGO_TEMPLATE_DIR / "config.toml", layout.hugo_site / "config.toml")


def write_hugo_content(source: Path, target: Path) -> None:
    """Copy stories as section pages and values as taxonomy term pages (`order` -> `weight`)."""
    shutil.rmtree(target, ignore_errors=True)
    # Story front matter (title, date, values, summary, author...) needs no change for Hugo.
    shutil.copytree(source / "stories", target / "stories")
    for value in sorted((source / "values").glob("*.md")):
        term = target / "values" / value.stem
        term.mkdir(parents=True)
        text = rename_front_matter_keys(value.read_text(encoding="utf-8"), {"order": "weight"})
        (term / "_index.md").write_text(text, encoding="utf-8")


# --- Running and reporting ---------------------------------------------------------------------


def active_scenarios(settings: Settings) -> list[Scenario]:
    """The scenarios whose tool is being measured."""
    skipped = {"brandsite": settings.brandsite is None, "hugo": settings.hugo is None}
    return [
        s
        for s in SCENARIOS
        if not skipped[s.tool] and (not settings.scenarios or s.key in settings.scenarios)
    ]


def settle(bench: Bench) -> None:
    """An untimed build, so a repetition that skips the cold and cache-filling builds starts
    from a cache and output that match the unedited corpus (the last repetition's edits were
    undone). Its output goes to `logs/N-settle.log`."""
    bench.label = "settle"
    run = bench.build_brandsite()
    print(
        f"  {bench.layout.size:,} stories: untimed settling build {run.wall_s:7.2f} s", flush=True
    )


def bench_size(settings: Settings, size: int) -> dict[str, list[Run]]:
    """Prepare the sites for one size and run every scenario `repeat` times, alternating tools."""
    layout = Layout.for_size(settings.work, size)
    ensure_corpus(settings.corpus_script, layout)
    if settings.brandsite is not None:
        prepare_brandsite_site(settings.themes, layout)
    if settings.hugo is not None:
        ensure_hugo_site(settings.themes, layout)
    runs: dict[str, list[Run]] = {s.key: [] for s in active_scenarios(settings)}
    for repetition in range(1, settings.repeat + 1):
        with contextlib.ExitStack() as edits:
            bench = Bench(settings, layout, edits)
            settled = (
                False  # a cache and output of the unedited corpus, made by a build with a cache
            )
            for scenario in active_scenarios(settings):
                if scenario.tool == "brandsite" and scenario.key not in SELF_STARTING:
                    if not settled:
                        settle(bench)
                    settled = True
                elif scenario.key in FILLS_CACHE:
                    settled = True
                bench.label = scenario.key
                run = scenario.run(bench)
                runs[scenario.key].append(run)
                print(
                    f"  {size:,} stories, run {repetition}/{settings.repeat}: "
                    f"{scenario.label:<28} {run.wall_s:7.2f} s wall {run.cpu_s:7.2f} s CPU "
                    f"{run.peak_kib / 1024:7.1f} MiB   load {run.load_1m:4.1f}"
                    + (
                        f"   (waited {run.waited_s:.1f} s for a deletion first)"
                        if run.waited_s >= 0.5
                        else ""
                    ),
                    flush=True,
                )
    return runs


@dataclass(frozen=True)
class Row:
    """The summary of one scenario at one size."""

    size: int
    scenario: str
    label: str
    tool: str
    wall_s_median: float
    wall_s_min: float
    wall_s_max: float
    cpu_s_median: float
    pages: int
    pages_per_s: float
    peak_mib: float
    vs_hugo_cold: float | None
    """Median wall time divided by Hugo's cold build median wall time, same size and run."""
    cpu_vs_hugo_cold: float | None
    """The same ratio for CPU time."""
    peak_vs_hugo_cold: float | None
    """Peak memory divided by Hugo's cold build's peak memory, same size and run."""
    runs: list[dict[str, float]] = field(default_factory=list)


def summarise(size: int, runs: dict[str, list[Run]]) -> list[Row]:
    """Medians per scenario, with each wall time as a ratio to Hugo's cold build."""
    hugo = runs.get(BASELINE)
    baseline = statistics.median(r.wall_s for r in hugo) if hugo else None
    cpu_baseline = statistics.median(r.cpu_s for r in hugo) if hugo else None
    peak_baseline = max(r.peak_kib for r in hugo) if hugo else None
    rows = []
    for scenario in SCENARIOS:
        if scenario.key not in runs:
            continue
        measured = runs[scenario.key]
        wall = statistics.median(r.wall_s for r in measured)
        cpu = statistics.median(r.cpu_s for r in measured)
        pages = max(r.pages for r in measured)
        rows.append(
            Row(
                size=size,
                scenario=scenario.key,
                label=scenario.label,
                tool=scenario.tool,
                wall_s_median=wall,
                wall_s_min=min(r.wall_s for r in measured),
                wall_s_max=max(r.wall_s for r in measured),
                cpu_s_median=cpu,
                pages=pages,
                pages_per_s=pages / wall,
                peak_mib=max(r.peak_kib for r in measured) / 1024,
                vs_hugo_cold=wall / baseline if baseline else None,
                cpu_vs_hugo_cold=cpu / cpu_baseline if cpu_baseline else None,
                peak_vs_hugo_cold=(
                    max(r.peak_kib for r in measured) / peak_baseline if peak_baseline else None
                ),
                runs=[asdict(r) for r in measured],
            )
        )
    return rows


def format_table(rows: Sequence[Row], repeat: int) -> str:
    """A plain-text table: one block per size."""
    lines = []
    for size in sorted({r.size for r in rows}):
        runs = f"{repeat} runs" if repeat > 1 else "1 run"
        lines += ["", f"{size:,} stories (medians of {runs}; wall range in brackets)"]
        lines.append(
            f"{'scenario':<28} {'wall s':>7} {'(min-max)':>13} {'CPU s':>7} {'pages':>6} "
            f"{'pages/s':>8} {'peak MiB':>9} {'× Hugo cold':>11} {'CPU × Hugo':>10} {'peak × Hugo':>11}"
        )
        for r in (r for r in rows if r.size == size):
            ratio = f"{r.vs_hugo_cold:.2f}" if r.vs_hugo_cold is not None else "-"
            cpu_ratio = f"{r.cpu_vs_hugo_cold:.2f}" if r.cpu_vs_hugo_cold is not None else "-"
            peak_ratio = f"{r.peak_vs_hugo_cold:.2f}" if r.peak_vs_hugo_cold is not None else "-"
            spread = f"({r.wall_s_min:.2f}-{r.wall_s_max:.2f})"
            lines.append(
                f"{r.label:<28} {r.wall_s_median:7.2f} {spread:>13} {r.cpu_s_median:7.2f} "
                f"{r.pages:6d} {r.pages_per_s:8.0f} {r.peak_mib:9.1f} {ratio:>11} {cpu_ratio:>10} "
                f"{peak_ratio:>11}"
            )
    return "\n".join(lines)


def environment(settings: Settings) -> dict[str, object]:
    """Facts about this run that matter when reading its numbers later."""
    return {
        "date": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "machine": platform.platform(),
        "cpus": len(os.sched_getaffinity(0)),
        "python": platform.python_version(),
        "brandsite_command": list(settings.brandsite) if settings.brandsite else None,
        "brandsite_commit": git_commit(),
        "generator_commit": tool_version(
            ["git", "-C", str(REPO), "log", "-1", "--format=%h", "--", "generator"]
        ),
        "hugo": tool_version([settings.hugo, "version"]) if settings.hugo else None,
        "repeat": settings.repeat,
        "scenarios": list(settings.scenarios) or "all",
        "cold_build_passes_no_cache": settings.no_cache_flag,
    }


def git_commit() -> str | None:
    """The repository's HEAD commit, marked dirty when there are uncommitted changes."""
    head = tool_version(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"])
    dirty = tool_version(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no"])
    return f"{head}{'-dirty' if dirty else ''}" if head else None


def tool_version(command: Sequence[str]) -> str | None:
    """First line of a command's output, or None when it cannot run."""
    try:
        done = subprocess.run(command, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout.strip().split("\n")[0]


# --- Command line ------------------------------------------------------------------------------


def find_corpus_script() -> Path:
    """The shared corpus generator: shared/bench/make_corpus.py beside the repository.

    Looks in every parent folder so it is also found from a git worktree nested deeper.
    """
    for parent in REPO.parents:
        candidate = parent / "shared" / "bench" / "make_corpus.py"
        if candidate.is_file():
            return candidate
    return REPO.parent / "shared" / "bench" / "make_corpus.py"


def supports_no_cache(brandsite: Sequence[str]) -> bool:
    """Whether this brandsite's `build --help` lists --no-cache."""
    done = subprocess.run(
        [*brandsite, "build", "--help"], cwd=REPO, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise SystemExit(f"bench: {shlex.join(brandsite)} build --help failed:\n{done.stderr}")
    return "--no-cache" in done.stdout


def parse_args(argv: Sequence[str] | None) -> Settings:
    """Turn the command line into Settings."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="1000", help="comma-separated story counts (1000)")
    ap.add_argument("--repeat", type=int, default=3, help="repetitions per scenario (3)")
    ap.add_argument("--skip-hugo", action="store_true", help="do not measure Hugo")
    ap.add_argument("--skip-brandsite", action="store_true", help="measure only Hugo")
    ap.add_argument(
        "--brandsite",
        metavar="CMD",
        help="brandsite command prefix, run from the repository root "
        "(default: this Python with -m generator)",
    )
    ap.add_argument("--corpus-script", type=Path, default=find_corpus_script())
    ap.add_argument(
        "--themes",
        type=Path,
        default=REPO / "themes",
        help="themes folder copied into the bench site (default: the repository's)",
    )
    ap.add_argument(
        "--work",
        type=Path,
        default=BENCH_DIR / "work",
        help="scratch folder for corpora and outputs (bench/work)",
    )
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    ap.add_argument(
        "--scenarios",
        default="",
        metavar="KEYS",
        help="comma-separated scenario keys to run (default all: "
        + ",".join(s.key for s in SCENARIOS)
        + "); without cache-fill, an untimed build settles the cache before the first rebuild",
    )
    a = ap.parse_args(argv)
    try:
        sizes = tuple(int(s) for s in a.sizes.split(",") if s.strip())
    except ValueError:
        ap.error(f"--sizes must be comma-separated integers, not {a.sizes!r}")
    if not sizes or min(sizes) < 1 or a.repeat < 1:
        ap.error("--sizes and --repeat must be positive")
    scenarios = tuple(s.strip() for s in a.scenarios.split(",") if s.strip())
    unknown = sorted(set(scenarios) - {s.key for s in SCENARIOS})
    if unknown:
        ap.error(
            f"unknown scenario {', '.join(unknown)} (known: {', '.join(s.key for s in SCENARIOS)})"
        )
    if not a.corpus_script.is_file():
        ap.error(f"corpus script not found: {a.corpus_script} (use --corpus-script)")
    hugo = None if a.skip_hugo else shutil.which("hugo")
    if not a.skip_hugo and hugo is None:
        print("hugo is not on PATH: measuring brandsite only, without ratios", file=sys.stderr)
    brandsite = None
    if not a.skip_brandsite:
        brandsite = (
            tuple(shlex.split(a.brandsite)) if a.brandsite else (sys.executable, "-m", "generator")
        )
    if brandsite is None and hugo is None:
        ap.error("nothing to measure: both brandsite and Hugo are skipped")
    no_cache_flag = brandsite is not None and supports_no_cache(brandsite)
    if brandsite is not None and not no_cache_flag:
        print(
            "brandsite build has no --no-cache: cold builds only delete the cache", file=sys.stderr
        )
    return Settings(
        no_cache_flag=no_cache_flag,
        sizes=sizes,
        repeat=a.repeat,
        brandsite=brandsite,
        hugo=hugo,
        corpus_script=a.corpus_script.resolve(),
        themes=a.themes.resolve(),
        work=a.work.resolve(),
        json_path=a.json,
        scenarios=scenarios,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print each size's table (and rewrite the JSON) as soon as it is done."""
    settings = parse_args(argv)
    rows: list[Row] = []
    try:
        for size in settings.sizes:
            size_rows = summarise(size, bench_size(settings, size))
            rows += size_rows
            print(format_table(size_rows, settings.repeat), flush=True)
            if settings.json_path:
                write_json(settings, rows)
    except BenchError as problem:
        print(f"bench: {problem}", file=sys.stderr)
        return 1
    if len(settings.sizes) > 1:
        print("\nAll sizes:" + format_table(rows, settings.repeat))
    return 0


def write_json(settings: Settings, rows: Sequence[Row]) -> None:
    """Write the environment and every row (with its individual runs) to the --json file."""
    assert settings.json_path is not None
    report = {"environment": environment(settings), "results": [asdict(r) for r in rows]}
    settings.json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
