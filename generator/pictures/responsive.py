"""Responsive images: plan the resized copies of each picture, make them with Pillow, cache them.

Planning is pure (``plan_image``: from the picture's size to the file names, widths and ``srcset``
the templates need), so pages can be rendered before a single pixel is resized. Making the copies
(``publish_images``) happens while the build writes: every copy is re-encoded from the pixels
alone, so EXIF (GPS position, camera serial number), XMP and comments never reach the site; the
colour profile is kept. Copies are cached in ``.brandsite-cache/images/`` under a hash of the
picture's bytes and the copies asked for, so a picture is processed once, not on every build. The
hash is keyed with this machine's secret (``engine.cache_key``): an entry planted in the project
(a pull request, a tarball) is never found, so its bytes are never published as a picture.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import posixpath
import shutil
import tempfile
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ..content.loading import ImageFacts, exif_orientation
from ..content.model import Image, ImageVariant
from ..engine.cache_key import machine_key
from ..errors import Diagnostic, error
from .opening import DecodeBudget, PictureRefused, draft, is_animated, open_picture

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

IMAGE_CACHE_DIR = ".brandsite-cache/images"
"""Under the project root; safe to delete at any time."""
SHARE_SIZE = (1200, 630)
"""Open Graph / social card crop."""
PROCESSING_VERSION = "2"
"""Part of every cache key: bump it when the decoding or encoder settings below change.
(2: JPEGs are decoded reduced to the largest size needed.)"""
_SAVE_OPTIONS: dict[str, dict[str, object]] = {
    "jpeg": {"quality": 82, "optimize": True, "progressive": True},
    "webp": {"quality": 80, "method": 4},
    "png": {"optimize": False},
    "gif": {},
}
_EXTENSIONS = {"jpeg": ".jpg", "png": ".png", "webp": ".webp", "gif": ".gif"}
_SUFFIXES = {
    "jpeg": (".jpg", ".jpeg"),
    "png": (".png",),
    "webp": (".webp",),
    "gif": (".gif",),
}
_SAME_FORMAT = {"JPEG": "jpeg", "MPO": "jpeg", "PNG": "png", "WEBP": "webp"}
"""Source formats whose copies keep the format; others (AVIF, GIF) get PNG or JPEG copies."""


@dataclass(frozen=True)
class ImageStats:
    """What ``publish_images`` did, for timing and tests."""

    processed: int = 0
    """Pictures resized and encoded in this build."""
    cached: int = 0
    """Pictures whose copies came from the cache."""
    files: int = 0
    """Files published."""


def processable(facts: ImageFacts) -> bool:
    """True for raster pictures (SVG is published unchanged)."""
    return bool(facts.format) and facts.format != "SVG"


def plan_image(
    source: str,
    facts: ImageFacts,
    widths: Sequence[int],
    output_path: str,
    base_path: str,
    alt: str,
    referenced_at: tuple[str, int],
) -> Image:
    """The published picture: its copies at each width (WebP and its own format) and the crop.

    ``output_path`` is where the full-size copy goes (``media/stories/images/anna.jpg``); the
    other copies sit beside it (``anna-400w.webp``, ``anna-og.jpg``). Never enlarges.
    """
    if not processable(facts):
        return Image(
            source, output_path, base_path + output_path, alt, facts.width, facts.height,
            referenced_at=referenced_at,
        )  # fmt: skip
    width, height = facts.width, facts.height
    if facts.animated:
        # Animations keep every frame and their format; they are re-encoded (so their metadata
        # goes) but not resized.
        fmt = _SAME_FORMAT.get(facts.format, "gif")
        path = _with_suffix(output_path, fmt)
        variant = ImageVariant(path, base_path + path, width, height, fmt)
        return Image(
            source, path, variant.url, alt, width, height, (variant,),
            referenced_at=referenced_at,
        )  # fmt: skip
    own = _SAME_FORMAT.get(facts.format) or (
        "png" if facts.alpha or facts.format == "GIF" else "jpeg"
    )
    full_path = _with_suffix(output_path, own)
    stem = posixpath.splitext(full_path)[0]
    full = min(width, max(widths))
    # A width within 15% of the full size would only duplicate it.
    sizes = sorted({w for w in widths if w <= full * 0.85} | {full})
    variants: list[ImageVariant] = []
    for fmt in ("webp", own) if own != "webp" else ("webp",):
        for w in sizes:
            h = max(1, round(height * w / width))
            path = full_path if (w == full and fmt == own) else f"{stem}-{w}w{_EXTENSIONS[fmt]}"
            variants.append(ImageVariant(path, base_path + path, w, h, fmt))
    share_fmt = "png" if facts.alpha else "jpeg"
    share_path = f"{stem}-og{_EXTENSIONS[share_fmt]}"
    variants.append(
        ImageVariant(share_path, base_path + share_path, *SHARE_SIZE, share_fmt, share=True)
    )
    full_height = max(1, round(height * full / width))
    return Image(
        source,
        full_path,
        base_path + full_path,
        alt,
        full,
        full_height,
        tuple(variants),
        share_url=base_path + share_path,
        referenced_at=referenced_at,
    )


def _with_suffix(path: str, fmt: str) -> str:
    """``path`` if its suffix fits ``fmt`` (``.jpeg`` stays), else with the format's suffix."""
    stem, suffix = posixpath.splitext(path)
    return path if suffix.lower() in _SUFFIXES[fmt] else stem + _EXTENSIONS[fmt]


