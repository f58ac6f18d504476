#!/usr/bin/env python3
"""What a second language costs a cold build: the bench corpus built in English, then in English
and German, per page (issue #16: at most +10 %).

    python bench/bilingual.py [--sizes 1000,10000] [--repeat 3] [--json FILE] [--work DIR]

The monolingual site is exactly what bench/run.py builds for a size. The bilingual site is the
same corpus with a German translation beside every story and value (titles and summaries
translated with a fixed phrase table, bodies unchanged, each marked as made from its original's
current text) and `languages = ["en", "de"]`. Both get run.py's cold full build (cache and
output deleted, `--no-cache`), alternating, each in a fresh measuring process. See
bench/README.md, "Bilingual sites".
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import re
import shutil
import statistics
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
REPO = BENCH_DIR.parent
sys.path.insert(0, str(REPO))


def _load_run() -> Any:
    """bench/run.py as a module (it is a script beside this one, not a package)."""
    spec = importlib.util.spec_from_file_location("bench_run", BENCH_DIR / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


bench_run = _load_run()

from generator.content.entries import StoryEntry, parse_story  # noqa: E402
from generator.content.loading import SourceFile  # noqa: E402
from generator.content.staleness import original_digest  # noqa: E402

BenchError = bench_run.BenchError
TARGET = 0.10
"""Issue #16: the bilingual build may cost at most 10 % more per page than the monolingual one."""

EDITION_DE = """
[edition.de]
title = "Karriere bei Benchmark Co"
description = "Menschen bei Benchmark Co erzählen, wie sie arbeiten, lernen und gemeinsam wachsen."
"""

# make_corpus.py's titles are "<A> <B>", sometimes followed by " (<first name>)". German puts the
# verb of "als ich …" at the end, so each B is written as the end of such a clause.
TITLE_A_DE = {
    "How I": "Wie ich",
    "Why I": "Warum ich",
    "What I learned when I": "Was ich lernte, als ich",
    "The day I": "Der Tag, an dem ich",
    "A year after I": "Ein Jahr, nachdem ich",
    "Finding my way as I": "Mein Weg, als ich",
    "Growing fast:": "Schnell wachsen:",
    "Behind the scenes:": "Hinter den Kulissen:",
    "From intern to lead:": "Vom Praktikum zur Teamleitung:",
    "Lessons from the time I": "Lehren aus der Zeit, als ich",
}
TITLE_B_DE = {
    "joined the team": "zum Team kam",
    "switched careers": "den Beruf wechselte",
    "moved across the world": "ans andere Ende der Welt zog",
    "led my first launch": "meinen ersten Produktstart leitete",
    "rebuilt our onboarding": "unser Onboarding neu aufbaute",
    "mentored a new hire": "eine neue Kollegin begleitete",
    "took parental leave": "in Elternzeit ging",
    "found my voice": "meine Stimme fand",
    "shipped a feature customers loved": "eine Funktion auslieferte, die Kunden begeisterte",
    "learned to say no": "Nein zu sagen lernte",
    "started a community group": "eine Community-Gruppe gründete",
    "worked remotely for a year": "ein Jahr lang von überall arbeitete",
    "came back after a break": "nach einer Pause zurückkam",
    "changed teams": "das Team wechselte",
    "ran our first hackathon": "unseren ersten Hackathon ausrichtete",
    "fixed a production outage": "einen Produktionsausfall behob",
    "planned a volunteering day": "einen Tag für das Ehrenamt plante",
}
FALLBACK_TITLE = "Aus unserem Team: {title}"
"""A title the phrase table does not know (a changed corpus script) still gets a German one."""

VALUES_DE = {
    "customer-obsession": (
        "Kundenorientierung",
        "Wir beginnen bei den Menschen, für die wir arbeiten, und denken von ihren Bedürfnissen aus.",
    ),
    "ownership": (
        "Verantwortung",
        "Wir handeln für das ganze Unternehmen, nicht nur für unser Team, und bringen zu Ende, "
        "was wir anfangen.",
    ),
    "craft": (
        "Handwerk",
        "Uns sind die Details wichtig: Wir sind stolz auf Qualität und legen die Latte immer höher.",
    ),
    "curiosity": ("Neugier", "Wir stellen Fragen, lernen offen und hören nie auf zu wachsen."),
    "inclusion": ("Inklusion", "Wir bauen Teams, in denen alle dazugehören und jede Stimme zählt."),
    "sustainability": (
        "Nachhaltigkeit",
        "Wir entscheiden so, dass es auf lange Sicht gut ist: für unsere Kunden, unsere Leute "
        "und den Planeten.",
    ),
}
VALUE_BODY_DE = "{summary}\n\nGeschichten von Menschen, die **{title}** jeden Tag leben.\n"


# --- Translating ------------------------------------------------------------------------------


