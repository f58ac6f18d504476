"""Multilingual sites: one edition per language, translations linked, hreflang, fallbacks, problems."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import feedparser
import html5lib
import pytest

from conftest import REPO, brandsite, run_build, write_site

SITE = """\
title = "Karriere bei Testco"
company = "Testco"
description = "Testco macht Tests."
base_url = "https://careers.test.example/"
languages = ["de", "en"]
timezone = "Europe/Berlin"
stories_per_page = 2

[edition.en]
title = "Careers at Testco"
description = "Testco makes tests."
"""

VALUE = "---\ntitle: {title}\nsummary: {summary}\norder: {order}\n{extra}---\n{body}\n"


def value(title: str, order: int = 1, extra: str = "", body: str = "Text.") -> str:
    """A value file (``extra`` adds front matter lines)."""
    return VALUE.format(title=title, summary=f"{title}.", order=order, extra=extra, body=body)


def story(title: str, date: str = "2026-01-10", values: str = "craft", extra: str = "") -> str:
    """A story file (``extra`` adds front matter lines)."""
    return (
        f"---\ntitle: {title}\nauthor: Ada\ndate: {date}\nvalues: [{values}]\n{extra}---\n"
        f"Der erste Absatz von {title}.\n"
    )


BASE = {
    "content/values/craft.md": value("Handwerk", 1),
    "content/values/craft.en.md": "---\nlang: en\ntranslation_of: craft\ntitle: Craft\n"
    "summary: What we make.\n---\nWe practise craft.\n",
    "content/values/care.md": value("Sorgfalt", 2),
    "content/values/care.en.md": "---\nlang: en\ntranslation_of: care\ntitle: Care\n---\nCare.\n",
    "content/stories/anna-nachtschicht.md": story("Annas Nachtschicht", "2026-01-12"),
    "content/stories/anna-night-shift.md": story(
        "Anna's night shift", "2026-01-12", extra="lang: en\ntranslation_of: anna-nachtschicht\n"
    ),
    "content/stories/bernd.md": story("Bernd baut", "2026-01-11", "care"),
    "content/stories/cleo.md": story("Cleo in Lisbon", "2026-01-09", "Care", extra="lang: en\n"),
}


def make(tmp_path: Path, files: dict[str, str] | None = None, config: str = SITE) -> Path:
    """A two-language project (German first) with the given files over BASE."""
    return write_site(tmp_path / "site", {**BASE, **(files or {})}, config)


def page(root: Path, path: str) -> ET.Element:
    """A built page, parsed."""
    text = (root / "output" / path).read_text(encoding="utf-8")
    return html5lib.parse(text, namespaceHTMLElements=False)


def hreflangs(doc: ET.Element) -> dict[str, str]:
    """hreflang → href of a page's alternates."""
    return {
        link.get("hreflang", ""): link.get("href", "")
        for link in doc.iter("link")
        if link.get("rel") == "alternate" and link.get("hreflang")
    }


def local(url: str) -> str:
    """The output path of an absolute URL of the test site."""
    path = url.removeprefix("https://careers.test.example/")
    return path + "index.html" if path.endswith("/") or not path else path


def test_each_language_has_its_pages_in_its_language(tmp_path: Path) -> None:
    root = make(tmp_path)
    result = run_build(root)
    assert result.ok, result.diagnostics
    out = root / "output"
    for path in (
        "index.html",
        "stories/index.html",
        "stories/anna-nachtschicht/index.html",
        "values/craft/index.html",
        "404.html",
        "en/index.html",
        "en/stories/index.html",
        "en/stories/anna-night-shift/index.html",
        "en/stories/cleo/index.html",
        "en/values/craft/index.html",
        "en/404.html",
        "sitemap.xml",
        "robots.txt",
    ):
        assert (out / path).is_file(), path
    assert not (out / "en/sitemap.xml").exists()
    assert page(root, "index.html").get("lang") == "de"
    assert page(root, "en/index.html").get("lang") == "en"
    german = (out / "stories/index.html").read_text(encoding="utf-8")
    english = (out / "en/stories/index.html").read_text(encoding="utf-8")
    assert "Geschichten" in german and "Karriere bei Testco" in german
    assert "Stories" in english and "Careers at Testco" in english
    assert 'href="/en/stories/"' in english and 'href="/stories/"' in german
    # The value's title and text in each language; a story tagged by its English title.
    assert "Handwerk" in (out / "values/craft/index.html").read_text(encoding="utf-8")
    craft = (out / "en/values/craft/index.html").read_text(encoding="utf-8")
    assert "Craft" in craft and "We practise craft." in craft
    assert "Cleo in Lisbon" in (out / "en/values/care/index.html").read_text(encoding="utf-8")


