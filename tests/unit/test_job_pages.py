"""Open roles on the site: the listing and its no-JS filter pages, role pages with JobPosting,
the jobs feed, story ↔ role links, and roles that close vanishing from every output."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import feedparser
import pytest
from test_incremental import edit, project, tree

from conftest import REPO, brandsite, codes, run_build, story, write_site
from generator.engine.incremental import BuildState
from generator.errors import format_text
from generator.roles.posting import missing_required

SAMPLE_DAY = dt.date(2026, 12, 2)
SAMPLE_ROLES = (
    "ausbildung-elektroniker-betriebstechnik-2027",
    "battery-commissioning-engineer-rotterdam",
    "servicetechniker-offshore-cuxhaven",
    "ux-designer-control-room-remote",
    "werkstudent-data-engineering-hamburg",
)
JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def job(
    title: str = "Crafter",
    team: str = "Makers",
    values: str | None = "craft",
    posted: str = "2026-11-01",
    until: str = "2026-12-31",
    extra: str = "",
) -> str:
    """The text of a valid job file."""
    return (
        "---\n"
        f"title: {title}\n"
        f"team: {team}\n"
        "location: Hamburg\n"
        "employment_type: full-time\n"
        f"date_posted: {posted}\n"
        f"valid_through: {until}\n"
        "apply_url: https://jobs.test.example/crafter\n"
        + (f"values: [{values}]\n" if values is not None else "")
        + extra
        + "---\n"
        "You make things. **Well.**\n"
    )


JOBS_TOML = '\n[jobs.countries]\nHamburg = "DE"\n'


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample project, built as of SAMPLE_DAY; returns its English pages."""
    root = tmp_path_factory.mktemp("sample")
    for name in ("content", "themes"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.toml", root / "site.toml")
    result = run_build(root, output=root / "out", today=SAMPLE_DAY)
    assert result.ok, format_text(result.diagnostics)
    assert [d for d in result.diagnostics if d.source.startswith("content/jobs")] == []
    return root / "out" / "en"


def page(out: Path, path: str) -> str:
    return (out / path / "index.html").read_text(encoding="utf-8")


def test_the_sample_site_has_a_listing_filter_pages_role_pages_and_a_feed(sample: Path) -> None:
    listing = page(sample, "jobs")
    for slug in SAMPLE_ROLES:
        assert (sample / "jobs" / slug / "index.html").is_file()
        assert f'href="/en/jobs/{slug}/"' in listing
    for path in (
        "jobs/team/offshore-service-north-sea",
        "jobs/location/cuxhaven",
        "jobs/location/remote",
        "jobs/type/full-time",
        "jobs/type/apprenticeship",
    ):
        assert f'href="/en/{path}/"' in listing, path
        assert (sample / path / "index.html").is_file(), path
    assert (sample / "jobs/feed.xml").is_file()
    sitemap = (sample.parent / "sitemap.xml").read_text()
    assert all(f"/jobs/{slug}/</loc>" in sitemap for slug in SAMPLE_ROLES)
    assert '<a href="/en/jobs/">Jobs</a>' in page(sample, "")  # the menu, when roles are open


def test_a_filter_page_lists_only_its_roles_and_marks_itself(sample: Path) -> None:
    cuxhaven = page(sample, "jobs/location/cuxhaven")
    assert 'href="/en/jobs/servicetechniker-offshore-cuxhaven/"' in cuxhaven
    assert 'href="/en/jobs/ausbildung-elektroniker-betriebstechnik-2027/"' in cuxhaven
    assert 'href="/en/jobs/battery-commissioning-engineer-rotterdam/"' not in cuxhaven
    assert 'href="/en/jobs/location/cuxhaven/" aria-current="page"' in cuxhaven
    assert "<h1>Open roles in Cuxhaven</h1>" in cuxhaven
    assert '<a href="/en/jobs/">All open roles</a>' in cuxhaven
    remote = page(sample, "jobs/location/remote")
    assert 'href="/en/jobs/ux-designer-control-room-remote/"' in remote
    assert remote.count('class="role-item"') == 1
    assert "<script" not in cuxhaven.split("</head>")[1]  # the filters need no JavaScript


def test_a_role_page_has_its_facts_description_apply_link_and_team(sample: Path) -> None:
    html = page(sample, "jobs/servicetechniker-offshore-cuxhaven")
    assert '<html lang="de">' in html
    assert "<h1>Servicetechniker:in Offshore-Windenergie (m/w/d)</h1>" in html
    assert "<dd>EUR 52,000–61,000 per year</dd>" in html
    assert '<time datetime="2026-11-09">9 November 2026</time>' in html
    assert '<time datetime="2027-01-31">31 January 2027</time>' in html
    assert (
        '<a class="button" href="https://jobs.wavelight.example/offshore/servicetechniker-cuxhaven"'
        ' rel="noopener">' in html
    )
    assert "<em>Skylark</em>" in html  # the description through the stories' converter
    assert 'href="/en/stories/anna-offshore-night-shift/"' in html  # people in this team
    assert re.findall(r"<script[^>]*src=", html) == []


def test_every_role_page_carries_a_complete_job_posting(sample: Path) -> None:
    for slug in SAMPLE_ROLES:
        blocks = [json.loads(b) for b in JSON_LD.findall(page(sample, f"jobs/{slug}"))]
        postings = [b for b in blocks if b.get("@type") == "JobPosting"]
        assert len(postings) == 1, slug
        posting = postings[0]
        assert missing_required(posting) == [], slug
        org = posting["hiringOrganization"]
        assert (org["name"], org["sameAs"]) == (
            "Wavelight Energy",
            "https://careers.wavelight.example/en/",
        )
        assert (
            org["logo"].startswith("https://careers.wavelight.example/") and "logo" in org["logo"]
        )
        assert posting["url"] == f"https://careers.wavelight.example/en/jobs/{slug}/"
        assert posting["directApply"] is False and posting["validThrough"].startswith("20")
    remote = json.loads(JSON_LD.findall(page(sample, "jobs/ux-designer-control-room-remote"))[-1])
    assert remote["jobLocationType"] == "TELECOMMUTE"


def test_the_jobs_feed_is_rss_that_feedparser_reads(sample: Path) -> None:
    feed = feedparser.parse((sample / "jobs/feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "rss20"
    assert feed.feed.link == "https://careers.wavelight.example/en/jobs/"
    links = [entry.link for entry in feed.entries]
    assert sorted(links) == [
        f"https://careers.wavelight.example/en/jobs/{s}/" for s in SAMPLE_ROLES
    ]
    assert links[0].endswith("/ux-designer-control-room-remote/")  # newest first
    assert all(entry.content[0].value for entry in feed.entries)


def test_stories_and_values_link_to_the_roles_of_their_team(sample: Path) -> None:
    anna = page(sample, "stories/anna-offshore-night-shift")
    assert "Open roles in Offshore Service North Sea" in anna
    assert 'href="/en/jobs/servicetechniker-offshore-cuxhaven/"' in anna
    sustainability = page(sample, "values/sustainability")
    assert 'href="/en/jobs/servicetechniker-offshore-cuxhaven/"' in sustainability
    assert 'href="/en/jobs/battery-commissioning-engineer-rotterdam/"' not in sustainability


@pytest.mark.parametrize(
    ("day", "gone", "kept"),
    [
        (dt.date(2027, 2, 1), "servicetechniker-offshore-cuxhaven", "battery-commissioning"),
        (dt.date(2026, 11, 10), "battery-commissioning-engineer-rotterdam", "servicetechniker"),
    ],
    ids=["expired", "not-yet-posted"],
)
def test_a_closed_role_vanishes_from_every_output(
    tmp_path: Path, day: dt.date, gone: str, kept: str
) -> None:
    root = tmp_path / "sample"
    root.mkdir()
    for name in ("content", "themes"):
        shutil.copytree(REPO / name, root / name)
    shutil.copy(REPO / "site.toml", root / "site.toml")
    result = run_build(root, output=root / "out", today=day)
    assert result.ok, format_text(result.diagnostics)
    found = [
        p.relative_to(root / "out").as_posix()
        for p in (root / "out").rglob("*")
        if p.is_file() and (gone in p.as_posix() or gone.encode() in p.read_bytes())
    ]
    assert found == []
    assert kept.encode() in (root / "out/jobs/feed.xml").read_bytes()


def test_a_site_without_open_roles_has_no_jobs_pages_and_no_menu_entry(tmp_path: Path) -> None:
    root = write_site(
        tmp_path / "p",
        {"content/stories/a.md": story(), "content/jobs/old.md": job(until="2026-11-01")},
        config=write_config(),
    )
    result = run_build(root)
    assert result.ok, format_text(result.diagnostics)
    assert not (root / "output/jobs").exists()
    assert "/jobs/" not in (root / "output/index.html").read_text()


def write_config() -> str:
    from conftest import SITE_TOML

    return SITE_TOML + JOBS_TOML


def test_a_role_without_values_takes_its_teams_and_a_team_without_stories_is_fine(
    tmp_path: Path,
) -> None:
    files = {
        "content/stories/a.md": story(values="care").replace(
            "---\nFirst", "team: Makers\n---\nFirst"
        ),
        "content/jobs/maker.md": job(values=None),
        "content/jobs/lonely.md": job(title="Lonely", team="Nobody here", values="craft"),
    }
    root = write_site(tmp_path / "p", files, config=write_config())
    result = run_build(root)
    assert result.ok, format_text(result.diagnostics)
    assert 'href="/jobs/maker/"' in (root / "output/values/care/index.html").read_text()
    assert 'href="/jobs/maker/"' not in (root / "output/values/craft/index.html").read_text()
    assert 'href="/stories/a/"' in (root / "output/jobs/maker/index.html").read_text()
    assert (root / "output/jobs/lonely/index.html").is_file()
    report = brandsite("report", "--now", "2026-11-22", "--format", "json", cwd=root)
    assert report.returncode == 0, report.stderr
    unmatched = json.loads(report.stdout)["roles_without_story"]
    assert [role["slug"] for role in unmatched] == ["lonely"]
    assert (
        '<h2 id="roles">Open roles whose team has no story yet</h2>'
        in (root / "reports/index.html").read_text()
    )
    calendar = brandsite("calendar", "--now", "2026-12-20", "--format", "json", cwd=root)
    closing = json.loads(calendar.stdout)["roles_closing"]
    assert [(r["slug"], r["valid_through"]) for r in closing] == [
        ("maker", "2026-12-31"),  # by day, then title: Crafter before Lonely
        ("lonely", "2026-12-31"),
    ]
    text = brandsite("calendar", "--now", "2026-12-20", cwd=root).stdout
    assert "Roles closing in the next 14 days (2):" in text


def test_job_problems_come_with_the_story_problems_in_one_run(tmp_path: Path) -> None:
    files = {
        "content/stories/a.md": story(values="crafts"),
        "content/jobs/typo.md": job(values="careing"),
        "content/jobs/broken.md": job(extra="salery: 5\n"),
    }
    root = write_site(tmp_path / "p", files, config=write_config())
    result = run_build(root)
    assert not result.ok
    problems = {(d.source, d.line, d.code) for d in result.diagnostics}
    assert ("content/stories/a.md", 5, "unknown-value") in problems
    assert ("content/jobs/typo.md", 9, "unknown-value") in problems
    assert any(d[0] == "content/jobs/broken.md" and d[1] == 10 for d in problems), problems
    typo = next(d for d in result.diagnostics if d.source == "content/jobs/typo.md")
    assert "did you mean `care`?" in typo.hint
    assert "misplaced-content" not in codes(result)


def test_check_warns_at_the_job_line_for_missing_recommended_fields(tmp_path: Path) -> None:
    text = job().replace("valid_through: 2026-12-31\n", "")
    root = write_site(
        tmp_path / "p", {"content/stories/a.md": story(), "content/jobs/j.md": text}, write_config()
    )
    result = run_build(root)
    assert result.ok
    found = {(d.source, d.code) for d in result.diagnostics}
    assert ("content/jobs/j.md", "job-without-end") in found
    assert ("content/jobs/j.md", "job-without-salary") in found


def test_the_sample_site_checks_clean_but_for_its_stale_translation() -> None:
    done = brandsite("check", "--now", SAMPLE_DAY.isoformat(), cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert "5 open roles" in done.stdout
    # The sample shows what a stale translation looks like: its only warning, which --strict fails.
    assert "[stale-translation]" in done.stderr and "0 errors, 1 warning in 1 file" in done.stderr
    strict = brandsite("check", "--strict", "--now", SAMPLE_DAY.isoformat(), cwd=REPO)
    assert strict.returncode == 1


JOB_EDITS = {
    "job description": lambda r: edit(r / "content/jobs/j1.md", "You make", "You build"),
    "job title": lambda r: edit(r / "content/jobs/j1.md", "title: Crafter", "title: Maker"),
    "new job": lambda r: (r / "content/jobs/j3.md").write_text(job(title="Third", values="care")),
    "deleted job": lambda r: (r / "content/jobs/j2.md").unlink(),
    "job expires": lambda r: edit(
        r / "content/jobs/j1.md", "valid_through: 2026-12-31", "valid_through: 2026-11-21"
    ),
    "story joins the team": lambda r: edit(
        r / "content/stories/s3.md", "---\nFirst", "team: Makers\n---\nFirst"
    ),
}


@pytest.mark.parametrize("persisted", [False, True], ids=["in-memory", "on-disk"])
def test_incremental_equals_clean_after_job_edits(tmp_path: Path, persisted: bool) -> None:
    root = project(tmp_path)
    (root / "site.toml").write_text((root / "site.toml").read_text() + JOBS_TOML)
    (root / "content/jobs").mkdir()
    (root / "content/jobs/j1.md").write_text(job())
    (root / "content/jobs/j2.md").write_text(job(title="Second", team="Other"))
    state = BuildState.load(root) if persisted else BuildState()
    assert run_build(root, state=state).ok
    assert run_build(root, state=state).mode == ""
    for name, apply in JOB_EDITS.items():
        apply(root)
        if persisted:
            state.save(root)
            state = BuildState.load(root)
        result = run_build(root, state=state)
        assert result.ok, (name, result.diagnostics)
        clean = run_build(root, output=tmp_path / "clean", state=BuildState())
        assert clean.ok
        assert tree(root / "output") == tree(tmp_path / "clean"), f"after edit: {name}"
        shutil.rmtree(tmp_path / "clean")


def test_a_role_expiring_overnight_is_gone_from_the_next_build(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "site.toml").write_text((root / "site.toml").read_text() + JOBS_TOML)
    (root / "content/jobs").mkdir()
    (root / "content/jobs/j1.md").write_text(job(until="2026-11-22"))
    state = BuildState()
    assert run_build(root, state=state).ok
    assert (root / "output/jobs/j1/index.html").is_file()
    assert run_build(root, state=state, today=dt.date(2026, 11, 23)).ok
    clean = run_build(root, output=tmp_path / "clean", today=dt.date(2026, 11, 23))
    assert clean.ok
    assert tree(root / "output") == tree(tmp_path / "clean")
    assert not (root / "output/jobs").exists()


def test_a_german_site_names_its_role_pages_in_german(tmp_path: Path) -> None:
    from conftest import SITE_TOML

    config = SITE_TOML.replace('language = "en"', 'language = "de"') + JOBS_TOML
    extra = "salary:\n  min: 52000\n  max: 61000\n  currency: EUR\n  per: year\n"
    files = {"content/stories/a.md": story(), "content/jobs/j.md": job(extra=extra)}
    root = write_site(tmp_path / "p", files, config=config)
    result = run_build(root)
    assert result.ok, format_text(result.diagnostics)
    listing = (root / "output/jobs/index.html").read_text()
    assert "<h1>Offene Stellen</h1>" in listing
    assert '<a href="/jobs/">Offene Stellen</a>' in listing
    assert "Vollzeit (1)" in listing
    role = (root / "output/jobs/j/index.html").read_text()
    assert "<dd>EUR 52.000–61.000 pro Jahr</dd>" in role
    assert '<time datetime="2026-11-01">1. November 2026</time>' in role
    assert 'href="https://careers.test.example/jobs/feed.xml"' in role
