"""Lighthouse scores the home page and a story page at 95+ in every category.

Lighthouse's default audit (mobile emulation, simulated slow 4G) of the site served locally under
/careers/. About 15 s a page; deselect with `-m "not lighthouse"`.
"""

from __future__ import annotations

import pytest

from .e2e_lighthouse import run_lighthouse
from .e2e_site import key_pages

pytestmark = [pytest.mark.e2e, pytest.mark.lighthouse]

MINIMUM = 95


@pytest.mark.parametrize("kind", ["home", "story", "jobs", "job"])
def test_lighthouse_scores_at_least_95_everywhere(kind: str, lighthouse_tools, served_site) -> None:
    url = served_site.url_for(key_pages(served_site.output)[kind])
    result = run_lighthouse(url)
    assert result.runtime_error is None, (
        f"lighthouse {result.version} on {url}: {result.runtime_error}"
    )
    low = result.below(MINIMUM)
    lost = "\n".join(f"  {line}" for line in result.lost)
    assert not low, (
        f"lighthouse {result.version} on {url}: {low} below {MINIMUM} "
        f"(all: {result.scores}); audits that lost points:\n{lost}"
    )
