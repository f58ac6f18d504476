"""``brandsite share``: the share kit of every published story, with its share image.

Writes ``reports/share/`` (never part of the site): ``index.html``, and per story
``<slug>/index.html`` with the suggested posts and ``<slug>/<slug>.png``, its card.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..content.config import CONFIG_FILE
from ..content.entries import SLUG_RE, StoryEntry
from ..content.frontmatter import parse_front_matter
from ..content.loading import read_source
from ..editorial.project import PUBLISHED, Project, story_status
from ..errors import Diagnostic, format_text, has_errors, printable
from ..share.assets import CardTheme, load_card_theme
from ..share.card import render_card
from ..share.kit import share_kit, tagged
from ..share.kit_html import IndexEntry, render_kit_index, render_kit_page
from ..share.stories import ShareFields, card_spec, kit_story, share_fields, value_titles
from ..site.routes import SHARE_MASTODON_PATH, SHARE_MASTODON_TEMPLATE
from ..theme.themes import resolve_theme
from .common import EXIT_OK, EXIT_PROBLEMS, EXIT_USAGE
from .editorial_common import (
    add_project_options,
    note_problems,
    open_project,
    refuse_in_output,
    today_of,
)
from .report_cmd import REPORT_DIR, write_atomically

SHARE_DIR = f"{REPORT_DIR}/share"
MANIFEST = ".brandsite-share"
"""The story folders the last run wrote, so a story no longer published loses its kit."""


def add_parser(subcommands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Register ``share``."""
    parser = subcommands.add_parser(
        "share",
        help="share kit: suggested posts, tagged links and a share image per published story",
        description=(
            "Write a share kit for every published story: two or three suggested posts for "
            "LinkedIn, Instagram, X, Mastodon and Bluesky within each limit, links tagged "
            "with UTM parameters, share links and the story's share image (not part of the site)."
        ),
    )
    add_project_options(parser, "which stories are published: as if today were this day")
    parser.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        help=f"folder for the kit (default: ROOT/{SHARE_DIR})",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Load, draw every card, write every page."""
    root = args.root.resolve()
    out = (args.out or root / SHARE_DIR).resolve()
    if refuse_in_output(root, out, "the share kit", f"--out {SHARE_DIR}/"):
        return EXIT_USAGE
    project = open_project(root)
    if project is None:
        return EXIT_USAGE
    note_problems(project)
    config = project.config
    today = today_of(project, args.now)
    problems: list[Diagnostic] = []
    card_theme, share_page = _card_theme(root, project, problems)
    mastodon_page = f"{config.base_url}{SHARE_MASTODON_PATH}" if share_page else ""
    titles = {v.slug.value: v.title for v in project.values}
    stories = sorted(
        (s for s in project.stories if story_status(s, today, config.require_consent) == PUBLISHED),
        key=lambda s: (s.date, s.slug.value),
        reverse=True,
    )
    pages: dict[str, str | bytes] = {}
    entries: list[IndexEntry] = []
    for story in stories:
        slug = story.slug.value
        url = f"{config.base_url}stories/{slug}/"
        fields = _fields(root, story, tagged(url, "linkedin", slug, "planned-99"), problems)
        values = value_titles(story, titles)
        card = ""
        if card_theme is not None:
            result = render_card(card_spec(story, fields, values, card_theme, config.language))
            problems += result.problems
            if result.png is not None:
                card = f"{slug}.png"
                pages[f"{slug}/{card}"] = result.png
        kit = share_kit(
            kit_story(story, fields, values, url, config.company, config.language, mastodon_page)
        )
        pages[f"{slug}/index.html"] = render_kit_page(kit, card)
        entries.append(IndexEntry(slug, story.title, story.author, kit.story.lang, card))
    pages["index.html"] = render_kit_index(entries, config.title)
    if problems:
        print(format_text(sorted(set(problems))), file=sys.stderr)
    try:
        _write(out, pages, {s.slug.value for s in stories})
    except OSError as exc:
        print(
            f"brandsite: cannot write the share kit into {printable(str(out))}: {exc.strerror}",
            file=sys.stderr,
        )
        return EXIT_USAGE
    print(
        f"Wrote the share kit of {len(stories)} published "
        f"{'story' if len(stories) == 1 else 'stories'} to {printable(str(out / 'index.html'))}.",
        file=sys.stderr,
    )
    return EXIT_PROBLEMS if has_errors(problems) else EXIT_OK


def _card_theme(
    root: Path, project: Project, problems: list[Diagnostic]
) -> tuple[CardTheme | None, bool]:
    """The theme's card settings, and whether the site has the Mastodon share page."""
    theme, found = resolve_theme(root, project.config)
    problems += found
    if theme is None:
        return None, False
    try:
        site_toml = (root / CONFIG_FILE).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        site_toml = ""  # only the line numbers of notes about [brand] need it
    card_theme, found = load_card_theme(theme, project.config.company, site_toml)
    problems += found
    return card_theme, theme.has_template(SHARE_MASTODON_TEMPLATE)


def _fields(root: Path, story: StoryEntry, link: str, problems: list[Diagnostic]) -> ShareFields:
    """The story's ``share_title`` and ``share:``, read again from its file (entries drop them)."""
    loaded = read_source(root, story.source)
    if isinstance(loaded, Diagnostic):
        return ShareFields()
    fm, _ = parse_front_matter(loaded.text, story.source)
    if fm is None:
        return ShareFields()
    fields = share_fields(fm, story.source, loaded.text.split("\n"), link)
    problems += fields.problems
    return fields


def _write(out: Path, files: dict[str, str | bytes], slugs: set[str]) -> None:
    """Write every file (unchanged ones stay untouched); remove kits of stories gone since."""
    for name, content in sorted(files.items()):
        path = out / name
        if isinstance(content, str):
            if not path.is_file() or path.read_text(encoding="utf-8") != content:
                write_atomically(path, content)
        elif not path.is_file() or path.read_bytes() != content:
            path.parent.mkdir(parents=True, exist_ok=True)
            temporary = path.with_name(f".{path.name}.tmp")
            temporary.write_bytes(content)
            temporary.replace(path)
    manifest = out / MANIFEST
    previous = manifest.read_text(encoding="utf-8").split() if manifest.is_file() else []
    for slug in sorted(set(previous) - slugs):
        if not SLUG_RE.fullmatch(slug):
            continue  # not a name this command writes
        folder = out / slug
        for name in ("index.html", f"{slug}.png"):
            (folder / name).unlink(missing_ok=True)
        if folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
    write_atomically(manifest, "".join(f"{slug}\n" for slug in sorted(slugs)))
