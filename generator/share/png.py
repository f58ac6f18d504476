"""Palette PNGs for share cards, written directly: the rows a card leaves empty are packed once.

Most of a card's rows show its background (and accent bar) and nothing else: the same bytes on
every card of a site. ``palette_png`` takes only the bands of rows something is drawn on and
fills the gaps with a band of k background rows packed once per k (``_blank_band``). Splicing is
valid DEFLATE because every piece ends on a full flush: byte-aligned, and nothing after it
refers back. The Adler-32 of the whole image is combined from its pieces'.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Sequence
from functools import lru_cache

SIGNATURE = b"\x89PNG\r\n\x1a\n"
LEVEL, MEMORY_LEVEL = 1, 7
"""zlib's settings, fixed so that equal cards are equal bytes. On the rows a card draws on, its
fastest level packs them smaller than the run-length strategy, in two thirds of its time
(0.72 against 1.1 ms a card); a smaller memory level keeps its tables in the CPU's cache."""
_ADLER_BASE = 65521


def palette_png(
    width: int,
    height: int,
    palette: bytes,
    blank: bytes,
    bands: Sequence[tuple[int, bytes]],
) -> bytes:
    """An 8-bit palette PNG, ``palette`` being RGB triplets.

    ``bands``: (first row, scanlines) in order and apart, each scanline a filter byte (0) and
    ``width`` indices; every row outside them is the scanline ``blank``.
    """
    stride = 1 + width
    if len(blank) != stride:
        raise ValueError("the blank scanline does not match the width")
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, MEMORY_LEVEL)
    pieces: list[bytes] = []
    adler = 1
    row = 0
    for top, scanlines in [*bands, (height, b"")]:
        rows, rest = divmod(len(scanlines), stride)
        if top < row or rest or top + rows > height:
            raise ValueError("the bands overlap, are out of order or do not fit")
        if top > row:
            pieces.append(compressor.flush(zlib.Z_FULL_FLUSH))
            packed, band_adler = _blank_band(blank, top - row)
            pieces.append(packed)
            adler = adler32_combine(adler, band_adler, (top - row) * stride)
        if scanlines:
            pieces.append(compressor.compress(scanlines))
            adler = zlib.adler32(scanlines, adler)
        row = top + rows
    pieces.append(compressor.flush(zlib.Z_FINISH))
    stream = b"\x78\x9c" + b"".join(pieces) + struct.pack(">I", adler)
    header = struct.pack(">IIBBBBB", width, height, 8, 3, 0, 0, 0)
    chunks = (b"IHDR", header), (b"PLTE", palette), (b"IDAT", stream), (b"IEND", b"")
    return SIGNATURE + b"".join(_chunk(kind, data) for kind, data in chunks)


@lru_cache(maxsize=64)
def _blank_band(blank: bytes, rows: int) -> tuple[bytes, int]:
    """``rows`` blank scanlines packed (ending on a full flush) and their Adler-32."""
    raw = blank * rows
    compressor = zlib.compressobj(LEVEL, zlib.DEFLATED, -15, MEMORY_LEVEL)
    return compressor.compress(raw) + compressor.flush(zlib.Z_FULL_FLUSH), zlib.adler32(raw)


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two pieces joined, from each piece's and the second's length (zlib's
    ``adler32_combine``, which Python's zlib module does not offer)."""
    remainder = second_length % _ADLER_BASE
    low = ((first & 0xFFFF) + (second & 0xFFFF) + _ADLER_BASE - 1) % _ADLER_BASE
    high = (
        remainder * (first & 0xFFFF) + (first >> 16) + (second >> 16) + _ADLER_BASE - remainder
    ) % _ADLER_BASE
    return low | (high << 16)


def _chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(data, zlib.crc32(kind))
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)
