"""What each Markdown extension costs: the benchmark corpus's bodies converted, nothing else timed.

    python3 ../shared/bench/make_corpus.py --stories 300 --out bench/work/md-corpus
    .venv/bin/python bench/markdown_cost.py --corpus bench/work/md-corpus --repeat 7

Times Python-Markdown over every story and value body of the corpus (front matter removed first),
with brandsite's embeds and link rules, for: the converter as it was before the GitHub extensions
(``tables``, ``sane_lists``, ``toc``), that plus each extension alone, and the whole configuration
as ``generator.markdown.convert`` registers it. Each figure is the fastest of ``--repeat`` runs, in CPU time of the process (other work on
the machine disturbs it less than wall time).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import markdown as python_markdown  # noqa: E402

from generator.content.frontmatter import parse_front_matter  # noqa: E402
from generator.markdown.convert import MarkdownRenderer  # noqa: E402
from generator.markdown.embeds import EmbedExtension  # noqa: E402
from generator.markdown.ext import EXTENSION_CONFIGS, EXTENSIONS  # noqa: E402
from generator.markdown.ext.breaks import BackslashBreakExtension  # noqa: E402
from generator.markdown.ext.footnotes import FootnoteSectionExtension  # noqa: E402
from generator.markdown.ext.headings import HeadingIdsExtension  # noqa: E402
from generator.markdown.ext.links import StrictLinksExtension  # noqa: E402
from generator.markdown.ext.lists import GfmListsExtension  # noqa: E402
from generator.markdown.ext.prefilter import PrefilterExtension  # noqa: E402
from generator.markdown.ext.tasks import TaskLabelsExtension  # noqa: E402

BEFORE = ("tables", "sane_lists", "toc")
"""The converter's extensions before the GitHub configuration."""


def bodies(corpus: Path) -> list[str]:
    """The Markdown bodies of every ``.md`` file under ``corpus``, sorted by path."""
    found = []
    for path in sorted(corpus.rglob("*.md")):
        parsed, _ = parse_front_matter(path.read_text(encoding="utf-8"), str(path))
        if parsed is not None:
            found.append(parsed.body)
    return found


def own(name: str) -> object:
    """One of brandsite's own extensions, by its short name."""
    return {
        "gfm-lists": GfmListsExtension,
        "backslash-break": BackslashBreakExtension,
        "strict-links": StrictLinksExtension,
        "heading-ids": HeadingIdsExtension,
        "task-labels": TaskLabelsExtension,
        "footnote-section": lambda: FootnoteSectionExtension(lambda: "en"),
        "prefilter": PrefilterExtension,
    }[name]()


def timed(converts: list[object], texts: list[str], repeat: int) -> list[float]:
    """Fastest total CPU seconds (this process) of each converter over ``texts``.

    The converters take turns within every run (after one warm-up run each), so a busy moment
    on the machine slows all of them alike rather than one.
    """
    best = [float("inf")] * len(converts)
    for run in range(repeat + 1):
        for number, convert in enumerate(converts):
            started = time.process_time()
            for text in texts:
                convert(text)  # type: ignore[operator]
            if run:
                best[number] = min(best[number], time.process_time() - started)
    return best


def converter(names: tuple[str, ...], mine: tuple[str, ...]) -> python_markdown.Markdown:
    """Python-Markdown with the named extensions, brandsite's named ones, and embeds."""
    return python_markdown.Markdown(
        extensions=[*names, *(own(n) for n in mine), EmbedExtension(lambda: "en")],
        extension_configs={k: v for k, v in EXTENSION_CONFIGS.items() if k in names},
        output_format="html",
    )


def main() -> int:
    """Print the cost table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", type=Path, required=True, help="make_corpus.py's --out")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    texts = bodies(args.corpus)
    added = [n for n in EXTENSIONS if n not in BEFORE]
    mine = ("gfm-lists", "backslash-break", "strict-links", "heading-ids", "task-labels")
    mine += ("footnote-section", "prefilter")
    labels: list[str] = []
    converts: list[object] = []

    def add(label: str, names: tuple[str, ...], own_names: tuple[str, ...] = ()) -> None:
        md = converter(names, own_names)
        labels.append(label)
        converts.append(lambda t: md.reset().convert(t))

    add("before (tables, sane_lists, toc)", BEFORE)
    for name in added:
        # pymdownx.highlight alone does nothing without superfences; it is timed with it.
        if name == "pymdownx.highlight":
            continue
        extra = ("pymdownx.highlight", name) if name == "pymdownx.superfences" else (name,)
        add(f"+ {name}", (*BEFORE, *extra))
    for name in mine[:-1]:
        deps = ("footnotes",) if name == "footnote-section" else ()
        deps += ("pymdownx.tasklist",) if name == "task-labels" else ()
        add(f"+ {name} (brandsite)", (*BEFORE, *deps), (name,))
    add("all but prefilter", tuple(EXTENSIONS), mine[:-1])
    add("all (the configuration now)", tuple(EXTENSIONS), mine)
    renderer = MarkdownRenderer(site_host="bench.example")
    labels.append("MarkdownRenderer.convert (now, with link rules)")
    converts.append(lambda t: renderer.convert(t, "content/stories/x.md"))
    rows = list(zip(labels, timed(converts, texts, args.repeat), strict=True))
    base = rows[0][1]
    print(f"{len(texts)} bodies, fastest of {args.repeat} runs\n")
    print("| configuration | ms per body | vs before |")
    print("|---|---:|---:|")
    for label, seconds in rows:
        change = f"{100 * (seconds / base - 1):+.1f} %" if label != rows[0][0] else "—"
        print(f"| {label} | {1000 * seconds / len(texts):.3f} | {change} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
