"""Hypothesis profiles for the property tests.

``ci`` (the default) keeps the suite fast; ``thorough`` is for a long local run::

    HYPOTHESIS_PROFILE=thorough .venv/bin/python -m pytest tests/property -q

The profile is chosen by the ``HYPOTHESIS_PROFILE`` environment variable.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci",
    max_examples=50,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "thorough",
    max_examples=2000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile("dev", max_examples=10, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

THOROUGH = os.environ.get("HYPOTHESIS_PROFILE") == "thorough"
"""Larger inputs (the size limit itself) in the thorough run."""
