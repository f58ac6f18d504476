"""Fixtures for brandsite's end-to-end tests: real CLI builds, a real HTTP server, real tools.

Session-scoped where a result is shared (builds, servers, one vnu and one axe run); the `serve`
factory is per test. Tools missing locally skip the tests that need them; under CI they fail.
Run a quick subset with `./run test -m "e2e and not lighthouse"`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

from .e2e_browser import AxePage, run_axe
from .e2e_server import SiteServer
from .e2e_site import Build, build_site, copy_sample_site, key_pages
from .e2e_tools import require_tools
from .e2e_vnu import VnuMessage, run_vnu

SUB_PATH = "/careers/"
BROWSER_TOOLS = ("node", "chromium", "playwright-core")


def pytest_configure(config: pytest.Config) -> None:
    """Register the e2e markers (pyproject.toml also declares `e2e`)."""
    config.addinivalue_line("markers", "e2e: end-to-end tests with real servers and tools")
    config.addinivalue_line(
        "markers", "lighthouse: Lighthouse audits (slow, ~15 s a page); deselect with -m"
    )


def _require_build(build: Build) -> Path:
    """Fail the dependent tests with the CLI's own words when the build did not work."""
    if not build.ok:
        pytest.fail(f"building the sample site failed: {build.run.describe()}", pytrace=False)
    return build.output


@pytest.fixture(scope="session")
def site_build(tmp_path_factory: pytest.TempPathFactory) -> Build:
    """The sample site built by the real CLI with its own base_url (the outcome, even a failure)."""
    root = copy_sample_site(tmp_path_factory.mktemp("sample-site") / "project")
    return build_site(root)


@pytest.fixture(scope="session")
def built_site(site_build: Build) -> Path:
    """The output folder of the sample site built with the CLI (`--now 2026-11-22`)."""
    return _require_build(site_build)


@dataclass(frozen=True)
class ServedSite:
    """The sample site built for, and served at, http://127.0.0.1:PORT/careers/."""

    output: Path
    server: SiteServer

    @property
    def url(self) -> str:
        """The base URL, ending in /careers/."""
        return self.server.url

    def url_for(self, site_path: str) -> str:
        """Absolute URL of a site path such as "stories/"."""
        return self.server.url_for(site_path)


@pytest.fixture(scope="session")
def served_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServedSite]:
    """Build with `--base-url http://127.0.0.1:PORT/careers/` and serve it there.

    The server binds its port first, so the URL is known before the build; it starts serving
    once the build is there and stops at the end of the session.
    """
    root = copy_sample_site(tmp_path_factory.mktemp("served-site") / "project")
    server = SiteServer(root / "output", base_path=SUB_PATH)
    try:
        output = _require_build(build_site(root, output=server.folder, base_url=server.url))
        server.start()
        yield ServedSite(output, server)
    finally:
        server.stop()


@pytest.fixture
def serve() -> Iterator[Callable[..., SiteServer]]:
    """Factory: serve(folder, base_path="/") starts a server; all stop when the test ends."""
    servers: list[SiteServer] = []

    def start(folder: Path, base_path: str = "/") -> SiteServer:
        server = SiteServer(folder, base_path).start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.stop()


@pytest.fixture(scope="session")
def browser_tools() -> None:
    """Skip (locally) or fail (CI) unless node, chromium and playwright-core are installed."""
    require_tools(*BROWSER_TOOLS)


@pytest.fixture(scope="session")
def lighthouse_tools() -> None:
    """Skip (locally) or fail (CI) unless node, chromium and lighthouse are installed."""
    require_tools("node", "chromium", "lighthouse")


@pytest.fixture(scope="session")
def vnu() -> Callable[[Sequence[Path]], list[VnuMessage]]:
    """vnu(files): the Nu HTML Checker over all files in one run; returns the errors."""
    require_tools("java", "vnu")
    return run_vnu


@pytest.fixture(scope="session")
def axe() -> Callable[[Sequence[str]], dict[str, AxePage]]:
    """axe(urls): axe-core in headless Chromium over all URLs; returns the verdict per URL."""
    require_tools(*BROWSER_TOOLS, "axe-core")
    return run_axe


@pytest.fixture(scope="session")
def axe_key_pages(
    axe: Callable[[Sequence[str]], dict[str, AxePage]], served_site: ServedSite
) -> dict[str, AxePage]:
    """axe-core verdicts for one page of each kind, keyed by kind (home, story, not_found, ...)."""
    urls = {kind: served_site.url_for(path) for kind, path in key_pages(served_site.output).items()}
    verdicts = axe(list(urls.values()))
    return {kind: verdicts[url] for kind, url in urls.items()}
