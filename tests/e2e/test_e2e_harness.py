"""The e2e harness itself: server, crawler, vnu wrapper, tool gating and process cleanup.

These run on a small hand-written site, so they tell harness bugs apart from site bugs.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest

from . import e2e_tools
from .e2e_crawl import crawl
from .e2e_http import fetch
from .e2e_tools import kill_processes_mentioning, require_tools, run_tool

pytestmark = pytest.mark.e2e

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<link rel="stylesheet" href="/careers/assets/style.css"></head><body><main id="main">
{body}</main></body></html>"""


def write(folder: Path, rel: str, text: str) -> None:
    """Write `text` to folder/rel, creating parents."""
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def tiny_site(tmp_path: Path) -> Path:
    """A three-page site meant for /careers/, with one broken link, bad anchor and redirect."""
    site = tmp_path / "site"
    write(
        site,
        "index.html",
        PAGE.format(
            title="Home",
            body='<a href="#main">skip</a> <a href="/careers/stories/">stories</a> '
            '<a href="stories/a/#nope">bad anchor</a> <a href="/careers/gone/">gone</a> '
            '<a href="/careers/stories">redirect</a> <a href="mailto:x@example.com">mail</a> '
            '<img src="/careers/media/a.png" srcset="/careers/media/a.png 1x, /x2.png 2x" alt="">',
        ),
    )
    write(site, "stories/index.html", PAGE.format(title="Stories", body='<a href="a/">A</a>'))
    write(site, "stories/a/index.html", PAGE.format(title="A", body="<p>story</p>"))
    write(
        site, "assets/style.css", "body{background:url('../media/a.png')} a{background:url(x.svg)}"
    )
    write(site, "media/a.png", "png")
    write(site, "404.html", PAGE.format(title="Not found", body="<p>404</p>"))
    write(site, "empty/readme.txt", "no index here")
    return site


def test_server_serves_under_the_prefix_with_404_page_and_no_listings(tiny_site, serve) -> None:
    server = serve(tiny_site, "careers")
    assert server.url.endswith("/careers/")
    assert fetch(server.url).status == 200
    assert b"<title>A</title>" in fetch(server.url_for("stories/a/")).body
    moved = fetch(server.origin + "/careers")
    assert (moved.status, moved.headers["location"]) == (301, "/careers/")
    not_found = (tiny_site / "404.html").read_bytes()
    for path in ("/stories/a/", "/careers/nope/", "/careers/empty/", "/careerss/"):
        answer = fetch(server.origin + path)
        assert (answer.status, answer.body) == (404, not_found), path
    assert fetch(server.origin + "/careers/nope/", method="HEAD").body == b""


def test_server_stops_and_releases_its_port(tiny_site, serve) -> None:
    server = serve(tiny_site)
    assert fetch(server.url).status == 200
    server.stop()
    with pytest.raises(OSError):
        fetch(server.url, timeout=2)


def test_crawl_reports_broken_links_bad_anchors_redirects_and_css_urls(tiny_site, serve) -> None:
    server = serve(tiny_site, "/careers/")
    report = crawl([server.url], server.origin)
    problems = sorted(str(p) for p in report.problems())
    assert report.html_pages == [
        server.url,
        server.url_for("stories/"),
        server.url_for("stories/a/"),
    ]
    expected = [
        ("a href='/careers/gone/'", "HTTP 404"),
        ("a href='/careers/stories'", "HTTP 301 to /careers/stories/"),
        ("a href='stories/a/#nope'", "no element with id 'nope'"),
        ("css url()='x.svg'", "HTTP 404"),
        ("img srcset='/x2.png'", "HTTP 404"),
    ]
    assert len(problems) == len(expected), "\n".join(problems)
    for where, detail in expected:
        assert any(where in p and detail in p for p in problems), (where, problems)


@pytest.mark.parametrize(
    ("value", "expected"),
    [("", False), ("0", False), ("false", False), ("No", False), ("true", True), ("1", True)],
)
def test_ci_detection(value: str, expected: bool, monkeypatch) -> None:
    monkeypatch.setenv("CI", value)
    assert e2e_tools.in_ci() is expected


def test_missing_tools_skip_locally_and_fail_under_ci(monkeypatch) -> None:
    monkeypatch.setattr(e2e_tools, "CHROMIUM", Path("/nonexistent/chromium"))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="/nonexistent/chromium missing"):
        require_tools("chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI is set"):
        require_tools("chromium")


def test_run_tool_timeout_leaves_no_process_behind() -> None:
    """Even a child that escaped into its own session is found by its marker and killed."""
    marker = f"brandsite-e2e-{uuid.uuid4().hex}"
    loop = f"while :; do sleep 0.1; done # {marker}"
    run = run_tool(["bash", "-c", f"setsid bash -c '{loop}' & wait"], timeout=1, marker=marker)
    assert run.timed_out
    assert kill_processes_mentioning(marker) == []


def test_vnu_reports_errors_with_file_and_line(tmp_path, vnu) -> None:
    good = tmp_path / "good.html"
    bad = tmp_path / "bad.html"
    good.write_text(PAGE.format(title="ok", body="<p>fine</p>"), encoding="utf-8")
    bad.write_text(PAGE.format(title="bad", body="<p><div>nested</div></p>\n<li>x"), "utf-8")
    errors = vnu([good, bad])
    assert errors, "vnu found nothing in an invalid page"
    assert {e.file for e in errors} == {bad}
    assert all(e.line for e in errors)
    assert "bad.html:" in errors[0].format(tmp_path)
