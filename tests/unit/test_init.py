"""``brandsite init`` and ``brandsite new theme``: a new site that checks and builds at once."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import REPO
from conftest import brandsite as run_brandsite
from generator import __version__
from generator.cli import main
from generator.commands.init_files import PRE_COMMIT_HOOK, pinned_workflow
from generator.content.entries import GUIDE_MARKER

FLAGS = [
    "--company",
    "Beispiel GmbH",
    "--title",
    "Karriere bei Beispiel",
    "--base-url",
    "https://karriere.example.com/",
    "--language",
    "de",
    "--values",
    "Mut,Verantwortung,Neugier",
]
FILES = [
    ".github/workflows/check.yml",
    ".github/workflows/deploy.yml",
    ".gitignore",
    ".pre-commit-config.yaml",
    "content/stories/unsere-erste-geschichte.md",
    "content/values/mut.md",
    "content/values/neugier.md",
    "content/values/verantwortung.md",
    "site.toml",
]


def brandsite(cwd: Path, *args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """The real command line in ``cwd``, with no terminal (stdin is a pipe or /dev/null)."""
    return run_brandsite(*args, cwd=cwd, stdin=stdin)


def tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_init_with_flags_writes_a_site_that_checks_and_builds(tmp_path: Path) -> None:
    done = brandsite(tmp_path, "init", "careers", *FLAGS)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "careers"
    assert sorted(tree(site)) == FILES
    assert "cd careers" in done.stdout and "brandsite serve" in done.stdout
    config = (site / "site.toml").read_text()
    for line in (
        'title = "Karriere bei Beispiel"',
        'company = "Beispiel GmbH"',
        'base_url = "https://karriere.example.com/"',
        'language = "de"',
        'theme = "default"',
    ):
        assert line in config.splitlines()
    assert (
        (site / "content/values/verantwortung.md")
        .read_text()
        .startswith('---\ntitle: "Verantwortung"\n')
    )
    checked = brandsite(site, "check")
    assert (checked.returncode, checked.stderr) == (0, "")
    built = brandsite(site, "build")
    assert built.returncode == 0, built.stderr
    home = (site / "output/index.html").read_text()
    assert '<html lang="de">' in home and "Beispiel GmbH" in home
    for slug in ("mut", "verantwortung", "neugier"):
        assert (site / f"output/values/{slug}/index.html").is_file()
    assert not (site / "themes").exists(), "the installed default theme is enough"


def test_the_example_story_is_a_draft_with_the_writing_guide(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "s"), *FLAGS, "--no-input", "--now", "2026-03-01"]) == 0
    text = (tmp_path / "s/content/stories/unsere-erste-geschichte.md").read_text()
    assert "\ndraft: true\n" in text and "\ndate: 2026-03-15\n" in text
    assert "values:\n  - mut\n" in text
    assert GUIDE_MARKER in text  # the guide of `brandsite new story`, which a draft may keep


def test_without_a_terminal_and_without_flags_init_takes_the_defaults(tmp_path: Path) -> None:
    done = brandsite(tmp_path, "init", "site")
    assert done.returncode == 0, done.stderr
    config = (tmp_path / "site/site.toml").read_text()
    assert (
        'company = "Example Company"' in config and 'title = "Careers at Example Company"' in config
    )
    assert sorted(p.name for p in (tmp_path / "site/content/values").iterdir()) == [
        "innovation.md",
        "responsibility.md",
        "teamwork.md",
    ]
    assert brandsite(tmp_path / "site", "check").returncode == 0


def test_interactive_answers_and_defaults(tmp_path: Path) -> None:
    answers = "Grün & Söhne\nde\n\n\nMut, Übermut,Straße\n"
    done = brandsite(tmp_path, "init", "site", "--interactive", stdin=answers)
    assert done.returncode == 0, done.stderr
    assert "Company name [Example Company]: " in done.stdout
    assert "Site title [Karriere bei Grün & Söhne]: " in done.stdout
    config = (tmp_path / "site/site.toml").read_text()
    assert 'title = "Karriere bei Grün & Söhne"' in config
    assert 'base_url = "https://careers.example.com/"' in config
    assert sorted(p.name for p in (tmp_path / "site/content/values").iterdir()) == [
        "mut.md",
        "strasse.md",
        "uebermut.md",
    ]
    assert brandsite(tmp_path / "site", "build").returncode == 0


def test_input_that_ends_early_takes_the_defaults_for_the_rest(tmp_path: Path) -> None:
    done = brandsite(tmp_path, "init", "site", "--interactive", stdin="Acme\n")
    assert done.returncode == 0, done.stderr
    config = (tmp_path / "site/site.toml").read_text()
    assert 'company = "Acme"' in config and 'title = "Careers at Acme"' in config


def test_an_answer_check_would_refuse_is_asked_again(tmp_path: Path) -> None:
    answers = "Acme\nen gb\nen\n\nkarriere.example.com\nhttps://karriere.example.com/\n\n"
    done = brandsite(tmp_path, "init", "site", "--interactive", stdin=answers)
    assert done.returncode == 0, done.stderr
    # Piped input is not echoed, so each complaint follows its prompt on the same line.
    for said in (
        """[en]:   language 'en gb' is not a language tag (use a code such as "en", "de" or "en-GB")