def test_feeds_are_per_language(tmp_path: Path) -> None:
    root = make(tmp_path)
    assert run_build(root).ok
    out = root / "output"
    german = feedparser.parse((out / "feed.xml").read_bytes())
    english = feedparser.parse((out / "en/feed.xml").read_bytes())
    assert not german.bozo and not english.bozo
    assert german.feed.language == "de" and english.feed.language == "en"
    assert [e.title for e in german.entries] == ["Annas Nachtschicht", "Bernd baut"]
    assert [e.title for e in english.entries] == ["Anna's night shift", "Cleo in Lisbon"]
    assert english.feed.link == "https://careers.test.example/en/"
    care = feedparser.parse((out / "en/values/care/feed.xml").read_bytes())
    assert care.feed.language == "en" and [e.title for e in care.entries] == ["Cleo in Lisbon"]


def test_hreflang_is_reciprocal_resolves_and_has_x_default(tmp_path: Path) -> None:
    root = make(tmp_path)
    assert run_build(root).ok
    out = root / "output"
    translated = 0
    for file in sorted(out.rglob("*.html")):
        path = file.relative_to(out).as_posix()
        alternates = hreflangs(page(root, path))
        if not alternates:
            continue
        translated += 1
        assert set(alternates) == {"de", "en", "x-default"}, path
        assert alternates["x-default"] == alternates["de"], path
        for lang, url in alternates.items():
            assert (out / local(url)).is_file(), (path, url)
            assert hreflangs(page(root, local(url))) == alternates, (path, lang)
        own = page(root, path).get("lang")
        assert local(alternates[own]) == path
    assert translated >= 8  # home, listing, both values' pages, values, Anna's story… per language
    story = hreflangs(page(root, "stories/anna-nachtschicht/index.html"))
    assert story["en"] == "https://careers.test.example/en/stories/anna-night-shift/"
    assert not hreflangs(page(root, "stories/bernd/index.html"))  # only in German
    assert not hreflangs(page(root, "404.html"))


def test_sitemap_lists_alternates(tmp_path: Path) -> None:
    root = make(tmp_path)
    assert run_build(root).ok
    tree = ET.parse(root / "output/sitemap.xml")
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}
    urls = {
        u.findtext("s:loc", namespaces=ns): {
            link.get("hreflang"): link.get("href") for link in u.findall("x:link", ns)
        }
        for u in tree.getroot().findall("s:url", ns)
    }
    anna = "https://careers.test.example/stories/anna-nachtschicht/"
    anna_en = "https://careers.test.example/en/stories/anna-night-shift/"
    assert urls[anna] == urls[anna_en] == {"de": anna, "en": anna_en, "x-default": anna}
    assert urls["https://careers.test.example/stories/bernd/"] == {}
    assert "https://careers.test.example/en/stories/bernd/" not in urls


def test_language_switcher_links_the_translation_or_the_home(tmp_path: Path) -> None:
    root = make(tmp_path)
    assert run_build(root).ok

    def switcher(path: str) -> dict[str, str | None]:
        nav = next(n for n in page(root, path).iter("nav") if n.get("class") == "language-switch")
        return {
            (item.get("lang") or ""): item.get("href")
            for item in nav.iter()
            if item.tag in ("a", "span") and item.get("lang")
        }

    assert switcher("stories/anna-nachtschicht/index.html") == {
        "de": None,
        "en": "/en/stories/anna-night-shift/",
    }
    assert switcher("stories/bernd/index.html") == {"de": None, "en": "/en/"}
    assert switcher("en/stories/cleo/index.html") == {"de": "/", "en": None}
    assert switcher("en/values/index.html") == {"de": "/values/", "en": None}


def test_untranslated_stories_are_hidden_by_default(tmp_path: Path) -> None:
    root = make(tmp_path)
    assert run_build(root).ok
    out = root / "output"
    assert not (out / "en/stories/bernd").exists()
    assert not (out / "stories/cleo").exists()
    assert "Bernd" not in (out / "en/stories/index.html").read_text(encoding="utf-8")


