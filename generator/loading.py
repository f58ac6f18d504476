"""The only reader of ``content/``: source files in, decoded text and image facts out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .errors import Diagnostic, error

CONTENT_DIR = "content"
STORIES_DIR = "content/stories"
VALUES_DIR = "content/values"
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".svg"})
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
    height: int


def load_content(root: Path) -> tuple[ContentFiles, list[Diagnostic]]:
    """Read every story and value; undecodable or unreadable files become problems."""
    problems: list[Diagnostic] = []
    stories = _read_folder(root, STORIES_DIR, problems)
    values = _read_folder(root, VALUES_DIR, problems)
    files = frozenset(_walk_files(root, CONTENT_DIR))
    return ContentFiles(tuple(stories), tuple(values), files), problems


def _read_folder(root: Path, folder: str, problems: list[Diagnostic]) -> list[SourceFile]:
    directory = root / folder
    if not directory.is_dir():
        return []
    found: list[SourceFile] = []
    for path in sorted(directory.glob("*.md")):
        source = path.relative_to(root).as_posix()
        if not path.is_file() or path.name.startswith("."):
            continue
        loaded = read_text(path, source)
        if isinstance(loaded, Diagnostic):
            problems.append(loaded)
        else:
            found.append(SourceFile(source, loaded))
    for path in sorted(directory.iterdir()):
        if path.is_file() and path.suffix.lower() in {".markdown", ".mdown", ".txt"}:
            problems.append(
                error(
                    path.relative_to(root).as_posix(),
                    0,
                    "wrong-extension",
                    f"{path.name} is ignored: content files must end in .md",
                    f"rename it to {path.stem}.md",
                )
            )
    return found


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
            facts[source] = ImageFacts(0, 0)
            continue
        try:
            with Image.open(path) as image:
                facts[source] = ImageFacts(*image.size)
        except FileNotFoundError:
            facts[source] = "the file does not exist"
        except (UnidentifiedImageError, OSError) as exc:
            facts[source] = f"the file is not a readable image ({exc.__class__.__name__})"
    return facts
