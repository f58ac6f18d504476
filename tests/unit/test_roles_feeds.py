"""The three ATS feeds → FeedRole records; broken feeds are one clear problem, never a traceback."""

from __future__ import annotations

import datetime as dt
import time

import pytest

from conftest import REPO
from generator.roles.feed import FeedProblem, FeedSalary
from generator.roles.greenhouse import parse_greenhouse
from generator.roles.html import to_markdown
from generator.roles.importer import parse_feed, personio_board
from generator.roles.lever import parse_lever
from generator.roles.personio import parse_personio

FIXTURES = REPO / "tests" / "fixtures" / "ats"
BOARD = "https://wavelight.jobs.personio.de"


def data(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def problem_of(call: object, *args: object) -> tuple[int, str, str]:
    with pytest.raises(FeedProblem) as caught:
        call(*args)  # type: ignore[operator]
    found = caught.value.diagnostic
    return found.line, found.code, found.message


def test_personio_positions_become_roles_with_german_text_intact() -> None:
    roles = parse_personio(data("personio.xml"), "feed.xml", BOARD + "/")
    assert [r.ats_id for r in roles] == ["1482031", "1490877", "1501200"]
    first = roles[0]
    assert first.title == "Servicetechniker:in Offshore-Windenergie (m/w/d)"
    assert first.department == "Offshore Service"
    assert first.locations == ("Cuxhaven", "Emden")
    assert first.types == ("permanent", "full-time")
    assert first.posted == dt.datetime(
        2026, 11, 2, 8, 15, tzinfo=dt.timezone(dt.timedelta(hours=1))
    )
    assert first.url == first.apply_url == "https://wavelight.jobs.personio.de/job/1482031"
    assert first.description_html.startswith("<h2>Deine Aufgaben</h2>\n<ul><li>Wartung")
    assert "Lust auf Höhe und See" in first.description_html
    assert roles[2].department == "People & Culture"
    assert roles[2].locations == ("Homeoffice", "Hamburg")


@pytest.mark.parametrize(
    ("name", "line", "start"),
    [
        ("personio-truncated.xml", 19, "the feed ends in the middle of its XML (line 19)"),
        ("personio-wrong-root.xml", 2, "the feed starts with <jobs>, not <workzag-jobs>"),
        ("personio-missing-name.xml", 32, "the 2nd <position> has no <name>"),
        ("personio-entity-bomb.xml", 2, "the feed declares a document type (<!DOCTYPE …>)"),
        ("personio-external-entity.xml", 2, "the feed declares a document type (<!DOCTYPE …>)"),
    ],
)
def test_a_broken_personio_feed_is_one_problem_at_its_line(
    name: str, line: int, start: str
) -> None:
    found_line, code, message = problem_of(parse_personio, data(name), name, BOARD)
    assert (found_line, code) == (line, "bad-feed")
    assert message.startswith(start), message


def test_the_entity_bomb_is_refused_before_anything_expands() -> None:
    started = time.perf_counter()
    problem_of(parse_personio, data("personio-entity-bomb.xml"), "bomb.xml", BOARD)
    assert time.perf_counter() - started < 0.5


@pytest.mark.parametrize("text", [b"", b"<workzag-jobs>", b"not xml", b"<a>&undefined;</a>"])
def test_text_that_is_not_a_feed_is_a_problem(text: bytes) -> None:
    assert problem_of(parse_personio, text, "x.xml", BOARD)[1] == "bad-feed"


def test_a_personio_file_needs_to_know_its_board() -> None:
    assert problem_of(parse_feed, "personio", data("personio.xml"), "feed.xml", "")[1] == (
        "no-board-url"
    )
    assert personio_board("https://wavelight.jobs.personio.de/xml?language=de") == BOARD
    assert parse_feed("personio", data("personio.xml"), BOARD + "/xml", "")[0].url.startswith(BOARD)


def test_greenhouse_jobs_become_roles_and_their_entities_are_decoded() -> None:
    roles = parse_greenhouse(data("greenhouse.json"), "board.json")
    assert [r.ats_id for r in roles] == ["4417302008", "4420155008"]
    first, second = roles
    assert first.title == "Battery Storage Commissioning Engineer"
    assert first.department == "Storage Projects"
    assert first.locations == ("Rotterdam",)
    assert first.types == ("Full-time",)
    assert first.posted == dt.datetime(
        2026, 11, 3, 4, 0, 12, tzinfo=dt.timezone(-dt.timedelta(hours=5))
    )
    assert first.description_html.startswith("<p>At Maasvlakte")
    assert second.locations == ("Remote - Portugal",) and second.remote


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("greenhouse-missing-title.json", 'the 2nd job (id 4420155008) has no "title"'),
        (
            "greenhouse-not-a-board.json",
            'the feed is not a Greenhouse job board: it has no "jobs" list',
        ),
        ("lever.json", 'the feed is not a Greenhouse job board: it has no "jobs" list'),
    ],
)
def test_a_broken_greenhouse_feed_is_one_problem(name: str, message: str) -> None:
    assert problem_of(parse_greenhouse, data(name), name)[2] == message


