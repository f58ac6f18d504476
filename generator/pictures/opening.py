"""Opening picture files safely: which formats, how many pixels, how many decoded at once.

Pillow opens any of its ~40 formats whatever the file is called, and some of them start another
program (EPS and PostScript run Ghostscript) or decode to gigabytes from a few kilobytes. So every
picture is opened through ``open_picture``: only as JPEG, PNG, WebP, GIF or AVIF (judged by the
content, not the name), and refused from its header when it has more pixels than its format may
have. ``DecodeBudget`` then bounds how many pixels a build holds decoded at once, on any number of
cores.
"""

from __future__ import annotations

import io
import math
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only builds with pictures pay for importing Pillow
    from PIL.Image import Image as PILImage

JPEG_MAX_PIXELS = 200_000_000
"""A baseline JPEG (what cameras and phones write) is decoded reduced (``draft``): memory follows
the size the site needs, not the photo's, so even a 200-megapixel photo is fine."""
OTHER_MAX_PIXELS = 64_000_000
"""PNG, WebP, GIF, AVIF and progressive JPEG are decoded at full size (about 4 bytes a pixel)."""
ANIMATION_MAX_PIXELS = 100_000_000
"""Frames × pixels of an animation: every frame is decoded and encoded again."""
BUILD_DECODE_PIXELS = 100_000_000
"""Pixels a build holds decoded at once, whatever the number of cores (about 400 MB)."""
_ALLOWED = ("JPEG", "PNG", "WEBP", "GIF")
_STILL_FORMATS = frozenset({"MPO"})
"""Several images in one file that are not an animation: a camera's photo with its preview or
depth map. Only the first (the photo) is used."""
_OTHER_FILES = (
    (b"%!PS", "a PostScript or EPS file"),
    (b"\xc5\xd0\xd3\xc6", "an EPS file"),
    (b"%PDF", "a PDF document"),
    (b"II*\x00", "a TIFF picture"),
    (b"MM\x00*", "a TIFF picture"),
    (b"BM", "a BMP picture"),
    (b"8BPS", "a Photoshop document"),
    (b"PK\x03\x04", "a ZIP archive or Office document"),
    (b"\xd0\xcf\x11\xe0", "an Office document"),
)
"""Recognised for the message only (by their first bytes); none of them is ever opened."""
_HEIF_BRANDS = (b"heic", b"heix", b"hevc", b"heim", b"heis", b"mif1", b"msf1")


class PictureRefused(Exception):
    """A picture that is not opened or decoded, with the reason and hint in the author's words."""

    def __init__(self, reason: str, hint: str, code: str = "bad-image") -> None:
        super().__init__(reason)
        self.reason, self.hint, self.code = reason, hint, code


@cache
def allowed_formats() -> tuple[str, ...]:
    """Pillow format names a picture may have: AVIF only where the installed Pillow reads it."""
    from PIL import Image, features

    try:
        avif = bool(features.check_module("avif"))
    except ValueError:  # a Pillow older than 11.2 knows no AVIF module; a plugin may add it
        Image.init()
        avif = "AVIF" in Image.OPEN
    return (*_ALLOWED, "AVIF") if avif else _ALLOWED


def format_names() -> str:
    """``JPEG, PNG, WebP, GIF or AVIF`` (what this machine accepts), for messages."""
    names = [{"WEBP": "WebP"}.get(f, f) for f in allowed_formats()]
    return f"{', '.join(names[:-1])} or {names[-1]}"


def open_picture(source: Path | bytes) -> PILImage:
    """Open a picture (header only) as one of the allowed formats, within its pixel limit.

    Raises ``PictureRefused`` for any other file (a PostScript file named ``.jpg`` is never
    handed to Ghostscript) and for a picture with more pixels than its format may have; Pillow's
    own limit is replaced by these per-format ones, checked before a single pixel is decoded.
    """
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = None  # one global limit for every format; ours follow below
    stream = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        picture = Image.open(stream, formats=list(allowed_formats()))
    except UnidentifiedImageError:
        head = source[:64] if isinstance(source, bytes) else _head(source)
        raise PictureRefused(
            f"this file is not a {format_names()} picture{_looks_like(head)}",
            _not_a_picture_hint(head),
        ) from None
    try:
        check_pixels(picture)
    except PictureRefused:
        picture.close()
        raise
    return picture


def is_animated(picture: PILImage) -> bool:
    """More than one frame to show (a camera's MPO photo with its preview is a still)."""
    return getattr(picture, "n_frames", 1) > 1 and picture.format not in _STILL_FORMATS


def is_progressive_jpeg(picture: PILImage) -> bool:
    """A JPEG stored in several passes: libjpeg holds all of it in memory to decode it."""
    return picture.format in ("JPEG", "MPO") and bool(
        picture.info.get("progressive") or picture.info.get("progression")
    )


