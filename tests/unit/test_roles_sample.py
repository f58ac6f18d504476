"""The sample site's open roles: valid, complete for Google, and for teams that have stories."""

from __future__ import annotations

from conftest import REPO
from generator.content.config import load_config
from generator.content.frontmatter import parse_front_matter
from generator.roles.entries import load_jobs
from generator.roles.posting import Organisation, job_posting, missing_required, posting_warnings


def test_the_sample_roles_are_valid_complete_and_belong_to_teams_with_stories() -> None:
    config, problems = load_config(REPO)
    assert config is not None, problems
    jobs, problems = load_jobs(REPO)
    assert problems == [] and len(jobs) >= 4
    org = Organisation(
        config.company, config.base_url, config.base_url + "logo.svg", config.timezone,
        config.jobs.countries,
    )  # fmt: skip
    teams = set()
    for story in sorted((REPO / "content" / "stories").glob("*.md")):
        fm, _ = parse_front_matter(story.read_text(encoding="utf-8"), story.name)
        if fm is not None and fm.data.get("team"):
            teams.add(fm.data["team"])
    for job in jobs:
        assert posting_warnings(job, org) == [], job.source
        assert missing_required(job_posting(job, org, config.base_url + f"jobs/{job.slug}/")) == []
        assert job.team in teams, job.source
    assert {job.lang for job in jobs} == {"de", "en"}
