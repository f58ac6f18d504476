"""Value pages stay near-linear in the number of values (issue #12 finding 4)."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from conftest import VALUE, codes, run_build, story
from generator.theme.rendering import OTHER_VALUES_SHOWN, other_values


@pytest.mark.parametrize("count", [1, 2, 3, 7, 50])
def test_other_values_are_few_and_every_value_is_linked_from_somewhere(count: int) -> None:
    values = [f"v{n:02d}" for n in range(count)]
    linked: set[str] = set()
    for position, slug in enumerate(values):
        shown = other_values(values, position)  # type: ignore[arg-type]
        assert slug not in shown
        assert len(shown) == min(OTHER_VALUES_SHOWN, count - 1)
        assert shown == sorted(shown)  # the site's order
        linked.update(shown)
    assert linked == (set(values) if count > 1 else set())


def test_a_site_with_many_values_links_each_page_to_six_others_and_to_all_values(
    site: Callable[..., Path],
) -> None:
    files = {
        f"content/values/value-{n:02d}.md": VALUE.format(title=f"Value {n:02d}", order=n + 3)
        for n in range(40)
    }
    root = site({**files, "content/stories/a.md": story(values="craft, value-00")})
    result = run_build(root)
    assert codes(result) == []
    page = (root / "output/values/value-05/index.html").read_text()
    nav = page[page.index('aria-labelledby="other-values-title"') :]
    nav = nav[: nav.index("</nav>")]
    linked = re.findall(r'href="/values/([a-z0-9-]+)/"', nav)
    assert linked == [f"value-{n:02d}" for n in range(6, 12)]
    assert 'href="/values/"' in nav  # the page listing every value
