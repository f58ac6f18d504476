"""Theme errors point at the cause: the theme folder, the template, the line where the problem starts.

Every case builds a real site whose theme ``acme`` extends the default theme and asserts the one
problem the build reports: code, file, line, message and hint.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import NOW, SITE_TOML, TODAY, run_build, story, write_site
from generator.cli import main
from generator.engine.build import check_project
from generator.engine.cache import HtmlStore
from generator.engine.incremental import BuildState
from generator.engine.outputs import default_share_image
from generator.engine.records import BuildOptions
from generator.theme.rendering import index_site, make_environment, page_context, render_template

CHILD = "acme"
PYTHON_WORDS = re.compile(r"\b(object|attribute|NoneType|dict|str|Traceback|Error)\b")


def acme_site(root: Path, files: dict[str, str], tables: str = "") -> Path:
    """A project whose site.toml picks themes/acme (which extends default and holds ``files``)
    and ends with ``tables`` (``[extra]`` …)."""
    write_site(root, {"content/stories/a.md": story()}, SITE_TOML + f'theme = "{CHILD}"\n' + tables)
    folder = root / "themes" / CHILD
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "theme.toml").write_text('extends = "default"\n')
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    return root


def story_page(*lines: str) -> dict[str, str]:
    """themes/acme/templates/story.html: the block ``content`` holding ``lines`` from line 3 on."""
    body = "\n".join(lines)
    return {
        "templates/story.html": f'{{% extends "base.html" %}}\n{{% block content %}}\n{body}\n{{% endblock %}}\n'
    }


DEFAULT_COPY = (
    "the default theme is brandsite's own: if themes/acme/templates/ replaces a template this one "
    "uses, fix it there; to change this one, copy it to themes/acme/templates/"
)

# (files of themes/acme, tables appended to site.toml, code, source, line, message, hint)
CASES = [
    pytest.param(
        {
            "templates/base.html": '{% extends "base.html" %}\n{% block footer %}<p>acme</p>{% endblock %}\n'
        },
        "",
        "template-cycle",
        "themes/acme/templates/base.html",
        1,
        "base.html extends itself",
        'to build on the parent theme\'s base.html, write {% extends "default/base.html" %}',
        id="extends-itself",
    ),
    pytest.param(
        {
            "templates/story.html": '{% extends "a.html" %}\n',
            "templates/a.html": '{#- a.html: the frame -#}\n{% extends "b.html" %}\n',
            "templates/b.html": '{% extends "a.html" %}\n',
        },
        "",
        "template-cycle",
        "themes/acme/templates/a.html",
        2,
        "templates extend each other in a circle: a.html → b.html → a.html",
        'remove the {% extends %} from one of them, or make it extend a parent theme\'s copy by its folder name ("default/base.html")',
        id="extends-circle",
    ),
    pytest.param(
        story_page("<h1>{{ story.title }}</h1>", "{% if story.role %}", "<p>{{ story.role }}</p>"),
        "",
        "template-syntax",
        "themes/acme/templates/story.html",
        4,
        "`{% if story.role %}` is never closed: `{% endblock %}` on line 6 comes before its `{% endif %}`",
        "add `{% endif %}` where the if should end, before line 6",
        id="if-without-endif",
    ),
    pytest.param(
        {
            "templates/story.html": '{% extends "base.html" %}\n{% block content %}\n{% for value in story.values %}\n<p>{{ value.title }}</p>\n{% endblock %}\n'
        },
        "",
        "template-syntax",
        "themes/acme/templates/story.html",
        3,
        "`{% for value in story.values %}` is never closed: `{% endblock %}` on line 5 comes before its `{% endfor %}`",
        "add `{% endfor %}` where the for should end, before line 5",
        id="for-without-endfor",
    ),
    pytest.param(
        {
            "templates/story.html": '{% extends "base.html" %}\n{% block content %}\n<h1>{{ story.title }}</h1>\n'
        },
        "",
        "template-syntax",
        "themes/acme/templates/story.html",
        2,
        "`{% block content %}` is never closed: the template ends before its `{% endblock %}`",
        "add `{% endblock %}` where the block should end",
        id="block-without-endblock",
    ),
    pytest.param(
        story_page("{% if story.role %}", "<p>{{ story.role }}</p>", "{% endfi %}"),
        "",
        "template-syntax",
        "themes/acme/templates/story.html",
        5,
        "there is no tag `{% endfi %}`",
        "did you mean `{% endif %}`? `{% if story.role %}` on line 3 is still open.",
        id="misspelt-end-tag",
    ),
    pytest.param(
        story_page("<h1>{{ story.title }}</h1>", "{% endif %}"),
        "",
        "template-syntax",
        "themes/acme/templates/story.html",
        4,
        "`{% endif %}` has no `{% if %}` to belong to",
        "remove it, or add the `{% if … %}` it belongs to",
        id="end-tag-without-opening",
    ),
    pytest.param(
        story_page(
            "{% raw %}{% if %}{% endraw %}{# {% for x in y %} #}",
            "{%- if story.role -%}",
            "<p>{{ story.role }}</p>",
        ),
        "",
        "template-syntax",
        "themes/acme/templates/story.html",
        4,
        "`{% if story.role %}` is never closed: `{% endblock %}` on line 6 comes before its `{% endif %}`",
        "add `{% endif %}` where the if should end, before line 6",
        id="tags-in-raw-and-comments-do-not-count",
    ),
    pytest.param(
        story_page("<p>{{ site.compnay }}</p>"),
        "",
        "template-undefined",
        "themes/acme/templates/story.html",
        3,
        "`site.compnay` does not exist",
        "did you mean `site.company`? site.toml's settings reach templates as `site.<name>`; free-form ones go under [extra] in site.toml and are read as `site.extra.<name>`",
        id="misspelt-site-setting",
    ),
    pytest.param(
        story_page("<h1>{{ stroy.title }}</h1>"),
        "",
        "template-undefined",
        "themes/acme/templates/story.html",
        3,
        "`stroy` does not exist: the template receives nothing of that name",
        "did you mean `story`? this page's template receives: page, related, share_links, site, story, ui, values (THEMING.md section 5)",
        id="misspelt-variable",
    ),
    pytest.param(
        story_page("<p>{{ story.autor }}</p>"),
        "",
        "template-undefined",
        "themes/acme/templates/story.html",
        3,
        "`story.autor` does not exist",
        "did you mean `story.author`?",
        id="misspelt-story-field",
    ),
    pytest.param(
        story_page("{% for value in story.values %}{{ vlaue.title }}{% endfor %}"),
        "",
        "template-undefined",
        "themes/acme/templates/story.html",
        3,
        "`vlaue` does not exist: the template receives nothing of that name",
        "did you mean `value`? this page's template receives: page, related, share_links, site, story, ui, values (THEMING.md section 5)",
        id="misspelt-loop-variable",
    ),
    pytest.param(
        story_page('<img src="{{ story.image.url }}" alt="">'),
        "",
        "template-undefined",
        "themes/acme/templates/story.html",
        3,
        "`story.image` is empty on this page, so `story.image.url` does not exist",
        "check it first: {% if story.image %}…{% endif %}",
        id="empty-field-used",
    ),
    pytest.param(
        story_page("<p>{{ site.extra.plegde }}</p>"),
        '[extra]\npledge = "We hire everyone."\n',
        "template-undefined",
        "themes/acme/templates/story.html",
        3,
        "`site.extra.plegde` does not exist",
        "did you mean `site.extra.pledge`? add `plegde` under [extra] in site.toml, or write `site.extra.get('plegde')` where it may be missing",
        id="misspelt-extra-key",
    ),
    pytest.param(
        {
            "templates/partials/strings.html": "{% set ui = {'skip_link': 'Skip', 'careers': 'Jobs'} %}\n"
        },
        "",
        "template-undefined",
        "themes/default/templates/partials/header.html",
        14,
        "`ui.nav_main` does not exist (from the default theme)",
        "`ui` has: careers, skip_link; the default theme is brandsite's own: if themes/acme/templates/ replaces a template this one uses, fix it there; to change this one, copy it to themes/acme/templates/partials/header.html",
        id="default-theme-template",
    ),
    pytest.param(
        {
            "templates/story.html": '{% extends "base.html" %}\n{% from "partials/macros.html" import story_facts with context %}\n{% block content %}\n{{ story_facts(site) }}\n{% endblock %}\n'
        },
        "",
        "template-undefined",
        "themes/default/templates/partials/macros.html",
        7,
        "`story.role` does not exist (from the default theme)",
        "`story` has: base_url, brand, calendar, check, company, default_language, default_language_in_subdir, description, edition, extra, feed, images, …; called from themes/acme/templates/story.html:4; the default theme is brandsite's own: if themes/acme/templates/ replaces a template this one uses, fix it there; to change this one, copy it to themes/acme/templates/partials/macros.html",
        id="default-theme-macro-called-wrongly",
    ),
    pytest.param(
        story_page('{% include "partials/headr.html" %}'),
        "",
        "template-missing",
        "themes/acme/templates/story.html",
        3,
        "there is no template `partials/headr.html` (looked in themes/acme/templates/ and themes/default/templates/)",
        "did you mean `partials/header.html`? or add it as themes/acme/templates/partials/headr.html",
        id="missing-include",
    ),
    pytest.param(
        {"templates/base.html": '{% extends "defualt/base.html" %}\n'},
        "",
        "template-missing",
        "themes/acme/templates/base.html",
        1,
        "there is no template `defualt/base.html` (looked in themes/acme/templates/ and themes/default/templates/)",
        "did you mean `default/base.html`? another theme's template is named by its folder in themes/",
        id="misspelt-parent-theme",
    ),
    pytest.param(
        story_page('<img src="{{ asset_url(\'logo.png\') }}" alt="">'),
        "",
        "template-error",
        "themes/acme/templates/story.html",
        3,
        "the template failed: asset_url('logo.png'): no such static file in the theme",
        "put the file in themes/acme/static/ (the theme has: brand.css, embed.js, share-mastodon.js, style.css)",
        id="missing-static-file",
    ),
    pytest.param(
        story_page("<p>{{ story.title|format_date }}</p>"),
        "",
        "template-error",
        "themes/acme/templates/story.html",
        3,
        "the template failed: |format_date needs a date such as story.date, not a text",
        "a story's date is `story.date`; THEMING.md section 6 lists the filters",
        id="date-filter-on-text",
    ),
    pytest.param(
        story_page('<p>{{ story.role + " at Testco" }}</p>'),
        "",
        "template-error",
        "themes/acme/templates/story.html",
        3,
        "the template failed: `+` cannot combine an empty value (none) and a text",
        "THEMING.md sections 5 and 6 list what templates receive and the helpers and filters",
        id="empty-value-joined",
    ),
    pytest.param(
        story_page("<p>{{ story.values|length / 0 }}</p>"),
        "",
        "template-error",
        "themes/acme/templates/story.html",
        3,
        "the template failed: division by zero",
        "THEMING.md sections 5 and 6 list what templates receive and the helpers and filters",
        id="division-by-zero",
    ),
    pytest.param(
        story_page("<p>{{ story.date|format_dat }}</p>"),
        "",
        "template-syntax",
        "themes/acme/templates/story.html",
        3,
        "there is no filter `format_dat`",
        "did you mean `format_date`? THEMING.md section 6 lists brandsite's filters",
        id="misspelt-filter",
    ),
    pytest.param(
        story_page(
            '{% from "partials/macros.html" import story_card with context %}',
            "{{ memo(story_card, story, 3, false, 'x') }}",
        ),
        "",
        "template-error",
        "themes/acme/templates/story.html",
        4,
        "the template failed: macro 'story_card' takes not more than 3 argument(s)",
        "THEMING.md sections 5 and 6 list what templates receive and the helpers and filters",
        id="memo-macro-with-too-many-arguments",
    ),
    pytest.param(
        story_page("{% macro card(n) %}<p>{{ card(n) }}</p>{% endmacro %}", "{{ card(1) }}"),
        "",
        "template-error",
        "themes/acme/templates/story.html",
        3,
        "the template calls itself without end",
        "a macro or {% include %} that uses itself needs a condition that stops it",
        id="macro-calls-itself",
    ),
    pytest.param(
        {
            "templates/partials/loop.html": "<p>\n{% include 'partials/loop.html' %}\n</p>\n",
            **story_page("{% include 'partials/loop.html' %}"),
        },
        "",
        "template-error",
        "themes/acme/templates/partials/loop.html",
        2,
        "the template calls itself without end",
        "a macro or {% include %} that uses itself needs a condition that stops it",
        id="include-includes-itself",
    ),
]


@pytest.mark.parametrize(
    ("files", "config", "code", "source", "line", "message", "hint"),
    CASES,
)
def test_theme_errors_point_at_the_cause(
    tmp_path: Path,
    files: dict[str, str],
    config: str,
    code: str,
    source: str,
    line: int,
    message: str,
    hint: str,
) -> None:
    root = acme_site(tmp_path / "p", files, config)
    result = run_build(root)
    assert not result.ok
    assert [(d.code, d.source, d.line, d.message, d.hint) for d in result.diagnostics] == [
        (code, source, line, message, hint)
    ]
    assert not PYTHON_WORDS.search(message + " " + hint), (message, hint)
    assert not (root / "output").exists(), "a failed build writes nothing"


def test_a_cache_failure_while_rendering_is_not_a_template_error(tmp_path: Path) -> None:
    """The Markdown cache failing under ``{{ story.body_html }}`` is not the theme's problem: the
    page renders without the cache and the store reports a warning (test_parallel_safety)."""
    root = acme_site(tmp_path / "p", {})
    (root / "blocked").write_text("a file where the cache wants its folder")
    state = BuildState(html=HtmlStore(root / "blocked" / "html.sqlite"))
    options = BuildOptions(root=root, output=root / "output", now=NOW, today=TODAY)
    checked, result = check_project(options, state)
    assert checked is not None, result.diagnostics
    env = make_environment(root, checked.theme, checked.config)
    index = index_site(checked.site, checked.config, default_share_image(checked))
    route = next(r for r in checked.routes if r.kind == "story")
    context = page_context(route, checked.site, index, checked.config)
    assert route.template is not None
    assert "First paragraph" in str(render_template(env, route.template, context, root))
    assert [d.code for d in state.html.report()] == ["cache-unavailable"]


@pytest.mark.parametrize(
    ("theme", "line", "hint"),
    [
        (
            "default",
            9,
            "set brand.logo in site.toml to a file the theme has, or put yours in the static/ "
            "folder of a theme of your own that extends default (brandsite new theme NAME; "
            "THEMING.md section 8)",
        ),
        (CHILD, 10, "put the file in themes/acme/static/"),
    ],
)
def test_a_missing_logo_never_goes_into_the_default_theme(
    tmp_path: Path, theme: str, line: int, hint: str
) -> None:
    root = acme_site(tmp_path / "p", {}, '[brand]\nlogo = "logo.png"\n')
    if theme == "default":
        text = (root / "site.toml").read_text().replace(f'theme = "{CHILD}"\n', "")
        (root / "site.toml").write_text(text)
    problems = run_build(root).diagnostics
    assert [(d.code, d.source, d.line, d.hint) for d in problems] == [
        ("missing-brand-file", "site.toml", line, hint)
    ]


@pytest.mark.parametrize(
    ("files", "report"),
    [
        (
            story_page("<p>{{ site.compnay }}</p>"),
            "1. themes/acme/templates/story.html:3: error: `site.compnay` does not exist "
            "[template-undefined]",
        ),
        (
            {"templates/partials/strings.html": "{% set ui = {'careers': 'Jobs'} %}\n"},
            "1. themes/default/templates/base.html:27: error: `ui.skip_link` does not exist "
            "(from the default theme) [template-undefined]",
        ),
    ],
    ids=["site-theme", "default-theme"],
)
def test_check_names_the_theme_folder_of_the_failing_template(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], files: dict[str, str], report: str
) -> None:
    root = acme_site(tmp_path / "p", files)
    assert main(["check", "--root", str(root), "--now", TODAY.isoformat()]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == report
    assert lines[-1] == "1 error in 1 file"


def test_a_template_saved_in_another_encoding_is_named(tmp_path: Path) -> None:
    root = acme_site(tmp_path / "p", {})
    footer = root / "themes/acme/templates/partials/footer.html"
    footer.parent.mkdir(parents=True)
    footer.write_bytes("<p>Grüße</p>\n".encode("latin-1"))
    problems = run_build(root).diagnostics
    assert [(d.code, d.source, d.line, d.message, d.hint) for d in problems] == [
        (
            "not-utf8",
            "themes/acme/templates/partials/footer.html",
            0,
            "the template partials/footer.html is not a UTF-8 text file",
            "save it as UTF-8 in your editor",
        )
    ]


def test_a_fixed_circle_builds_in_the_same_session(tmp_path: Path) -> None:
    """The circle is looked for once per environment; an edit of the theme makes a new one."""
    root = acme_site(tmp_path / "p", {"templates/base.html": '{% extends "base.html" %}\n'})
    state = BuildState()
    assert [d.code for d in run_build(root, state=state).diagnostics] == ["template-cycle"]
    (root / "themes/acme/templates/base.html").write_text('{% extends "default/base.html" %}\n')
    result = run_build(root, state=state)
    assert result.ok, result.diagnostics
    assert "First paragraph" in (root / "output/stories/a/index.html").read_text()
