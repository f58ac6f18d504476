"""The only reader of ``content/``: source files in, decoded text and image facts out.

Content is untrusted: a file may be huge, binary, or a symbolic link to a secret elsewhere on
the machine. Every file is resolved before it is read, and one that resolves outside its folder
(``content/`` for content, ``themes/`` for themes) is refused, never followed.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..engine.cache import Stamp, stamp_of
from ..errors import Diagnostic, error, warning
from ..pictures.opening import PictureRefused, format_names, is_animated, open_picture
from ..pictures.svg_safety import svg_problem

CONTENT_DIR = "content"
STORIES_DIR = "content/stories"
VALUES_DIR = "content/values"
JOBS_DIR = "content/jobs"
"""Open roles (``roles.entries.load_jobs`` reads them)."""
IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png", ".webp", ".gif", ".avif", ".svg"})
_ORIENTATION = 0x0112
"""EXIF tag: how the camera was held."""
MAX_TEXT_BYTES = 64 * 1024
"""Default size limit of a story or value file (``[limits] max_story_kb`` in site.toml)."""
READ_CEILING = 16 * 1024 * 1024
"""No content file is ever read past this, whatever the settings (memory stays bounded even
for a file that grows while it is read)."""
MAX_IMAGE_BYTES = 50 * 1024 * 1024
"""Largest image file accepted; ``pictures.open_picture`` limits the pixels."""
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
"""Characters XML cannot carry (so neither can the feed); tab and newlines are fine."""
OUTSIDE = "the file is a link to somewhere outside {folder}/"
"""Reason given for a symbolic link that leaves its folder (``folder`` filled in)."""


@dataclass(frozen=True)
class SourceFile:
    """A content file's decoded text."""

    source: str
    """Path relative to the project root, with forward slashes."""
    text: str
    """UTF-8 text without BOM, with ``\\n`` line endings."""


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


@dataclass(frozen=True)
class Unusable:
    """Why a picture cannot be used, in the author's words."""

    reason: str
    """Completes "the image `x` cannot be used: …"."""
    hint: str
    """What to do about it."""
    code: str = "bad-image"
    """The problem code (``missing-image``, ``image-too-large``, ``unsafe-svg``, …)."""


MISSING = Unusable("the file does not exist", "", "missing-image")
OUTSIDE_PICTURE = Unusable(
    OUTSIDE.format(folder=CONTENT_DIR), "copy the picture into content/ instead of linking to it"
)
"""The same answer for every path leading out of content/, whether or not anything is there."""


def inside(path: Path | str, folder: Path) -> bool:
    """True when ``path``, with every symbolic link followed, is ``folder`` or lies within it."""
    real, base = os.path.realpath(path), os.path.realpath(folder)
    return real == base or real.startswith(base.rstrip(os.sep) + os.sep)


def scan_sources(
    root: Path, max_bytes: int = MAX_TEXT_BYTES
) -> tuple[dict[str, Stamp], list[Diagnostic]]:
    """Every story and value file with its stamp, without reading any (one directory scan each).

    Stories and values may sit in subfolders and as bundles (``x/index.md`` with its pictures
    beside it); ``.md`` in any capitalisation. Nothing is skipped silently: files with another
    Markdown-like extension are problems, and any other file that is neither content nor a
    picture is a warning. So are links leading out of ``content/``, pipes and devices, and
    files over ``max_bytes``; none of those is ever opened.
    """
    found: dict[str, Stamp] = {}
    problems: list[Diagnostic] = []
    content = root / CONTENT_DIR
    for folder in (STORIES_DIR, VALUES_DIR):
        if (root / folder).exists() and not inside(root / folder, root):
            problems.append(_outside(folder, "make it a real folder inside the project"))
            continue
        # A plain file in a folder that is itself inside content/ is inside too: only links
        # (and folders reached through one) need resolving, which costs a call per component.
        folder_inside = inside(root / folder, content)
        for source, entry in _walk(root, folder, content, problems):
            _scan_entry(source, entry, folder_inside, content, max_bytes, found, problems)
    problems += _misplaced(root)
    return dict(sorted(found.items())), sorted(problems)


