"""Pictures from hostile content: formats by content, pixel limits, decode budget, SVG, containment.

Issue #12 findings 2 (script through a UTF-16 SVG), 3 (PostScript named .jpg run by Ghostscript),
4 (pictures that decode to gigabytes), 11 (an existence oracle outside content/). Every picture is
made here with Pillow; the huge ones are tiny files whose header claims the size.
"""

from __future__ import annotations

import io
import os
import shutil
import struct
import subprocess
import sys
import threading
import time
import zlib
from pathlib import Path

import pytest
from PIL import EpsImagePlugin
from PIL import Image as PILImage

from conftest import REPO, run_build, story
from generator.content.loading import probe_images
from generator.pictures.opening import (
    DecodeBudget,
    PictureRefused,
    allowed_formats,
    draft,
    format_names,
    open_picture,
)
from generator.pictures.svg_safety import svg_problem

SVG = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">{}</svg>'
XSLT = """<?xml version="1.0" encoding="UTF-16"?>
<?xml-stylesheet type="text/xsl" href="#style"?>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
<xsl:stylesheet id="style" version="1.0"><xsl:template match="/">
<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(document.domain)</script></html>
</xsl:template></xsl:stylesheet></svg>"""
EPS = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n{ } loop\n%%EOF\n"


def encoded(size: tuple[int, int], fmt: str, **options: object) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, (10, 92, 120)).save(buffer, fmt, **options)
    return buffer.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A 10×10 PNG whose header says ``width`` × ``height`` (with a valid checksum)."""
    data = bytearray(encoded((10, 10), "PNG"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def jpeg_claiming(width: int, height: int, progressive: bool = False) -> bytes:
    """A small JPEG whose frame header (SOF0, or SOF2 when progressive) says this size."""
    data = bytearray(encoded((16, 16), "JPEG", progressive=progressive))
    at = data.index(b"\xff\xc2" if progressive else b"\xff\xc0")
    data[at + 5 : at + 9] = struct.pack(">HH", height, width)
    return bytes(data)


def gif_claiming(width: int, height: int, frames: int) -> bytes:
    """A GIF of ``frames`` small frames on a screen said to be ``width`` × ``height``."""
    pictures = [PILImage.new("L", (10, 10), i * 255 // frames) for i in range(frames)]
    buffer = io.BytesIO()
    pictures[0].save(buffer, "GIF", save_all=True, append_images=pictures[1:], duration=50)
    data = bytearray(buffer.getvalue())
    data[6:10] = struct.pack("<HH", width, height)
    return bytes(data)


def probe(tmp_path: Path, name: str, data: bytes) -> object:
    path = tmp_path / "content" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return probe_images(tmp_path, [f"content/{name}"])[f"content/{name}"]


def lead_image(name: str) -> str:
    return story().replace("values:", f"image: images/{name}\nimage_alt: x\nvalues:")


# Finding 3: a PostScript file named .jpg ------------------------------------------------------


@pytest.fixture
def no_ghostscript(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if Pillow's EPS plugin is ever asked to open or render anything."""

    def fail(*_: object, **__: object) -> None:
        raise AssertionError("the EPS plugin was used")

    monkeypatch.setattr(EpsImagePlugin, "Ghostscript", fail)
    monkeypatch.setattr(EpsImagePlugin, "has_ghostscript", fail)
    monkeypatch.setattr(EpsImagePlugin.EpsImageFile, "_open", fail)


