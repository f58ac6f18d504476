"""A build session: the project stays loaded between builds, so a rebuild does only what changed."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .build import BuildOptions, BuildResult, build
from .incremental import BuildState


class IncrementalBuilder:
    """Builds the same project again and again (``brandsite serve``), remembering the last build."""

    def __init__(self, options: BuildOptions, state: BuildState | None = None) -> None:
        self.options = options
        self.state = state if state is not None else BuildState.load(options.root)

    def build(self, changed: Iterable[Path] | None = None) -> BuildResult:
        """Rebuild; ``changed`` names the files that changed (None: anything may have).

        Changes are found by each file's stamp either way, so a missed watcher event cannot make
        the preview stale; ``changed`` only decides whether the on-disk cache is worth saving.
        """
        result = build(self.options, self.state)
        if changed is None and result.ok:
            self.state.save(self.options.root)
        return result
