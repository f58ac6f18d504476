#!/usr/bin/env python3
"""Compare brandsite's and Hugo's output of one bench corpus: the file set, and sample pages as text.

    python bench/compare_hugo.py [--size 1000] [--work bench/work] [--pages 5]

Run it after `bench/run.py` built both (`bench/work/out-N-brandsite`, `bench/work/out-N-hugo`).
It lists the paths only one tool wrote (fingerprinted assets compared without their hash), the
total bytes, and for sample pages (home, first/middle/last listing page, values, a value page,
the site and a value feed, a few stories) the size and a unified diff of the visible text and
links, which is what should agree: markup and whitespace may differ. Then it compares the text
of every HTML page and feed and lists those that differ.
"""

from __future__ import annotations

import argparse
import difflib
import html
import re
import sys
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
_HASHED = re.compile(r"\.[0-9a-f]{8,64}\.(css|js|svg|png)$")


def files(out: Path) -> set[str]:
    """Every file path in an output folder, fingerprints replaced by `*`."""
    return {
        _HASHED.sub(r".*.\1", p.relative_to(out).as_posix())
        for p in out.rglob("*")
        if p.is_file() and p.name != ".brandsite-output"
    }


def visible(path: Path) -> list[str]:
    """A page's text and link targets, one sentence-ish chunk per line (scripts and head dropped)."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".xml":
        text = re.sub(r"<!\[CDATA\[(.*?)\]\]>", lambda m: html.escape(m.group(1)), text, flags=re.S)
        items = re.findall(r"<(title|link|pubDate|dc:creator|category)[^>]*>([^<]*)<", text)
        return [f"{tag}: {html.unescape(value)}" for tag, value in items]
    text = re.sub(r"(?s)<(script|style|head)\b.*?</\1>", "", text)
    text = re.sub(r'<a\b[^>]*href="([^"]*)"[^>]*>', r" [\1] ", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = html.unescape(text)
    words = re.sub(r"\s+", " ", text).strip()
    return [line.strip() for line in re.split(r"(?<=[.!?\]]) ", words) if line.strip()]


def samples(out: Path, count: int) -> list[str]:
    """Pages worth comparing, as paths relative to the output folder."""
    stories = sorted(
        p.parent.name for p in (out / "stories").glob("*/index.html") if p.parent.name != "page"
    )
    pages = sorted(int(p.name) for p in (out / "stories" / "page").iterdir())
    values = sorted(p.name for p in (out / "values").iterdir() if p.is_dir())
    picked = [stories[i * (len(stories) - 1) // max(1, count - 1)] for i in range(count)]
    return [
        "index.html",
        "stories/index.html",
        f"stories/page/{pages[len(pages) // 2]}/index.html",
        f"stories/page/{pages[-1]}/index.html",
        "values/index.html",
        f"values/{values[0]}/index.html",
        "feed.xml",
        f"values/{values[0]}/feed.xml",
        "robots.txt",
        *(f"stories/{slug}/index.html" for slug in picked),
    ]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--work", type=Path, default=BENCH_DIR / "work")
    ap.add_argument("--pages", type=int, default=5, help="story pages to compare (5)")
    ap.add_argument("--diff", action="store_true", help="print the text diff of every sample page")
    a = ap.parse_args(argv)
    ours, hugo = a.work / f"out-{a.size}-brandsite", a.work / f"out-{a.size}-hugo"
    if not (ours.is_dir() and hugo.is_dir()):
        print(f"compare: build both first ({ours}, {hugo})", file=sys.stderr)
        return 1
    mine, theirs = files(ours), files(hugo)
    print(f"files: brandsite {len(mine)}, Hugo {len(theirs)}, in both {len(mine & theirs)}")
    for name in sorted(mine - theirs):
        print(f"  only brandsite: {name}")
    for name in sorted(theirs - mine):
        print(f"  only Hugo:      {name}")
    size = {
        tool: sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        for tool, out in (("b", ours), ("h", hugo))
    }
    print(f"bytes: brandsite {size['b']:,}, Hugo {size['h']:,}")
    print(f"\n{'page':<58} {'brandsite':>10} {'Hugo':>10} {'text lines differing':>21}")
    for page in samples(ours, a.pages):
        left, right = visible(ours / page), visible(hugo / page)
        diff = [
            line
            for line in difflib.unified_diff(left, right, "brandsite", "hugo", lineterm="", n=0)
            if line[:1] in "+-" and not line.startswith(("+++", "---"))
        ]
        print(
            f"{page:<58} {(ours / page).stat().st_size:>10,} {(hugo / page).stat().st_size:>10,} {len(diff):>21}"
        )
        if a.diff:
            print("\n".join(f"    {line}" for line in diff[:40]))
    pages = sorted(
        p.relative_to(ours).as_posix()
        for p in ours.rglob("*")
        if p.suffix in (".html", ".xml") and (hugo / p.relative_to(ours)).is_file()
    )
    differ = [page for page in pages if visible(ours / page) != visible(hugo / page)]
    print(f"\nall pages and feeds in both: {len(pages)}, text differs in {len(differ)}")
    for page in differ[:20]:
        print(f"  {page}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