@pytest.mark.parametrize(
    ("data", "what"),
    [
        (EPS, " (it is a PostScript or EPS file)"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", " (it is a PDF document)"),
        (encoded((8, 8), "TIFF"), " (it is a TIFF picture)"),
        (encoded((8, 8), "BMP"), " (it is a BMP picture)"),
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", " (it is a HEIC photo, as iPhones save them)"),
        (b"<html><script>alert(1)</script></html>", " (it is a text file: a web page or an SVG under another name?)"),
    ],
)  # fmt: skip
def test_only_allowed_formats_are_opened_whatever_the_name(
    site, no_ghostscript: None, data: bytes, what: str
) -> None:
    root = site({"content/stories/a.md": lead_image("photo.jpg"),
                 "content/stories/images/photo.jpg": data})  # fmt: skip
    result = run_build(root)
    assert [(d.location, d.code, d.message) for d in result.diagnostics] == [
        (
            "content/stories/a.md:5",
            "bad-image",
            f"the image `images/photo.jpg` cannot be used: this file is not a {format_names()} "
            f"picture{what}",
        )
    ]
    assert not (root / "output").exists()


def test_open_picture_refuses_eps_from_bytes_too(no_ghostscript: None) -> None:
    with pytest.raises(PictureRefused, match="not a JPEG, PNG, WebP, GIF"):
        open_picture(EPS)
    assert "EPS" not in allowed_formats()


@pytest.mark.skipif(shutil.which("gs") is None, reason="Ghostscript is not installed")
def test_eps_named_jpg_never_reaches_a_real_ghostscript(site) -> None:
    # With gs on the PATH, Pillow would run `{ } loop` for ever: the build must end at once.
    root = site({"content/stories/a.md": lead_image("photo.jpg"),
                 "content/stories/images/photo.jpg": EPS})  # fmt: skip
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "generator", "build", "--root", str(root), "--now", "2026-11-22"],
        cwd=REPO, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 1
    assert "this file is not a JPEG, PNG, WebP, GIF" in done.stderr
    assert time.monotonic() - started < 30


# Finding 4: pixel limits per format, from the header -----------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "message", "hint"),
    [
        ("flat.png", png_claiming(9400, 9400),
         "the picture is 9,400 × 9,400 pixels (88 megapixels); a PNG picture may have at most "
         "64 megapixels", "export it at most 8,000 pixels wide"),
        ("huge.jpg", jpeg_claiming(60000, 40000),
         "the picture is 60,000 × 40,000 pixels (2,400 megapixels); a JPEG may have at most "
         "200 megapixels", "export it at most 17,300 pixels wide"),
        ("pass.jpg", jpeg_claiming(9000, 9000, progressive=True),
         "the picture is 9,000 × 9,000 pixels (81 megapixels); a progressive JPEG may have at "
         "most 64 megapixels", "export it at most 8,000 pixels wide, or save it as a standard"),
        ("anim.gif", gif_claiming(6000, 6000, 3),
         "the animation has 3 frames of 6,000 × 6,000 pixels (36 megapixels), 108 megapixels in "
         "all; an animation may have at most 100 megapixels in all",
         "make it shorter or smaller: at most 2 frames at this size, or at most 5,700 pixels "
         "wide with 3 frames"),
        ("wide.gif", gif_claiming(12000, 9000, 2),
         "the animation has 2 frames of 12,000 × 9,000 pixels (108 megapixels), 216 megapixels "
         "in all; an animation may have at most 100 megapixels in all",
         "make it shorter or smaller: at most 8,100 pixels wide with 2 frames (or publish"),
    ],
)  # fmt: skip
def test_pixel_limits_per_format(tmp_path, name: str, data: bytes, message: str, hint: str) -> None:
    fact = probe(tmp_path, name, data)
    assert fact.code == "image-too-large"  # type: ignore[attr-defined]
    assert fact.reason == message  # type: ignore[attr-defined]
    assert fact.hint.startswith(hint)  # type: ignore[attr-defined]
    assert "bomb" not in fact.reason + fact.hint  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("name", "data", "size"),
    [
        ("phone.jpg", jpeg_claiming(12000, 9000), (12000, 9000)),  # 108 MP: a phone's photo
        ("limit.jpg", jpeg_claiming(16000, 12500), (16000, 12500)),  # 200 MP exactly
        ("graphic.png", png_claiming(8000, 8000), (8000, 8000)),  # 64 MP exactly
        ("anim.gif", gif_claiming(3000, 3000, 11), (3000, 3000)),  # 99 MP in all
    ],
)
def test_pictures_within_their_limit_are_accepted(
    tmp_path, name: str, data: bytes, size: tuple[int, int]
) -> None:
    fact = probe(tmp_path, name, data)
    assert (fact.width, fact.height) == size  # type: ignore[attr-defined]


