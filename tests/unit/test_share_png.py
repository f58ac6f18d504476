"""The share cards' PNG writer: what Pillow reads back is exactly the pixels and palette given,
with background rows packed once and spliced in, and the same bytes every time."""

from __future__ import annotations

import io
import zlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from generator.share.png import adler32_combine, palette_png

PALETTE = bytes(range(256)) * 3


def decoded(png: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(png))
    picture.load()
    return picture


def scanlines(rows: list[bytes]) -> bytes:
    return b"".join(b"\0" + row for row in rows)


@given(st.binary(max_size=300), st.binary(max_size=70_000))
@settings(max_examples=200, deadline=None)
def test_adler32_combine_equals_the_checksum_of_the_joined_pieces(
    first: bytes, second: bytes
) -> None:
    combined = adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second))
    assert combined == zlib.adler32(first + second)


@given(
    st.integers(1, 40),
    st.integers(1, 30),
    st.data(),
)
@settings(max_examples=60, deadline=None)
def test_what_pillow_reads_back_is_the_bands_and_blank_rows_given(
    width: int, height: int, data: st.DataObject
) -> None:
    blank_row = data.draw(st.binary(min_size=width, max_size=width))
    inked = sorted(data.draw(st.sets(st.integers(0, height - 1), max_size=height)))
    rows = [data.draw(st.binary(min_size=width, max_size=width)) for _ in inked]
    bands: list[tuple[int, bytes]] = []
    for row, pixels in zip(inked, rows, strict=True):
        if bands and bands[-1][0] + len(bands[-1][1]) // (width + 1) == row:
            bands[-1] = (bands[-1][0], bands[-1][1] + b"\0" + pixels)
        else:
            bands.append((row, b"\0" + pixels))
    expected = [blank_row] * height
    for row, pixels in zip(inked, rows, strict=True):
        expected[row] = pixels
    picture = decoded(palette_png(width, height, PALETTE, b"\0" + blank_row, bands))
    assert picture.mode == "P" and picture.size == (width, height)
    assert picture.tobytes() == b"".join(expected)
    assert picture.getpalette() == list(PALETTE)


def test_a_card_sized_picture_round_trips_and_is_the_same_bytes_twice() -> None:
    blank_row = bytes([127]) * 16 + bytes(1184)
    text_row = bytes([127]) * 16 + bytes(range(64)) * 18 + bytes(1184 - 64 * 18)
    bands = [(100, scanlines([text_row] * 60)), (400, scanlines([text_row[::-1]] * 3))]
    first = palette_png(1200, 630, PALETTE, b"\0" + blank_row, bands)
    assert first == palette_png(1200, 630, PALETTE, b"\0" + blank_row, bands)
    expected = [blank_row] * 630
    expected[100:160] = [text_row] * 60
    expected[400:403] = [text_row[::-1]] * 3
    assert decoded(first).tobytes() == b"".join(expected)


def test_only_the_four_chunks_a_palette_picture_needs() -> None:
    png = palette_png(4, 2, PALETTE[:12], b"\0" + bytes(4), [])
    position, kinds = 8, []
    while position < len(png):
        length = int.from_bytes(png[position : position + 4], "big")
        kinds.append(png[position + 4 : position + 8])
        position += 12 + length
    assert kinds == [b"IHDR", b"PLTE", b"IDAT", b"IEND"]


@pytest.mark.parametrize(
    "bands",
    [
        [(0, b"\0" + bytes(4)), (0, b"\0" + bytes(4))],  # overlapping
        [(1, b"\0" + bytes(4)), (0, b"\0" + bytes(4))],  # out of order
        [(1, b"\0" + bytes(4) + b"\0" + bytes(4))],  # past the last row
        [(0, bytes(3))],  # not whole scanlines
    ],
)
def test_bands_that_do_not_describe_the_picture_are_refused(bands: list[tuple[int, bytes]]) -> None:
    with pytest.raises(ValueError):
        palette_png(4, 2, PALETTE, b"\0" + bytes(4), bands)
