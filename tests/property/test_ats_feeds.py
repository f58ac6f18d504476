"""Whatever an ATS sends, an import either reads it or says what is wrong: it never raises."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from conftest import REPO
from generator.roles.feed import FeedProblem
from generator.roles.html import to_markdown
from generator.roles.importer import FORMATS, plan_import
from generator.roles.mapping import ImportSettings

FIXTURES = REPO / "tests" / "fixtures" / "ats"
SAMPLES = {
    "personio": (FIXTURES / "personio.xml").read_bytes(),
    "greenhouse": (FIXTURES / "greenhouse.json").read_bytes(),
    "lever": (FIXTURES / "lever.json").read_bytes(),
}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=5)
    ),
    max_leaves=20,
)
KEYS = ["jobs", "id", "title", "text", "absolute_url", "hostedUrl", "createdAt", "updated_at",
        "content", "categories", "salaryRange", "location", "departments", "offices", "metadata"]  # fmt: skip


def settings(source: str) -> ImportSettings:
    return ImportSettings(source=source, teams={}, type_words={}, timezone="Europe/Berlin")


def attempt(source: str, data: bytes) -> None:
    try:
        plan, problems = plan_import(
            data, "feed", settings(source), [], "https://x.jobs.personio.de"
        )
    except FeedProblem:  # pragma: no cover - plan_import turns it into problems
        raise AssertionError("FeedProblem escaped") from None
    assert plan is not None or problems
    for path, text in plan.writes if plan else ():
        assert path.startswith("content/jobs/") and "/" not in path.removeprefix("content/jobs/")
        assert text.startswith("---\n")


@given(st.sampled_from(FORMATS), st.integers(0, 4000), st.binary(max_size=40))
def test_a_feed_cut_anywhere_or_spliced_never_raises(source: str, cut: int, junk: bytes) -> None:
    data = SAMPLES[source]
    attempt(source, data[: cut % (len(data) + 1)] + junk)


@given(st.sampled_from(["greenhouse", "lever"]), json_values, st.sampled_from(KEYS))
def test_any_json_never_raises(source: str, value: object, key: str) -> None:
    attempt(source, json.dumps(value).encode())
    attempt(source, json.dumps({key: value, "jobs": [{key: value}]}).encode())
    attempt(source, json.dumps([{key: value, "id": "1", "text": "t"}]).encode())


@given(st.text(max_size=300))
def test_any_html_becomes_markdown_without_raw_tags(html: str) -> None:
    markdown = to_markdown(html)
    assert "<script" not in markdown.lower()