def cache_key(data: bytes, image: Image, key: bytes | None = None) -> str:
    """Keyed hash of the picture's bytes and the copies wanted: equal keys, equal files.

    ``key`` is this machine's cache key (read when not given): only this machine can name an
    entry that it will take from the cache. HMAC-SHA256: as fast as the plain SHA-256 it
    replaces (every build hashes every picture; a keyed BLAKE2b measured half as fast).
    """
    mac = hmac.new(key or machine_key(), digestmod=hashlib.sha256)
    mac.update(f"brandsite-images {PROCESSING_VERSION}\n".encode())
    for v in image.variants:
        mac.update(f"{v.width}x{v.height}.{v.format}.{int(v.share)}\n".encode())
    mac.update(data)
    return mac.hexdigest()


def _cache_name(variant: ImageVariant) -> str:
    return f"{'og-' if variant.share else ''}{variant.width}x{variant.height}.{variant.format}"


def publish_images(
    root: Path,
    images: Iterable[Image],
    cache_root: Path,
    workers: int | None = None,
    budget: DecodeBudget | None = None,
) -> tuple[list[tuple[str, Path]], list[Diagnostic], ImageStats]:
    """Make (or find in the cache) every copy; return (output path, file) pairs and problems.

    Pictures are processed on a thread pool: Pillow releases the GIL while it decodes, resizes
    and encodes, so this uses every core. All threads share one ``DecodeBudget``, so the
    pixels held decoded at once stay bounded however many cores there are.
    """
    todo = sorted((i for i in images if i.variants), key=lambda i: i.source)
    budget = budget or DecodeBudget()
    results: list[tuple[Image, Path | Diagnostic, bool]] = []
    workers = workers or min(len(todo), os.cpu_count() or 1) or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(lambda i: _publish_one(root, i, cache_root, budget), todo))
    files: list[tuple[str, Path]] = []
    problems: list[Diagnostic] = []
    processed = cached = 0
    for image, entry, hit in results:
        if isinstance(entry, Diagnostic):
            problems.append(entry)
            continue
        cached += hit
        processed += not hit
        files += [(v.output_path, entry / _cache_name(v)) for v in image.variants]
    return files, problems, ImageStats(processed, cached, len(files))


def verify_images(
    root: Path,
    images: Iterable[Image],
    cache_root: Path,
    workers: int | None = None,
    budget: DecodeBudget | None = None,
) -> list[Diagnostic]:
    """Decode every picture not already in the cache; return the damaged ones' problems.

    ``check`` writes nothing, not even cache; a build whose content has other problems runs this
    too, so a damaged picture is reported in the same run as everything else. JPEGs are decoded
    at an eighth of their size: every byte is still read, so a damaged one still shows.
    """
    todo = sorted((i for i in images if i.variants), key=lambda i: i.source)
    budget = budget or DecodeBudget()
    workers = workers or min(len(todo), os.cpu_count() or 1) or 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        found = list(pool.map(lambda i: _verify_one(root, i, cache_root, budget), todo))
    return [problem for problem in found if problem is not None]


def _verify_one(
    root: Path, image: Image, cache_root: Path, budget: DecodeBudget
) -> Diagnostic | None:
    data = _read(root, image)
    if isinstance(data, Diagnostic):
        return data
    if (_entry(cache_root, cache_key(data, image)) / "done").is_file():
        return None
    try:
        with open_picture(data) as picture, budget.reserve(draft(picture, 1 / 8)):
            picture.load()
    except PictureRefused as refused:
        return _refused(image, refused)
    except Exception as exc:  # Pillow raises many kinds for broken files
        return _broken(image, exc)
    return None


def _publish_one(
    root: Path, image: Image, cache_root: Path, budget: DecodeBudget
) -> tuple[Image, Path | Diagnostic, bool]:
    data = _read(root, image)
    if isinstance(data, Diagnostic):
        return image, data, False
    entry = _entry(cache_root, cache_key(data, image))
    if (entry / "done").is_file():
        return image, entry, True
    try:
        made = make_variants(data, image.variants, budget)
    except PictureRefused as refused:  # the file changed since it was looked at
        return image, _refused(image, refused), False
    except Exception as exc:  # a truncated or corrupt file is the content's problem
        return image, _broken(image, exc), False
    entry.parent.mkdir(parents=True, exist_ok=True)
    # Fill a temporary folder, then rename it into place: a killed build or a parallel one
    # never leaves a half-written entry that looks complete.
    temp = Path(tempfile.mkdtemp(prefix=entry.name + ".tmp-", dir=entry.parent))
    for variant, content in zip(image.variants, made, strict=True):
        (temp / _cache_name(variant)).write_bytes(content)
    (temp / "done").write_text(image.source + "\n")
    try:
        temp.rename(entry)
    except OSError:  # another build got there first; its files are the same
        shutil.rmtree(temp, ignore_errors=True)
    return image, entry, False


