"""Liquid, Hugo shortcodes and kramdown attribute lists: a warning at file:line with the fix."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import SITE_TOML, brandsite, story, write_site
from generator.errors import Severity
from generator.markdown.foreign_markup import foreign_markup_warnings

SOURCE = "content/stories/a.md"
BODY_LINE = 8
"""Line of the body's first line in the story file."""

CASES = [
    (
        "Our crew:\n\n{{< youtube M7lc1UVf-VE >}}\n",
        2,
        1,
        "hugo-shortcode",
        "`{{< youtube M7lc1UVf-VE >}}` is a Hugo shortcode, which would show as text",
        "write brandsite's embed line instead: "
        '@[youtube](https://www.youtube.com/watch?v=M7lc1UVf-VE "What it shows")',
    ),
    (
        '{{< youtube id="M7lc1UVf-VE" title="A night at sea" >}}',
        0,
        1,
        "hugo-shortcode",
        '`{{< youtube id="M7lc1UVf-VE" title="A night at sea" >}}` is a Hugo shortcode, '
        "which would show as text",
        "write brandsite's embed line instead: "
        '@[youtube](https://www.youtube.com/watch?v=M7lc1UVf-VE "A night at sea")',
    ),
    (
        "{{< vimeo 76979871 >}}",
        0,
        1,
        "hugo-shortcode",
        "`{{< vimeo 76979871 >}}` is a Hugo shortcode, which would show as text",
        'write brandsite\'s embed line instead: @[vimeo](https://vimeo.com/76979871 "What it shows")',
    ),
    (
        '{{< spotify type="episode" id="4rOoJ6Egrf8K2IrywzwOMk" >}}',
        0,
        1,
        "hugo-shortcode",
        '`{{< spotify type="episode" id="4rOoJ6Egrf8K2IrywzwOMk" >}}` is a Hugo shortcode, '
        "which would show as text",
        "write brandsite's embed line instead: "
        '@[spotify](https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk "What it shows")',
    ),
    (
        'Text\n{{< figure src="images/team.jpg" alt="Our team" >}}',
        1,
        1,
        "hugo-shortcode",
        '`{{< figure src="images/team.jpg" alt="Our team" >}}` is a Hugo shortcode, '
        "which would show as text",
        "write the picture as Markdown: ![Our team](images/team.jpg)",
    ),
    (
        "{{% notice info %}}",
        0,
        1,
        "hugo-shortcode",
        "`{{% notice info %}}` is a Hugo shortcode, which would show as text",
        "remove it, or write what it stood for as Markdown (text, a link, a picture)",
    ),
    (
        'Hello\n\n{% include image.html file="x.jpg" %}',
        2,
        1,
        "liquid-markup",
        '`{% include image.html file="x.jpg" %}` is a Liquid tag (Jekyll), which would show as '
        "text",
        "remove it, or write what it produced as Markdown (text, a link, a picture)",
    ),
    (
        "{% highlight ruby %}",
        0,
        1,
        "liquid-markup",
        "`{% highlight ruby %}` is a Liquid tag (Jekyll), which would show as text",
        "put the code between two lines of three backticks: ```ruby … ```",
    ),
    (
        "See [jobs]({{ site.baseurl }}/jobs/).",
        0,
        12,
        "liquid-markup",
        "`{{ site.baseurl }}` is a Liquid variable (Jekyll), which would show as text",
        "leave it out: write the address from the site's root (`/stories/…`) or in full",
    ),
    (
        "We are {{ site.data.team.size }} people.",
        0,
        8,
        "liquid-markup",
        "`{{ site.data.team.size }}` is a Liquid variable (Jekyll), which would show as text",
        "write the text it stood for",
    ),
    (
        '[Blog](https://example.com){:target="_blank"}',
        0,
        28,
        "kramdown-attributes",
        '`{:target="_blank"}` is a kramdown attribute list, which would show as text',
        "remove it: links open in the same tab here, and other sites' links get a safe rel",
    ),
    (
        "Paragraph\n{: .notice}",
        1,
        1,
        "kramdown-attributes",
        "`{: .notice}` is a kramdown attribute list, which would show as text",
        "remove it: classes and attributes are set by the theme, not in the story",
    ),
    (
        "## Team\n{: #team}",
        1,
        1,
        "kramdown-attributes",
        "`{: #team}` is a kramdown attribute list, which would show as text",
        "for a heading's id write `{#team}` at the end of the heading line",
    ),
]


