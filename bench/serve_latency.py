#!/usr/bin/env python3
"""Latency of ``brandsite serve``: from saving a story to the rebuilt page being served.

    .venv/bin/python bench/serve_latency.py [--runs 20] [--stories 10000] [--skip-large] [--work DIR]

For the sample site and for a generated site of ``--stories`` stories (made with
/work/shared/bench/make_corpus.py), it starts a real ``brandsite serve --port 0``, then edits the
newest story's body again and again and polls the story's page over HTTP until the new text is
there. It saves in place (how VS Code and Sublime save) and by rename (write a temporary file, rename
it over the story: JetBrains, Kate, vim with some settings). It also reports the build time the
server prints, and how long one editor save's burst of file-system events lasts (which is what the
watcher's debounce must wait for). A benchmark, not a test: the machine is shared and noisy, so
compare medians and run it more than once.
"""

from __future__ import annotations

import argparse
import http.client
import importlib.util
import os
import queue
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
MAKE_CORPUS = Path("/work/shared/bench/make_corpus.py")
NOW = "2026-11-22"
sys.path.insert(0, str(REPO))


def _bench_site_toml() -> str:
    """``bench/run.py``'s site.toml, so both benchmarks build the same site."""
    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return str(module.SITE_TOML)


SITE_TOML = _bench_site_toml()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=20, help="edits per save style and site")
    parser.add_argument("--stories", type=int, default=10_000, help="stories in the large site")
    parser.add_argument("--skip-large", action="store_true", help="only the sample site")
    parser.add_argument("--work", type=Path, help="folder for the sites (default: a temp folder)")
    parser.add_argument(
        "--startup-timeout", type=float, default=3600, help="seconds to wait for the first build"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="serve-latency-", dir=args.work))
    try:
        print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
        print("event bursts of one save (watcher, no build):")
        measure_bursts(work / "bursts", args.runs)
        sites = [("sample site", sample_site(work / "sample"))]
        if not args.skip_large:
            sites.append((f"{args.stories:,} stories", large_site(work / "large", args.stories)))
        for name, root in sites:
            measure_site(name, root, args.runs, args.startup_timeout)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return 0


def sample_site(root: Path) -> Path:
    """A copy of the repository's sample site."""
    root.mkdir(parents=True)
    for name in ("content", "themes"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.toml", root / "site.toml")
    return root


def large_site(root: Path, stories: int) -> Path:
    """The benchmark's settings (``bench/run.py``: one language, the default theme) and the
    repository's themes, with a generated corpus as content. (The sample site's settings name
    two languages, which the generated English-only corpus does not have.)"""
    root.mkdir(parents=True)
    shutil.copytree(REPO / "themes", root / "themes")
    (root / "site.toml").write_text(SITE_TOML.format(theme="default"), encoding="utf-8")
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            str(MAKE_CORPUS),
            "--stories",
            str(stories),
            "--out",
            str(root / "content"),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"\ngenerated {stories:,} stories in {time.perf_counter() - started:.1f} s")
    return root


def newest_story(root: Path) -> tuple[Path, str]:
    """The published story with the latest date (on the home page, page 1 and every feed)."""
    best: tuple[str, Path, str] | None = None
    for path in (root / "content/stories").glob("*.md"):
        head = path.read_text(encoding="utf-8").split("\n---", 1)[0]
        date = re.search(r"(?m)^date:\s*(\S+)", head)
        if not date or re.search(r"(?m)^draft:\s*true", head) or date.group(1) > NOW:
            continue
        slug = re.search(r"(?m)^slug:\s*(\S+)", head)
        candidate = (date.group(1), path, slug.group(1) if slug else path.stem)
        if best is None or candidate[:1] > best[:1]:
            best = candidate
    assert best is not None, "no published story"
    return best[1], f"stories/{best[2]}/"


def story_page(root: Path, page: str) -> str:
    """``page`` where the preview has it: under its language's folder on a site whose every
    language has one (the sample site: ``en/stories/…``)."""
    preview = root / ".brandsite-cache/preview"
    found = sorted(preview.glob(f"**/{page}index.html"), key=lambda p: len(p.parts))
    assert found, f"the preview has no {page}"
    return found[0].parent.relative_to(preview).as_posix() + "/"


