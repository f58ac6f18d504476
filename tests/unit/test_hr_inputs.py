"""Every way a non-programmer writes a story: it works, or gets one message in their words.

One table of what people really type (Word's curly quotes and capitals, Jekyll's dates, tabs,
`#`, files in folders), each with its exact outcome: the story as published, or every problem
of the run with its file, line and message. Nothing else may appear: no follow-on problems.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from conftest import VALUE, run_build, story, write_site
from generator.cli import main

S = "content/stories/s.md"
HEAD = "---\ntitle: A story\nauthor: Ada\ndate: 2026-01-10\nvalues: [craft]\n"


def fm(*lines: str, body: str = "First paragraph.") -> str:
    """A story file whose front matter is exactly ``lines``."""
    return "---\n" + "".join(line + "\n" for line in lines) + "---\n" + body + "\n"


def with_line(line: str) -> str:
    """A valid story with one more front-matter line (it becomes line 6)."""
    return HEAD + line + "\n---\nFirst paragraph.\n"


GUIDE = "<!-- brandsite: writing guide: replace it -->\nGuide.\n<!-- brandsite: end of the writing guide -->\n"
PICTURE = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x00\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x02D\x01\x00;"
FOCUS = {"content/values/customer-focus.md": VALUE.format(title="Customer Focus", order=3)}

# (id, files, what the published site must show: source → (slug, title, date, value slugs))
ACCEPTED = [
    (
        "curly-quotes-around-a-list-item",
        {S: fm("title: A story", "author: Ada", "date: 2026-01-10", "values:", "  - “Craft”")},
        {S: ("s", "A story", "2026-01-10", ("craft",))},
    ),
    (
        "md-in-capitals",
        {"content/stories/x.MD": story()},
        {"content/stories/x.MD": ("x", "A story", "2026-01-10", ("craft",))},
    ),
    (
        "story-in-a-subfolder",
        {"content/stories/2026/x.md": story()},
        {"content/stories/2026/x.md": ("x", "A story", "2026-01-10", ("craft",))},
    ),
    (
        "page-bundle-with-its-picture",
        {
            "content/stories/x/index.md": story(body="![A dot](dot.gif)\n\nText."),
            "content/stories/x/dot.gif": PICTURE,
        },
        {"content/stories/x/index.md": ("x", "A story", "2026-01-10", ("craft",))},
    ),
    (
        "curly-quotes-around-a-title",
        {
            S: fm(
                "title: “Why I stayed: a story”",
                "author: Ada",
                "date: 2026-01-10",
                "values: [craft]",
            )
        },
        {S: ("s", "Why I stayed: a story", "2026-01-10", ("craft",))},
    ),
    (
        "german-quotes-around-a-title",
        {
            S: fm(
                "title: „Warum ich blieb: eine Geschichte“",
                "author: Ada",
                "date: 2026-01-10",
                "values: [craft]",
            )
        },
        {S: ("s", "Warum ich blieb: eine Geschichte", "2026-01-10", ("craft",))},
    ),
    (
        "quotes-inside-a-title-stay",
        {S: fm("title: “Yes” and “No”", "author: Ada", "date: 2026-01-10", "values: [craft]")},
        {S: ("s", "“Yes” and “No”", "2026-01-10", ("craft",))},
    ),
    (
        "field-names-capitalised-by-word",
        {S: fm("Title: A story", "Author: Ada", "Date: 2026-01-10", "Values: [craft]")},
        {S: ("s", "A story", "2026-01-10", ("craft",))},
    ),
    (
        "values-as-text-with-commas",
        {S: fm("title: A story", "author: Ada", "date: 2026-01-10", "values: craft, care")},
        {S: ("s", "A story", "2026-01-10", ("craft", "care"))},
    ),
    (
        "values-by-title-and-any-case",
        {S: fm("title: A story", "author: Ada", "date: 2026-01-10", 'values: ["Craft", " CARE "]')},
        {S: ("s", "A story", "2026-01-10", ("craft", "care"))},
    ),
    (
        "value-by-its-two-word-title",
        {
            **FOCUS,
            S: fm(
                "title: A story",
                "author: Ada",
                "date: 2026-01-10",
                "values:",
                "  - Customer   Focus ",
            ),
        },
        None,
    ),
    (
        "jekyll-date-with-time-and-offset",
        {
            S: fm(
                "title: A story",
                "author: Ada",
                "date: 2016-02-04 10:00:00 +0100",
                "values: [craft]",
            )
        },
        {S: ("s", "A story", "2016-02-04", ("craft",))},
    ),
    (
        "iso-date-time-in-utc",
        {S: fm("title: A story", "author: Ada", "date: 2026-01-10T08:00:00Z", "values: [craft]")},
        {S: ("s", "A story", "2026-01-10", ("craft",))},
    ),
    (
        "date-with-a-time-and-no-offset",
        {S: fm("title: A story", "author: Ada", "date: 2026-01-10 23:30", "values: [craft]")},
        {S: ("s", "A story", "2026-01-10", ("craft",))},
    ),
    (
        "title-no-is-the-word-no",
        {S: fm("title: No", "author: Ada", "date: 2026-01-10", "values: [craft]")},
        {S: ("s", "No", "2026-01-10", ("craft",))},
    ),
    (
        "title-that-looks-like-a-number",
        {S: fm("title: 1.10", "author: Ada", "date: 2026-01-10", "values: [craft]")},
        {S: ("s", "1.10", "2026-01-10", ("craft",))},
    ),
    (
        "draft-false-in-quotes",
        {S: with_line('draft: "false"')},
        {S: ("s", "A story", "2026-01-10", ("craft",))},
    ),
    (
        "a-draft-may-keep-the-guide",
        {
            S: with_line("draft: true").replace("First paragraph.", GUIDE),
            "content/stories/t.md": story(),
        },
        {"content/stories/t.md": ("t", "A story", "2026-01-10", ("craft",))},
    ),
    (
        "comment-after-a-date-is-a-note",
        {S: fm("title: A story", "author: Ada", "date: 2026-01-10  # the day", "values: [craft]")},
        {S: ("s", "A story", "2026-01-10", ("craft",))},
    ),
    (
        "pictures-in-the-images-folder",
        {S: story(), "content/stories/images/dot.gif": PICTURE},
        {S: ("s", "A story", "2026-01-10", ("craft",))},
    ),
]


@pytest.mark.parametrize(
    ("files", "published"), [c[1:] for c in ACCEPTED], ids=[c[0] for c in ACCEPTED]
)
def test_accepted(tmp_path: Path, files: dict[str, str | bytes], published) -> None:
    result = run_build(write_site(tmp_path / "p", files))
    assert result.ok, result.diagnostics
    assert result.diagnostics == []
    assert result.site is not None
    shown = {
        s.source: (s.slug, s.title, s.date.isoformat(), s.value_slugs) for s in result.site.stories
    }
    if published is None:  # the value named by its title, with stray spaces
        assert shown == {S: ("s", "A story", "2026-01-10", ("customer-focus",))}
    else:
        assert shown == published


# (id, files, every problem of the run: (location, severity, code, message, hint))
PROBLEMS = [
    (
        "field-called-no",
        {S: with_line("No: x")},
        [
            (
                "content/stories/s.md:6",
                "error",
                "unknown-field",
                "unknown field `No` in a story",
                "known fields: title, author, role, team, location, date, values, summary, image, "
                "image_alt, draft, slug, lang, consent, expires, extra, share, share_title, translation_of, translated_from; free-form data goes under "
                "`extra:`",
            ),
        ],
    ),
    (
        "comment-cuts-the-title",
        {
            S: fm(
                "title: We are #1 in offshore service",
                "author: Ada",
                "date: 2026-01-10",
                "values: [craft]",
            )
        },
        [
            (
                "content/stories/s.md:2",
                "error",
                "comment-in-value",
                "`title` is cut short at the `#`: everything from ` #` on is read as a note, so the title would be “We are”",
                'put the whole title in quotes: `title: "We are #1 in offshore service"`',
            ),
        ],
    ),
    (
        "title-starting-with-hash",
        {S: fm("title: #1 in service", "author: Ada", "date: 2026-01-10", "values: [craft]")},
        [
            (
                "content/stories/s.md:2",
                "error",
                "comment-in-value",
                "`title` is cut short at the `#`: everything from ` #` on is read as a note, so the title would be empty",
                'put the whole title in quotes: `title: "#1 in service"`',
            ),
        ],
    ),
    (
        "guide-left-in-a-story",
        {S: story(body=GUIDE)},
        [
            (
                "content/stories/s.md:7",
                "error",
                "guide-text",
                "the writing guide from `brandsite new` is still in the file, so it would be published as the story",
                "replace everything from this line to `<!-- brandsite: end of the writing guide -->` with the story (keep `draft: true` until it is written)",
            ),
        ],
    ),
    (
        "guide-left-in-a-value",
        {"content/values/craft.md": "---\ntitle: Craft\n---\n" + GUIDE, S: story()},
        [
            (
                "content/values/craft.md:4",
                "error",
                "guide-text",
                "the writing guide from `brandsite new` is still in the file, so it would be published as the value's description",
                "replace everything from this line to `<!-- brandsite: end of the writing guide -->` with the description of the value",
            ),
        ],
    ),
    (
        "tab-in-the-indentation",
        {S: fm("title: A story", "author: Ada", "date: 2026-01-10", "values:", "\t- craft")},
        [
            (
                "content/stories/s.md:6",
                "error",
                "tab-indent",
                "line 6 is indented with a tab",
                "indent with spaces instead (most editors: replace the tab by two spaces)",
            ),
        ],
    ),
    (
        "colon-in-a-title",
        {
            S: fm(
                "title: Why I stayed: a story", "author: Ada", "date: 2026-01-10", "values: [craft]"
            )
        },
        [
            (
                "content/stories/s.md:2",
                "error",
                "bad-yaml",
                "the front matter is not valid YAML: the value on line 2 contains a colon followed by a space, which starts a new field",
                'put the whole value in quotes: `title: "Why I stayed: a story"`',
            ),
        ],
    ),
    (
        "apostrophe-in-single-quotes",
        {S: fm("title: 'It's great'", "author: Ada", "date: 2026-01-10", "values: [craft]")},
        [
            (
                "content/stories/s.md:2",
                "error",
                "bad-yaml",
                "the front matter is not valid YAML: the quotes on line 2 do not match: the value ends before the line does",
                'a value in single quotes cannot contain an apostrophe; put it in double quotes instead: `title: "It\'s great"`',
            ),
        ],
    ),
    (
        "quote-never-closed",
        {S: fm('title: "Open', "author: Ada", "date: 2026-01-10", "values: [craft]")},
        [
            (
                "content/stories/s.md:2",
                "error",
                "bad-yaml",
                "the front matter is not valid YAML: the quote opened on line 2 is never closed",
                "add the closing quote (the same kind) at the end of the value",
            ),
        ],
    ),
    (
        "a-line-without-a-field",
        {
            S: fm(
                "title: A story",
                "author: Ada",
                "This is my story",
                "date: 2026-01-10",
                "values: [craft]",
            )
        },
        [
            (
                "content/stories/s.md:4",
                "error",
                "bad-yaml",
                "the front matter is not valid YAML: line 4 has no `field:` at its start",
                "each line here needs a field name and a colon, e.g. `title: My story`; the story itself goes below the second `---`",
            ),
        ],
    ),
    (
        "bracket-never-closed",
        {S: fm("title: A story", "author: Ada", "date: 2026-01-10", "values: [craft, care")},
        [
            (
                "content/stories/s.md:5",
                "error",
                "bad-yaml",
                "the front matter is not valid YAML: the list in brackets on line 5 is not closed with `]`",
                "end the list with `]` on the same line and separate its items with commas, e.g. `values: [innovation, ownership]`",
            ),
        ],
    ),
    (
        "indented-field",
        {S: fm("title: A story", "  author: Ada", "date: 2026-01-10", "values: [craft]")},
        [
            (
                "content/stories/s.md:3",
                "error",
                "bad-yaml",
                "the front matter is not valid YAML: line 3 is indented, but the line above takes no fields under it",
                "start the line at the left edge, like the other fields",
            ),
        ],
    ),
    (
        "list-item-under-no-field",
        {S: fm("title: A story", "author: Ada", "date: 2026-01-10", "- craft")},
        [
            (
                "content/stories/s.md:5",
                "error",
                "bad-yaml",
                "the front matter is not valid YAML: the list item on line 5 belongs to no field",
                "put `- …` lines right under the field they belong to (e.g. `values:`), indented by two spaces",
            ),
        ],
    ),
    (
        "value-starting-with-a-backtick",
        {S: fm("title: `code` at work", "author: Ada", "date: 2026-01-10", "values: [craft]")},
        [
            (
                "content/stories/s.md:2",
                "error",
                "bad-yaml",
                "the front matter is not valid YAML: the value on line 2 starts with a backtick (`), which has a special meaning at the start of a value",
                'put the whole value in quotes: `title: "`code` at work"`',
            ),
        ],
    ),
    (
        "value-starting-with-a-star",
        {S: fm("title: *Star* of the year", "author: Ada", "date: 2026-01-10", "values: [craft]")},
        [
            (
                "content/stories/s.md:2",
                "error",
                "bad-yaml",
                "the front matter is not valid YAML: the value on line 2 starts with `*`, which has a special meaning at the start of a value",
                'put the whole value in quotes: `title: "*Star* of the year"`',
            ),
        ],
    ),
    (
        "value-starting-with-an-ampersand",
        {
            S: fm(
                "title: & then there were three",
                "author: Ada",
                "date: 2026-01-10",
                "values: [craft]",
            )
        },
        [
            (
                "content/stories/s.md:2",
                "error",
                "bad-yaml",
                "the front matter is not valid YAML: the value on line 2 starts with `&`, which has a special meaning at the start of a value",
                'put the whole value in quotes: `title: "& then there were three"`',
            ),
        ],
    ),
    (
        "backslash-in-double-quotes",
        {S: fm('title: "C:\\Users\\ada"', "author: Ada", "date: 2026-01-10", "values: [craft]")},
        [
            (
                "content/stories/s.md:2",
                "error",
                "bad-yaml",
                "the front matter is not valid YAML: the value on line 2 has a backslash (`\\`) that is not allowed inside double quotes",
                "write the backslash twice (`\\\\`), or use single quotes around the value",
            ),
        ],
    ),
    (
        "empty-draft",
        {S: with_line("draft:")},
        [
            (
                "content/stories/s.md:6",
                "error",
                "bad-field-type",
                "`draft` is empty",
                "write `draft: true` to keep the story off the site, or `draft: false` to publish it",
            ),
        ],
    ),
    (
        "draft-maybe",
        {S: with_line("draft: maybe")},
        [
            (
                "content/stories/s.md:6",
                "error",
                "bad-field-type",
                "`draft` must be true or false, not `maybe`",
                "write `draft: true` or `draft: false`",
            ),
        ],
    ),
    (
        "not-utf8-umlaut",
        {S: story(author="Jürgen").encode("cp1252")},
        [
            (
                "content/stories/s.md:3",
                "error",
                "not-utf8",
                "line 3 has the character “ü” (in “Jürgen”) saved in an old encoding, not UTF-8",
                "save the file as UTF-8 (in your editor: Save As, Encoding: UTF-8), then check that special characters still look right",
            ),
        ],
    ),
    (
        "misspelt-title-field",
        {S: fm("Titel: A story", "author: Ada", "date: 2026-01-10", "values: [craft]")},
        [
            (
                "content/stories/s.md:2",
                "error",
                "unknown-field",
                "unknown field `Titel` in a story",
                "did you mean `title`? known fields: title, author, role, team, location, date, values, summary, image, image_alt, draft, slug, lang, consent, expires, extra, share, share_title, translation_of, translated_from; free-form data goes under `extra:`",
            ),
        ],
    ),
    (
        "misspelt-values-field",
        {S: fm("title: A story", "author: Ada", "date: 2026-01-10", "valeus: [craft]")},
        [
            (
                "content/stories/s.md:5",
                "error",
                "unknown-field",
                "unknown field `valeus` in a story",
                "did you mean `values`? known fields: title, author, role, team, location, date, values, summary, image, image_alt, draft, slug, lang, consent, expires, extra, share, share_title, translation_of, translated_from; free-form data goes under `extra:`",
            ),
        ],
    ),
    (
        "unknown-value",
        {S: story(values="crafts")},
        [
            (
                "content/stories/s.md:5",
                "error",
                "unknown-value",
                "the story is tagged with `crafts`, which is not a corporate value",
                "did you mean `craft`? known values: care, craft",
            ),
        ],
    ),
    (
        "empty-values",
        {S: fm("title: A story", "author: Ada", "date: 2026-01-10", "values:")},
        [
            (
                "content/stories/s.md:5",
                "error",
                "no-values",
                "the story's `values` list is empty: every story must show at least one corporate value to be published",
                "add the values it shows, e.g. `values: [care]`; known values: care, craft",
            ),
        ],
    ),
    (
        "empty-entry-in-values",
        {S: fm("title: A story", "author: Ada", "date: 2026-01-10", "values:", "  -", "  - craft")},
        [
            (
                "content/stories/s.md:6",
                "error",
                "bad-field-type",
                "an entry of `values` is empty",
                "remove the empty entry, or write the value's name after the `-`",
            ),
        ],
    ),
    (
        "values-as-a-group",
        {S: fm("title: A story", "author: Ada", "date: 2026-01-10", "values:", "  craft: yes")},
        [
            (
                "content/stories/s.md:5",
                "error",
                "bad-field-type",
                "`values` must be a list, not a group of fields",
                "e.g. `values: [innovation, ownership]`",
            ),
        ],
    ),
    (
        "german-date",
        {S: story(date="14.03.2026")},
        [
            (
                "content/stories/s.md:4",
                "error",
                "bad-date",
                "`date: 14.03.2026` is not a date in the form YYYY-MM-DD",
                "write it as YYYY-MM-DD: `date: 2026-03-14`",
            ),
        ],
    ),
    (
        "impossible-date",
        {S: story(date="2026-02-30")},
        [
            (
                "content/stories/s.md:4",
                "error",
                "bad-date",
                "`date: 2026-02-30` is not a real date",
                "write the date as YYYY-MM-DD, e.g. `date: 2026-03-14`",
            ),
        ],
    ),
    (
        "impossible-time",
        {S: story(date="2026-02-03 25:00 +0100")},
        [
            (
                "content/stories/s.md:4",
                "error",
                "bad-date",
                "`date: 2026-02-03 25:00 +0100` is not a real date and time",
                "write the date as YYYY-MM-DD, e.g. `date: 2026-03-14`",
            ),
        ],
    ),
    (
        "title-as-a-list",
        {S: story(title="[a, b]")},
        [
            (
                "content/stories/s.md:2",
                "error",
                "bad-field-type",
                "`title` must be text on one line, not a list",
                'write it on one line, e.g. `title: "How I found my team"`',
            ),
        ],
    ),
    (
        "empty-title",
        {S: fm("title:", "author: Ada", "date: 2026-01-10", "values: [craft]")},
        [
            (
                "content/stories/s.md:2",
                "error",
                "missing-field",
                "the required field `title` is empty",
                "add a line `title: How I found my team` to the front matter",
            ),
        ],
    ),
    (
        "same-field-twice-in-two-spellings",
        {
            S: fm(
                "title: A story",
                "Title: Another",
                "author: Ada",
                "date: 2026-01-10",
                "values: [craft]",
            )
        },
        [
            (
                "content/stories/s.md:3",
                "error",
                "duplicate-key",
                "the field `Title` appears twice (first on line 2, as `title`)",
                "keep one of them",
            ),
        ],
    ),
    (
        "day-moves-in-the-site-time-zone",
        {
            S: fm(
                "title: A story",
                "author: Ada",
                "date: 2026-01-10 23:30:00 -0500",
                "values: [craft]",
            )
        },
        [
            (
                "content/stories/s.md:4",
                "warning",
                "date-in-site-time",
                "the story's date and time fall on 2026-01-11 in the site's time zone (Europe/Berlin), so it is dated 2026-01-11",
                "write the date alone (`date: YYYY-MM-DD`) to choose the day yourself",
            ),
        ],
    ),
    (
        "same-slug-in-two-folders",
        {"content/stories/2025/x.md": story(), "content/stories/2026/x.md": story()},
        [
            (
                "content/stories/2025/x.md:1",
                "error",
                "duplicate-slug",
                "two stories would publish at stories/x/ (also content/stories/2026/x.md)",
                "give one of them another file name or a `slug:` of its own",
            ),
            (
                "content/stories/2026/x.md:1",
                "error",
                "duplicate-slug",
                "two stories would publish at stories/x/ (also content/stories/2025/x.md)",
                "give one of them another file name or a `slug:` of its own",
            ),
        ],
    ),
    (
        "word-file-among-the-stories",
        {S: story(), "content/stories/notes.docx": b"PK"},
        [
            (
                "content/stories/notes.docx",
                "warning",
                "not-content",
                "notes.docx is neither a story, a value nor a picture, so it is not published",
                "save stories as Markdown files ending in .md; move other files out of content/",
            ),
        ],
    ),
    (
        "markdown-outside-the-stories-folder",
        {S: story(), "content/about.md": story()},
        [
            (
                "content/about.md",
                "warning",
                "misplaced-content",
                "this file is not in content/stories/ or content/values/, so it is not published",
                "move a story to content/stories/ and a value to content/values/",
            ),
        ],
    ),
    (
        "other-markdown-extension",
        {S: story(), "content/stories/t.markdown": story()},
        [
            (
                "content/stories/t.markdown",
                "error",
                "wrong-extension",
                "t.markdown is ignored: content files must end in .md",
                "rename it to t.md",
            ),
        ],
    ),
    (
        "every-problem-of-every-file",
        {
            "content/stories/a.md": story(values="crafts"),
            "content/stories/b.md": story(date="yesterday"),
            "content/stories/c.md": "no front matter\n",
            "content/values/care.md": "---\nsummary: s\n---\n",
        },
        [
            (
                "content/stories/a.md:5",
                "error",
                "unknown-value",
                "the story is tagged with `crafts`, which is not a corporate value",
                "did you mean `craft`? known values: care, craft",
            ),
            (
                "content/stories/b.md:4",
                "error",
                "bad-date",
                "`date: yesterday` is not a date in the form YYYY-MM-DD",
                "write the date as YYYY-MM-DD, e.g. `date: 2026-03-14`",
            ),
            (
                "content/stories/c.md:1",
                "error",
                "no-front-matter",
                "the file does not start with front matter",
                "begin the file with a line `---`, the fields (title: …), and another `---`",
            ),
            (
                "content/values/care.md:3",
                "error",
                "missing-field",
                "the required field `title` is missing",
                "add a line `title: Innovation` to the front matter",
            ),
        ],
    ),
]


@pytest.mark.parametrize(
    ("files", "expected"), [c[1:] for c in PROBLEMS], ids=[c[0] for c in PROBLEMS]
)
def test_problem(tmp_path: Path, files: dict[str, str | bytes], expected) -> None:
    result = run_build(write_site(tmp_path / "p", files))
    found = [
        (d.location, d.severity.value, d.code, d.message, d.hint)
        for d in sorted(result.diagnostics)
    ]
    assert found == expected


FORBIDDEN = re.compile(
    r"\b(None|True|False|NoneType|dict|str|int|list\[|mapping|scalar|token|alias|anchor|"
    r"byte|0x[0-9a-f]+|Traceback|Error)\b"
)


@pytest.mark.parametrize("case", PROBLEMS, ids=[c[0] for c in PROBLEMS])
def test_messages_have_no_python_or_yaml_words(case) -> None:
    for _, _, _, message, hint in case[2]:
        assert not FORBIDDEN.search(message), message
        assert not FORBIDDEN.search(hint), hint


def test_check_lists_every_story_it_leaves_out(tmp_path: Path, capsys) -> None:
    files = {
        "content/stories/now.md": story(title="Now", date="2026-11-20"),
        "content/stories/later.md": story(title="Later", date="2026-12-24"),
        "content/stories/wip.md": with_line("draft: true"),
        "content/stories/gone.md": with_line("expires: 2026-11-01"),
    }
    root = write_site(tmp_path / "p", files)
    assert main(["check", "--root", str(root), "--now", "2026-11-22"]) == 0
    assert capsys.readouterr().out == (
        "All good: 1 story would be published, 3 left out.\n"
        "  left out: content/stories/gone.md (expired on 2026-11-01)\n"
        "  left out: content/stories/later.md (scheduled for 2026-12-24)\n"
        "  left out: content/stories/wip.md (draft)\n"
    )


def test_a_bundle_picture_is_published_beside_its_story(tmp_path: Path) -> None:
    files = {
        "content/stories/x/index.md": story(body="![A dot](dot.gif)\n\nText."),
        "content/stories/x/dot.gif": PICTURE,
    }
    root = write_site(tmp_path / "p", files)
    assert run_build(root).ok
    assert (root / "output/media/stories/x/dot.png").is_file()
    page = (root / "output/stories/x/index.html").read_text(encoding="utf-8")
    assert 'src="/media/stories/x/dot.png"' in page


def test_day_in_site_time_decides_publication(tmp_path: Path) -> None:
    # 23:30 in New York on the 21st is the 22nd in Berlin: published "today", not yesterday.
    text = fm("title: A story", "author: Ada", "date: 2026-11-22 23:30 +01:00", "values: [craft]")
    result = run_build(write_site(tmp_path / "p", {S: text}), today=dt.date(2026, 11, 22))
    assert result.ok and [s.date for s in result.site.stories] == [dt.date(2026, 11, 22)]


def test_curly_quotes_in_block_text_stay_as_written(tmp_path: Path) -> None:
    text = fm(
        "title: A story",
        "author: Ada",
        "date: 2026-01-10",
        "values: [craft]",
        "summary: |",
        "  Anna said: “hello”",
    )
    result = run_build(write_site(tmp_path / "p", {S: text}))
    assert result.ok and result.site.stories[0].summary == "Anna said: “hello”"
