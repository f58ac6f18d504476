"""Every page of the built sample site is valid HTML according to the Nu HTML Checker."""

from __future__ import annotations

import pytest

from .e2e_site import html_files

pytestmark = pytest.mark.e2e


def test_every_page_passes_vnu_with_zero_errors(built_site, vnu) -> None:
    pages = html_files(built_site)
    assert pages, "no HTML pages were built"
    errors = vnu(pages)
    listing = "\n".join(e.format(built_site) for e in errors[:50])
    assert not errors, f"vnu: {len(errors)} errors in {len(pages)} pages:\n{listing}"