def is_markdown(name: str) -> bool:
    """A content file's name: ``x.md``, in any capitalisation (``x.MD`` from Windows)."""
    return name.lower().endswith(".md") and not name.startswith(".")


def _walk(
    root: Path, folder: str, content: Path, problems: list[Diagnostic]
) -> Iterator[tuple[str, os.DirEntry[str]]]:
    """(source, entry) of every file under ``folder``, subfolders included, in sorted order.

    Hidden files and folders (``.git``, ``.DS_Store``, editors' swap files) are not content.
    A linked folder is not followed: outside content/ it is a problem, inside it a warning.
    """
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            with os.scandir(root / current) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            source = f"{current}/{entry.name}"
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                pending.append(source)
            elif entry.is_symlink() and entry.is_dir():
                if not inside(entry.path, content):
                    problems.append(_outside(source, "copy the folder in instead of linking to it"))
                else:
                    problems.append(
                        warning(
                            source,
                            0,
                            "linked-folder",
                            "this folder is a link, and links to folders are not followed, "
                            "so nothing in it is published",
                            "move the files into this folder instead of linking to them",
                        )
                    )
            else:
                yield source, entry


def _scan_entry(
    source: str,
    entry: os.DirEntry[str],
    folder_inside: bool,
    content: Path,
    max_bytes: int,
    found: dict[str, Stamp],
    problems: list[Diagnostic],
) -> None:
    """Judge one file under content/stories/ or content/values/."""
    markdown = is_markdown(entry.name)
    linked_out = entry.is_symlink() and not inside(entry.path, content)
    if markdown and (linked_out or (not folder_inside and not inside(entry.path, content))):
        problems.append(_outside(source, "copy the file in instead of linking to it"))
        return
    # A link out of content/ is judged by its name alone: whether its target exists must not
    # change what the build says (content could otherwise probe the machine's files).
    if not linked_out and not entry.is_file():
        if markdown and os.path.exists(entry.path):
            problems.append(
                error(source, 0, "not-a-file", "this is a pipe, device or socket, "
                      "not a file", "remove it from content/")
            )  # fmt: skip
        return
    name, dot, suffix = entry.name.rpartition(".")
    if markdown:
        status = entry.stat()
        if status.st_size > max_bytes:
            problems.append(_too_large(source, max_bytes))
            return
        found[source] = stamp_of(status)
    elif dot and suffix.lower() in {"markdown", "mdown", "mkd", "txt", "md~"}:
        problems.append(
            error(
                source,
                0,
                "wrong-extension",
                f"{entry.name} is ignored: content files must end in .md",
                f"rename it to {name}.md",
            )
        )
    elif f".{suffix.lower()}" not in IMAGE_SUFFIXES or not dot:
        problems.append(
            warning(
                source,
                0,
                "not-content",
                f"{entry.name} is neither a story, a value nor a picture, so it is not published",
                "save stories as Markdown files ending in .md; move other files out of content/",
            )
        )


def _misplaced(root: Path) -> list[Diagnostic]:
    """Markdown files under content/ outside stories/ and values/: they would publish nowhere."""
    problems = []
    content = root / CONTENT_DIR
    try:
        with os.scandir(content) as listing:
            tops = sorted(listing, key=lambda e: e.name)
    except OSError:
        return []
    for top in tops:
        if top.name.startswith(".") or f"{CONTENT_DIR}/{top.name}" in (STORIES_DIR, VALUES_DIR):
            continue
        sources = (
            [f"{CONTENT_DIR}/{top.name}"]
            if not top.is_dir(follow_symlinks=False)
            else [
                source
                for source in _walk_files(root, f"{CONTENT_DIR}/{top.name}")
                if not any(part.startswith(".") for part in source.split("/")[1:])
            ]
        )
        for source in sources:
            if posixpath.dirname(source) == JOBS_DIR:
                continue  # open roles: read by roles.entries.load_jobs
            if is_markdown(posixpath.basename(source)):
                problems.append(
                    warning(
                        source,
                        0,
                        "misplaced-content",
                        "this file is not in content/stories/ or content/values/, "
                        "so it is not published",
                        "move a story to content/stories/ and a value to content/values/",
                    )
                )
    return problems


