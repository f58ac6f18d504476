"""``brandsite jobs import`` on the real command line, and fetching a feed."""

from __future__ import annotations

import urllib.error
import urllib.request
from pathlib import Path

import pytest

from conftest import REPO, SITE_TOML, brandsite
from generator.errors import Diagnostic
from generator.roles.fetch import _HttpsOnly, read_feed
from generator.roles.importer import feed_language

FIXTURES = REPO / "tests" / "fixtures" / "ats"
JOBS_TOML = """
[jobs]
board_url = "https://wavelight.jobs.personio.de"

[jobs.teams]
"Offshore Service" = "Offshore Service North Sea"
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "site.toml").write_text(SITE_TOML + JOBS_TOML, encoding="utf-8")
    return tmp_path


def files(root: Path) -> dict[str, bytes]:
    folder = root / "content" / "jobs"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def test_import_writes_the_roles_and_says_what_it_did(project: Path) -> None:
    run = brandsite(
        "jobs", "import", "--from", "personio", str(FIXTURES / "personio.xml"), cwd=project
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        "  added    content/jobs/recruiter-in-fuer-technische-berufe-teilzeit-moeglich-1501200.md",
        "  added    content/jobs/servicetechniker-in-offshore-windenergie-m-w-d-1482031.md",
        "  added    content/jobs/werkstudent-in-datenqualitaet-windparks-m-w-d-1490877.md",
        "Imported from personio: 3 added, 0 updated, 0 removed, 0 unchanged.",
    ]
    assert run.stderr == ""
    assert len(files(project)) == 3
    again = brandsite(
        "jobs", "import", "--from", "personio", str(FIXTURES / "personio.xml"), cwd=project
    )
    assert again.stdout == "Imported from personio: 0 added, 0 updated, 0 removed, 3 unchanged.\n"


def test_a_broken_feed_is_reported_at_its_line_and_changes_nothing(project: Path) -> None:
    brandsite("jobs", "import", "--from", "personio", str(FIXTURES / "personio.xml"), cwd=project)
    before = files(project)
    broken = FIXTURES / "personio-truncated.xml"
    run = brandsite(
        "jobs", "import", "--from", "personio", str(broken), "--root", str(project), cwd=REPO
    )
    assert run.returncode == 1
    assert run.stdout == ""
    assert run.stderr == (
        f"1. {broken}:19: error: the feed ends in the middle of its XML (line 19) [bad-feed]\n"
        "   hint: the download may have been cut short; fetch the feed again\n"
        "1 error in 1 file\n"
        "brandsite: the feed was not imported; no file was changed.\n"
    )
    assert files(project) == before


def test_the_wrong_format_is_a_clear_problem(project: Path) -> None:
    run = brandsite(
        "jobs", "import", "--from", "lever", str(FIXTURES / "greenhouse.json"), cwd=project
    )
    assert run.returncode == 1
    assert "the feed is not a list of Lever postings [bad-feed]" in run.stderr
    assert files(project) == {}


def test_dry_run_says_what_would_change_and_changes_nothing(project: Path) -> None:
    run = brandsite(
        "jobs", "import", "--from", "lever", str(FIXTURES / "lever.json"), "--dry-run", cwd=project
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.endswith(
        "Would import from lever: 2 added, 0 updated, 0 removed, 0 unchanged.\n"
    )
    assert files(project) == {}


def test_an_unknown_ats_word_is_a_warning_and_the_import_goes_ahead(project: Path) -> None:
    run = brandsite("jobs", "import", "--from", "lever", str(FIXTURES / "lever.json"), cwd=project)
    assert run.returncode == 0
    assert "has the kind of employment 'Werkstudent'" not in run.stderr  # in the built-in table
    assert len(files(project)) == 2


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("http://jobs.example.com/feed.xml", "the feed address must start with https://"),
        ("missing.xml", "there is no such file"),
    ],
)
def test_a_feed_that_cannot_be_had_is_a_problem(project: Path, source: str, message: str) -> None:
    run = brandsite("jobs", "import", "--from", "personio", source, cwd=project)
    assert run.returncode == 1 and message in run.stderr, run.stderr


def test_a_bad_mapping_in_site_toml_is_a_settings_problem(tmp_path: Path) -> None:
    config = SITE_TOML + '\n[jobs.employment_types]\n"Vollzeit" = "fulltime"\n'
    (tmp_path / "site.toml").write_text(config, encoding="utf-8")
    run = brandsite("jobs", "import", "--from", "lever", str(FIXTURES / "lever.json"), cwd=tmp_path)
    assert run.returncode == 2
    assert "jobs.employment_types: 'Vollzeit' maps to 'fulltime'" in run.stderr


def test_jobs_needs_an_action(project: Path) -> None:
    run = brandsite("jobs", cwd=project)
    assert run.returncode == 2 and "ACTION" in run.stderr


def test_a_file_larger_than_the_cap_is_refused(tmp_path: Path) -> None:
    feed = tmp_path / "feed.json"
    feed.write_bytes(b"[" + b" " * 2048 + b"]")
    found = read_feed(str(feed), max_bytes=1024)
    assert isinstance(found, Diagnostic) and found.code == "feed-too-large"
    assert read_feed(str(feed)) == feed.read_bytes()


def test_an_address_nobody_answers_is_a_problem_not_a_traceback() -> None:
    found = read_feed("https://127.0.0.1:9/feed.xml")
    assert isinstance(found, Diagnostic) and found.code == "feed-unreachable"


def test_a_redirect_away_from_https_is_refused() -> None:
    handler = _HttpsOnly()
    request = urllib.request.Request("https://jobs.example.com/feed")
    with pytest.raises(urllib.error.URLError, match="not https"):
        handler.redirect_request(request, None, 302, "Found", {}, "http://jobs.example.com/feed")  # type: ignore[arg-type]


def test_the_language_a_personio_address_asks_for_is_the_roles_language() -> None:
    assert feed_language("https://wavelight.jobs.personio.de/xml?language=de") == "de"
    assert feed_language("https://wavelight.jobs.personio.de/xml") is None
    assert feed_language("feed.xml") is None


def test_a_jobs_folder_that_links_elsewhere_is_refused(
    project: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (project / "content").mkdir()
    (project / "content" / "jobs").symlink_to(elsewhere, target_is_directory=True)
    run = brandsite("jobs", "import", "--from", "lever", str(FIXTURES / "lever.json"), cwd=project)
    assert run.returncode == 2 and "is a link to another folder" in run.stderr
    assert list(elsewhere.iterdir()) == []


def test_an_empty_feed_does_not_empty_the_site_unless_asked(project: Path) -> None:
    brandsite("jobs", "import", "--from", "lever", str(FIXTURES / "lever.json"), cwd=project)
    before = files(project)
    (project / "empty.json").write_text("[]\n", encoding="utf-8")
    run = brandsite("jobs", "import", "--from", "lever", "empty.json", cwd=project)
    assert run.returncode == 1
    assert "the feed lists no roles, so all 2 imported roles would be removed" in run.stderr
    assert files(project) == before
    run = brandsite("jobs", "import", "--from", "lever", "empty.json", "--allow-empty", cwd=project)
    assert run.returncode == 0
    assert run.stdout.endswith("Imported from lever: 0 added, 0 updated, 2 removed, 0 unchanged.\n")
    assert files(project) == {}
