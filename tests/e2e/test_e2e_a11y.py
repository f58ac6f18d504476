"""axe-core finds no serious or critical accessibility violations on each kind of page."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e

KINDS = ("home", "stories", "story", "values", "value", "not_found", "jobs", "jobs_filter", "job")


@pytest.mark.parametrize("kind", KINDS)
def test_no_serious_or_critical_axe_violations(kind: str, axe_key_pages) -> None:
    verdict = axe_key_pages[kind]
    expected_status = 404 if kind == "not_found" else 200
    assert verdict.status == expected_status, f"{verdict.url} answered {verdict.status}"
    found = "\n".join(f"  {v.format()}" for v in verdict.blocking)
    assert not verdict.blocking, f"axe-core on {verdict.url}:\n{found}"
