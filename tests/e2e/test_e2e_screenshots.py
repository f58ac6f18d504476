"""The home page renders at phone and desktop widths without horizontal scrolling."""

from __future__ import annotations

import pytest

from .e2e_browser import png_size, take_screenshots

pytestmark = pytest.mark.e2e

PHONE, DESKTOP = 390, 1280


@pytest.fixture(scope="module")
def home_shots(browser_tools, served_site, tmp_path_factory):
    """Full-page screenshots of the home page at 390 and 1280 px (kept in pytest's temp dir)."""
    out = tmp_path_factory.mktemp("screenshots")
    return take_screenshots(served_site.url, out, [PHONE, DESKTOP])


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_home_screenshot_is_taken_at_the_viewport_width(width: int, home_shots) -> None:
    shot = home_shots[width]
    assert shot.status == 200
    assert shot.path.is_file(), f"no screenshot at {shot.path}"
    shot_width, shot_height = png_size(shot.path)
    assert shot_width == width, f"{shot.path} is {shot_width} px wide"
    assert shot_height >= 300, f"{shot.path} is only {shot_height} px tall: is the page empty?"


@pytest.mark.parametrize("width", [PHONE, DESKTOP])
def test_home_has_no_horizontal_overflow(width: int, home_shots) -> None:
    shot = home_shots[width]
    wide = "\n".join(f"  {o}" for o in shot.overflowing)
    assert shot.scroll_width <= width, (
        f"at {width} px the page is {shot.scroll_width} px wide (screenshot {shot.path}); "
        f"elements past the right edge:\n{wide}"
    )
