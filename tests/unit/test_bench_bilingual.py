"""bench/bilingual.py's bilingual site: built by the real generator, German beside English, current.

A 5-story corpus from the shared make_corpus.py; nothing is timed.
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import html5lib
import pytest

from conftest import REPO, run_build


def load(name: str, path: Path) -> ModuleType:
    """A script (not a package module) imported by its path."""
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # its dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


bilingual = load("bench_bilingual", REPO / "bench" / "bilingual.py")
CORPUS_SCRIPT = bilingual.bench_run.find_corpus_script()
needs_corpus = pytest.mark.skipif(
    not CORPUS_SCRIPT.is_file(),
    reason=f"the shared corpus generator is not here ({CORPUS_SCRIPT})",
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Any, Any, Any]:
    """The bilingual bench site of a 5-story corpus, built once: (result, monolingual, bilingual)."""
    work = tmp_path_factory.mktemp("bench")
    mono = bilingual.bench_run.Layout.for_size(work, 5)
    bi = bilingual.bilingual_layout(mono)
    bilingual.bench_run.ensure_corpus(CORPUS_SCRIPT, mono)
    bilingual.bench_run.prepare_brandsite_site(REPO / "themes", mono)
    bilingual.prepare_bilingual_site(REPO / "themes", mono, bi)
    return run_build(bi.site, bi.out), mono, bi


def alternates(path: Path) -> dict[str, str]:
    """hreflang → href of a built page's alternate links."""
    doc = html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    return {
        link.get("hreflang", ""): link.get("href", "")
        for link in doc.iter("link")
        if link.get("rel") == "alternate" and link.get("hreflang")
    }


def title_of(path: Path) -> str:
    """A built page's <title> text."""
    doc = html5lib.parse(path.read_text(encoding="utf-8"), namespaceHTMLElements=False)
    element = doc.find(".//title")
    assert element is not None and element.text is not None
    return element.text


@needs_corpus
def test_every_story_has_a_german_page_with_its_german_title_and_hreflang_both_ways(
    built: tuple[Any, Any, Any],
) -> None:
    result, mono, bi = built
    assert result.ok, result.diagnostics
    originals = sorted((mono.site / "content" / "stories").glob("*.md"))
    assert len(originals) == 5
    out = bi.out
    for original in originals:
        slug = original.stem
        english = out / "stories" / slug / "index.html"
        german = out / "de" / "stories" / slug / "index.html"
        english_title = re.search(r'^title: "(.*)"$', original.read_text("utf-8"), re.M)
        assert english_title is not None
        expected = bilingual.german_title(english_title.group(1))
        assert not expected.startswith("Aus unserem Team"), expected  # from the phrase table
        assert title_of(german).startswith(expected + " | Karriere bei Benchmark Co")
        assert title_of(english).startswith(english_title.group(1) + " | Careers at Benchmark Co")
        urls = {
            "en": f"https://bench.example/stories/{slug}/",
            "de": f"https://bench.example/de/stories/{slug}/",
            "x-default": f"https://bench.example/stories/{slug}/",
        }
        assert alternates(english) == urls == alternates(german)
    assert "Kundenorientierung" in (out / "de/values/customer-obsession/index.html").read_text(
        "utf-8"
    )
    assert "<language>de</language>" in (out / "de/feed.xml").read_text("utf-8")
    bilingual.check_bilingual_output(bi)  # the benchmark's own guard passes on a good build


@needs_corpus
def test_the_translations_are_marked_current_so_the_build_warns_about_none(
    built: tuple[Any, Any, Any],
) -> None:
    result, _, _ = built
    codes = {d.code for d in result.diagnostics}
    assert not {c for c in codes if "translation" in c}, codes


@needs_corpus
def test_an_unmarked_translation_would_warn_so_the_check_above_can_fail(
    built: tuple[Any, Any, Any], tmp_path: Path
) -> None:
    _, _, bi = built
    site = shutil.copytree(bi.site, tmp_path / "site")
    german = sorted((site / "content" / "stories").glob("*.de.md"))[0]
    text = german.read_text("utf-8")
    german.write_text(re.sub(r"(?m)^translated_from: .*\n", "", text), "utf-8")
    result = run_build(site, tmp_path / "out")
    assert result.ok, result.diagnostics
    assert [d.code for d in result.diagnostics] == ["unmarked-translation"]


@needs_corpus
def test_a_build_without_the_german_feed_is_refused_before_it_is_timed(
    built: tuple[Any, Any, Any], tmp_path: Path
) -> None:
    _, _, bi = built
    out = shutil.copytree(bi.out, tmp_path / "out")
    (out / "de" / "feed.xml").unlink()
    with pytest.raises(bilingual.BenchError, match=r"wrote no de/feed\.xml"):
        bilingual.check_bilingual_output(replace(bi, out=out))


def test_the_phrase_table_covers_every_title_part_of_the_corpus_script() -> None:
    if not CORPUS_SCRIPT.is_file():
        pytest.skip(f"the shared corpus generator is not here ({CORPUS_SCRIPT})")
    corpus = load("bench_make_corpus", CORPUS_SCRIPT)
    assert set(corpus.TITLE_A) <= set(bilingual.TITLE_A_DE)
    assert set(corpus.TITLE_B) <= set(bilingual.TITLE_B_DE)
    assert {slug for slug, _, _ in corpus.VALUES} <= set(bilingual.VALUES_DE)


@pytest.mark.parametrize(
    ("english", "german"),
    [
        ("How I joined the team", "Wie ich zum Team kam"),
        (
            "Behind the scenes: fixed a production outage (Mei)",
            "Hinter den Kulissen: einen Produktionsausfall behob (Mei)",
        ),
        ("What I learned when I changed teams", "Was ich lernte, als ich das Team wechselte"),
        ("A story the table does not know", "Aus unserem Team: A story the table does not know"),
        ("How I (Zoe)", "Aus unserem Team: How I (Zoe)"),
    ],
)
def test_titles_are_translated_part_by_part_with_a_german_fallback(
    english: str, german: str
) -> None:
    assert bilingual.german_title(english) == german
