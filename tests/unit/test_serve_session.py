"""The preview session: which builds it asks for, what it tells browsers and the terminal."""

from __future__ import annotations

import io
import os
import queue
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from conftest import NOW, REPO, SITE_TOML, story, write_site
from generator.commands.serve_cmd import PreviewSession
from generator.engine.records import BuildOptions, BuildResult
from generator.errors import error, warning
from generator.preview.server import ReloadHub

BROKEN = error(
    "content/stories/a.md", 3, "bad-yaml", "the front matter is not valid YAML", "fix it"
)


@dataclass
class FakeBuilder:
    """Returns queued results and records what it was asked to build."""

    options: BuildOptions
    results: list[BuildResult]
    calls: list[list[Path] | None] = field(default_factory=list)

    def build(self, changed: Iterable[Path] | None = None) -> BuildResult:
        self.calls.append(None if changed is None else list(changed))
        result = self.results.pop(0)
        if isinstance(result, Exception):
            raise result
        return result


def ok(*written: str) -> BuildResult:
    return BuildResult(written=list(written))


def failed(*problems: object) -> BuildResult:
    return BuildResult(diagnostics=list(problems or [BROKEN]))  # type: ignore[arg-type]


@pytest.fixture
def make_session(tmp_path: Path) -> Callable[..., tuple[PreviewSession, list[FakeBuilder]]]:
    def make(
        results: list[object], config: str = SITE_TOML
    ) -> tuple[PreviewSession, list[FakeBuilder]]:
        root = write_site(tmp_path / "project", {}, config, theme=False)
        options = BuildOptions(root=root, output=root / ".brandsite-cache/preview", now=NOW)
        builders: list[FakeBuilder] = []

        def builder(opts: BuildOptions) -> FakeBuilder:
            builders.append(FakeBuilder(opts, results))  # type: ignore[arg-type]
            return builders[-1]

        hub = ReloadHub(options.output, "/")
        session = PreviewSession(
            options, "127.0.0.1", 8123, hub, builder, out=io.StringIO(), err=io.StringIO()
        )
        return session, builders

    return make


def lines(session: PreviewSession) -> list[str]:
    """Terminal lines without the time stamp, and with "N ms" for durations."""
    text = session.out.getvalue()  # type: ignore[attr-defined]
    return [re.sub(r"\d+ ms$", "N ms", line.split(" ", 1)[1]) for line in text.splitlines()]


def test_preview_builds_for_this_server_under_the_configured_sub_path(make_session) -> None:
    config = SITE_TOML.replace("https://careers.test.example/", "https://test.example/careers/")
    session, builders = make_session([ok("index.html")], config)
    session.rebuild(None)
    assert builders[0].options.base_url == "http://127.0.0.1:8123/careers/"
    assert builders[0].calls == [None]
    assert session.hub.snapshot.prefix == "/careers/"
    assert lines(session) == ["full build: 1 page built (1 file written) in N ms"]


def test_changed_paths_are_passed_and_reported(make_session) -> None:
    session, builders = make_session(
        [ok("index.html"), ok("stories/a/index.html", "feed.xml"), ok()]
    )
    root = session.root
    story = root / "content/stories/a.md"
    story.parent.mkdir(parents=True)
    story.write_text("x")
    session.rebuild(None)
    session.rebuild([story])
    session.rebuild([root / "content/stories/gone.md"])
    assert builders[0].calls == [None, [story], [root / "content/stories/gone.md"]]
    assert lines(session)[1:] == [
        "content/stories/a.md: 1 page rebuilt (2 files written) in N ms",
        "content/stories/gone.md (deleted): nothing in the site changed in N ms",
    ]
    assert session.hub.count == 2  # the last build changed nothing a browser shows


def test_broken_then_fixed(make_session) -> None:
    session, builders = make_session([ok("index.html"), failed(), failed(), ok()])
    story = session.root / "content/stories/a.md"
    session.rebuild(None)
    session.rebuild([story])
    assert session.hub.snapshot.problems == (BROKEN,)
    assert session.hub.count == 2  # browsers go to the error page
    session.rebuild([story])
    assert session.hub.count == 2  # same problems: no reload
    session.rebuild([story])
    assert session.hub.snapshot.problems == ()
    assert session.hub.count == 3  # back to the site, though no file changed
    # the failed builds' paths are passed again until a build succeeds
    assert builders[0].calls[1:] == [[story], [story], [story]]
    assert lines(session)[1:] == [
        "content/stories/a.md (deleted): failed, 1 error in 1 file; "
        "the browser shows the problems until the next good save",
        "content/stories/a.md (deleted): still failed, 1 error in 1 file; "
        "the browser shows the problems until the next good save",
        "content/stories/a.md (deleted): fixed; the site is back as it was in N ms",
    ]
    errors = session.err.getvalue()  # type: ignore[attr-defined]
    assert errors.count("content/stories/a.md:3: error: the front matter is not valid YAML") == 1


