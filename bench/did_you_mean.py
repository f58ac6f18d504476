"""Time "did you mean" for 3,000 unknown tags against 3,000 values (issue 12).

Run: .venv/bin/python bench/did_you_mean.py
"""

from __future__ import annotations

import datetime as dt
import random
import time

from generator.content import linking
from generator.content.entries import Located, StoryEntry, ValueEntry


def main() -> None:
    """Print the seconds the value rule takes over one story with 3,000 unknown tags."""
    rng = random.Random(7)
    syllables = ["ka", "ro", "mi", "te", "su", "lan", "vor", "bi", "ne", "gra", "tu", "pel", "os"]

    def word(n: int) -> str:
        return "".join(rng.choice(syllables) for _ in range(n))

    names = {f"{word(rng.randint(2, 4))}-{word(rng.randint(1, 3))}" for _ in range(3200)}
    slugs = sorted(names)[:3000]
    values = {
        s: ValueEntry(f"content/values/{s}.md", Located(s, 1), s.title(), "", 1, "", 1)
        for s in slugs
    }
    # Half typos of real values, half words that are no value at all.
    tags = [s[:-1] + "x" if i % 2 else word(3) for i, s in enumerate(rng.sample(slugs, 3000))]
    story = StoryEntry(
        "content/stories/a.md", Located("a", 1), "A", "B", dt.date(2026, 1, 1), 1,
        tuple(Located(t, 5 + i) for i, t in enumerate(tags)), 5, True, "", "", 1,
    )  # fmt: skip
    problems: list = []
    started = time.perf_counter()
    linking._story_values(story, values, problems)
    seconds = time.perf_counter() - started
    print(f"{len(tags):,} tags against {len(values):,} values: {seconds:.2f} s")


if __name__ == "__main__":
    main()
