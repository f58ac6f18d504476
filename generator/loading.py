"""The only reader of ``content/``: source files in, decoded text and image facts out."""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .cache import Stamp, stamp_of
from .errors import Diagnostic, error

CONTENT_DIR = "content"
STORIES_DIR = "content/stories"
VALUES_DIR = "content/values"
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".svg"})
_ORIENTATION = 0x0112
"""EXIF tag: how the camera was held."""
_MISSING = "the file does not exist"
MAX_TEXT_BYTES = 2_000_000
"""A content file larger than this is refused rather than parsed (no real story is that long)."""


@dataclass(frozen=True)
class SourceFile:
    """A content file's decoded text."""

    source: str
    """Path relative to the project root, with forward slashes."""
    text: str
    """UTF-8 text without BOM, with ``\\n`` line endings."""


@dataclass(frozen=True)
class ContentFiles:
    """Every file under ``content/`` that a build reads."""

    stories: tuple[SourceFile, ...]
    values: tuple[SourceFile, ...]
    files: frozenset[str]
    """Every file under ``content/`` (sources relative to the root), to check image references."""


@dataclass(frozen=True)
class ImageFacts:
    """What the build needs to know about an image file."""

    width: int
    """Width in pixels as displayed (after the EXIF orientation is applied)."""
    height: int
    format: str = ""
    """Pillow's format name (``JPEG``, ``PNG``, …; ``SVG`` for SVG)."""
    alpha: bool = False
    """Has transparency."""
    animated: bool = False
    """More than one frame."""


def scan_sources(root: Path) -> tuple[dict[str, Stamp], list[Diagnostic]]:
    """Every story and value file with its stamp, without reading any (one directory scan each).

    Files with another Markdown-like extension are problems: they would silently not publish.
    """
    found: dict[str, Stamp] = {}
    problems: list[Diagnostic] = []
    for folder in (STORIES_DIR, VALUES_DIR):
        try:
            entries = list(os.scandir(root / folder))
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith(".") or not entry.is_file():
                continue
            name, dot, suffix = entry.name.rpartition(".")
            if entry.name.endswith(".md"):
                found[f"{folder}/{entry.name}"] = stamp_of(entry.stat())
            elif dot and suffix.lower() in {"markdown", "mdown", "txt", "md~"}:
                problems.append(
                    error(
                        f"{folder}/{entry.name}",
                        0,
                        "wrong-extension",
                        f"{entry.name} is ignored: content files must end in .md",
                        f"rename it to {name}.md",
                    )
                )
    return dict(sorted(found.items())), sorted(problems)


def read_source(root: Path, source: str) -> SourceFile | Diagnostic:
    """One content file, decoded."""
    text = read_text(root / source, source)
    return text if isinstance(text, Diagnostic) else SourceFile(source, text)


def list_content_files(root: Path) -> frozenset[str]:
    """Every file under ``content/`` (for suggestions when a referenced file is missing)."""
    return frozenset(_walk_files(root, CONTENT_DIR))


def load_content(root: Path) -> tuple[ContentFiles, list[Diagnostic]]:
    """Read every story and value; undecodable or unreadable files become problems."""
    sources, problems = scan_sources(root)
    stories: list[SourceFile] = []
    values: list[SourceFile] = []
    for source in sources:
        loaded = read_source(root, source)
        if isinstance(loaded, Diagnostic):
            problems.append(loaded)
        else:
            (stories if source.startswith(STORIES_DIR) else values).append(loaded)
    return ContentFiles(tuple(stories), tuple(values), list_content_files(root)), problems


def read_text(path: Path, source: str) -> str | Diagnostic:
    """Decode a UTF-8 file (a BOM is fine, CRLF becomes LF), or describe why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            return error(
                source,
                0,
                "file-too-large",
                f"the file is {size:,} bytes; the limit is {MAX_TEXT_BYTES:,}",
                "split it up or remove pasted binary data",
            )
        data = path.read_bytes()
    except OSError as exc:
        return error(
            source,
            0,
            "unreadable-file",
            f"cannot read the file: {exc.strerror}",
            "check the file's permissions",
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        return error(
            source,
            line,
            "not-utf8",
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at line {line})",
            "open it in your editor and save it with the encoding UTF-8",
        )
    if "\x00" in text:
        return error(
            source,
            0,
            "binary-file",
            "the file contains NUL bytes, so it is not text",
            "make sure this is a Markdown file, not a document or image renamed to .md",
        )
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _walk_files(root: Path, folder: str) -> list[str]:
    directory = root / folder
    if not directory.is_dir():
        return []
    return sorted(
        path.relative_to(root).as_posix() for path in directory.rglob("*") if path.is_file()
    )


def probe_images(root: Path, sources: Iterable[str]) -> dict[str, ImageFacts | str]:
    """Dimensions of each image, or the reason it cannot be used."""
    from PIL import Image, UnidentifiedImageError  # only builds with images pay for Pillow

    facts: dict[str, ImageFacts | str] = {}
    for source in sorted(set(sources)):
        path = root / source
        if path.suffix.lower() == ".svg":
            facts[source] = ImageFacts(0, 0, "SVG") if path.is_file() else _MISSING
            continue
        try:
            with Image.open(path) as image:
                width, height = image.size
                if _orientation(image) in (5, 6, 7, 8):
                    width, height = height, width  # shown rotated by a quarter turn
                facts[source] = ImageFacts(
                    width,
                    height,
                    image.format or "",
                    image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info,
                    getattr(image, "n_frames", 1) > 1,
                )
        except FileNotFoundError:
            facts[source] = _MISSING
        except (UnidentifiedImageError, OSError) as exc:
            facts[source] = f"the file is not a readable image ({exc.__class__.__name__})"
    return facts


def _orientation(image: object) -> int:
    """The EXIF orientation (1 = upright); 1 when the EXIF block cannot be read."""
    try:
        return int(image.getexif().get(_ORIENTATION, 1))  # type: ignore[attr-defined]
    except Exception:  # a damaged EXIF block must not hide an otherwise good picture
        return 1