def german_title(title: str) -> str:
    """The German title of a corpus title: "<A> <B>" by the phrase tables, "(Name)" kept."""
    name = ""
    named = re.fullmatch(r"(.*) (\([^()]*\))", title)
    if named:
        title, name = named.group(1), f" {named.group(2)}"
    for english in sorted(TITLE_A_DE, key=len, reverse=True):
        rest = title.removeprefix(english + " ")
        if rest != title and rest in TITLE_B_DE:
            return f"{TITLE_A_DE[english]} {TITLE_B_DE[rest]}{name}"
    return FALLBACK_TITLE.format(title=title) + name


def german_summary(entry: StoryEntry, title: str) -> str:
    """The German summary of a story: who tells it (role and team as written) and its title."""
    about = ", ".join(part for part in (entry.role, entry.team) if part)
    return (
        f"{entry.author} ({about}) erzählt: „{title}“."
        if about
        else f"{entry.author} erzählt: „{title}“."
    )


def quoted(text: str) -> str:
    """A double-quoted front matter value (as make_corpus.py writes them)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def with_front_matter(text: str, changes: dict[str, str], added: Sequence[str]) -> str:
    """`text` with the values of top-level keys in `changes` replaced and `added` lines appended
    to its front matter; every other byte kept."""
    if not text.startswith("---\n"):
        raise BenchError("a corpus file does not start with front matter")
    end = text.index("\n---\n", 3)
    lines = text[:end].split("\n")
    for number, line in enumerate(lines):
        key, sep, _ = line.partition(":")
        if sep and key in changes:
            lines[number] = f"{key}: {changes[key]}"
    return "\n".join([*lines, *added]) + text[end:]


def read_story(source: str, text: str) -> StoryEntry:
    """The original story as brandsite reads it (its digest and fields come from there)."""
    entry, _ = parse_story(SourceFile(source=source, text=text))
    if entry is None:
        raise BenchError(f"brandsite cannot read {source}")
    return entry


def german_story(text: str, name: str, entry: StoryEntry) -> str:
    """The German translation of the story `name` (file name without .md), marked as current.

    `translated_from` is the digest `brandsite translations mark` writes: the generator's own
    `original_digest` of the original as parsed.
    """
    title = german_title(entry.title)
    return with_front_matter(
        text,
        {"title": quoted(title), "summary": quoted(german_summary(entry, title))},
        ["lang: de", f"translation_of: {name}", f"translated_from: {original_digest(entry)}"],
    )


def german_value(text: str, slug: str) -> str:
    """The German translation of the value `slug`: German title, summary and a short text."""
    title, summary = VALUES_DE.get(
        slug, (slug.replace("-", " ").title(), "Ein Wert, den wir leben.")
    )
    front = "\n".join(
        [
            "---",
            "lang: de",
            f"translation_of: {slug}",
            f"title: {quoted(title)}",
            f"summary: {quoted(summary)}",
            "---",
            "",
        ]
    )
    return front + VALUE_BODY_DE.format(summary=summary, title=title)


def bilingual_toml() -> str:
    """run.py's site.toml with English and German editions (English first, at /)."""
    mono = bench_run.SITE_TOML.format(theme=bench_run.THEME)
    one_language = 'language = "en"\n'
    if one_language not in mono:
        raise BenchError(f"run.py's site.toml no longer says {one_language.strip()}")
    return mono.replace(one_language, 'languages = ["en", "de"]\n') + EDITION_DE


# --- Preparing the sites ----------------------------------------------------------------------


def bilingual_layout(mono: Any) -> Any:
    """The bilingual site's folders beside the monolingual ones (run.py's Layout)."""
    work = mono.site.parent
    return replace(
        mono, site=work / f"site-{mono.size}-bilingual", out=work / f"out-{mono.size}-bilingual"
    )


def ensure_bilingual_content(mono: Any, bi: Any) -> None:
    """Write the bilingual content from the monolingual corpus unless it is already there for
    this corpus, this script and the generator's digest code (a stamp like run.py's)."""
    stamp = bi.site / ".corpus-stamp"
    expected = (mono.site / ".corpus-stamp").read_text(encoding="utf-8") + (
        f"bilingual={bench_run.file_digest(Path(__file__))} "
        f"digest={bench_run.file_digest(REPO / 'generator/content/translation_digest.py')}\n"
    )
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == expected:
        return
    source, target = mono.site / "content", bi.site / "content"
    shutil.rmtree(target, ignore_errors=True)
    print(f"translating {mono.size:,} stories into {target} ...", flush=True)
    for folder in ("stories", "values"):
        (target / folder).mkdir(parents=True)
    for path in sorted((source / "stories").glob("*.md")):
        text = path.read_text(encoding="utf-8")
        entry = read_story(f"content/stories/{path.name}", text)
        shutil.copy2(path, target / "stories" / path.name)
        german = german_story(text, path.stem, entry)
        (target / "stories" / f"{path.stem}.de.md").write_text(german, encoding="utf-8")
    for path in sorted((source / "values").glob("*.md")):
        shutil.copy2(path, target / "values" / path.name)
        german = german_value(path.read_text(encoding="utf-8"), path.stem)
        (target / "values" / f"{path.stem}.de.md").write_text(german, encoding="utf-8")
    stamp.write_text(expected, encoding="utf-8")


