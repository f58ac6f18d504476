"""The engine's data: what a build is asked, what it checked, what it plans and what it keeps."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import Diagnostic, has_errors
from .pickling import fast_pickle

if TYPE_CHECKING:  # types only: the no-change shortcut reads BuildResult without the engine
    from ..content.config import SiteConfig
    from ..content.model import Site
    from ..share.assets import CardTheme
    from ..site import privacy
    from ..site.portable import PortableReport
    from ..site.routes import Route
    from ..theme.rendering import SiteIndex
    from ..theme.themes import ResolvedTheme


@dataclass(frozen=True)
class BuildOptions:
    """What to build, and as of when."""

    root: Path
    """The project folder (with site.toml, content/ and themes/)."""
    output: Path
    """Where the finished site goes."""
    now: dt.datetime
    """The current moment (time-zone aware); the site's time zone turns it into "today"."""
    today: dt.date | None = None
    """Overrides "today" (``--now``) for previews and tests."""
    include_drafts: bool = False
    """Publish drafts too."""
    base_url: str | None = None
    """Overrides ``base_url`` from site.toml (e.g. for a local preview)."""
    jobs: int = 0
    """Processes to render with; 0 picks one per core for big sites."""
    progress: bool = False
    """Show a progress line on the terminal."""
    portable: bool = False
    """Make every internal link relative and end in a file, so the copy opens from disk; such
    builds are always full (``portable.make_portable`` rewrites the staged files)."""
    on_lock_wait: Callable[[int | None], None] | None = field(default=None, compare=False)
    """Called (with the other build's pid, if known) when another build holds the output lock."""


@dataclass
class BuildResult:
    """What a build did; tests inspect this instead of scraping logs."""

    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    """Output paths written by this build (unchanged files are not rewritten)."""
    deleted: list[str] = field(default_factory=list)
    """Output paths removed because the site no longer has them."""
    site: Site | None = None
    seconds: float = 0.0
    config_error: bool = False
    """True when the problems are in settings (site.toml, theme.toml): exit code 2."""
    files: int = 0
    """Files in the finished output."""
    outputs: tuple[str, ...] = ()
    """Every file of the finished output (relative paths, sorted), written now or before."""
    mode: str = ""
    """"full" (staged and swapped), "update" (changed files replaced) or "" (nothing written)."""
    portable: PortableReport | None = None
    """What a portable build rewrote."""
    cards_drawn: int = 0
    """Share cards drawn by this build (the others came from the cache)."""
    timezone: str = ""
    """The site's time zone (what "today" was), once the settings were read."""
    theme_folders: tuple[Path, ...] = ()
    """The folders of the theme chain the build read."""

    @property
    def ok(self) -> bool:
        """True when the build produced a site."""
        return not has_errors(self.diagnostics)

    @property
    def pages(self) -> int:
        """HTML pages written by this build."""
        return sum(path.endswith(".html") for path in self.written)


@dataclass(frozen=True)
class Checked:
    """A project that passed every check, ready to render."""

    config: SiteConfig
    theme: ResolvedTheme
    site: Site
    routes: list[Route]
    pages: privacy.PageChecker | None = field(default=None, compare=False)
    """Finds resources from other hosts in rendered pages."""
    cards: CardTheme | None = field(default=None, compare=False, repr=False)
    """What share cards are drawn with (``share.assets``); None: no cards."""


@dataclass(frozen=True)
class LastBuild:
    """The last successful build, kept in memory by a session for the next one."""

    checked: Checked
    index: SiteIndex
    jobs: dict[str, Job]
    output: str
    readers: dict[str, list[str]] | None = None
    """Read key → output files that read it (the session fills this in on first use)."""


@fast_pickle
@dataclass(frozen=True, slots=True)
class Job:
    """One output file to produce, with the fingerprint of its inputs."""

    output_path: str
    fingerprint: str
    route: Route | None = None
    """Set for rendered files."""
    content: bytes | None = None
    """Set for theme static files."""
    source: Path | None = None
    """Set for copied files (images)."""
    context: dict[str, Any] | None = field(default=None, compare=False, repr=False)
    """The page's template context, made once when planning (it is also what the fingerprint
    is a digest of); None to make it again from the site (the session's quick path, which
    swaps stories in)."""
    cards: tuple[str, ...] = ()
    """Read keys of the stories the file shows (see ``changes``)."""
