"""A real Chromium shares a story on Mastodon through the site's own share page, offline.

The sample site is built with the CLI for http://127.0.0.1:PORT/ and served from a thread. A
playwright-core script (Node) opens Anna's English story, follows its "Share on Mastodon" link to
the site's share page, types something that is no server (the page says so in English and goes
nowhere), then ``https://mastodon.example/``, and submits. Every request is recorded; the one to
mastodon.example is answered by the script itself with a tiny page, and any other host is
aborted, so nothing leaves the machine.

Needs node, /usr/bin/chromium and the npm package playwright-core (scripts/install-e2e-tools.sh).
Missing tools skip the test, except under CI.
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
from urllib.parse import parse_qs, quote, urlsplit

import pytest

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
STORY = "en/stories/anna-offshore-night-shift/"
TITLE = "Night watch in the North Sea: how Anna caught a fault before it became a failure"

pytestmark = pytest.mark.e2e

DRIVER = r"""
const { chromium } = require(process.env.PLAYWRIGHT_CORE);
const [base, story] = process.argv.slice(2);
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-default-apps", "--no-default-browser-check"];

(async () => {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ARGS });
  const report = { requests: [], console: [] };
  let phase = "story";
  try {
    const context = await browser.newContext();
    await context.route("**/*", (route) => {
      const url = new URL(route.request().url());
      report.requests.push({ phase, url: url.href });
      if (url.hostname === "127.0.0.1") return route.continue();
      if (url.hostname === "mastodon.example") {
        return route.fulfill({ status: 200, contentType: "text/html",
                               body: "<!DOCTYPE html><title>Mastodon</title><p>compose</p>" });
      }
      return route.abort("blockedbyclient");
    });
    const page = await context.newPage();
    page.on("console", (m) => report.console.push(`${m.type()}: ${m.text()}`));
    await page.goto(base + story, { waitUntil: "load" });
    phase = "share-page";
    await page.click("a.share-links__link--mastodon");
    await page.waitForLoadState("load");
    await page.waitForSelector("form[data-share-mastodon]:not([hidden])");
    report.sharePage = page.url();
    report.post = await page.textContent("[data-share-text]");
    report.manualHidden = await page.locator("[data-share-manual]").isHidden();
    phase = "invalid";
    await page.fill("input[name=server]", "not a server");
    await page.click("form[data-share-mastodon] button[type=submit]");
    await page.waitForTimeout(300);
    report.error = await page.textContent(".share-mastodon__error");
    report.invalid = await page.getAttribute("input[name=server]", "aria-invalid");
    report.afterInvalid = page.url();
    phase = "submit";
    await page.fill("input[name=server]", "https://mastodon.example/");
    await Promise.all([
      page.waitForURL((url) => url.hostname === "mastodon.example", { timeout: 10000 }),
      page.click("form[data-share-mastodon] button[type=submit]"),
    ]);
    report.landed = page.url();
    await context.close();
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
        [str(node), "-e", "process.stdout.write(require.resolve('playwright-core'))"],
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
        [sys.executable, "-m", "generator", "build", "--root", str(project), "--output",
         str(output), "--base-url", base, "--now", "2026-11-22"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )  # fmt: skip
    try:
        assert built.returncode == 0, built.stderr
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield base
        finally:
            server.shutdown()
            thread.join(timeout=5)
    finally:
        server.server_close()


def test_sharing_on_mastodon_goes_to_the_typed_server_only_on_submit(
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
    tagged = (
        f"{served_sample}{STORY}?utm_source=mastodon&utm_medium=social"
        "&utm_campaign=anna-offshore-night-shift&utm_content=page-share"
    )
    post = f"{TITLE} {tagged}"
    # The story's link leads to the English edition's own share page, which shows the post.
    share_page = urlsplit(report["sharePage"])
    assert share_page.path == "/en/share/mastodon/"
    assert parse_qs(share_page.query) == {"text": [post]}
    assert report["post"] == post
    assert report["manualHidden"] is True
    # Something that is no server is refused in the page's language, and goes nowhere.
    assert report["error"] == "That is not a server address. Type one such as mastodon.social."
    assert report["invalid"] == "true"
    assert report["afterInvalid"] == report["sharePage"]
    # The submit goes to the typed server's own share dialogue with the post, and only it does.
    assert report["landed"] == "https://mastodon.example/share?text=" + quote(post, safe="")
    before = [r["url"] for r in report["requests"] if r["phase"] != "submit"]
    assert {urlsplit(u).hostname for u in before} == {"127.0.0.1"}, before
    after = {urlsplit(r["url"]).hostname for r in report["requests"] if r["phase"] == "submit"}
    assert after == {"mastodon.example"}, report["requests"]
    assert not [m for m in report["console"] if m.startswith(("error", "warning"))]