def test_the_issue_s_animation_is_refused_before_any_frame_is_decoded(tmp_path) -> None:
    frames = [PILImage.new("P", (3000, 3000), i) for i in range(40)]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    started = time.perf_counter()
    fact = probe(tmp_path, "anim.gif", buffer.getvalue())
    assert fact.code == "image-too-large"  # type: ignore[attr-defined]
    assert "40 frames of 3,000 × 3,000 pixels" in fact.reason  # type: ignore[attr-defined]
    assert time.perf_counter() - started < 2  # it took 14 s to process


# Finding 4: the decode budget ----------------------------------------------------------------


def test_decode_budget_holds_at_most_its_capacity_across_threads() -> None:
    budget = DecodeBudget(10)
    running: list[int] = []
    most = [0]
    lock = threading.Lock()

    def work(pixels: int) -> None:
        with budget.reserve(pixels):
            with lock:
                running.append(pixels)
                most[0] = max(most[0], sum(running))
            time.sleep(0.02)
            with lock:
                running.remove(pixels)

    threads = [threading.Thread(target=work, args=(p,)) for p in (6, 6, 4, 3, 25, 2, 6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    # 25 is more than the budget: it ran alone (counted as the whole budget, 10).
    assert most[0] <= 25 and budget.peak <= 10
    assert budget.peak == 10
    with budget.reserve(10):  # everything was given back
        pass


def test_a_picture_larger_than_the_budget_runs_alone() -> None:
    budget = DecodeBudget(10)
    order: list[str] = []
    with budget.reserve(4):
        big = threading.Thread(target=lambda: budget.reserve(50).__enter__() or order.append("big"))
        big.start()
        time.sleep(0.05)
        assert order == []  # waits for the small one
    big.join(5)
    assert order == ["big"]


def test_draft_reduces_a_jpeg_and_reports_what_decoding_holds() -> None:
    with open_picture(encoded((4000, 3000), "JPEG")) as picture:
        assert draft(picture, 0.2) == 1000 * 750  # decoded at a quarter: 1,000 × 750
        picture.load()
        assert picture.size == (1000, 750)
    with open_picture(encoded((4000, 3000), "JPEG", progressive=True)) as picture:
        # A progressive JPEG keeps every coefficient of the full size while decoding.
        assert draft(picture, 0.2) == 1000 * 750 + 4000 * 3000
    with open_picture(encoded((400, 300), "PNG")) as picture:
        assert draft(picture, 0.2) == 400 * 300  # no reduced decoding for PNG


def test_publishing_shares_one_budget_between_threads(site) -> None:
    from generator.pictures import responsive as images

    files = {f"content/stories/images/p{i}.png": encoded((1000, 1000), "PNG") for i in range(4)}
    body = " ".join(f"![p{i}](images/p{i}.png)" for i in range(4))
    root = site({"content/stories/a.md": story(body=body), **files})
    result = run_build(root)
    assert result.ok and result.site is not None
    budget = DecodeBudget(2_000_000)  # two of the four at a time
    _, problems, stats = images.publish_images(
        root, result.site.images, root / "fresh-cache", workers=4, budget=budget
    )
    assert problems == [] and stats.processed == 4
    assert budget.peak == 2_000_000


# Finding 2: SVG, judged by the parsed tree ---------------------------------------------------


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        # The issue's SVG: UTF-16, with an XSLT stylesheet that writes a <script>.
        (XSLT.encode("utf-16"), "the SVG has a processing instruction (<?xml-stylesheet …?>)"),
        (XSLT.encode("utf-16-le"), "the SVG has a processing instruction (<?xml-stylesheet …?>)"),
        (XSLT.encode("utf-16-be"), "the SVG has a processing instruction (<?xml-stylesheet …?>)"),
        (XSLT.replace("UTF-16", "UTF-32").encode("utf-32"), "processing instruction"),
        (XSLT.replace("UTF-16", "UTF-8").encode("utf-8-sig"), "processing instruction"),
        (SVG.format("<script>alert(1)</script>").encode("utf-16"), "a <script> element"),
        ('<!DOCTYPE svg [<!ENTITY a "aaaa">]>' + SVG.format("&a;"), "the SVG has a DOCTYPE"),
        ('<!DOCTYPE svg SYSTEM "http://x.example/a.dtd">' + SVG.format(""), "DOCTYPE"),
        ('<?xml version="1.0"?><?php echo 1; ?>' + SVG.format(""), "(<?php …?>)"),
        (SVG.format("<script>alert(1)</script>"), "the SVG contains a <script> element"),
        (SVG.format('<h:script xmlns:h="http://www.w3.org/1999/xhtml">x</h:script>'),
         "an HTML element <script>"),
        (SVG.format('<g xmlns="http://www.w3.org/1999/xhtml"><img src="x"/></g>'), "an HTML element <g>"),
        (SVG.replace("<svg", "<svg onload='alert(1)'").format(""), "event attribute (onload)"),
        (SVG.format('<rect ONCLICK="alert(1)"/>'), "event attribute (onclick)"),
        (SVG.format("<foreignObject><p>x</p></foreignObject>"), "a <foreignObject> element"),
        (SVG.format('<image href="https://tracker.example/p.gif"/>'),
         "refers to another file or address (`https://tracker.example/p.gif`)"),
        (SVG.format('<use xmlns:x="http://www.w3.org/1999/xlink" x:href="other.svg#a"/>'),
         "(`other.svg#a`)"),
        (SVG.format('<a href=" java&#115;cript:alert(1)"><text>t</text></a>'),
         "(`javascript:alert(1)`)"),
        (SVG.format('<image href="data:image/svg+xml;base64,PHN2Zy8+"/>'), "(`data:image/svg+xml"),
        (SVG.format('<set attributeName="xlink:href" to="javascript:alert(1)"/>'), "animates a link"),
        (SVG.format('<animate attributeName="onbegin" values="alert(1)"/>'), "animates a link or an event"),
        (SVG.format("<style>rect { fill: url(https://t.example/a.svg#g) }</style>"),
         "style refers to another file or address (`https://t.example/a.svg#g`)"),
        (SVG.format("<style><![CDATA[ @import 'https://t.example/a.css'; ]]></style>"), "`@import`"),
        (SVG.format(r"<style>rect { fill: \75 rl(//t.example/a) }</style>"), "(`//t.example/a`)"),
        (SVG.format("<style>rect { background: url(/* x */ x.png) }</style>"), "(`x.png`)"),
        (SVG.format('<rect style="fill: url(&quot;http://t.example/&quot;)"/>'), "(`http://t.example/`)"),
        (SVG.format('<rect fill="url(http://t.example/#g)"/>'), "(`http://t.example/#g`)"),
        (SVG.format("<style>rect { background: image-set('x.png' 1x) }</style>"), "`image-set`"),
        ('<?xml version="1.0" encoding="Shift_JIS"?>' + SVG.format(""), "the shift_jis encoding"),
        (b"\xff\xfe<\x00s\x00\x00\xd8", "not saved correctly as UTF-16-LE"),
        ("<html><body/></html>", "the file is not an SVG image: it must start with <svg xmlns="),
        ("<svg><rect/></svg>", "the file is not an SVG image"),
        ("<svg", "the file is not a readable SVG image (line 1: unclosed token)"),
    ],
)  # fmt: skip
def test_unsafe_svgs_are_refused(data: str | bytes, reason: str) -> None:
    raw = data.encode() if isinstance(data, str) else data
    problem = svg_problem(raw)
    assert problem is not None and reason in problem


