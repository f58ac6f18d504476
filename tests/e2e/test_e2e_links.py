"""Served under a sub-path (/careers/), every internal link, image, stylesheet and feed resolves."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import urljoin

import pytest

from .e2e_crawl import crawl, is_checkable, scan_html
from .e2e_http import fetch
from .e2e_site import NOT_FOUND_PATH, html_files, site_path

pytestmark = pytest.mark.e2e

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _page_urls(served_site) -> list[str]:
    """The URL of every built HTML page except 404.html (it is served for missing paths)."""
    out = served_site.output
    return [served_site.url_for(site_path(out, f)) for f in html_files(out) if f.name != "404.html"]


def test_every_internal_reference_on_every_page_answers_200(served_site) -> None:
    """Crawl from the home page (plus every built page, so none is left unchecked)."""
    report = crawl([served_site.url, *_page_urls(served_site)], served_site.server.origin)
    problems = report.problems()
    listing = "\n".join(f"  {p}" for p in problems[:60])
    assert not problems, (
        f"{len(problems)} broken references across {len(report.html_pages)} pages "
        f"(site served at {served_site.url}):\n{listing}"
    )


def test_every_built_page_is_reachable_from_the_home_page(served_site) -> None:
    report = crawl([served_site.url], served_site.server.origin)
    orphans = sorted(set(_page_urls(served_site)) - set(report.html_pages))
    assert not orphans, f"pages no link leads to from {served_site.url}: {orphans}"


def test_a_missing_url_gets_the_404_page_and_its_links_work_from_a_deep_path(served_site) -> None:
    """Relative links on 404.html would break when it is served for /careers/a/b/c/."""
    url = served_site.url_for(NOT_FOUND_PATH + "deeper/still/")
    answer = fetch(url)
    assert answer.status == 404
    assert answer.body == (served_site.output / "404.html").read_bytes()
    references, _ids = scan_html(answer.text())
    broken = []
    for where, raw in references:
        target = urljoin(url, raw).split("#")[0]
        same_page = raw.startswith("#")
        if is_checkable(raw) and not same_page and target.startswith(served_site.server.origin):
            status = fetch(target).status
            if status != 200:
                broken.append(f"{where}={raw!r} -> {target}: HTTP {status}")
    assert not broken, "links on the 404 page broken when served at a deep path:\n" + "\n".join(
        broken
    )


def test_sitemap_lists_every_story_and_value_page_with_absolute_urls_that_answer_200(
    served_site,
) -> None:
    answer = fetch(served_site.url_for("sitemap.xml"))
    assert answer.status == 200
    locs = [(e.text or "").strip() for e in ET.fromstring(answer.body).iter(f"{SITEMAP_NS}loc")]
    assert locs, "sitemap.xml has no <loc>"
    outside = [u for u in locs if not u.startswith(served_site.url)]
    assert not outside, f"sitemap URLs not under the base URL {served_site.url}: {outside[:10]}"
    failing = [f"{u}: HTTP {s}" for u in locs if (s := fetch(u).status) != 200]
    assert not failing, "sitemap URLs that do not answer 200:\n" + "\n".join(failing)
    out = served_site.output
    wanted = {
        served_site.url_for(site_path(out, f))
        for f in html_files(out)
        if f.parent.parent.name in ("stories", "values")
        and f.parent.name != "page"
        # a story shown untranslated in another language is canonical at its own page
        and 'class="wrap wrap--narrow notice notice--untranslated"' not in f.read_text()
    } | {served_site.url, served_site.url_for("stories/"), served_site.url_for("values/")}
    assert not sorted(wanted - set(locs)), f"missing from sitemap.xml: {sorted(wanted - set(locs))}"


def test_robots_txt_is_served_and_its_sitemap_line_resolves(served_site) -> None:
    answer = fetch(served_site.url_for("robots.txt"))
    assert answer.status == 200
    sitemaps = [
        line.split(":", 1)[1].strip()
        for line in answer.text().splitlines()
        if line.lower().startswith("sitemap:")
    ]
    for url in sitemaps:
        assert url == served_site.url_for("sitemap.xml"), f"robots.txt Sitemap: {url}"
        assert fetch(url).status == 200