def prepare_bilingual_site(themes: Path, mono: Any, bi: Any) -> None:
    """The bilingual bench site: translated content, run.py's themes copy, two-language settings."""
    bi.site.mkdir(parents=True, exist_ok=True)
    ensure_bilingual_content(mono, bi)
    bench_run.prepare_brandsite_site(themes, bi)
    (bi.site / "site.toml").write_text(bilingual_toml(), encoding="utf-8")


def check_bilingual_output(bi: Any) -> None:
    """Raise BenchError unless every story has its English and German page and there is a
    German feed (a build that dropped the German edition must not be timed as one)."""
    slugs = sorted(
        p.stem for p in (bi.site / "content" / "stories").glob("*.md") if not p.stem.endswith(".de")
    )
    for path in (
        "de/feed.xml",
        *(f"{lang}stories/{s}/index.html" for s in slugs for lang in ("", "de/")),
    ):
        if not (bi.out / path).is_file():
            raise BenchError(f"the bilingual build wrote no {path} in {bi.out}")


TRANSLATION_WARNINGS = ("unmarked-translation", "stale-translation")


def check_bilingual_log(log: Path) -> None:
    """Raise BenchError when the build warned about translations (the marks would be wrong)."""
    text = log.read_text(encoding="utf-8", errors="replace")
    for code in TRANSLATION_WARNINGS:
        if code in text:
            raise BenchError(f"the bilingual build warned {code}; see {log}")


# --- Measuring and reporting ------------------------------------------------------------------


@dataclass(frozen=True)
class SiteSummary:
    """One site's cold builds at one size."""

    site: str
    wall_s_median: float
    wall_s_min: float
    wall_s_max: float
    cpu_s_median: float
    pages: int
    peak_mib: float
    wall_ms_per_page: float
    cpu_ms_per_page: float
    runs: list[dict[str, float]] = field(default_factory=list)


@dataclass(frozen=True)
class SizeSummary:
    """Both sites at one size, and what the second language adds per page."""

    size: int
    monolingual: SiteSummary
    bilingual: SiteSummary
    wall_per_page_change: float
    """Bilingual wall ms per page over monolingual, minus 1 (0.05 is +5 %)."""
    cpu_per_page_change: float
    target: float = TARGET


def summarise_site(site: str, runs: Sequence[Any]) -> SiteSummary:
    """Medians of one site's runs, per build and per HTML page."""
    wall = statistics.median(r.wall_s for r in runs)
    cpu = statistics.median(r.cpu_s for r in runs)
    pages = max(r.pages for r in runs)
    return SiteSummary(
        site=site,
        wall_s_median=wall,
        wall_s_min=min(r.wall_s for r in runs),
        wall_s_max=max(r.wall_s for r in runs),
        cpu_s_median=cpu,
        pages=pages,
        peak_mib=max(r.peak_kib for r in runs) / 1024,
        wall_ms_per_page=1000 * wall / pages,
        cpu_ms_per_page=1000 * cpu / pages,
        runs=[asdict(r) for r in runs],
    )


def summarise(size: int, mono: Sequence[Any], bi: Sequence[Any]) -> SizeSummary:
    """Both sites' summaries and the per-page changes."""
    one, two = summarise_site("monolingual", mono), summarise_site("bilingual", bi)
    return SizeSummary(
        size=size,
        monolingual=one,
        bilingual=two,
        wall_per_page_change=two.wall_ms_per_page / one.wall_ms_per_page - 1,
        cpu_per_page_change=two.cpu_ms_per_page / one.cpu_ms_per_page - 1,
    )


def percent(change: float) -> str:
    """A change as "+4.2 %"."""
    return f"{100 * change:+.1f} %"