@pytest.mark.parametrize(
    "data",
    [
        SVG.format('<defs><linearGradient id="g"/></defs><rect fill="url(#g)" style="fill:url( \'#g\' )"/>'),
        SVG.format('<use href="#g"/><a href="#t"><text id="t">x</text></a>'),
        SVG.format('<image href="data:image/png;base64,iVBORw0KGgo="/>'),
        SVG.format("<style>/* brand */ rect { fill: #0a5c78 } .a { clip-path: url(#c) }</style>"),
        SVG.format('<metadata><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/></metadata>'),
        '<?xml version="1.0" encoding="UTF-16"?>' + SVG.format("<rect/>"),
        "\ufeff" + SVG.format("<!-- a comment --><rect/>"),
        '<?xml version="1.0" encoding="iso-8859-1"?>' + SVG.format("<text>Jürgen</text>"),
    ],
)  # fmt: skip
def test_plain_svgs_are_fine(data: str) -> None:
    encoding = "utf-16" if 'encoding="UTF-16"' in data else "latin-1" if "8859" in data else "utf-8"
    assert svg_problem(data.encode(encoding)) is None


def test_the_issue_s_utf16_svg_fails_the_build_at_its_line(site) -> None:
    root = site({"content/stories/a.md": lead_image("logo.svg"),
                 "content/stories/images/logo.svg": XSLT.encode("utf-16")})  # fmt: skip
    result = run_build(root)
    assert [(d.location, d.code) for d in result.diagnostics] == [
        ("content/stories/a.md:5", "unsafe-svg")
    ]
    assert result.diagnostics[0].hint == "export it again as a plain SVG (or as PNG)"
    assert not (root / "output").exists()