def test_show_original_shows_it_with_a_notice_canonical_to_the_original(tmp_path: Path) -> None:
    config = SITE + 'untranslated = "show-original"\n'
    root = make(tmp_path, config=config)
    result = run_build(root)
    assert result.ok, result.diagnostics
    out = root / "output"
    doc = page(root, "en/stories/bernd/index.html")
    assert doc.get("lang") == "de"  # the story's language; the English page around it says so
    header = next(h for h in doc.iter("header") if h.get("class") == "site-header")
    assert header.get("lang") == "en"
    canonical = next(link for link in doc.iter("link") if link.get("rel") == "canonical")
    assert canonical.get("href") == "https://careers.test.example/stories/bernd/"
    assert not hreflangs(doc)
    text = (out / "en/stories/bernd/index.html").read_text(encoding="utf-8")
    assert 'role="note" lang="en">This story is not available in English yet' in text
    assert '<article class="story" lang="de">' in text
    listing = (out / "en/stories/index.html").read_text(encoding="utf-8")
    assert "Bernd baut" in listing and 'href="/en/stories/bernd/"' in listing  # not the German card
    english = feedparser.parse((out / "en/feed.xml").read_bytes())
    assert "Bernd baut" not in [e.title for e in english.entries]
    assert "/en/stories/bernd/" not in (out / "sitemap.xml").read_text(encoding="utf-8")
    assert not (out / "stories/cleo").exists()  # German keeps the default policy, hide


