"""A portable build opened from disk in a real Chromium: styled, every picture there, links work.

The sample site is built with the real CLI (`build --portable`), zipped, and unpacked somewhere
else, as a works council would receive it by mail. tests/e2e/js/portable.mjs opens index.html
through file://, clicks to a story and to the values page, and reports what the browser saw.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest

from .conftest import BROWSER_TOOLS
from .e2e_site import NOW, copy_sample_site, run_cli
from .e2e_tools import require_tools, run_node_json

pytestmark = pytest.mark.e2e

PRIMARY = "#0A5C78"
"""The sample's primary colour: brand.css applied."""
BACKGROUND = "rgb(250, 251, 252)"
"""The sample's background colour on <body>: style.css applied on top of brand.css."""


@pytest.fixture(scope="module")
def mailed_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample's portable build, zipped and unpacked in another folder."""
    root = copy_sample_site(tmp_path_factory.mktemp("portable-site") / "project")
    run = run_cli("build", "--root", str(root), "--portable", "--now", NOW)
    assert run.returncode == 0, run.describe()
    assert not (root / "output").exists(), "a portable build must leave output/ alone"
    archive = shutil.make_archive(
        str(tmp_path_factory.mktemp("mail") / "careers-preview"), "zip", root / "output-portable"
    )
    shutil.rmtree(root)  # nothing may still point back into the project
    unpacked = tmp_path_factory.mktemp("inbox") / "careers-preview"
    shutil.unpack_archive(archive, unpacked)
    return unpacked


def test_portable_site_works_from_file_urls(mailed_copy: Path) -> None:
    require_tools(*BROWSER_TOOLS)
    start = (mailed_copy / "index.html").as_uri()
    with tempfile.TemporaryDirectory(prefix="brandsite-e2e-portable-") as profiles:
        seen = run_node_json("portable.mjs", [start], timeout=180, marker=profiles)
    assert seen["failed"] == [], "requests that failed from disk"
    assert seen["outside"] == [], "requests that left the folder before any click"
    home, story, values = seen["pages"]
    assert home["url"] == start
    assert story["url"].startswith(mailed_copy.as_uri() + "/stories/")
    assert story["url"].endswith("/index.html")
    assert values["url"] == (mailed_copy / "values/index.html").as_uri()
    for page in seen["pages"]:
        assert page["sheets"] >= 2, page["url"]
        assert page["primary"].upper() == PRIMARY, f"brand.css not applied on {page['url']}"
        assert page["body"] == {"display": "flex", "background": BACKGROUND}, page["url"]
        assert page["broken"] == [], f"pictures that did not load on {page['url']}"
    assert home["images"] >= 3 and story["images"] >= 2
    assert story["title"].endswith("| Karriere bei Wavelight")  # the German-first sample