def test_lever_postings_become_roles_with_their_salary() -> None:
    roles = parse_lever(data("lever.json"), "lever.json")
    first, second = roles
    assert first.title == "Senior Data Scientist, Wind Forecasting"
    assert first.department == "Forecasting"
    assert first.locations == ("Hamburg", "Lisbon") and not first.remote
    assert first.types == ("Full-time",)
    assert first.posted == dt.datetime(2026, 11, 26, 8, 0, tzinfo=dt.UTC)
    assert first.apply_url.endswith("/apply") and not first.url.endswith("/apply")
    assert first.salary == FeedSalary(78000, 94000, "EUR", "year")
    assert "<h2>What you&#x27;ll do</h2>" not in first.description_html
    assert "<h2>What you'll do</h2>\n<ul><li>Build" in first.description_html
    assert second.remote and second.salary is None and second.types == ("Werkstudent",)


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        (
            "lever-missing-title.json",
            0,
            'the 1st posting (id 3f6c2a9e-5b1d-4c8e-9a7f-2d4b6e8f0a11) has no "text"',
        ),
        ("lever-truncated.json", 22, "the Lever feed is not valid JSON at line 22, column 20"),
        ("greenhouse.json", 1, "the feed is not a list of Lever postings"),
    ],
)
def test_a_broken_lever_feed_is_one_problem(name: str, line: int, message: str) -> None:
    found_line, _, found = problem_of(parse_lever, data(name), name)
    assert found_line == line and found.startswith(message), found


def test_feed_html_loses_scripts_styles_frames_and_script_links() -> None:
    role = parse_greenhouse(data("greenhouse.json"), "board.json")[1]
    assert "<script>" in role.description_html  # as the ATS sent it
    body = to_markdown(role.description_html)
    assert body == (
        "Our control room software shows 600 turbines on one screen.\n\n"
        "Help us make it *calm* at 3 a.m. Apply or read "
        "[Ines' story](https://careers.wavelight.example/stories/ines-designing-for-the-night-shift/).\n"
    )
    for gone in ("evil", "cookie", "javascript", "display:none", "onclick", "<"):
        assert gone not in body


@pytest.mark.parametrize(
    ("html", "markdown"),
    [
        ("<p>Wir suchen <b>dich</b>!</p>", "Wir suchen **dich**!\n"),
        ("<p><strong> </strong>leer</p>", "leer\n"),
        ("<h1>Titel</h1><h3>Aufgaben</h3>", "## Titel\n\n### Aufgaben\n"),
        ("<ul><li>eins</li><li>zwei</li></ul>", "- eins\n- zwei\n"),
        ("<ol><li>a<ul><li>b</li></ul></li></ol>", "1. a\n    - b\n"),
        ("<p># kein Titel</p><p>2026. Jahr</p>", "\\# kein Titel\n\n2026\\. Jahr\n"),
        ("<p>a*b_c [d] <e></p>", "a\\*b\\_c \\[d\\]\n"),
        ("<p>1 &lt; 2 &amp; 3</p>", "1 \\< 2 & 3\n"),
        ('<a href="https://x.example/a (b)">x</a>', "[x](https://x.example/a%20%28b%29)\n"),
        ("", ""),
    ],
)
def test_html_becomes_markdown_that_means_the_same(html: str, markdown: str) -> None:
    assert to_markdown(html) == markdown
