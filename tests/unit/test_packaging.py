"""pyproject.toml's package list: every subpackage is in the wheel, and so are the installed themes.

``[tool.setuptools] packages`` is written out by hand (``generator.builtin_themes`` is mapped onto
the repository's ``themes/``, which ``packages.find`` cannot express), so a new subpackage of
``generator/`` must be added there; this test says so when it is not.
"""

from __future__ import annotations

import tomllib

from conftest import REPO
from generator.commands.init_files import WORKFLOWS
from generator.theme.themes import INSTALLED_THEMES, THEMES_DIR

SETUPTOOLS = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"][
    "setuptools"
]


def subpackages() -> list[str]:
    """Dotted names of generator/ and every folder below it with an ``__init__.py``."""
    return sorted(
        ".".join(init.parent.relative_to(REPO).parts)
        for init in (REPO / "generator").rglob("__init__.py")
    )


def test_every_subpackage_of_generator_is_in_the_package_list() -> None:
    listed = set(SETUPTOOLS["packages"])
    missing = [name for name in subpackages() if name not in listed]
    assert not missing, (
        f"add {', '.join(missing)} to [tool.setuptools] packages in pyproject.toml, "
        "or the wheel ships without it"
    )


def test_the_package_list_names_no_folder_that_is_gone() -> None:
    for name in SETUPTOOLS["packages"]:
        folder = SETUPTOOLS.get("package-dir", {}).get(name, name.replace(".", "/"))
        assert (REPO / folder).is_dir(), name


def test_the_installed_themes_and_workflows_are_the_repositorys_own() -> None:
    assert SETUPTOOLS["package-dir"] == {
        "generator.builtin_themes": THEMES_DIR,
        "generator.builtin_workflows": ".github/workflows",
    }
    patterns = SETUPTOOLS["package-data"]["generator.builtin_themes"]
    assert patterns == [f"{name}/**/*" for name in INSTALLED_THEMES]
    for name in INSTALLED_THEMES:
        assert (REPO / THEMES_DIR / name / "templates").is_dir()
    assert SETUPTOOLS["package-data"]["generator.builtin_workflows"] == list(WORKFLOWS)
    for name in WORKFLOWS:
        assert (REPO / ".github/workflows" / name).is_file()
