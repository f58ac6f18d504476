"""The external-resource check: every kind of off-site resource is a problem at file:line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import REPO, SITE_TOML, codes, run_build, story
from generator.cli import main
from generator.site.privacy import Policy, scan_css, scan_html, scan_markdown

BASE = "themes/default/templates/base.html"


def add_to_head(root: Path, snippet: str) -> int:
    """Put ``snippet`` into base.html's <head>; return the line it is on."""
    path = root / BASE
    lines = path.read_text().split("\n")
    at = next(i for i, line in enumerate(lines) if line.startswith("{% block head %}"))
    lines.insert(at, snippet)
    path.write_text("\n".join(lines))
    return at + 1


@pytest.mark.parametrize(
    ("snippet", "kind", "host"),
    [
        ('<img src="https://cdn.example.com/a.png" alt="">', "an image", "cdn.example.com"),
        ('<img src="/a.png" srcset="//img.example.org/b.png 2x" alt="">', "an image",
         "img.example.org"),
        ('<iframe src="https://www.youtube.com/embed/x" title="x"></iframe>', "an iframe",
         "www.youtube.com"),
        ('<script src="https://stats.example.net/t.js" defer></script>', "a script",
         "stats.example.net"),
        ('<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">',
         "a stylesheet", "fonts.googleapis.com"),
        ('<link rel="preload" as="font" href="https://fonts.gstatic.com/x.woff2" crossorigin>',
         "a font", "fonts.gstatic.com"),
        ('<link rel="preconnect" href="https://fonts.gstatic.com">', "a connection",
         "fonts.gstatic.com"),
        ('<video src="/v.mp4" poster="https://media.example.com/p.jpg"></video>', "a video",
         "media.example.com"),
        ('<audio src="http://pod.example.com/e.mp3"></audio>', "an audio file", "pod.example.com"),
        ("<div style=\"background: url('https://img.example.com/bg.jpg')\"></div>", "an image",
         "img.example.com"),
        ("<style>@font-face { font-family: X; src: url(https://f.example.com/x) }</style>",
         "a font", "f.example.com"),
    ],
)  # fmt: skip
def test_each_kind_in_a_template_is_flagged(site, snippet: str, kind: str, host: str) -> None:
    root = site({"content/stories/a.md": story()})
    line = add_to_head(root, snippet)
    result = run_build(root)
    assert codes(result) == ["external-resource"]
    problem = result.diagnostics[0]
    assert problem.location == f"{BASE}:{line}"
    assert problem.message.startswith(f"{kind} is loaded from another site ({host}) before")
    assert problem.hint.endswith(f'[privacy] allowed_hosts = ["{host}"]')
    assert not (root / "output").exists()


@pytest.mark.parametrize(
    ("css", "line", "kind"),
    [
        ("body { color: red }\n@import url(https://fonts.example.com/a.css);\n", 2, "a stylesheet"),
        ('@import "https://fonts.example.com/b.css";\n', 1, "a stylesheet"),
        ("\n@font-face {\n  font-family: Brand;\n  src: url('https://fonts.example.com/brand')"
         " format('woff2');\n}\n", 4, "a font"),
        (".hero {\n  background: url(https://fonts.example.com/sea.jpg);\n}\n", 2, "an image"),
    ],
)  # fmt: skip
def test_theme_stylesheets_are_checked(site, css: str, line: int, kind: str) -> None:
    root = site({"content/stories/a.md": story()})
    (root / "themes/default/static/extra.css").write_text(css)
    result = run_build(root)
    assert [(d.location, d.code) for d in result.diagnostics] == [
        (f"themes/default/static/extra.css:{line}", "external-resource")
    ]
    assert result.diagnostics[0].message.startswith(f"{kind} is loaded from another site")


def test_content_pictures_are_flagged_at_their_line(site) -> None:
    body = "Intro.\n\n![Team](https://photos.example.com/team.jpg)\n\n![Boat][b]\n\n[b]: //x.example.com/boat.jpg\n"
    root = site({"content/stories/a.md": story(body=body)})
    result = run_build(root)
    assert [(d.location, d.message.split(" before")[0]) for d in result.diagnostics] == [
        ("content/stories/a.md:9", "an image is loaded from another site (photos.example.com)"),
        ("content/stories/a.md:11", "an image is loaded from another site (x.example.com)"),
    ]
    assert result.diagnostics[0].hint.startswith("save the picture next to the story")