def _outside(source: str, hint: str) -> Diagnostic:
    return error(source, 0, "outside-project", OUTSIDE.format(folder=CONTENT_DIR), hint)


def _too_large(source: str, max_bytes: int) -> Diagnostic:
    return error(
        source,
        0,
        "file-too-large",
        f"the file is larger than the limit of {max_bytes // 1024:,} KiB",
        "split it up or remove pasted data; the limit is `[limits] max_story_kb` in site.toml",
    )


def read_source(root: Path, source: str) -> SourceFile | Diagnostic:
    """One content file, decoded."""
    text = read_text(root / source, source)
    return text if isinstance(text, Diagnostic) else SourceFile(source, text)


def list_content_files(root: Path) -> frozenset[str]:
    """Every file under ``content/`` (for suggestions when a referenced file is missing)."""
    return frozenset(_walk_files(root, CONTENT_DIR))


def read_text(path: Path, source: str, max_bytes: int = READ_CEILING) -> str | Diagnostic:
    """Decode a UTF-8 file (a BOM is fine, CRLF becomes LF), or describe why it cannot be read."""
    try:
        data = _read_regular(path, max_bytes)
    except OSError as exc:
        return error(
            source,
            0,
            "unreadable-file",
            f"cannot read the file: {exc.strerror}",
            "check the file's permissions",
        )
    if data is None:
        return error(
            source,
            0,
            "not-a-file",
            "this is a pipe, device or socket, not a file",
            "remove it from content/",
        )
    if len(data) > max_bytes:
        return _too_large(source, max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return _not_utf8(source, data, exc.start)
    if "\x00" in text:
        return error(
            source,
            0,
            "binary-file",
            "the file contains NUL bytes, so it is not text",
            "make sure this is a Markdown file, not a document or image renamed to .md",
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    control = CONTROL_RE.search(text)
    if control is not None:
        line = text.count("\n", 0, control.start()) + 1
        return error(
            source,
            line,
            "control-character",
            f"line {line} contains the invisible control character "
            f"U+{ord(control.group()):04X}, which web pages and feeds cannot carry",
            "delete it (it often comes from pasting out of a word processor or terminal)",
        )
    return text


def _not_utf8(source: str, data: bytes, at: int) -> Diagnostic:
    """Where the file stops being UTF-8, shown as the character an old editor probably meant.

    Files saved as "Western" or "ANSI" (Windows-1252, Latin-1) are the usual cause: `ü` is one
    byte there, which UTF-8 cannot read. The person sees `ü`, so the message shows it.
    """
    line = data.count(b"\n", 0, at) + 1
    start = data.rfind(b"\n", 0, at) + 1
    end = data.find(b"\n", at)
    raw = data[start : end if end >= 0 else len(data)].rstrip(b"\r")
    column = at - start
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        text = raw.decode("latin-1")
    char = raw[column : column + 1].decode("cp1252", errors="replace")
    if not char.isprintable() or char == "\ufffd":
        char = ""
    words = [w for w in text.split() if char and char in w]
    where = f" (in “{words[0]}”)" if words else ""
    shown = f"the character “{char}”{where}" if char else "a character"
    return error(
        source,
        line,
        "not-utf8",
        f"line {line} has {shown} saved in an old encoding, not UTF-8",
        "save the file as UTF-8 (in your editor: Save As, Encoding: UTF-8), "
        "then check that special characters still look right",
    )


def _read_regular(path: Path, max_bytes: int) -> bytes | None:
    """Up to ``max_bytes + 1`` bytes of a regular file; None for pipes, devices and sockets.

    The size is judged by reading, not by ``stat``, so a file that grows or lies about its
    size cannot slip past the limit, and a pipe is never opened (it would block the build).
    """
    if not stat.S_ISREG(os.stat(path).st_mode):
        return None
    with open(path, "rb") as handle:
        return handle.read(max_bytes + 1)


def _walk_files(root: Path, folder: str) -> list[str]:
    # A loop over a stack, not Path.rglob: rglob recurses once per folder level, and a
    # thousand nested folders ended the build with a RecursionError.
    if not (root / folder).is_dir():
        return []
    found: list[str] = []
    pending = [folder]
    while pending:
        relative = pending.pop()
        try:
            entries = list(os.scandir(root / relative))
        except OSError:
            continue
        for entry in entries:
            name = f"{relative}/{entry.name}"
            # Like rglob: files behind links count, folders behind links are not entered.
            if entry.is_dir(follow_symlinks=False):
                pending.append(name)
            elif entry.is_file():
                found.append(name)
    return sorted(found)


def probe_images(root: Path, sources: Iterable[str]) -> dict[str, ImageFacts | Unusable]:
    """Dimensions of each image, or why it cannot be used."""
    return {source: _probe(root, source) for source in sorted(set(sources))}


def _probe(root: Path, source: str) -> ImageFacts | Unusable:
    path = root / source
    if CONTROL_RE.search(source):  # os.stat would raise ValueError on a NUL
        return Unusable("the path contains a control character", "rename the file")
    # Where a path leads is judged before whether anything is there: a link out of content/
    # gets one answer whether or not its target exists, so content cannot probe the machine.
    if not inside(path, root / CONTENT_DIR):
        return OUTSIDE_PICTURE
    if not path.exists():
        return MISSING
    suffix = path.suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        # Published under its own name, so an HTML file posing as a picture would be a page.
        return Unusable(
            f"only {', '.join(sorted(IMAGE_SUFFIXES))} files can be images",
            "export it again as JPEG or PNG",
        )
    try:
        status = os.stat(path)
        if not stat.S_ISREG(status.st_mode):
            return Unusable("it is not a regular file", "replace it with a picture file")
        if status.st_size > MAX_IMAGE_BYTES:
            return Unusable(
                f"the file is {status.st_size / 2**20:.0f} MiB; the limit is 50 MiB",
                "export it again smaller (a JPEG of a few MiB is plenty for the web)",
                "image-too-large",
            )
        if suffix == ".svg":
            problem = svg_problem(_read_regular(path, MAX_IMAGE_BYTES) or b"")
            if problem is None:
                return ImageFacts(0, 0, "SVG")
            return Unusable(problem, "export it again as a plain SVG (or as PNG)", "unsafe-svg")
        with open_picture(path) as image:
            width, height = image.size
            if exif_orientation(image) in (5, 6, 7, 8):
                width, height = height, width  # shown rotated by a quarter turn
            return ImageFacts(
                width,
                height,
                image.format or "",
                image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info,
                is_animated(image),
            )
    except PictureRefused as refused:
        return Unusable(refused.reason, refused.hint, refused.code)
    except FileNotFoundError:
        return MISSING
    except OSError as exc:
        return Unusable(f"it cannot be read: {exc.strerror}", "check the file's permissions")
    except Exception:  # Pillow's plugins raise more than UnidentifiedImageError
        return Unusable(
            f"the file is not a readable {format_names()} picture (its header is damaged)",
            "export it again as JPEG or PNG",
        )


def exif_orientation(image: object) -> int:
    """The EXIF orientation (1 = upright); 1 when the EXIF block cannot be read."""
    try:
        return int(image.getexif().get(_ORIENTATION, 1))  # type: ignore[attr-defined]
    except Exception:  # a damaged EXIF block must not hide an otherwise good picture
        return 1