# Finding 11: one answer outside content/, whether or not the file exists ---------------------


@pytest.mark.parametrize("how", ["file link", "folder link"])
def test_outside_content_gives_one_answer_whether_or_not_the_file_exists(
    site, tmp_path: Path, how: str
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "exists.png").write_bytes(encoded((10, 10), "PNG"))
    seen = []
    for target in ("exists.png", "missing.png"):
        root = site({"content/stories/a.md": lead_image("probe/x.png")})
        shutil.rmtree(root / "content/stories/images", ignore_errors=True)
        (root / "content/stories/images").mkdir()
        if how == "file link":
            (root / "content/stories/images/probe").mkdir()
            os.symlink(outside / target, root / "content/stories/images/probe/x.png")
        else:
            (outside / "x.png").unlink(missing_ok=True)
            if target == "exists.png":
                shutil.copy(outside / "exists.png", outside / "x.png")
            os.symlink(outside, root / "content/stories/images/probe")
        result = run_build(root)
        seen.append([(d.location, d.code, d.message, d.hint) for d in result.diagnostics])
    assert seen[0] == seen[1]
    linked_folder = [
        ("content/stories/images/probe", "outside-project",
         "the file is a link to somewhere outside content/",
         "copy the folder in instead of linking to it"),
    ]  # fmt: skip
    assert seen[0] == (linked_folder if how == "folder link" else []) + [
        ("content/stories/a.md:5", "bad-image",
         "the image `images/probe/x.png` cannot be used: the file is a link to somewhere "
         "outside content/", "copy the picture into content/ instead of linking to it"),
    ]  # fmt: skip


def test_a_stray_link_out_of_content_gets_one_answer_whether_or_not_its_target_exists(
    site, tmp_path: Path
) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "exists.txt").write_text("secret")
    seen = []
    for target in ("exists.txt", "missing.txt"):
        root = site({"content/stories/a.md": story()})
        (root / "content/stories/notes.txt").unlink(missing_ok=True)
        os.symlink(outside / target, root / "content/stories/notes.txt")
        seen.append([(d.location, d.code, d.message) for d in run_build(root).diagnostics])
    assert seen[0] == seen[1]
    assert [code for _, code, _ in seen[0]] == ["wrong-extension"]