def test_warnings_are_printed_when_they_change(make_session) -> None:
    low = warning("site.toml", 9, "low-contrast", "too light", "darker")
    with_warning = BuildResult(diagnostics=[low], written=["index.html"])
    same_warning = BuildResult(diagnostics=[low], written=["index.html"])
    session, _ = make_session([with_warning, same_warning])
    session.rebuild(None)
    session.rebuild([session.root / "content/stories/a.md"])
    assert session.err.getvalue().count("site.toml:9: warning: too light") == 1  # type: ignore[attr-defined]


def test_css_only_change(make_session) -> None:
    session, _ = make_session(
        [ok("index.html"), ok("assets/style.abcdef12.css", "index.html", "404.html")]
    )
    session.rebuild(None)
    session.rebuild([session.root / "themes/default/static/style.css"])
    assert lines(session)[1].startswith(
        "themes/default/static/style.css (deleted): styles updated (3 files written)"
    )


def test_site_toml_moving_the_sub_path_rebuilds_everything(make_session) -> None:
    session, builders = make_session([ok("index.html"), ok("index.html")])
    session.rebuild(None)
    toml = session.root / "site.toml"
    toml.write_text(SITE_TOML.replace("careers.test.example/", "test.example/jobs/"))
    session.rebuild([toml])
    assert [b.options.base_url for b in builders] == [
        "http://127.0.0.1:8123/",
        "http://127.0.0.1:8123/jobs/",
    ]
    assert builders[1].calls == [None]
    assert session.hub.snapshot.prefix == "/jobs/"
    assert lines(session)[1] == "site.toml: 1 page rebuilt (1 file written) in N ms"


def test_broken_site_toml_keeps_the_last_sub_path(make_session) -> None:
    config = SITE_TOML.replace("https://careers.test.example/", "https://test.example/careers/")
    session, builders = make_session([ok("index.html"), failed()], config)
    session.rebuild(None)
    toml = session.root / "site.toml"
    toml.write_text("title = \n")
    session.rebuild([toml])
    assert len(builders) == 1 and builders[0].calls[1] == [toml]
    assert session.hub.snapshot.prefix == "/careers/"
    assert session.hub.snapshot.problems


def test_an_internal_error_keeps_the_preview_up(make_session) -> None:
    session, builders = make_session([ok("index.html"), RuntimeError("boom"), ok("index.html")])
    session.rebuild(None)
    session.rebuild([session.root / "content/stories/a.md"])
    (problem,) = session.hub.snapshot.problems
    assert problem.code == "internal-error"
    assert "RuntimeError: boom" in problem.message
    session.rebuild([session.root / "content/stories/a.md"])
    assert len(builders) == 2 and builders[1].calls == [None]  # afresh after a crash
    assert session.hub.snapshot.problems == ()


SLOW_CONVERTER = """
import sys, time
import generator.markdown.convert as m
m.MAX_CONVERT_SECONDS = 1.0
original = m.python_markdown.Markdown.convert
def convert(self, text):
    if "SLOW-SHAPE" in text:  # a shape no complexity check foresaw
        time.sleep(60)
    return original(self, text)
m.python_markdown.Markdown.convert = convert
from generator.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _slow_brandsite(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", SLOW_CONVERTER, *args, "--now", "2026-11-22"],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        cwd=REPO,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


def _pre(html: str) -> str:
    found = re.search(r"<pre>.*?</pre>", html, re.S)
    assert found is not None, html
    return found.group(0)


def test_serve_stops_a_slow_story_within_the_build_time_limit(tmp_path: Path) -> None:
    """A real session: a save that would take a minute to convert is cut off after the limit
    (1 s here) and shows the same fallback as ``brandsite build``, as the build's backstop does."""
    root = write_site(tmp_path / "p", {"content/stories/s1.md": story(title="Story 1")})
    server = _slow_brandsite("serve", "--root", str(root), "--port", "0")
    lines: queue.Queue[str] = queue.Queue()
    reader = threading.Thread(target=lambda: [lines.put(x) for x in server.stdout or ()])
    reader.start()

    def next_line(containing: str, within: float) -> str:
        deadline = time.monotonic() + within
        seen = []
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.1)
            except queue.Empty:
                continue
            seen.append(line)
            if containing in line:
                return line
        raise AssertionError(f"no line with {containing!r} in {within} s: {seen}")

    try:
        url = next_line("Serving the preview", 60).split(" at ")[1].split()[0]
        time.sleep(0.5)  # the watcher is up before the first build; let it settle
        body = "SLOW-SHAPE " + "x" * 50
        (root / "content/stories/s1.md").write_text(story(title="Story 1", body=body))
        saved = time.monotonic()
        line = next_line("content/stories/s1.md", 30)
        elapsed = time.monotonic() - saved
        assert "rebuilt" in line, line
        assert elapsed < 20, f"the rebuild took {elapsed:.1f} s: no time limit in serve"
        with urllib.request.urlopen(url + "stories/s1/", timeout=10) as response:
            served = response.read().decode()
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(30)
        reader.join()
    build = _slow_brandsite("build", "--root", str(root), "--output", str(tmp_path / "out"))
    assert build.wait(120) == 0, build.stdout.read() if build.stdout else ""
    built = (tmp_path / "out/stories/s1/index.html").read_text()
    assert "SLOW-SHAPE" in _pre(served)
    assert _pre(served) == _pre(built)
