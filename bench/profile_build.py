#!/usr/bin/env python3
"""Where a cold brandsite build spends its time: cProfile of one build, grouped by stage.

    .venv/bin/python bench/profile_build.py --root bench/work/site-10000 [--out /tmp/profile-out]
                                            [--stats /tmp/build.prof] [--top 25]

Runs `brandsite build --no-cache --jobs 1` in this process under cProfile (one process, so the
profile sees every page; a CPU clock, so other jobs on the machine do not inflate it), then
prints the stages as the cumulative time of the function that does each (a stage's share is of
the whole build), and the top functions by cumulative and by own time. Markdown is converted
while the story templates render, so "templates without Markdown" is render minus Markdown.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

# (stage, file suffix, function name): each stage's time is the cumulative time of its function.
STAGES = (
    ("whole build", "engine/build.py", "build"),
    ("load: read files, front matter", "engine/incremental.py", "parse_sources"),
    ("check: everything check_project does", "engine/build.py", "check_project"),
    ("  check: privacy scan of sources", "site/privacy.py", "check_sources"),
    ("  check: link site (schema, references)", "content/linking.py", "link_site"),
    ("  check: plan routes", "site/routes.py", "plan_routes"),
    ("index site", "theme/rendering.py", "index_site"),
    ("plan jobs", "engine/outputs.py", "plan_jobs"),
    ("render + write (write_full)", "engine/outputs.py", "write_full"),
    ("  render one output (render_route)", "engine/outputs.py", "render_route"),
    ("    templates (render_template)", "theme/rendering.py", "render_template"),
    ("    Markdown (MarkdownRenderer._convert)", "markdown/convert.py", "_convert"),
    ("    feeds", "site/feeds.py", "site_feed"),
    ("    value feeds", "site/feeds.py", "value_feed"),
    ("    sitemap", "site/feeds.py", "build_sitemap"),
    ("  privacy scan of rendered pages", "engine/outputs.py", "page_problems"),
    ("  write: staging files", "engine/writer.py", "write"),
    ("  write: manifest records", "engine/outputs.py", "record"),
    ("  write: swap in the staging folder", "engine/writer.py", "commit"),
)


def cumulative(stats: pstats.Stats, suffix: str, name: str) -> float:
    """Cumulative seconds of every function called `name` in a file ending with `suffix`."""
    table = stats.stats  # type: ignore[attr-defined]
    return sum(
        ct
        for (file, _, func), (_, _, _, ct, _) in table.items()
        if func == name and file.replace("\\", "/").endswith(suffix)
    )


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--root", type=Path, required=True, help="the site to build")
    ap.add_argument("--out", type=Path, default=Path("/tmp/brandsite-profile-out"))
    ap.add_argument("--stats", type=Path, help="also save the raw profile (pstats file)")
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("--now", default="2026-11-22")
    a = ap.parse_args(argv)
    from generator.cli import main as brandsite

    shutil.rmtree(a.out, ignore_errors=True)
    args = ["build", "--root", str(a.root), "--output", str(a.out), "--now", a.now]
    args += ["--no-cache", "--jobs", "1", "--quiet"]
    profile = cProfile.Profile(time.process_time)
    started = time.perf_counter()
    code = profile.runcall(brandsite, args)
    wall = time.perf_counter() - started
    if a.stats:
        profile.dump_stats(a.stats)
    stats = pstats.Stats(profile)
    total = cumulative(stats, "engine/build.py", "build")
    print(f"brandsite {' '.join(args)}: exit {code}, {wall:.1f} s wall, {total:.1f} s CPU profiled")
    print(f"\n{'stage':<44} {'CPU s':>7} {'share':>6}")
    for label, suffix, name in STAGES:
        seconds = cumulative(stats, suffix, name)
        print(f"{label:<44} {seconds:7.1f} {seconds / total:6.1%}")
    render = cumulative(stats, "theme/rendering.py", "render_template")
    markdown = cumulative(stats, "markdown/convert.py", "_convert")
    print(
        f"{'templates without Markdown':<44} {render - markdown:7.1f} {(render - markdown) / total:6.1%}"
    )
    for order in ("cumulative", "tottime"):
        print(f"\ntop {a.top} by {order}:")
        stats.sort_stats(order).print_stats(a.top)
    return 0 if code == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
