"""brandsite report: the table, the JSON, and a self-contained, accessible, valid HTML page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import html5lib
import pytest
from editorial_helpers import COVERAGE_FILES, WEDNESDAY

from generator.cli import main
from generator.editorial.coverage import coverage
from generator.editorial.project import load_project
from generator.editorial.report_html import render_report

NOW = ["--now", WEDNESDAY.isoformat()]


@pytest.fixture
def page(site) -> str:
    project, _ = load_project(site(COVERAGE_FILES))
    assert project is not None
    report = coverage(project.stories, project.values, WEDNESDAY)
    return render_report(report, "Careers at <Testco>", len(project.stories), "de")


def test_the_page_parses_strictly(page: str) -> None:
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(page)


def test_the_page_is_self_contained(page: str) -> None:
    assert "<script" not in page and "<link" not in page and "<img" not in page
    assert not re.search(r"\b(src|href)=", page)
    assert "url(" not in page and "@import" not in page
    # The only absolute URL is the SVG namespace, which browsers never fetch.
    assert set(re.findall(r"https?://[^\s\"']+", page)) == {"http://www.w3.org/2000/svg"}


def test_the_page_is_accessible(page: str) -> None:
    tree = html5lib.parse(page, namespaceHTMLElements=False)
    assert tree.get("lang") == "en"
    assert [h.text for h in tree.iter("h1")] == ["Value coverage"]
    assert len(list(tree.iter("h2"))) >= 3
    tables = list(tree.iter("table"))
    assert tables and all(t.find("caption") is not None for t in tables)
    svgs = list(tree.iter("{http://www.w3.org/2000/svg}svg"))
    assert len(svgs) == 3
    for svg in svgs:
        assert svg.get("role") == "img"
        title = svg.find("{http://www.w3.org/2000/svg}title")
        assert title is not None and title.text
        assert title.get("id") in svg.get("aria-labelledby", "").split()


def test_the_page_shows_the_numbers(page: str) -> None:
    assert "Careers at &lt;Testco&gt;" in page  # escaped
    assert "Values that need a story" in page and "<strong>Courage</strong>" in page
    assert re.search(
        r"<th scope=\"row\">Craft</th>\s*<td class=\"num\">3</td><td class=\"num\">2</td>", page
    )
    # Story titles are in the site's language, the page's own words in English.
    assert '<span lang="de">Alpha</span>' in page


def test_cli_prints_the_table_and_writes_the_page(site, tmp_path: Path, capsys) -> None:
    root = site(COVERAGE_FILES)
    assert main(["report", "--root", str(root), *NOW]) == 0
    out, err = capsys.readouterr()
    assert "Craft           3             2          0  10 Nov 2026 (8 days ago)" in out
    assert (
        "No story in the last 90 days (since 21 Aug 2026):\n    Courage (never had one, 1 scheduled)"
        in out
    )
    page = root / "reports" / "index.html"
    assert f"Wrote the report to {page}." in err
    html5lib.HTMLParser(strict=True).parse(page.read_text(encoding="utf-8"))
    assert not (root / "output").exists()


def test_cli_json_and_out(site, tmp_path: Path, capsys) -> None:
    root = site(COVERAGE_FILES)
    out_dir = tmp_path / "elsewhere"
    assert (
        main(["report", "--root", str(root), *NOW, "--format", "json", "--out", str(out_dir)]) == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["values_without_recent"] == ["courage"]
    assert [(v["slug"], v["total"], v["recent"]) for v in data["values"]] == [
        ("craft", 3, 2),
        ("care", 2, 1),
        ("courage", 0, 0),
    ]
    assert (out_dir / "index.html").is_file()


@pytest.mark.parametrize(
    ("command", "option", "where", "what", "suggestion"),
    [
        ("report", "--out", "output/r", "the report", "--out reports/"),
        ("report", "--out", "output", "the report", "--out reports/"),
        ("report", "--out", "output/../output/deep/er", "the report", "--out reports/"),
        ("calendar", "--ics", "output/plan.ics", "the calendar", "--ics reports/plan.ics"),
        ("calendar", "--ics", "output/x/../plan.ics", "the calendar", "--ics reports/plan.ics"),
    ],
)
def test_files_made_for_people_never_go_into_the_output_folder(
    site, capsys, command: str, option: str, where: str, what: str, suggestion: str
) -> None:
    root = site(COVERAGE_FILES)
    argv = [command, "--root", str(root), "--now", "2026-11-18", option, str(root / where)]
    assert main(argv) == 2
    output = (root / "output").resolve()
    assert capsys.readouterr().err == (
        f"brandsite: refusing to write {what} into {output}, the site's output folder: "
        f"everything there is published, and {what} lists drafts and scheduled stories; "
        f"write it outside, e.g. {suggestion}\n"
    )
    assert not (root / "output").exists()


def test_a_link_into_the_output_folder_is_refused_too(site, capsys) -> None:
    root = site(COVERAGE_FILES)
    (root / "output").mkdir()
    (root / "published").symlink_to(root / "output")
    argv = ["calendar", "--root", str(root), "--ics", str(root / "published" / "plan.ics")]
    assert main(argv) == 2
    assert "refusing to write the calendar into" in capsys.readouterr().err
    assert list((root / "output").iterdir()) == []


def test_the_calendar_file_outside_the_output_folder_is_written(site, capsys) -> None:
    root = site(COVERAGE_FILES)
    ics = root / "reports" / "plan.ics"
    assert main(["calendar", "--root", str(root), "--now", "2026-11-18", "--ics", str(ics)]) == 0
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")


def test_config_problems_are_usage_errors(tmp_path: Path, capsys) -> None:
    assert main(["report", "--root", str(tmp_path)]) == 2
    assert "missing-config" in capsys.readouterr().err