def make_variants(
    data: bytes, variants: Sequence[ImageVariant], budget: DecodeBudget | None = None
) -> list[bytes]:
    """Encode each variant from the picture's pixels alone (no EXIF, XMP or comments).

    A JPEG is decoded reduced (by 2, 4 or 8) to no less than the largest copy needs, so a
    108-megapixel phone photo is decoded at 3,000 × 2,250, not at full size; decoding and
    everything after it hold their pixels of ``budget``.
    """
    from PIL import ImageOps

    with open_picture(data) as opened:
        orientation = exif_orientation(opened)
        animated = is_animated(opened)
        scale = 1.0 if animated else _needed_scale(opened.size, orientation, variants)
        # Turning the photo upright makes a second copy of its pixels.
        cost = draft(opened, scale) * (2 if orientation != 1 else 1)
        with (budget or DecodeBudget()).reserve(cost):
            opened.load()
            if animated:
                return [_save_animation(opened, variants[0].format)]
            icc = opened.info.get("icc_profile")
            # exif_transpose always copies: only pay for that when the photo is turned.
            picture = ImageOps.exif_transpose(opened) if orientation != 1 else opened
            return _encode(picture, variants, icc)


def _needed_scale(
    size: tuple[int, int], orientation: int, variants: Sequence[ImageVariant]
) -> float:
    """The smallest fraction of the picture's size that still covers every variant."""
    width, height = (size[1], size[0]) if orientation in (5, 6, 7, 8) else size
    return max(max(v.width / width, v.height / height) for v in variants)


def _encode(picture: PILImage, variants: Sequence[ImageVariant], icc: object) -> list[bytes]:
    """Each variant of an upright, decoded picture, encoded without any metadata."""
    from PIL import Image as Pillow
    from PIL import ImageOps

    picture.info = {}  # copies made from it (resize) inherit info: keep it empty
    if picture.mode in ("RGBA", "LA", "PA") or picture.has_transparency_data:
        picture = picture.convert("RGBA")
    elif picture.mode not in ("RGB", "L"):
        picture = picture.convert("RGB")
    out: list[bytes] = []
    for variant in variants:
        size = (variant.width, variant.height)
        if variant.share:
            copy = ImageOps.fit(picture, size, Pillow.Resampling.LANCZOS, centering=(0.5, 0.4))
        elif picture.size == size:
            copy = picture
        else:
            copy = picture.resize(size, Pillow.Resampling.LANCZOS, reducing_gap=3.0)
        if variant.format == "jpeg" and copy.mode == "RGBA":
            flat = Pillow.new("RGB", copy.size, "white")
            flat.paste(copy, mask=copy.getchannel("A"))
            copy = flat
        copy.info = {}
        buffer = io.BytesIO()
        options = dict(_SAVE_OPTIONS[variant.format])
        if icc:
            options["icc_profile"] = icc
        copy.save(buffer, variant.format.upper(), **options)
        out.append(buffer.getvalue())
    return out


def _save_animation(picture: object, fmt: str) -> bytes:
    buffer = io.BytesIO()
    picture.info = {k: v for k, v in picture.info.items() if k in ("duration", "loop")}  # type: ignore[attr-defined]
    picture.save(buffer, fmt.upper(), save_all=True)  # type: ignore[attr-defined]
    return buffer.getvalue()


def _entry(cache_root: Path, key: str) -> Path:
    return cache_root / key[:2] / key


def _read(root: Path, image: Image) -> bytes | Diagnostic:
    try:
        return (root / image.source).read_bytes()
    except OSError as exc:
        source, line = image.referenced_at
        return error(
            source or image.source,
            line,
            "missing-image" if isinstance(exc, FileNotFoundError) else "bad-image",
            f"the image `{_shown(image)}` cannot be read: {exc.strerror}",
            "check that the file exists and can be read",
        )


def _shown(image: Image) -> str:
    """The picture's path as the story that references it writes it."""
    source = image.referenced_at[0]
    return posixpath.relpath(image.source, posixpath.dirname(source)) if source else image.source


def _broken(image: Image, exc: Exception) -> Diagnostic:
    source, line = image.referenced_at
    detail = (
        "the file ends too early; was it copied or downloaded completely?"
        if "truncated" in str(exc) or isinstance(exc, EOFError)
        else "its pixel data cannot be decoded"
    )
    return error(
        source or image.source,
        line,
        "bad-image",
        f"the image `{_shown(image)}` cannot be used: it is damaged or incomplete ({detail})",
        "copy it again from the original, or open it in an image program and export it again "
        "as JPEG or PNG",
    )


def _refused(image: Image, refused: PictureRefused) -> Diagnostic:
    source, line = image.referenced_at
    return error(
        source or image.source,
        line,
        refused.code,
        f"the image `{_shown(image)}` cannot be used: {refused.reason}",
        refused.hint,
    )
