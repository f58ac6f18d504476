"""brandsite new story|value: complete front matter, slugs, never overwriting, and the questions."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest
from editorial_helpers import WEDNESDAY, story_file
from hypothesis import given
from hypothesis import strategies as st

from generator.cli import main
from generator.content.entries import parse_story, parse_value
from generator.content.frontmatter import parse_front_matter
from generator.content.loading import SourceFile
from generator.editorial.scaffold import (
    StoryFields,
    ValueChoice,
    ask_story,
    ask_value,
    choose_values,
    story_text,
    yaml_text,
)

NOW = ["--now", WEDNESDAY.isoformat()]
KNOWN = [ValueChoice("craft", "Craft", "Craft is what we do."), ValueChoice("care", "Care")]


def new(root: Path, *args: str) -> int:
    return main(["new", *args, "--root", str(root), *NOW])


def read_story(path: Path):
    entry, problems = parse_story(SourceFile("content/stories/" + path.name, path.read_text()))
    assert problems == []
    return entry


def test_writes_every_field(site, capsys) -> None:
    root = site()
    args = [
        "story",
        "Why I stayed: a story",
        "--author",
        "Anna Ö",
        "--team",
        "Ops",
        "--values",
        "care,craft",
    ]
    assert new(root, *args) == 0
    path = root / "content/stories/why-i-stayed-a-story.md"
    assert capsys.readouterr().out == (
        "Wrote content/stories/why-i-stayed-a-story.md: a draft for Wed 2 Dec 2026.\n"
        "Next: write the story in place of the guide, then set `draft: false`; "
        "`brandsite check` checks it.\n"
    )
    text = path.read_text(encoding="utf-8")
    fm, _ = parse_front_matter(text, "x.md")
    assert fm is not None
    assert list(fm.data) == [
        "title", "author", "role", "team", "location", "date", "values", "summary", "draft",
    ]  # fmt: skip
    assert "# image: images/why-i-stayed-a-story.jpg" in text and "# image_alt:" in text
    entry = read_story(path)
    assert (entry.title, entry.author, entry.team, entry.role) == (
        "Why I stayed: a story",
        "Anna Ö",
        "Ops",
        None,
    )
    assert [v.value for v in entry.values] == ["care", "craft"]
    assert entry.date == dt.date(2026, 12, 2)  # today + buffer_days (14)
    assert entry.draft is True
    assert "- **Craft**: Craft is what we do." in entry.body_markdown
    assert entry.slug.value == "why-i-stayed-a-story"


@pytest.mark.parametrize(
    "extra",
    [
        [],  # a draft
        ["--no-draft", "--date", "2026-11-01"],  # published on the next build
        [
            "--no-draft",
            "--date",
            "2027-01-04",
            "--role",
            "Lead",
            "--location",
            "Kiel",
            "--summary",
            "Short.",
        ],
    ],
)
def test_the_new_file_passes_check_once_the_guide_is_replaced(
    site, capsys, extra: list[str]
) -> None:
    root = site()
    assert new(root, "story", "Night shift", "--author", "Ada", "--values", "Craft", *extra) == 0
    path = root / "content/stories/night-shift.md"
    if extra:  # not a draft: the guide would publish, so check refuses it at its first line
        assert main(["check", "--root", str(root), *NOW]) == 1
        err = capsys.readouterr().err
        assert "content/stories/night-shift.md:19: error: the writing guide from " in err
        assert "[guide-text]" in err
        text = path.read_text(encoding="utf-8")
        path.write_text(text[: text.index("<!-- brandsite:")] + "The story.\n", encoding="utf-8")
    assert main(["check", "--root", str(root), *NOW]) == 0, capsys.readouterr().err
    assert "All good" in capsys.readouterr().out


def test_a_new_value_cannot_publish_its_guide(site, capsys) -> None:
    root = site()
    assert new(root, "value", "Courage", "--summary", "We speak up.") == 0
    assert "until then the site cannot be built" in capsys.readouterr().out
    assert main(["check", "--root", str(root), *NOW]) == 1
    err = capsys.readouterr().err
    assert "content/values/courage.md:9: error: the writing guide from `brandsite new` is " in err
    assert "published as the value's description [guide-text]" in err


def test_never_overwrites(site, capsys) -> None:
    root = site({"content/stories/night-shift.md": "mine"})
    assert new(root, "story", "Night shift", "--author", "Ada", "--values", "craft") == 2
    assert (
        "content/stories/night-shift.md already exists; nothing was written"
        in capsys.readouterr().err
    )
    assert (root / "content/stories/night-shift.md").read_text() == "mine"


def test_refuses_a_slug_another_story_uses(site, capsys) -> None:
    root = site({"content/stories/other.md": story_file(extra="slug: night-shift")})
    assert new(root, "story", "Night shift", "--author", "Ada", "--values", "craft") == 2
    assert (
        "the slug `night-shift` is already used by content/stories/other.md"
        in capsys.readouterr().err
    )
    assert (
        new(
            root,
            "story",
            "Night shift",
            "--author",
            "Ada",
            "--values",
            "craft",
            "--slug",
            "night-2",
        )
        == 0
    )
    assert (root / "content/stories/night-2.md").is_file()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["story", "--no-input"],
            "missing TITLE, --author, --values; pass them, or run in a terminal",
        ),
        (["story", "T", "--values", "craft", "--no-input"], "missing --author;"),
        (
            ["story", "T", "--author", "A", "--values", "craf"],
            "--values: `craf` is not a known value (did you mean `craft`?)",
        ),
        (
            ["story", "!!!", "--author", "A", "--values", "craft"],
            "the title has no letters or digits",
        ),
        (["story", "Page", "--author", "A", "--values", "craft"], "the slug `page` is reserved"),
        (
            ["story", "T", "--author", "A", "--values", "craft", "--slug", "Not A Slug"],
            "'Not A Slug' cannot be a file name",
        ),
        (["value", "--no-input"], "missing TITLE"),
        (["value", "Care"], "the slug `care` is already used by content/values/care.md"),
    ],
)
def test_usage_errors(site, capsys, args: list[str], message: str) -> None:
    root = site()
    before = sorted((root / "content").rglob("*"))
    assert new(root, *args) == 2
    assert message in capsys.readouterr().err
    assert sorted((root / "content").rglob("*")) == before


def test_new_value_then_a_story_with_it(site, capsys) -> None:
    root = site()
    assert new(root, "value", "Customer focus", "--summary", "We listen: first.") == 0
    entry, problems = parse_value(
        SourceFile(
            "content/values/customer-focus.md",
            (root / "content/values/customer-focus.md").read_text(),
        )
    )
    assert problems == [] and entry is not None
    assert (entry.title, entry.summary, entry.order) == ("Customer focus", "We listen: first.", 3)
    assert new(root, "story", "S", "--author", "A", "--values", "customer focus, care") == 0
    path = root / "content/values/customer-focus.md"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: text.index("<!-- brandsite:")] + "We listen.\n", encoding="utf-8")
    assert main(["check", "--root", str(root), *NOW]) == 0


# The questions, with an injected input function.


class Script:
    """Answers questions from a list; records what was asked and said."""

    def __init__(self, *answers: str) -> None:
        self.answers, self.asked, self.said = list(answers), [], []

    def ask(self, prompt: str) -> str:
        self.asked.append(prompt)
        if not self.answers:
            raise EOFError
        return self.answers.pop(0)

    def say(self, text: str) -> None:
        self.said.append(text)


def test_asks_only_for_what_is_missing() -> None:
    script = Script(
        "", "Ada", "Lead", "", "Kiel", "9", "crafty", "2, craft", "tomorrow", "2026-12-24"
    )
    fields = ask_story(
        StoryFields(title="T"),
        KNOWN,
        dt.date(2026, 12, 2),
        script.ask,
        script.say,
        ["Ops", "Sales"],
    )
    assert fields == StoryFields(
        title="T", author="Ada", role="Lead", team="", location="Kiel",
        values=("care", "craft"), date=dt.date(2026, 12, 24),
    )  # fmt: skip
    assert script.asked == [
        "Author (the person telling the story): ",
        "Author (the person telling the story): ",
        "Role, e.g. Service Technician (optional): ",
        "Team, e.g. Ops, Sales (optional): ",
        "Location (optional): ",
        *["Values (numbers or names, comma-separated): "] * 3,
        "Publication date [2026-12-02]: ",
        "Publication date [2026-12-02]: ",
    ]
    assert script.said == [
        "  Please enter the author's name.",
        "Which corporate values does the story show?",
        "  1. Craft (craft)",
        "  2. Care (care)",
        "  there is no value number 9; choose 1 to 2",
        "  `crafty` is not a known value (did you mean `craft`?); known values: craft, care",
        "  Write the date as YYYY-MM-DD, e.g. 2026-03-14.",
    ]


def test_given_fields_are_not_asked_and_the_default_date_is_taken() -> None:
    script = Script("")
    given = StoryFields(title="T", author="A", role="", team="", location="", values=("craft",))
    fields = ask_story(given, KNOWN, dt.date(2026, 12, 2), script.ask, script.say)
    assert fields.date == dt.date(2026, 12, 2)
    assert script.asked == ["Publication date [2026-12-02]: "]


def test_end_of_input_stops_the_questions() -> None:
    with pytest.raises(EOFError):
        ask_story(StoryFields(), KNOWN, dt.date(2026, 12, 2), Script("Title").ask, print)


def test_value_questions() -> None:
    script = Script("", "Courage", "")
    assert ask_value(None, None, script.ask, script.say) == ("Courage", "")
    assert ask_value("Given", "Also given", Script().ask, print) == ("Given", "Also given")


@pytest.mark.parametrize(
    ("answer", "slugs"),
    [
        ("1", ("craft",)),
        ("2 1", ("care", "craft")),
        ("craft, Care, 1", ("craft", "care")),
        ("CRAFT", ("craft",)),
    ],
)
def test_choose_values(answer: str, slugs: tuple[str, ...]) -> None:
    assert choose_values(answer, KNOWN) == (slugs, "")


@given(st.text(st.characters(exclude_categories=("Cs",)), max_size=60))
def test_any_text_survives_the_front_matter(text: str) -> None:
    fm, problems = parse_front_matter(f"---\ntitle: {yaml_text(text)}\n---\n", "x.md")
    assert problems == [] and fm is not None
    assert fm.data["title"] == text


def test_story_text_needs_the_required_fields() -> None:
    with pytest.raises(AssertionError):
        story_text(StoryFields(title="T"), KNOWN)


# The real program, with its input piped.


def run(root: Path, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "new", *args, *NOW],
        cwd=root,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_interactive_through_stdin(site) -> None:
    root = site()
    answers = "Ada Lovelace\nEngineer\nOps\n\n2\n2026-12-07\n"
    done = run(root, "story", "Piped story", "--interactive", stdin=answers)
    assert done.returncode == 0, done.stderr
    assert "  1. Craft (craft)\n  2. Care (care)\n" in done.stdout
    entry = read_story(root / "content/stories/piped-story.md")
    assert (entry.author, entry.role, entry.team, entry.location) == (
        "Ada Lovelace",
        "Engineer",
        "Ops",
        None,
    )
    assert [v.value for v in entry.values] == ["care"]
    assert entry.date == dt.date(2026, 12, 7)


def test_piped_input_ending_early_writes_nothing(site) -> None:
    root = site()
    done = run(root, "story", "Half", "--interactive", stdin="Ada\n")
    assert done.returncode == 2
    assert "input ended before every required field was answered; nothing written" in done.stderr
    assert not (root / "content/stories/half.md").exists()


def test_a_taken_slug_is_refused_before_any_question(site) -> None:
    root = site({"content/stories/taken.md": story_file()})
    done = run(root, "story", "Taken", "--interactive", stdin="Ada\n")
    assert done.returncode == 2
    assert "the slug `taken` is already used by content/stories/taken.md" in done.stderr
    assert done.stdout == ""


def test_no_terminal_means_no_questions(site) -> None:
    root = site()
    done = run(root, "story", "Quiet", stdin="Ada\n1\n")
    assert done.returncode == 2
    assert "missing --author, --values" in done.stderr
    assert done.stdout == ""