def format_table(summary: SizeSummary, repeat: int) -> str:
    """One size's plain-text table and the verdict against the target."""
    runs = f"{repeat} runs" if repeat > 1 else "1 run"
    lines = [
        "",
        f"{summary.size:,} stories, cold full build (medians of {runs}; wall range in brackets)",
        f"{'site':<12} {'wall s':>7} {'(min-max)':>15} {'CPU s':>7} {'pages':>6} "
        f"{'peak MiB':>9} {'wall ms/page':>13} {'CPU ms/page':>12}",
    ]
    for s in (summary.monolingual, summary.bilingual):
        spread = f"({s.wall_s_min:.2f}-{s.wall_s_max:.2f})"
        lines.append(
            f"{s.site:<12} {s.wall_s_median:7.2f} {spread:>15} {s.cpu_s_median:7.2f} "
            f"{s.pages:6d} {s.peak_mib:9.1f} {s.wall_ms_per_page:13.2f} {s.cpu_ms_per_page:12.2f}"
        )
    target = percent(summary.target).replace(".0 ", " ")
    for label, change in (
        ("wall", summary.wall_per_page_change),
        ("CPU", summary.cpu_per_page_change),
    ):
        verdict = "met" if change <= summary.target else "not met"
        lines.append(
            f"bilingual per page, {label:<4}: {percent(change):>8} (target {target}: {verdict})"
        )
    return "\n".join(lines)


def cold(bench: Any, label: str) -> Any:
    """run.py's cold full build of `bench`'s site, its log named `N-<label>.log`."""
    bench.label = label
    return bench_run.cold_build(bench)


def bench_size(settings: Any, size: int) -> SizeSummary:
    """Prepare both sites for one size and time their cold builds, alternating."""
    mono = bench_run.Layout.for_size(settings.work, size)
    bi = bilingual_layout(mono)
    bench_run.ensure_corpus(settings.corpus_script, mono)
    bench_run.prepare_brandsite_site(settings.themes, mono)
    prepare_bilingual_site(settings.themes, mono, bi)
    runs: dict[str, list[Any]] = {"monolingual": [], "bilingual": []}
    for repetition in range(1, settings.repeat + 1):
        for site, layout, label in (
            ("monolingual", mono, "cold-mono"),
            ("bilingual", bi, "cold-bilingual"),
        ):
            bench = bench_run.Bench(settings, layout, contextlib.ExitStack())
            run = cold(bench, label)
            if site == "bilingual":
                check_bilingual_output(bi)
                check_bilingual_log(bench.log_path())
            runs[site].append(run)
            print(
                f"  {size:,} stories, run {repetition}/{settings.repeat}: {site:<12} "
                f"{run.wall_s:7.2f} s wall {run.cpu_s:7.2f} s CPU {run.pages:6d} pages "
                f"{run.peak_kib / 1024:7.1f} MiB   load {run.load_1m:4.1f}"
                + (
                    f"   (waited {run.waited_s:.1f} s for a deletion first)"
                    if run.waited_s >= 0.5
                    else ""
                ),
                flush=True,
            )
    return summarise(size, runs["monolingual"], runs["bilingual"])


def write_json(settings: Any, summaries: Sequence[SizeSummary]) -> None:
    """Write the environment and every size's summary (with its individual runs) as JSON."""
    environment = bench_run.environment(settings) | {
        "benchmark": "bench/bilingual.py",
        "scenarios": ["cold full build, monolingual", "cold full build, bilingual (en, de)"],
        "target_per_page_change": TARGET,
    }
    report = {"environment": environment, "results": [asdict(s) for s in summaries]}
    settings.json_path.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


# --- Command line ---------------------------------------------------------------------------


def parse_args(argv: Sequence[str] | None) -> Any:
    """Turn the command line into run.py's Settings (brandsite only, no Hugo)."""
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--sizes", default="1000", help="comma-separated story counts (1000)")
    ap.add_argument("--repeat", type=int, default=3, help="cold builds of each site per size (3)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    ap.add_argument(
        "--work",
        type=Path,
        default=BENCH_DIR / "work",
        help="scratch folder for corpora and outputs (bench/work)",
    )
    a = ap.parse_args(argv)
    try:
        sizes = tuple(int(s) for s in a.sizes.split(",") if s.strip())
    except ValueError:
        ap.error(f"--sizes must be comma-separated integers, not {a.sizes!r}")
    if not sizes or min(sizes) < 1 or a.repeat < 1:
        ap.error("--sizes and --repeat must be positive")
    corpus_script = bench_run.find_corpus_script()
    if not corpus_script.is_file():
        ap.error(f"corpus script not found: {corpus_script}")
    brandsite = (sys.executable, "-m", "generator")
    return bench_run.Settings(
        sizes=sizes,
        repeat=a.repeat,
        brandsite=brandsite,
        no_cache_flag=bench_run.supports_no_cache(brandsite),
        hugo=None,
        corpus_script=corpus_script,
        themes=REPO / "themes",
        work=a.work.resolve(),
        json_path=a.json,
        scenarios=("cold",),
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark; print each size's table (and rewrite the JSON) as soon as it is done."""
    settings = parse_args(argv)
    summaries: list[SizeSummary] = []
    try:
        for size in settings.sizes:
            summaries.append(bench_size(settings, size))
            print(format_table(summaries[-1], settings.repeat), flush=True)
            if settings.json_path:
                write_json(settings, summaries)
    except BenchError as problem:
        print(f"bench: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
