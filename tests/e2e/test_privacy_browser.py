"""A real Chromium proves the privacy promise: nothing leaves 127.0.0.1 until the visitor clicks.

The sample site is built with the CLI for http://127.0.0.1:PORT/ and served from a thread. A
playwright-core script (Node) opens the home page and Anna's story (which embeds a YouTube video),
scrolls so lazy pictures load, and records every request the browser makes. Requests to other
hosts are recorded and then aborted by the script, so no traffic leaves the machine even when the
player is requested. Then it clicks the embed's button and records the player's request, and
finally loads the story with JavaScript off to see the plain link.

Needs node, /usr/bin/chromium and the npm package playwright-core (scripts/install-e2e-tools.sh,
or `npm install playwright-core` in the repository). Missing tools skip the test, except under CI.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
STORY = "en/stories/anna-offshore-night-shift/"
PLAYER = "https://www.youtube-nocookie.com/embed/wavelight01?autoplay=1"

pytestmark = pytest.mark.e2e

DRIVER = r"""
const { chromium } = require(process.env.PLAYWRIGHT_CORE);
const base = process.argv[2];
const story = process.argv[3];
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-default-apps", "--no-default-browser-check"];

async function settle(page) {
  await page.waitForLoadState("networkidle");
  for (let y = 0; y < 40; y++) {  // scroll step by step so every lazy picture is wanted
    const done = await page.evaluate(() => {
      window.scrollBy(0, window.innerHeight);
      return window.scrollY + window.innerHeight >= document.body.scrollHeight;
    });
    if (done) break;
  }
  await page.waitForLoadState("networkidle");
  await page.waitForTimeout(300);
}

(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
  const report = { requests: [], console: [], nojs: {} };
  let phase = "home";
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // Record everything; let only the local server through (nothing may leave the machine).
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      report.requests.push({ phase, url: route.request().url(), type: route.request().resourceType() });
      return url.hostname === "127.0.0.1" ? route.continue() : route.abort("blockedbyclient");
    });
    const page = await context.newPage();
    page.on("console", (m) => report.console.push(`${m.type()}: ${m.text()}`));
    await page.goto(base, { waitUntil: "load" });
    await settle(page);
    phase = "story";
    await page.goto(base + story, { waitUntil: "load" });
    await settle(page);
    const button = page.locator("figure.embed .embed__button");
    report.button = await button.textContent();
    report.iframesBeforeClick = await page.locator("iframe").count();
    phase = "click";
    const wanted = page.waitForRequest((r) => !r.url().startsWith(base), { timeout: 10000 })
      .catch(() => null);
    await button.click();
    await wanted;
    await page.waitForTimeout(500);
    report.iframeSrc = await page.locator("figure.embed iframe").getAttribute("src");
    report.iframeTitle = await page.locator("figure.embed iframe").getAttribute("title");
    await context.close();

    phase = "nojs";
    const plain = await browser.newContext({ javaScriptEnabled: false });
    await plain.route("**/*", (route) => {
      report.requests.push({ phase, url: route.request().url(), type: route.request().resourceType() });
      const url = new URL(route.request().url());
      return url.hostname === "127.0.0.1" ? route.continue() : route.abort("blockedbyclient");
    });
    const nojs = await plain.newPage();
    await nojs.goto(base + story, { waitUntil: "load" });
    report.nojs.buttons = await nojs.locator("figure.embed button").count();
    report.nojs.iframes = await nojs.locator("iframe").count();
    report.nojs.link = await nojs.locator("figure.embed a.embed__link").getAttribute("href");
    report.nojs.linkText = await nojs.locator("figure.embed a.embed__link").textContent();
    await plain.close();
  } finally {
    await browser.close();
  }
  process.stdout.write(JSON.stringify(report));
})().catch((e) => { console.error(e && e.stack || e); process.exit(1); });
"""


def _missing(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"CI is set but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def playwright_core() -> str:
    """Path of playwright-core's entry point (checked before anything is built)."""
    node = shutil.which("node")
    if node is None:
        _missing("node is not installed (Node 20 is needed to drive Chromium)")
    if not CHROMIUM.exists():
        _missing("Debian's chromium is not installed: apt-get install -y chromium")
    found = subprocess.run(
        [node, "-e", "process.stdout.write(require.resolve('playwright-core'))"],  # type: ignore[list-item]
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        _missing("npm package playwright-core is missing: run scripts/install-e2e-tools.sh")
    return found.stdout.strip()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def served_sample(tmp_path: Path) -> Iterator[str]:
    """The sample site, built for and served at http://127.0.0.1:PORT/ from a thread."""
    project = tmp_path / "project"
    for name in ("content", "themes"):
        shutil.copytree(REPO / name, project / name)
    shutil.copy(REPO / "site.toml", project / "site.toml")
    output = tmp_path / "output"
    output.mkdir()
    handler = functools.partial(_QuietHandler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "build",
            "--root",
            str(project),
            "--output",
            str(output),
            "--base-url",
            base,
            "--now",
            "2026-11-22",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stderr
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def test_no_third_party_request_before_the_click(
    playwright_core: str, served_sample: str, tmp_path: Path
) -> None:
    script = tmp_path / "driver.cjs"
    script.write_text(DRIVER)
    run = subprocess.run(
        ["node", str(script), served_sample, STORY],
        env={**os.environ, "PLAYWRIGHT_CORE": playwright_core},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout)
    requests = report["requests"]

    def hosts(phase: str) -> set[str]:
        return {urlsplit(r["url"]).hostname or "" for r in requests if r["phase"] == phase}

    # Before any click, both pages load only from the site itself...
    assert hosts("home") == {"127.0.0.1"}, requests
    assert hosts("story") == {"127.0.0.1"}, requests
    story_urls = [r["url"] for r in requests if r["phase"] == "story"]
    poster = "/media/stories/images/anna-walk-to-work-poster-"
    assert any(poster in u and u.endswith(".webp") for u in story_urls), "local WebP poster"
    assert any("/assets/embed." in u for u in story_urls)
    assert report["iframesBeforeClick"] == 0
    assert report["button"] == "Play video (loads YouTube)"
    # ...and the click asks the privacy-enhanced player host, and nothing else off-site.
    clicked = [r["url"] for r in requests if r["phase"] == "click"]
    assert PLAYER in clicked, clicked
    assert {urlsplit(u).hostname for u in clicked} <= {"127.0.0.1", "www.youtube-nocookie.com"}
    assert report["iframeSrc"] == PLAYER
    assert report["iframeTitle"].startswith("Walk to work: Anna crosses the gangway")
    assert not [m for m in report["console"] if m.startswith(("error", "warning"))], report[
        "console"
    ]
    # Without JavaScript the embed is a plain link to YouTube, and nothing is framed.
    assert report["nojs"] == {
        "buttons": 0,
        "iframes": 0,
        "link": "https://www.youtube.com/watch?v=wavelight01",
        "linkText": "Watch on YouTube",
    }
    assert hosts("nojs") == {"127.0.0.1"}