def test_default_language_in_a_folder_makes_the_root_a_redirect(tmp_path: Path) -> None:
    config = SITE.replace("[edition.en]", "default_language_in_subdir = true\n\n[edition.en]")
    root = make(tmp_path, config=config)
    assert run_build(root).ok
    out = root / "output"
    assert (out / "de/index.html").is_file() and (out / "de/stories/anna-nachtschicht").is_dir()
    assert (out / "en/stories/anna-night-shift/index.html").is_file()
    assert (out / "404.html").is_file() and not (out / "de/404.html").exists()
    redirect = (out / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=/de/">' in redirect
    assert '<a href="/de/" hreflang="de" lang="de">Deutsch</a>' in redirect
    assert '<a href="/en/" hreflang="en" lang="en">English</a>' in redirect
    assert "<script" not in redirect
    alternates = hreflangs(page(root, "de/stories/anna-nachtschicht/index.html"))
    assert alternates["de"] == "https://careers.test.example/de/stories/anna-nachtschicht/"


def test_same_slug_in_two_languages(tmp_path: Path) -> None:
    files = {
        "content/stories/anna-night-shift.md": "",
        "content/stories/anna-nachtschicht.en.md": story(
            "Anna's night shift",
            "2026-01-12",
            extra="lang: en\ntranslation_of: anna-nachtschicht\n",
        ),
    }
    root = make(tmp_path, files)
    (root / "content/stories/anna-night-shift.md").unlink()
    assert run_build(root).ok
    assert (root / "output/en/stories/anna-nachtschicht/index.html").is_file()


def test_one_language_sites_have_no_alternates_or_switcher(tmp_path: Path) -> None:
    root = write_site(tmp_path / "one", {"content/stories/a.md": story("A", values="craft")})
    assert run_build(root).ok
    text = (root / "output/stories/a/index.html").read_text(encoding="utf-8")
    assert "hreflang" not in text and "language-switch" not in text
    assert "xhtml" not in (root / "output/sitemap.xml").read_text(encoding="utf-8")


def test_builds_are_byte_identical(tmp_path: Path) -> None:
    root = make(tmp_path)
    first, second = tmp_path / "a", tmp_path / "b"
    assert run_build(root, output=first).ok and run_build(root, output=second).ok
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert files and all((first / f).read_bytes() == (second / f).read_bytes() for f in files)


PROBLEMS = [
    (
        "unknown-language",
        {"content/stories/x.md": story("X", extra="lang: fr\n")},
        "content/stories/x.md:6",
        "`lang: fr` is not one of the site's languages (de, en)",
    ),
    (
        "unknown-original",
        {"content/stories/x.md": story("X", extra="lang: en\ntranslation_of: ana-nachtschicht\n")},
        "content/stories/x.md:7",
        "`translation_of: ana-nachtschicht` names no story",
    ),
    (
        "translation-same-language",
        {"content/stories/x.md": story("X", extra="translation_of: bernd\n")},
        "content/stories/x.md:6",
        "both in 'de'",
    ),
    (
        "duplicate-translation",
        {"content/stories/x.md": story("X", extra="lang: en\ntranslation_of: anna-nachtschicht\n")},
        "content/stories/x.md:7",
        "has two translations into 'en'",
    ),
    (
        "translation-cycle",
        {
            "content/stories/p.md": story("P", extra="lang: en\ntranslation_of: q\n"),
            "content/stories/q.md": story("Q", extra="translation_of: p\n"),
        },
        "content/stories/p.md:7",
        "in a circle",
    ),
    (
        "translation-of-translation",
        {"content/stories/x.md": story("X", extra="translation_of: anna-night-shift\n")},
        "content/stories/x.md:6",
        "which is itself a translation",
    ),
    (
        "value-untranslated",
        {"content/values/new.md": value("Neu", 3)},
        "content/values/new.md:1",
        "has no title in 'en'",
    ),
    (
        "unknown-original",
        {"content/values/x.en.md": "---\nlang: en\ntranslation_of: crafts\ntitle: X\n---\n"},
        "content/values/x.en.md:3",
        "`translation_of: crafts` names no value",
    ),
]


@pytest.mark.parametrize(
    ("code", "files", "where", "message"),
    PROBLEMS,
    ids=[f"{p[0]}-{n}" for n, p in enumerate(PROBLEMS)],
)
def test_bad_translations_are_problems_at_their_line(
    tmp_path: Path, code: str, files: dict[str, str], where: str, message: str
) -> None:
    root = make(tmp_path, files)
    result = run_build(root)
    assert not result.ok
    found = [d for d in result.diagnostics if d.code == code]
    assert found, result.diagnostics
    assert any(d.location == where and message in d.message and d.hint for d in found), found
    assert not (root / "output").exists()  # nothing half-written


SETTINGS = [
    ('languages = ["de", "xx-!"]', "bad-language", "is not a language tag"),
    ('languages = ["de", "en", "de"]', "bad-language", "is listed twice"),
    ('languages = ["de", "en"]\nlanguage = "en"', "bad-setting-value", "disagree"),
    ('languages = ["de", "en"]\n[edition.fr]\ntitle = "x"', "bad-language", "[edition.fr]"),
    (
        'languages = ["de", "en"]\n[edition.en]\nuntranslated = "show"',
        "bad-setting-value",
        "edition.en.untranslated must be",
    ),
    (
        'language = "de"\ndefault_language_in_subdir = true',
        "bad-setting-value",
        "several languages",
    ),
    ('languages = ["de", "en"]\n[languages.en]\ntitle = "x"', "bad-toml", "not valid"),
]


@pytest.mark.parametrize(("settings", "code", "message"), SETTINGS)
def test_bad_language_settings(tmp_path: Path, settings: str, code: str, message: str) -> None:
    config = 'title = "T"\ncompany = "C"\nbase_url = "https://x.example/"\n' + settings + "\n"
    root = write_site(tmp_path / "s", {}, config)
    result = run_build(root)
    found = [d for d in result.diagnostics if d.code == code]
    assert found and message in found[0].message and found[0].line > 0, result.diagnostics
    if code == "bad-toml":
        assert "[edition.en]" in found[0].hint


def test_translation_of_on_a_one_language_site(tmp_path: Path) -> None:
    files = {
        "content/stories/a.md": story("A"),
        "content/stories/b.md": story("B", extra="lang: de\ntranslation_of: a\n"),
    }
    root = write_site(tmp_path / "one", files)
    result = run_build(root)
    assert [d.code for d in result.diagnostics] == ["translation-one-language"]
    assert result.diagnostics[0].location == "content/stories/b.md:7"


def test_check_counts_each_language_and_names_the_stories_one_leaves_out(tmp_path: Path) -> None:
    root = make(tmp_path)
    done = brandsite("check", "--now", "2026-11-22", cwd=root)
    assert done.returncode == 0, done.stderr
    assert "All good: 4 stories (2 in de, 2 in en) would be published" in done.stdout
    assert "  not in de: content/stories/cleo.md (no translation" in done.stdout
    assert "  not in en: content/stories/bernd.md (no translation" in done.stdout


def test_share_pictures_of_every_language_resolve(tmp_path: Path) -> None:
    picture = (REPO / "tests/sites/basic/content/stories/images").iterdir()
    source = next(p for p in sorted(picture) if p.suffix in (".jpg", ".png"))
    files = {
        "content/stories/anna-night-shift.md": story(
            "Anna's night shift",
            "2026-01-12",
            extra=f"lang: en\ntranslation_of: anna-nachtschicht\nimage: images/{source.name}\n"
            "image_alt: Anna on the platform\n",
        ),
    }
    root = make(tmp_path, files)
    (root / "content/stories/images").mkdir(parents=True)
    (root / "content/stories/images" / source.name).write_bytes(source.read_bytes())
    assert run_build(root).ok
    out = root / "output"
    seen = set()
    for file in sorted(out.rglob("*.html")):
        for meta in page(root, file.relative_to(out).as_posix()).iter("meta"):
            if meta.get("property") == "og:image":
                seen.add(meta.get("content"))
                assert (out / local(meta.get("content", ""))).is_file(), (file, meta.get("content"))
    assert any("/media/" in url for url in seen) and any("share.png" in url for url in seen)