Language of the site""",
        """[https://careers.example.com/]:   base_url 'karriere.example.com' is not an absolute web \
address (write it in full, e.g. base_url = "https://careers.example.com/")
Address""",
    ):
        assert said in done.stdout
    assert 'base_url = "https://karriere.example.com/"' in (tmp_path / "site/site.toml").read_text()


def test_a_flag_check_would_refuse_is_reported_and_nothing_is_written(tmp_path: Path) -> None:
    done = brandsite(tmp_path, "init", "site", "--base-url", "karriere.example.com")
    assert done.returncode == 2
    assert done.stderr.splitlines() == [
        "1. site.toml:7: error: base_url 'karriere.example.com' is not an absolute web address "
        "[bad-base-url]",
        '   hint: write it in full, e.g. base_url = "https://careers.example.com/"',
        "1 error in 1 file",
        "Nothing was written.",
    ]
    assert not (tmp_path / "site").exists()


@pytest.mark.parametrize("existing", ["site.toml", "content/values/x.md"])
def test_init_never_overwrites_a_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], existing: str
) -> None:
    site = tmp_path / "s"
    (site / existing).parent.mkdir(parents=True, exist_ok=True)
    (site / existing).write_text("mine\n")
    before = tree(site)
    assert main(["init", str(site), *FLAGS, "--no-input"]) == 2
    assert tree(site) == before
    name = existing.split("/")[0]
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"1. {site.as_posix()}/{name}: error: {site.as_posix()} already has {name}: it holds a "
        "brandsite site, and init changes nothing [init-exists]",
        "   hint: run `brandsite init` with a new folder name, or `brandsite check` in this one",
        "1 error in 1 file",
        "Nothing was written.",
    ]


def test_an_existing_gitignore_is_kept_and_said_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = tmp_path / "s"
    site.mkdir()
    (site / ".gitignore").write_text("node_modules/\n")
    assert main(["init", str(site), *FLAGS, "--no-input"]) == 0
    assert (site / ".gitignore").read_text() == "node_modules/\n"
    assert (site / "site.toml").is_file()
    err = capsys.readouterr().err
    assert ".gitignore: warning: .gitignore exists already and was kept as it is [init-kept]" in err


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--values", "Mut, mut"],
            "brandsite init: the values `Mut` and `mut` would both be content/values/mut.md; "
            "nothing was written",
        ),
        (
            ["--values", "Mut,!!!"],
            "brandsite init: the value `!!!` has no letters or digits to make a file name from; "
            "nothing was written",
        ),
        (
            ["--values", " , "],
            'brandsite init: --values: name at least one value, e.g. --values "Mut,Neugier"; '
            "nothing was written",
        ),
    ],
)
def test_values_that_cannot_be_files_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], flags: list[str], message: str
) -> None:
    assert main(["init", str(tmp_path / "s"), "--no-input", *flags]) == 2
    assert capsys.readouterr().err.strip() == message
    assert not (tmp_path / "s").exists()


def test_a_bad_language_is_reported_like_check_would_and_nothing_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["init", str(tmp_path / "s"), "--no-input", "--language", "deutsch!"]) == 2
    err = capsys.readouterr().err
    assert "[bad-language]" in err and "Nothing was written." in err
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize("name", ["check.yml", "deploy.yml"])
def test_the_workflows_are_brandsites_own_pinned_to_this_version(tmp_path: Path, name: str) -> None:
    assert main(["init", str(tmp_path / "s"), "--no-input"]) == 0
    written = (tmp_path / f"s/.github/workflows/{name}").read_text()
    original = (REPO / ".github/workflows" / name).read_text()
    assert yaml.safe_load(written)["env"]["BRANDSITE"] == f"brandsite=={__version__}"
    assert yaml.safe_load(original)["env"]["BRANDSITE"] == "."
    # Only the pin and its comment differ: everything else is the repository's workflow.
    changed = [line for line in written.splitlines() if line not in original.splitlines()]
    assert changed == [
        "  # The brandsite release this site is built with (written by `brandsite init`).",
        "  # To upgrade, raise it here and in .pre-commit-config.yaml, and run the check.",
        f'  BRANDSITE: "brandsite=={__version__}"',
    ]
    schema = subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
         str(tmp_path / f"s/.github/workflows/{name}")],
        capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert schema.returncode == 0, schema.stdout + schema.stderr
    assert pinned_workflow(original, "9.9") == pinned_workflow(
        written.replace(f'"brandsite=={__version__}"', '"."'), "9.9"
    )


def test_the_pre_commit_hook_is_brandsites_hook_from_pypi(tmp_path: Path) -> None:
    assert main(["init", str(tmp_path / "s"), "--no-input"]) == 0
    config = yaml.safe_load((tmp_path / "s/.pre-commit-config.yaml").read_text())
    [repo] = config["repos"]
    [hook] = repo["hooks"]
    assert repo["repo"] == "local"
    assert hook.pop("additional_dependencies") == [f"brandsite=={__version__}"]
    [published] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    published.pop("description")
    assert hook == published == PRE_COMMIT_HOOK


def test_git_ignores_what_a_build_writes(tmp_path: Path) -> None:
    git = shutil.which("git")
    if git is None:
        pytest.skip("git is not installed")
    site = tmp_path / "s"
    assert main(["init", str(site), "--no-input"]) == 0
    assert brandsite(site, "build").returncode == 0
    assert brandsite(site, "build", "--portable").returncode == 0
    assert (site / "output-portable/index.html").is_file()
    subprocess.run([git, "init", "-q", str(site)], check=True)
    status = subprocess.run(
        [git, "status", "--porcelain", "--untracked-files=all"],
        cwd=site,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    listed = sorted(line[3:] for line in status.splitlines())
    assert listed == sorted(
        [*FILES[:4], "content/stories/our-first-story.md"]
        + [f"content/values/{v}.md" for v in ("innovation", "responsibility", "teamwork")]
        + ["site.toml"]
    )


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"brandsite {__version__}\n"


# --- brandsite new theme ---------------------------------------------------------------------


def new_site(tmp_path: Path) -> Path:
    site = tmp_path / "s"
    assert main(["init", str(site), "--no-input"]) == 0
    return site


def test_new_theme_extends_default_and_builds_with_every_setting_uncommented(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = new_site(tmp_path)
    capsys.readouterr()
    assert main(["new", "theme", "acme", "--root", str(site)]) == 0
    out = capsys.readouterr().out
    assert 'set theme = "acme" in site.toml' in out
    folder = site / "themes/acme"
    assert sorted(tree(folder)) == ["static/theme.css", "templates/base.html", "theme.toml"]
    toml = (folder / "theme.toml").read_text()
    assert '\nextends = "default"\n' in toml
    # Every brand setting the file offers works once its # is removed (files need a file).
    for name in ("logo.svg", "favicon.svg", "share.png"):
        (folder / "static" / name).write_text("x")
    uncommented = "\n".join(
        line[2:] if re.match(r"# [a-z_]+ = ", line) else line for line in toml.splitlines()
    )
    (folder / "theme.toml").write_text(uncommented + "\n")
    (folder / "static/theme.css").write_text(".acme { color: red }\n")
    config = (site / "site.toml").read_text().replace('theme = "default"', 'theme = "acme"')
    (site / "site.toml").write_text(config)
    built = brandsite(site, "build")
    assert built.returncode == 0, built.stderr
    home = (site / "output/index.html").read_text()
    assert home.count("/assets/theme.") == 1  # the stylesheet hook, once
    assert "brand__logo" in home and "See open positions" in home


def test_new_theme_refuses_to_overwrite_and_names_it_may_not_take(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = new_site(tmp_path)
    assert main(["new", "theme", "acme", "--root", str(site)]) == 0
    before = tree(site / "themes")
    capsys.readouterr()
    assert main(["new", "theme", "acme", "--root", str(site)]) == 2
    assert main(["new", "theme", "default", "--root", str(site)]) == 2
    assert main(["new", "theme", "Acme Corp", "--root", str(site)]) == 2
    assert main(["new", "theme", "other", "--root", str(tmp_path)]) == 2
    assert tree(site / "themes") == before and not (tmp_path / "themes").exists()
    assert capsys.readouterr().err.splitlines() == [
        "brandsite new: themes/acme already exists; nothing was written (choose another name)",
        "brandsite new: `default` is a theme that comes with brandsite; a folder of that name "
        "would hide it. Choose another name",
        "brandsite new: 'Acme Corp' cannot be a theme folder name; use lowercase letters, digits "
        "and hyphens",
        f"brandsite new: there is no site.toml in {tmp_path}; run it in the site's folder or pass "
        "--root",
    ]