@pytest.mark.parametrize(("body", "line", "col", "code", "message", "hint"), CASES)
def test_foreign_markup_is_a_warning_with_the_fix(
    body: str, line: int, col: int, code: str, message: str, hint: str
) -> None:
    [found] = foreign_markup_warnings(body, BODY_LINE, SOURCE)
    assert (found.source, found.line, found.col) == (SOURCE, BODY_LINE + line, col)
    assert (found.severity, found.code, found.message, found.hint) == (
        Severity.WARNING,
        code,
        message,
        hint,
    )


@pytest.mark.parametrize(
    "body",
    [
        "```\n{% include x.html %}\n{{< youtube M7lc1UVf-VE >}}\n```",
        "~~~liquid\n{{ page.title }}\n~~~",
        "Write `{{ site.baseurl }}` or ``{% raw %}`` in code.",
        "Text\n\n    {: .indented-code}\n",
    ],
)
def test_code_is_left_alone(body: str) -> None:
    assert foreign_markup_warnings(body, BODY_LINE, SOURCE) == []


def test_heading_id_is_no_kramdown_warning() -> None:
    assert foreign_markup_warnings("## Team {#team}\n", BODY_LINE, SOURCE) == []


def test_a_list_item_continuation_is_not_code() -> None:
    body = "- item\n\n    {{ site.title }}\n"
    [found] = foreign_markup_warnings(body, BODY_LINE, SOURCE)
    assert found.line == BODY_LINE + 2


def test_every_occurrence_on_a_line_in_order() -> None:
    found = foreign_markup_warnings("{{ a }} and {% b %} and {: .c}", BODY_LINE, SOURCE)
    assert [(d.col, d.code) for d in found] == [
        (1, "liquid-markup"),
        (13, "liquid-markup"),
        (25, "kramdown-attributes"),
    ]


def _check(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return brandsite("check", "--now", "2026-11-22", *args, cwd=root)


def test_check_reports_the_line_and_passes_without_strict(tmp_path: Path) -> None:
    body = "Intro.\n\n{{< youtube M7lc1UVf-VE >}}"
    root = write_site(tmp_path / "p", {"content/stories/a.md": story(body=body)})
    run = _check(root)
    assert run.returncode == 0, run.stderr
    line = next(n for n, t in enumerate(story(body=body).split("\n"), 1) if "{{<" in t)
    assert f"content/stories/a.md:{line}:1: warning: `{{{{< youtube M7lc1UVf-VE >}}}}`" in (
        run.stderr
    )


@pytest.mark.parametrize(
    ("args", "config", "because"),
    [
        (("--strict",), SITE_TOML, "--strict"),
        ((), SITE_TOML + "\n[check]\nstrict = true\n", "[check] strict = true in site.toml"),
    ],
)
def test_strict_check_fails_on_warnings(
    tmp_path: Path, args: tuple[str, ...], config: str, because: str
) -> None:
    body = "Intro.\n\n{% include x.html %}"
    root = write_site(tmp_path / "p", {"content/stories/a.md": story(body=body)}, config)
    run = _check(root, *args)
    assert run.returncode == 1
    assert run.stderr.endswith(f"Failing on 1 warning: strict checking is on ({because}).\n"), (
        run.stderr
    )
    assert "All good" not in run.stdout


def test_strict_check_passes_without_warnings(tmp_path: Path) -> None:
    root = write_site(tmp_path / "p", {"content/stories/a.md": story()})
    assert _check(root, "--strict").returncode == 0