def check_pixels(picture: PILImage) -> None:
    """Refuse a picture with more pixels than its format may have (from its header alone)."""
    width, height = picture.size
    pixels = width * height
    shown = f"{width:,} × {height:,} pixels ({_megapixels(pixels)})"
    if is_animated(picture):
        frames = int(picture.n_frames)  # type: ignore[attr-defined]
        total = frames * pixels
        if total <= ANIMATION_MAX_PIXELS:
            return
        narrower = _fitting_width(width, height, ANIMATION_MAX_PIXELS / frames)
        fewer = ANIMATION_MAX_PIXELS // max(1, pixels)
        hint = f"at most {narrower:,} pixels wide with {frames:,} frames"
        if fewer >= 2:
            hint = f"at most {fewer:,} frames at this size, or {hint}"
        raise PictureRefused(
            f"the animation has {frames:,} frames of {shown}, {_megapixels(total)} in all; "
            f"an animation may have at most {_megapixels(ANIMATION_MAX_PIXELS)} in all",
            f"make it shorter or smaller: {hint} (or publish it as a video)",
            "image-too-large",
        )
    progressive = is_progressive_jpeg(picture)
    if progressive:
        kind, limit = "a progressive JPEG", OTHER_MAX_PIXELS
    elif picture.format in ("JPEG", "MPO"):
        kind, limit = "a JPEG", JPEG_MAX_PIXELS
    else:
        kind, limit = f"a {_name(picture.format)} picture", OTHER_MAX_PIXELS
    if pixels <= limit:
        return
    hint = f"export it at most {_fitting_width(width, height, limit):,} pixels wide"
    if limit < JPEG_MAX_PIXELS:
        hint += (
            ", or save it as a standard (baseline) JPEG, which may have up to "
            f"{_megapixels(JPEG_MAX_PIXELS)}"
        )
    raise PictureRefused(
        f"the picture is {shown}; {kind} may have at most {_megapixels(limit)}",
        hint + "; the site shows pictures at most a few thousand pixels wide anyway",
        "image-too-large",
    )


def draft(picture: PILImage, scale: float) -> int:
    """Let a JPEG decode reduced (by 2, 4 or 8) to no less than ``scale`` of its size; return
    the pixels' worth of memory (about 4 bytes each) that decoding it then holds at once.

    A baseline JPEG costs its reduced size; a progressive one its full size as well (libjpeg
    keeps every coefficient of it); an animation two frames (the one shown and the one below).
    """
    width, height = picture.size
    if picture.format in ("JPEG", "MPO") and scale < 1:
        picture.draft(None, (max(1, math.ceil(width * scale)), max(1, math.ceil(height * scale))))
    reduced = picture.size[0] * picture.size[1]
    if is_animated(picture):
        return 2 * reduced
    if is_progressive_jpeg(picture):
        return reduced + width * height
    return reduced


class DecodeBudget:
    """Pixels a build may hold decoded at once, shared by all of its threads.

    A picture waits until its pixels fit next to those being processed; one larger than the whole
    budget waits until it can run alone. Memory is bounded by the budget, not the core count.
    """

    def __init__(self, pixels: int = BUILD_DECODE_PIXELS) -> None:
        self.capacity = pixels
        self.peak = 0
        """The most pixels held at once so far (for tests and timing)."""
        self._used = 0
        self._changed = threading.Condition()

    @contextmanager
    def reserve(self, pixels: int) -> Iterator[None]:
        """Hold ``pixels`` of the budget while the block runs."""
        wanted = max(1, min(pixels, self.capacity))
        with self._changed:
            self._changed.wait_for(lambda: self._used + wanted <= self.capacity)
            self._used += wanted
            self.peak = max(self.peak, self._used)
        try:
            yield
        finally:
            with self._changed:
                self._used -= wanted
                self._changed.notify_all()


def _name(fmt: str | None) -> str:
    return {"WEBP": "WebP"}.get(fmt or "", fmt or "")


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:,.0f} megapixels"


def _fitting_width(width: int, height: int, pixels: float) -> int:
    """The largest width, rounded down to 100, at which the picture has at most ``pixels``."""
    exact = math.sqrt(pixels * width / max(1, height))
    return max(1, int(exact // 100 * 100) if exact >= 100 else int(exact))


def _head(path: Path) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read(64)
    except OSError:
        return b""


def _looks_like(head: bytes) -> str:
    """`` (it is a PDF document)`` when the first bytes say what the file really is."""
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return " (it is a HEIC photo, as iPhones save them)"
    stripped = head.lstrip()
    if stripped[:1] == b"<":
        return " (it is a text file: a web page or an SVG under another name?)"
    for magic, kind in _OTHER_FILES:
        if head.startswith(magic):
            return f" (it is {kind})"
    return ""


def _not_a_picture_hint(head: bytes) -> str:
    if head[4:8] == b"ftyp" and head[8:12] in _HEIF_BRANDS:
        return (
            "export it as JPEG (on the iPhone: Settings → Camera → Formats → Most Compatible; "
            "on a Mac: open it in Preview, File → Export, JPEG)"
        )
    return "open it in an image program and export it as JPEG (photos) or PNG (graphics)"