def test_links_metadata_and_embeds_are_not_requests(site) -> None:
    body = (
        "See [our jobs](https://jobs.example.com/).\n\n"
        '@[youtube](https://www.youtube.com/watch?v=M7lc1UVf-VE "Video")\n'
    )
    root = site({"content/stories/a.md": story(body=body)})
    add_to_head(root, '<link rel="alternate" href="https://other.example.com/feed">')
    add_to_head(root, '<link rel="me" href="https://social.example.com/@us">')
    add_to_head(root, '<a href="https://elsewhere.example.com/">x</a>')
    result = run_build(root)
    assert result.ok, result.diagnostics


def test_the_site_itself_and_relative_urls_are_fine(site) -> None:
    root = site({"content/stories/a.md": story()})
    add_to_head(root, '<img src="https://careers.test.example/logo.png" alt="">')
    add_to_head(root, '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="">')
    add_to_head(root, '<img src="../x.png" alt="">')
    assert run_build(root).ok


@pytest.mark.parametrize(
    ("allowed", "ok"),
    [
        ('["fonts.example.com"]', True),
        ('["FONTS.example.com"]', True),
        ('[".example.com"]', True),
        ('["example.com"]', False),
        ('["other.example.com"]', False),
    ],
)
def test_allowed_hosts(site, allowed: str, ok: bool) -> None:
    root = site(
        {"content/stories/a.md": story()},
        config=SITE_TOML + f"\n[privacy]\nallowed_hosts = {allowed}\n",
    )
    add_to_head(root, '<link rel="stylesheet" href="https://fonts.example.com/a.css">')
    assert run_build(root).ok is ok


def test_bad_allowed_host_setting(site) -> None:
    root = site(
        {"content/stories/a.md": story()},
        config=SITE_TOML + '\n[privacy]\nallowed_hosts = ["https://fonts.example.com/"]\n',
    )
    result = run_build(root)
    assert result.config_error
    assert [(d.location, d.message) for d in result.diagnostics] == [
        (
            "site.toml:10",
            "privacy.allowed_hosts: 'https://fonts.example.com/' is not a host name",
        )
    ]


def test_urls_only_rendered_pages_show_are_flagged(site) -> None:
    config = SITE_TOML + '\n[extra]\nanalytics = "https://stats.example.net/a.js"\n'
    root = site({"content/stories/a.md": story()}, config=config)
    add_to_head(root, '<script src="{{ site.extra.analytics }}" defer></script>')
    result = run_build(root)
    assert [(d.location, d.code) for d in result.diagnostics] == [
        ("site.toml:10", "external-resource")
    ]
    assert result.diagnostics[0].message == (
        "a script is loaded from another site (stats.example.net) before the visitor agrees: "
        "https://stats.example.net/a.js"
    )


def test_rendered_url_from_nowhere_is_reported_at_the_page_template(site) -> None:
    root = site({"content/stories/a.md": story()})
    add_to_head(root, "<img src=\"{{ 'https://cdn.' ~ 'example.com/x.png' }}\" alt=\"\">")
    result = run_build(root)
    assert sorted({d.location for d in result.diagnostics}) == [
        "themes/default/templates/404.html",
        "themes/default/templates/home.html",
        "themes/default/templates/share-mastodon.html",
        "themes/default/templates/stories.html",
        "themes/default/templates/story.html",
        "themes/default/templates/value.html",
        "themes/default/templates/values.html",
    ]
    assert {d.code for d in result.diagnostics} == {"external-resource"}


def test_rendered_url_written_literally_is_reported_once(site) -> None:
    root = site({"content/stories/a.md": story()})
    line = add_to_head(root, '<img src="{{ \'https://cdn.example.com/x.png\' }}" alt="">')
    result = run_build(root)
    assert [(d.location, d.code) for d in result.diagnostics] == [
        (f"{BASE}:{line}", "external-resource")
    ]


def test_sample_site_loads_nothing_from_other_hosts(tmp_path: Path) -> None:
    result = run_build(REPO, output=tmp_path / "out")
    assert not [d for d in result.diagnostics if d.code == "external-resource"]
    assert result.ok


