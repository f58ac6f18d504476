"""The Nu HTML Checker (vnu.jar from npm vnu-jar), run once over many files."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .e2e_tools import VNU_JAR, run_tool


@dataclass(frozen=True)
class VnuMessage:
    """One vnu error: which file, where, what, and the offending source extract."""

    file: Path
    line: int | None
    column: int | None
    message: str
    extract: str

    def format(self, root: Path | None = None) -> str:
        """Render as `path:line:col: message [extract]`, path relative to `root` if given."""
        inside = root is not None and self.file.is_relative_to(root)
        shown = self.file.relative_to(root) if inside and root else self.file
        extract = " ".join(self.extract.split())
        return f"{shown}:{self.line or '?'}:{self.column or '?'}: {self.message}" + (
            f"  [{extract[:120]}]" if extract else ""
        )


def _message_file(url: str) -> Path:
    """vnu names files by file: URL."""
    return Path(unquote(urlsplit(url).path)) if url.startswith("file:") else Path(url)


def parse_vnu_json(text: str) -> list[VnuMessage]:
    """Turn vnu's `--format json` output into error messages (warnings are not asked for)."""
    messages = json.loads(text).get("messages", []) if text.strip() else []
    return [
        VnuMessage(
            file=_message_file(m.get("url", "")),
            line=m.get("lastLine", m.get("firstLine")),
            column=m.get("firstColumn", m.get("lastColumn")),
            message=str(m.get("message", "")).strip(),
            extract=str(m.get("extract", "")),
        )
        for m in messages
        if m.get("type") in ("error", "non-document-error")
    ]


def run_vnu(files: Sequence[Path], *, timeout: float = 300) -> list[VnuMessage]:
    """Check all `files` in one JVM start; return the errors (an empty list: all valid)."""
    if not files:
        raise ValueError("run_vnu needs at least one file")
    run = run_tool(
        ["java", "-Xss1m", "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--stdout"]
        + [str(f) for f in files],
        timeout=timeout,
    )
    # vnu exits 1 when it found errors; anything else without JSON is a tool failure.
    if run.timed_out or run.returncode not in (0, 1):
        raise AssertionError(f"vnu failed: {run.describe()}")
    try:
        return parse_vnu_json(run.stdout)
    except json.JSONDecodeError as exc:
        raise AssertionError(f"vnu printed no JSON ({exc}): {run.describe()}") from exc
