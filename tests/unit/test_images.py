"""Responsive images: planned sizes and names, formats, srcset markup, EXIF stripped, cache."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from PIL import Image as PILImage
from PIL import TiffImagePlugin

from conftest import NOW, SITE_TOML, TODAY, codes, run_build, story
from generator.content.loading import ImageFacts
from generator.pictures import responsive as images
from generator.pictures.opening import allowed_formats
from generator.pictures.responsive import plan_image

SERIAL = "SN-4711-SECRET"
ARTIST = "Jane Photographer"


def jpeg(
    size: tuple[int, int] = (1600, 1000), *, exif: bool = False, orientation: int = 1
) -> bytes:
    """A JPEG, optionally carrying GPS coordinates, a camera serial number and XMP."""
    picture = PILImage.new("RGB", size, (200, 120, 40))
    picture.paste((30, 90, 160), (0, 0, size[0] // 2, size[1] // 3))
    buffer = io.BytesIO()
    options: dict[str, object] = {"quality": 90}
    if exif:
        data = PILImage.Exif()
        data[0x010F] = "CameraMaker"  # Make
        data[0x013B] = ARTIST  # Artist
        data[0x0112] = orientation
        data[0x8769] = {0xA431: SERIAL}  # Exif IFD: BodySerialNumber
        data[0x8825] = {  # GPS IFD: 53.87 N, 8.69 E (Cuxhaven)
            1: "N",
            2: (TiffImagePlugin.IFDRational(53), TiffImagePlugin.IFDRational(52), 0),
            3: "E",
            4: (TiffImagePlugin.IFDRational(8), TiffImagePlugin.IFDRational(41), 0),
        }
        options["exif"] = data
        options["xmp"] = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + ARTIST.encode() + b"</x:xmpmeta>"
    picture.save(buffer, "JPEG", **options)
    return buffer.getvalue()


def png_with_alpha(size: tuple[int, int] = (500, 400)) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGBA", size, (10, 200, 30, 128)).save(buffer, "PNG")
    return buffer.getvalue()


def image_story(body: str = "Text.", image: str = "images/photo.jpg") -> str:
    text = story(title="Photo story", body=body)
    return text.replace("values:", f"image: {image}\nimage_alt: A photo\nvalues:")


def test_plan_names_widths_and_share_crop() -> None:
    facts = ImageFacts(3000, 2000, "JPEG")
    image = plan_image(
        "content/stories/images/a.jpg", facts, (400, 800, 1600), "media/stories/images/a.jpg",
        "/careers/", "Alt", ("content/stories/a.md", 5),
    )  # fmt: skip
    assert (image.url, image.width, image.height) == (
        "/careers/media/stories/images/a.jpg",
        1600,
        1067,
    )
    assert [(v.output_path, v.width, v.height, v.format) for v in image.variants] == [
        ("media/stories/images/a-400w.webp", 400, 267, "webp"),
        ("media/stories/images/a-800w.webp", 800, 533, "webp"),
        ("media/stories/images/a-1600w.webp", 1600, 1067, "webp"),
        ("media/stories/images/a-400w.jpg", 400, 267, "jpeg"),
        ("media/stories/images/a-800w.jpg", 800, 533, "jpeg"),
        ("media/stories/images/a.jpg", 1600, 1067, "jpeg"),
        ("media/stories/images/a-og.jpg", 1200, 630, "jpeg"),
    ]
    assert image.srcset == (
        "/careers/media/stories/images/a-400w.webp 400w, "
        "/careers/media/stories/images/a-800w.webp 800w, "
        "/careers/media/stories/images/a-1600w.webp 1600w"
    )
    assert image.fallback_srcset.endswith("/careers/media/stories/images/a.jpg 1600w")
    assert image.share_url == "/careers/media/stories/images/a-og.jpg"


@pytest.mark.parametrize(
    ("facts", "widths", "expected"),
    [
        (ImageFacts(300, 200, "JPEG"), (400, 800), [(300, "webp"), (300, "jpeg")]),  # never enlarged
        # capped at the largest width; a width within 15% of the full one is left out
        (ImageFacts(850, 500, "JPEG"), (400, 800), [(400, "webp"), (800, "webp"), (400, "jpeg"), (800, "jpeg")]),
        (ImageFacts(900, 600, "JPEG"), (400, 800, 1600), [(400, "webp"), (900, "webp"), (400, "jpeg"), (900, "jpeg")]),
        (ImageFacts(900, 600, "WEBP"), (400, 1600), [(400, "webp"), (900, "webp")]),
        (ImageFacts(900, 600, "PNG", alpha=True), (400, 1600), [(400, "webp"), (900, "webp"), (400, "png"), (900, "png")]),
        (ImageFacts(900, 600, "GIF", animated=True), (400,), [(900, "gif")]),
    ],
)  # fmt: skip
def test_plan_table(facts: ImageFacts, widths: tuple[int, ...], expected: list) -> None:
    image = plan_image("content/x.img", facts, widths, "media/x.img", "/", "", ("", 0))
    assert [(v.width, v.format) for v in image.variants if not v.share] == expected


def test_svg_is_published_unchanged(site) -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    root = site({"content/stories/a.md": image_story(image="images/d.svg"),
                 "content/stories/images/d.svg": svg})  # fmt: skip
    result = run_build(root)
    assert result.ok, result.diagnostics
    assert (root / "output/media/stories/images/d.svg").read_text() == svg


def test_build_writes_formats_sizes_and_strips_exif(site) -> None:
    original = jpeg(exif=True)
    assert SERIAL.encode() in original and ARTIST.encode() in original
    assert PILImage.open(io.BytesIO(original)).getexif().get_ifd(0x8825)  # has GPS
    root = site({
        "content/stories/a.md": image_story(body="Text.\n\n![Harbour](images/photo.jpg)"),
        "content/stories/images/photo.jpg": original,
    })  # fmt: skip
    result = run_build(root)
    assert result.ok, result.diagnostics
    media = root / "output/media/stories/images"
    found = {}
    for path in sorted(media.iterdir()):
        data = path.read_bytes()
        with PILImage.open(path) as picture:
            found[path.name] = (picture.format, picture.size)
            assert not picture.getexif(), f"{path.name} still has EXIF"
            assert "xmp" not in picture.info and "exif" not in picture.info, path.name
        assert SERIAL.encode() not in data, path.name
        assert ARTIST.encode() not in data, path.name
        assert b"Exif\x00\x00" not in data, path.name
    assert found == {
        "photo-400w.webp": ("WEBP", (400, 250)),
        "photo-800w.webp": ("WEBP", (800, 500)),
        "photo-1200w.webp": ("WEBP", (1200, 750)),
        "photo-1600w.webp": ("WEBP", (1600, 1000)),
        "photo-400w.jpg": ("JPEG", (400, 250)),
        "photo-800w.jpg": ("JPEG", (800, 500)),
        "photo-1200w.jpg": ("JPEG", (1200, 750)),
        "photo.jpg": ("JPEG", (1600, 1000)),
        "photo-og.jpg": ("JPEG", (1200, 630)),
    }
    page = (root / "output/stories/a/index.html").read_text()
    hero = re.search(r'<figure class="story__figure[^>]*>\s*<img [^>]*>', page)
    assert hero is not None
    assert 'src="/media/stories/images/photo.jpg"' in hero.group(0)
    assert 'srcset="/media/stories/images/photo-400w.webp 400w, ' in hero.group(0)
    assert 'sizes="(min-width: 66rem) 62rem, 100vw"' in hero.group(0)
    assert 'width="1600" height="1000"' in hero.group(0)
    assert "loading=" not in hero.group(0)  # above the fold
    inline = re.search(r'<img alt="Harbour"[^>]*>', page)
    assert inline is not None
    for attribute in ('loading="lazy"', 'width="1600"', 'height="1000"', "srcset=", "sizes="):
        assert attribute in inline.group(0)
    assert (
        '<meta property="og:image" content="https://careers.test.example/media/stories/images/'
        'photo-og.jpg">' in page
    )
    card = re.search(r'<img class="card__image"[^>]*>', (root / "output/index.html").read_text())
    assert card is not None and 'loading="lazy"' in card.group(0) and "srcset=" in card.group(0)


def test_exif_orientation_is_applied(site) -> None:
    root = site({
        "content/stories/a.md": image_story(),
        "content/stories/images/photo.jpg": jpeg((600, 400), exif=True, orientation=6),
    })  # fmt: skip
    result = run_build(root)
    assert result.ok, result.diagnostics
    with PILImage.open(root / "output/media/stories/images/photo.jpg") as picture:
        assert picture.size == (400, 600)
    page = (root / "output/stories/a/index.html").read_text()
    assert 'width="400" height="600"' in page


def test_png_with_alpha_keeps_png_and_transparency(site) -> None:
    root = site({
        "content/stories/a.md": image_story(image="images/logo.png"),
        "content/stories/images/logo.png": png_with_alpha(),
    })  # fmt: skip
    assert run_build(root).ok
    media = root / "output/media/stories/images"
    with PILImage.open(media / "logo.png") as picture:
        assert picture.mode == "RGBA" and picture.size == (500, 400)
    with PILImage.open(media / "logo-400w.webp") as picture:
        assert picture.mode == "RGBA"
    with PILImage.open(media / "logo-og.png") as picture:
        assert picture.size == (1200, 630)


def test_value_body_images_are_processed(site) -> None:
    value = "---\ntitle: Craft\n---\nWe build.\n\n![Workshop](images/shop.jpg)\n"
    root = site({
        "content/values/craft.md": value,
        "content/values/images/shop.jpg": jpeg((900, 600)),
        "content/stories/a.md": story(),
    })  # fmt: skip
    result = run_build(root)
    assert result.ok, result.diagnostics
    page = (root / "output/values/craft/index.html").read_text()
    assert 'src="/media/values/images/shop.jpg"' in page
    assert "/media/values/images/shop-400w.webp 400w" in page
    assert (root / "output/media/values/images/shop-400w.jpg").is_file()


def test_second_build_uses_the_cache(site, monkeypatch) -> None:
    root = site({
        "content/stories/a.md": image_story(),
        "content/stories/images/photo.jpg": jpeg(exif=True),
    })  # fmt: skip
    calls: list[int] = []
    real = images.make_variants

    def counting(data: bytes, variants: object, *budget: object) -> list[bytes]:
        calls.append(len(data))
        return real(data, variants, *budget)  # type: ignore[arg-type]

    monkeypatch.setattr(images, "make_variants", counting)
    assert run_build(root).ok
    assert len(calls) == 1
    first = {p.name: p.read_bytes() for p in (root / "output/media/stories/images").iterdir()}
    entries = list((root / images.IMAGE_CACHE_DIR).glob("*/*"))
    assert len(entries) == 1 and (entries[0] / "done").is_file()
    assert run_build(root).ok
    assert len(calls) == 1, "the unchanged picture was processed again"
    second = {p.name: p.read_bytes() for p in (root / "output/media/stories/images").iterdir()}
    assert first == second
    # A changed picture gets a new cache entry; a changed width list too.
    (root / "content/stories/images/photo.jpg").write_bytes(jpeg((1500, 1000)))
    assert run_build(root).ok
    assert len(calls) == 2
    (root / "site.toml").write_text(SITE_TOML + "\n[images]\nwidths = [300]\n")
    assert run_build(root).ok
    assert len(calls) == 3
    assert sorted(p.name for p in (root / "output/media/stories/images").iterdir()) == [
        "photo-300w.webp", "photo-og.jpg", "photo.jpg",
    ]  # fmt: skip


def test_publish_images_reports_cache_hits(site, tmp_path: Path) -> None:
    root = site({"content/stories/a.md": image_story(),
                 "content/stories/images/photo.jpg": jpeg()})  # fmt: skip
    result = run_build(root)
    assert result.site is not None
    cache = tmp_path / "cache"
    _, problems, stats = images.publish_images(root, result.site.images, cache)
    assert (problems, stats.processed, stats.cached) == ([], 1, 0)
    _, problems, stats = images.publish_images(root, result.site.images, cache)
    assert (problems, stats.processed, stats.cached, stats.files) == ([], 0, 1, 9)


def test_truncated_image_is_a_problem_at_file_line(site) -> None:
    data = jpeg()
    root = site({"content/stories/a.md": image_story(),
                 "content/stories/images/photo.jpg": data[: len(data) // 3]})  # fmt: skip
    (root / "output").mkdir()
    (root / "output/.brandsite-output").write_text("")
    (root / "output/old.html").write_text("old")
    result = run_build(root)
    assert codes(result) == ["bad-image"]
    problem = result.diagnostics[0]
    assert problem.location == "content/stories/a.md:5"
    assert problem.message.startswith(
        "the image `images/photo.jpg` cannot be used: it is damaged or incomplete"
    )
    assert (root / "output/old.html").read_text() == "old"  # the old site stays


@pytest.mark.parametrize(
    ("files", "code", "message"),
    [
        ({}, "missing-image", "the image `images/photo.jpg` does not exist"),
        ({"content/stories/images/photo.jpg": b"not a picture"}, "bad-image",
         "the image `images/photo.jpg` cannot be used: this file is not a JPEG, PNG, WebP, GIF "
         "or AVIF picture"),
    ],
)  # fmt: skip
def test_missing_and_unreadable_images(site, files: dict, code: str, message: str) -> None:
    root = site({"content/stories/a.md": image_story(), **files})
    result = run_build(root)
    assert [(d.location, d.code, d.message) for d in result.diagnostics] == [
        ("content/stories/a.md:5", code, message)
    ]


def test_check_command_decodes_uncached_images(site, capsys) -> None:
    from generator.cli import main

    data = jpeg()
    root = site({"content/stories/a.md": image_story(),
                 "content/stories/images/photo.jpg": data[: len(data) // 3]})  # fmt: skip
    code = main(["check", "--root", str(root), "--now", "2026-11-22"])
    err = capsys.readouterr().err
    assert code == 1
    assert "content/stories/a.md:5: error: the image `images/photo.jpg` cannot be used" in err
    assert not (root / images.IMAGE_CACHE_DIR).exists()  # check writes nothing, not even the cache


def test_incremental_build_keeps_processed_pictures(site) -> None:
    from generator.engine.build import build
    from generator.engine.incremental import BuildState
    from generator.engine.records import BuildOptions

    root = site(
        {
            "content/stories/a.md": image_story(),
            "content/stories/images/photo.jpg": jpeg(exif=True),
            **{f"content/stories/s{i}.md": story(title=f"S{i}") for i in range(6)},
        }
    )
    state = BuildState()
    options = BuildOptions(root=root, output=root / "output", now=NOW, today=TODAY)
    first = build(options, state)
    assert first.ok and "media/stories/images/photo-400w.webp" in first.written
    again = build(options, state)
    assert again.ok and again.written == [] and again.mode == ""
    (root / "content/stories/images/photo.jpg").write_bytes(jpeg((1600, 1000), exif=False))
    changed = build(options, state)
    assert changed.ok
    assert "media/stories/images/photo-400w.webp" in changed.written


@pytest.fixture(scope="module")
def phone_photo() -> bytes:
    """A 12,000 × 9,000 (108-megapixel) JPEG, as phones with big sensors save them."""
    picture = PILImage.new("RGB", (12000, 9000), (200, 120, 40))
    picture.paste((30, 90, 160), (0, 0, 6000, 3000))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=80)
    return buffer.getvalue()


def test_a_108_megapixel_phone_photo_is_processed_decoded_reduced(site, phone_photo) -> None:
    from generator.pictures.opening import DecodeBudget

    root = site({"content/stories/a.md": image_story(),
                 "content/stories/images/photo.jpg": phone_photo})  # fmt: skip
    result = run_build(root)
    assert result.ok, result.diagnostics
    with PILImage.open(root / "output/media/stories/images/photo.jpg") as picture:
        assert picture.size == (1600, 1200)
        assert picture.getpixel((100, 100)) == pytest.approx((30, 90, 160), abs=8)
    assert result.site is not None
    budget = DecodeBudget()
    _, problems, stats = images.publish_images(
        root, result.site.images, root / "fresh-cache", budget=budget
    )
    assert problems == [] and stats.processed == 1
    # Decoded at a quarter of each side (3,000 × 2,250), not at 108 megapixels.
    assert budget.peak == 3000 * 2250


def test_exif_rotation_survives_reduced_decoding(site) -> None:
    # 4,000 × 3,000 held sideways (orientation 6: turn a quarter clockwise); the blue block is
    # in the top left of the stored pixels, so in the top right once upright.
    root = site({"content/stories/a.md": image_story(),
                 "content/stories/images/photo.jpg": jpeg((4000, 3000), exif=True, orientation=6)})  # fmt: skip
    result = run_build(root)
    assert result.ok, result.diagnostics
    with PILImage.open(root / "output/media/stories/images/photo.jpg") as picture:
        assert picture.size == (1600, 2133)
        assert picture.getpixel((1500, 100)) == pytest.approx((30, 90, 160), abs=8)
        assert picture.getpixel((100, 100)) == pytest.approx((200, 120, 40), abs=8)
        assert not picture.getexif()
    page = (root / "output/stories/a/index.html").read_text()
    assert 'width="1600" height="2133"' in page


@pytest.mark.skipif("AVIF" not in allowed_formats(), reason="this Pillow cannot read AVIF")
def test_avif_pictures_are_processed(site) -> None:
    buffer = io.BytesIO()
    PILImage.new("RGB", (900, 600), (200, 120, 40)).save(buffer, "AVIF")
    root = site({"content/stories/a.md": image_story(image="images/photo.avif"),
                 "content/stories/images/photo.avif": buffer.getvalue()})  # fmt: skip
    result = run_build(root)
    assert result.ok, result.diagnostics
    media = root / "output/media/stories/images"
    # 800 is within 15% of the full 900: no copy of its own. AVIF copies are JPEG and WebP.
    assert sorted(p.name for p in media.iterdir()) == [
        "photo-400w.jpg", "photo-400w.webp", "photo-900w.webp", "photo-og.jpg", "photo.jpg",
    ]  # fmt: skip


def test_a_camera_mpo_photo_is_a_still_not_an_animation(site) -> None:
    # Cameras and some phones store a preview or depth map after the photo (MPO).
    buffer = io.BytesIO()
    first = PILImage.new("RGB", (900, 600), (200, 120, 40))
    first.save(buffer, "MPO", save_all=True, append_images=[PILImage.new("RGB", (90, 60))])
    root = site({"content/stories/a.md": image_story(),
                 "content/stories/images/photo.jpg": buffer.getvalue()})  # fmt: skip
    result = run_build(root)
    assert result.ok, result.diagnostics
    with PILImage.open(root / "output/media/stories/images/photo-400w.jpg") as picture:
        assert picture.size == (400, 267) and picture.format == "JPEG"


def test_every_broken_picture_of_every_story_is_reported_in_one_run(site, capsys) -> None:
    from generator.cli import main

    truncated = jpeg()[:2000]
    eps = b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n{ } loop\n"
    root = site({
        # a.md: a missing lead picture (line 5) and a truncated one in the text (line 11).
        "content/stories/a.md": image_story(body="Text.\n\n![Cut off](images/cut.jpg)",
                                            image="images/gone.jpg"),
        "content/stories/images/cut.jpg": truncated,
        # b.md: PostScript named .jpg (line 5), and an unknown field as well (line 7).
        "content/stories/b.md": image_story(image="images/ps.jpg").replace(
            "values:", "colour: blue\nvalues:"),
        "content/stories/images/ps.jpg": eps,
    })  # fmt: skip
    expected = [
        ("content/stories/a.md:5", "missing-image"),
        ("content/stories/a.md:11", "bad-image"),
        ("content/stories/b.md:5", "bad-image"),
        ("content/stories/b.md:7", "unknown-field"),
    ]
    result = run_build(root)
    assert [(d.location, d.code) for d in sorted(result.diagnostics)] == expected
    cut = next(d for d in result.diagnostics if d.location == "content/stories/a.md:11")
    assert cut.message == (
        "the image `images/cut.jpg` cannot be used: it is damaged or incomplete "
        "(the file ends too early; was it copied or downloaded completely?)"
    )
    # `check` finds the same, in the same one run.
    assert main(["check", "--root", str(root), "--now", "2026-11-22"]) == 1
    err = capsys.readouterr().err
    assert [line.split(": error")[0] for line in err.splitlines() if ": error:" in line] == [
        f"{n}. {location}" for n, (location, _) in enumerate(expected, 1)
    ]
    assert not (root / images.IMAGE_CACHE_DIR).exists()