class Server:
    """A ``brandsite serve`` process and the lines it prints."""

    def __init__(self, root: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "generator", "serve", "--root", str(root), "--port", "0",
             "--now", NOW],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )  # fmt: skip
        self.lines: queue.Queue[str] = queue.Queue()
        self.reader = threading.Thread(target=self._read)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, pattern: str, timeout: float) -> re.Match[str]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=0.5)
            except queue.Empty:
                if self.process.poll() is not None:
                    raise RuntimeError("brandsite serve exited") from None
                continue
            match = re.search(pattern, line)
            if match:
                return match
            if "build: failed" in line:  # the site has errors: timing it would mean nothing
                rest = "".join(self.lines.get() for _ in range(min(self.lines.qsize(), 20)))
                raise RuntimeError(f"brandsite serve could not build the site:\n{line}{rest}")
        raise TimeoutError(pattern)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.reader.join()


def fetch(address: str, path: str) -> str:
    connection = http.client.HTTPConnection(address, timeout=30)
    try:
        connection.request("GET", path)
        return connection.getresponse().read().decode()
    finally:
        connection.close()


def save(path: Path, text: str, style: str) -> None:
    """Save like an editor: in place, or a temporary file renamed over the original."""
    if style == "in place":
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text)
    else:
        temporary = path.with_name(path.name + ".tmp-save")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, path)


def measure_site(name: str, root: Path, runs: int, startup_timeout: float) -> None:
    story, page = newest_story(root)
    original = story.read_text(encoding="utf-8")
    started = time.perf_counter()
    server = Server(root)
    try:
        first = server.wait_for(r"full build: .* in (\d+) ms", startup_timeout)
        url = server.wait_for(r"Serving the preview.* at http://([^/\s]+)(/\S*)", 60)
        address, prefix = url.group(1), url.group(2)
        page = story_page(root, page)
        print(
            f"\n{name}: first build {int(first.group(1)) / 1000:.1f} s "
            f"(server up after {time.perf_counter() - started:.1f} s); editing {story.name}"
        )
        for style in ("in place", "rename"):
            latencies, builds = [], []
            for run in range(runs):
                marker = f"latency-marker-{style.replace(' ', '-')}-{run}-{time.time_ns()}"
                text = original + f"\n{marker}\n"
                while not server.lines.empty():
                    server.lines.get()
                save(story, text, style)
                saved = time.perf_counter()
                while marker not in fetch(address, prefix + page):
                    time.sleep(0.002)
                latencies.append(time.perf_counter() - saved)
                built = server.wait_for(r": .* in (\d+) ms", 1800)  # pages may appear earlier
                builds.append(int(built.group(1)) / 1000)
                time.sleep(0.2)
            print(
                f"  save {style:8}: {summary(latencies)}   (server's build line: {summary(builds)})"
            )
    finally:
        server.stop()
        story.write_text(original, encoding="utf-8")


def summary(seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p90 = ms[min(len(ms) - 1, round(0.9 * (len(ms) - 1)))]
    return (
        f"median {statistics.median(ms):6.1f} ms, p90 {p90:6.1f}, "
        f"min {ms[0]:6.1f}, max {ms[-1]:6.1f} (n={len(ms)})"
    )


def measure_bursts(root: Path, runs: int) -> None:
    """How long the events of one save keep coming, as the watcher sees them (before filtering)."""
    from generator.preview.watch import Change, ChangeBatcher, ProjectWatcher

    class Recorder(ChangeBatcher):
        def __init__(self) -> None:
            super().__init__()
            self.times: list[float] = []

        def note(self, path: Path, change: Change) -> None:
            self.times.append(time.perf_counter())
            super().note(path, change)

    stories = root / "content/stories"
    stories.mkdir(parents=True)
    (root / "site.toml").write_text('title = "x"\n')
    story = stories / "a.md"
    story.write_text("start\n")
    recorder = Recorder()
    watcher = ProjectWatcher(root, recorder)
    watcher.start()
    try:
        for style in ("in place", "rename", "vim"):
            spans, counts, ready = [], [], []
            for run in range(runs):
                time.sleep(0.1)
                recorder.times.clear()
                started = time.perf_counter()
                if style == "vim":
                    (stories / "4913").write_text("")
                    (stories / "4913").unlink()
                    os.rename(story, stories / "a.md~")
                    story.write_text(f"vim {run}\n")
                    (stories / "a.md~").unlink()
                else:
                    save(story, f"{style} {run}\n", style)
                batch = recorder.wait()
                ready.append(time.perf_counter() - started)
                assert batch == [story], batch
                spans.append(recorder.times[-1] - recorder.times[0])
                counts.append(len(recorder.times))
            print(
                f"  {style:8}: {statistics.median(counts):.0f} events kept, burst "
                f"{summary(spans)}; save → batch ready: median "
                f"{statistics.median(ready) * 1000:.1f} ms, max {max(ready) * 1000:.1f} ms"
            )
    finally:
        watcher.stop()


if __name__ == "__main__":
    raise SystemExit(main())