def test_check_command_reports_file_line(site, capsys) -> None:
    root = site({"content/stories/a.md": story()})
    line = add_to_head(root, '<script src="https://stats.example.net/t.js"></script>')
    code = main(["check", "--root", str(root), "--now", "2026-11-22", "--format", "json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 1
    assert [(p["source"], p["line"], p["code"]) for p in report["problems"]] == [
        (BASE, line, "external-resource")
    ]


def test_scanners_directly() -> None:
    assert [(f.kind, f.url, f.line) for f in scan_html('<p>\n<img\n src="https://a.b/c">')] == [
        ("an image", "https://a.b/c", 2)
    ]
    assert [f.url for f in scan_css("a{background:url(x.png)}")] == ["x.png"]
    assert [f.line for f in scan_markdown("a\n\n![x](https://a.b/c.png)")] == [3]
    policy = Policy("careers.example.com", (".cdn.example.com",))
    assert policy.foreign_host("https://a.cdn.example.com/x") is None
    assert policy.foreign_host("https://cdn.example.com/x") is None
    assert policy.foreign_host("//evil.example/x") == "evil.example"
    assert policy.foreign_host("https://careers.example.com/x") is None
    assert policy.foreign_host("/x") is None


def test_content_check_works_on_entries_cached_without_bodies(site) -> None:
    from generator.engine.incremental import BuildState

    allowed = SITE_TOML + '\n[privacy]\nallowed_hosts = ["photos.example.com"]\n'
    body = "Intro.\n\n![Team](https://photos.example.com/team.jpg)\n"
    root = site({"content/stories/a.md": story(body=body)}, config=allowed)
    state = BuildState.load(root)
    assert run_build(root, state=state).ok
    state.save(root)
    (root / "site.toml").write_text(SITE_TOML)  # the host is no longer allowed
    state = BuildState.load(root)
    assert all(p.entry.body_markdown is None for p in state.parsed.values() if p.entry)
    result = run_build(root, state=state)
    assert [(d.location, d.code) for d in result.diagnostics] == [
        ("content/stories/a.md:9", "external-resource")
    ]


BYPASSES = [
    "/\\tracker.example/p.gif",  # each of these loads from tracker.example in browsers
    "https:&#x2F;&#x2F;tracker.example/p.gif",
    "&#47;&#47;tracker.example/p.gif",
    "https:\\\\tracker.example/p.gif",
    "ht&Tab;tps://tracker.example/p.gif",
    "https:/&NewLine;/tracker.example/p.gif",
    "&#1; //tracker.example/p.gif",
    "HTTPS://TRACKER.EXAMPLE/p.gif",
]


@pytest.mark.parametrize("url", BYPASSES)
def test_urls_are_read_as_browsers_read_them_in_templates(site, url: str) -> None:
    root = site({"content/stories/a.md": story()})
    line = add_to_head(root, f'<img src="{url}" alt="">')
    result = run_build(root)
    assert [(d.location, d.code) for d in result.diagnostics] == [
        (f"{BASE}:{line}", "external-resource")
    ]
    assert "(tracker.example)" in result.diagnostics[0].message


@pytest.mark.parametrize("url", BYPASSES)
def test_urls_are_read_as_browsers_read_them_in_markdown(site, url: str) -> None:
    root = site({"content/stories/a.md": story(body=f"Intro.\n\n![Pixel]({url})\n")})
    result = run_build(root)
    assert [(d.location, d.code) for d in result.diagnostics] == [
        ("content/stories/a.md:9", "external-resource")
    ]
    assert "(tracker.example)" in result.diagnostics[0].message


@pytest.mark.parametrize(
    "snippet",
    [
        '<img/src="//tracker.example/p.gif" alt="">',  # `/` separates attributes, as a space
        '<img alt=""/src="/\\tracker.example/p.gif">',
        '<link rel="stylesheet" href="\\\\tracker.example/a.css">',
        '<svg><use href="/\\tracker.example/s.svg#i"></use></svg>',
        '<div style="background:url(&#47;&#47;tracker.example/b.png)"></div>',
        "<style>a { background: \\75rl(\\2f\\2ftracker.example/b.png) }</style>",
    ],
)
def test_other_spellings_in_templates(site, snippet: str) -> None:
    root = site({"content/stories/a.md": story()})
    line = add_to_head(root, snippet)
    result = run_build(root)
    assert [(d.location, d.code) for d in result.diagnostics] == [
        (f"{BASE}:{line}", "external-resource")
    ]
    assert "(tracker.example)" in result.diagnostics[0].message


@pytest.mark.parametrize("url", ["/\\tracker.example/p.gif", "&#47;&#47;tracker.example/p.gif"])
def test_rendered_pages_are_read_as_browsers_read_them(site, url: str) -> None:
    """Raw HTML in a story (``html = "safe"``) only shows on the built page."""
    config = SITE_TOML + '\n[markdown]\nhtml = "safe"\n'
    root = site(
        {"content/stories/a.md": story(body=f'Intro.\n\n<img src="{url}" alt="">\n')}, config
    )
    result = run_build(root)
    assert codes(result) == ["external-resource"]
    assert "(tracker.example)" in result.diagnostics[0].message


def test_the_quick_look_sees_every_spelling() -> None:
    from generator.site.privacy import might_load_from_elsewhere

    for url in BYPASSES:
        assert might_load_from_elsewhere(f'<p><img src="{url}" alt=""></p>'), url
    assert not might_load_from_elsewhere('<img src="/images/a.png" alt=""><a href="//x.example">')
