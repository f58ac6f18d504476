"""Python side of the Node browser drivers in tests/e2e/js (axe-core audits, screenshots)."""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .e2e_tools import run_node_json

BLOCKING_IMPACTS = frozenset({"serious", "critical"})


@dataclass(frozen=True)
class AxeViolation:
    """One axe-core rule that failed on a page, with the first offending elements."""

    rule: str
    impact: str
    help: str
    help_url: str
    targets: tuple[str, ...]
    summary: str

    def format(self) -> str:
        """One readable line plus the elements, for an assertion message."""
        where = " | ".join(self.targets[:5]) + (" | ..." if len(self.targets) > 5 else "")
        first = " ".join(self.summary.split())
        return f"{self.impact} {self.rule}: {self.help} -> {where}\n      {first}"


@dataclass(frozen=True)
class AxePage:
    """axe-core's verdict on one URL."""

    url: str
    status: int | None
    violations: tuple[AxeViolation, ...]

    @property
    def blocking(self) -> tuple[AxeViolation, ...]:
        """The serious and critical violations, the ones that fail the test."""
        return tuple(v for v in self.violations if v.impact in BLOCKING_IMPACTS)


def _violation(raw: dict[str, Any]) -> AxeViolation:
    nodes = raw.get("nodes", [])
    return AxeViolation(
        rule=raw["id"],
        impact=raw.get("impact") or "unknown",
        help=raw.get("help", ""),
        help_url=raw.get("helpUrl", ""),
        targets=tuple(n["target"] for n in nodes),
        summary=nodes[0].get("summary", "") if nodes else "",
    )


def run_axe(urls: Sequence[str], *, timeout: float = 300) -> dict[str, AxePage]:
    """Audit `urls` with axe-core in one browser; return the verdicts keyed by URL."""
    with tempfile.TemporaryDirectory(prefix="brandsite-e2e-axe-") as profiles:
        data = run_node_json("axe.mjs", list(urls), timeout=timeout, marker=profiles)
    return {
        p["url"]: AxePage(p["url"], p.get("status"), tuple(_violation(v) for v in p["violations"]))
        for p in data["pages"]
    }


@dataclass(frozen=True)
class Screenshot:
    """A full-page screenshot at one viewport width and the page's horizontal extent there."""

    width: int
    path: Path
    status: int | None
    scroll_width: int
    client_width: int
    overflowing: tuple[str, ...]


def png_size(path: Path) -> tuple[int, int]:
    """Return (width, height) from a PNG's IHDR chunk."""
    head = path.read_bytes()[:24]
    if head[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def take_screenshots(
    url: str, out_dir: Path, widths: Sequence[int], *, timeout: float = 180
) -> dict[int, Screenshot]:
    """Screenshot `url` at each width into `out_dir`; return them keyed by width."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="brandsite-e2e-shot-") as profiles:
        data = run_node_json(
            "screenshot.mjs",
            [url, str(out_dir), *map(str, widths)],
            timeout=timeout,
            marker=profiles,
        )
    return {
        s["width"]: Screenshot(
            width=s["width"],
            path=Path(s["path"]),
            status=s.get("status"),
            scroll_width=s["scrollWidth"],
            client_width=s["clientWidth"],
            overflowing=tuple(
                f"{o['element']} (right edge {o['right']} px, width {o['width']} px)"
                for o in s.get("overflowing", [])
            ),
        )
        for s in data["shots"]
    }
