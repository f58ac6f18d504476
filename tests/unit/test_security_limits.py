"""Absurd input is a clear problem, never a crash, a hang or exhausted memory."""

from __future__ import annotations

import io
import os
import zlib

import pytest
from PIL import Image as PILImage

from conftest import SITE_TOML, codes, run_build, story
from generator.content.entries import parse_story
from generator.content.frontmatter import MAX_DEPTH, parse_front_matter
from generator.content.loading import SourceFile, probe_images


def problems_of(text: str) -> list[tuple[str, int]]:
    _, problems = parse_front_matter(text, "content/stories/a.md")
    return [(p.code, p.line) for p in problems]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("---\ntitle: x\nb: &a [1]\nc: *a\n---\n", [("yaml-alias", 4)]),
        ("---\na: &a [*a]\n---\n", [("yaml-alias", 2)]),
        (
            "---\nl0: &l0 [x, x, x]\nl1: &l1 [*l0, *l0, *l0]\nl2: [*l1, *l1, *l1]\n---\n",
            [("yaml-alias", 3)],
        ),
        ("---\nx: " + "[" * 100_000 + "]" * 100_000 + "\n---\n", [("yaml-too-deep", 2)]),
        (
            "---\n" + "".join(" " * i + "a:\n" for i in range(200)) + "---\n",
            [("yaml-too-deep", 34)],
        ),
        ("---\norder: " + "9" * 5000 + "\n---\n", [("bad-yaml", 2)]),
        ("---\nx: !!python/object/apply:os.system [ls]\n---\n", [("bad-yaml", 2)]),
    ],
)
def test_yaml_bombs_are_problems(text: str, expected: list[tuple[str, int]]) -> None:
    assert problems_of(text) == expected


def test_nesting_up_to_the_limit_is_fine() -> None:
    levels = MAX_DEPTH - 1  # the front matter mapping itself is the first level
    text = "---\nx: " + "[" * levels + "]" * levels + "\n---\n"
    assert problems_of(text) == []


def test_a_story_over_the_size_limit_is_a_problem_not_a_slow_build(site) -> None:
    big = story(body="word " * 14_000)  # 70 KB
    root = site({"content/stories/big.md": big})
    result = run_build(root)
    assert [(d.code, d.source) for d in result.diagnostics] == [
        ("file-too-large", "content/stories/big.md")
    ]
    assert "64 KiB" in result.diagnostics[0].message
    assert "max_story_kb" in result.diagnostics[0].hint


def test_the_size_limit_is_a_setting(site) -> None:
    root = site({"content/stories/big.md": story(body="word " * 14_000)},
                SITE_TOML + "[limits]\nmax_story_kb = 128\n")  # fmt: skip
    assert run_build(root).ok


@pytest.mark.parametrize(
    ("setting", "code"),
    [
        ('[markdown]\nhtml = "raw"\n', "bad-setting-value"),
        ("[markdown]\nhtml = 1\n", "bad-setting-type"),
        ("[limits]\nmax_story_kb = 0\n", "bad-setting-value"),
        ("[limits]\nmax_story_kb = 100000000\n", "bad-setting-value"),
        ("[limits]\nmax_image_mb = 5\n", "unknown-setting"),
    ],
)
def test_security_settings_are_checked(site, setting: str, code: str) -> None:
    result = run_build(site({}, SITE_TOML + setting))
    assert codes(result) == [code] and result.config_error


def test_control_characters_are_problems_with_their_line(site) -> None:
    root = site({"content/stories/a.md": story(body="fine\nbell \x07 here")})
    result = run_build(root)
    assert [(d.code, d.line) for d in result.diagnostics] == [("control-character", 8)]
    assert "U+0007" in result.diagnostics[0].message


def test_control_characters_in_settings_are_refused(site) -> None:
    config = SITE_TOML.replace('title = "Careers at Testco"', 'title = "Careers\\u0001"')
    assert codes(run_build(site({}, config))) == ["bad-setting-value"]


def test_a_pipe_named_like_a_story_is_never_opened(site) -> None:
    root = site({})
    os.mkfifo(root / "content/values/pipe.md")
    result = run_build(root)  # reading it would block the build forever
    assert [(d.code, d.source) for d in result.diagnostics] == [
        ("not-a-file", "content/values/pipe.md")
    ]


def test_pathological_markdown_is_a_problem_at_its_line(site) -> None:
    root = site({"content/stories/a.md": story(body="Fine.\n\n" + "[" * 5000)})
    result = run_build(root)
    assert [(d.code, d.line) for d in result.diagnostics] == [("markdown-too-complex", 9)]


def test_many_unknown_fields_stay_fast() -> None:
    text = "---\n" + "".join(f"k{i}: v\n" for i in range(5000)) + "---\nbody"
    _, problems = parse_story(SourceFile("content/stories/a.md", text))
    assert len(problems) > 5000 - 10


def png(size: tuple[int, int]) -> bytes:
    buffer = io.BytesIO()
    PILImage.new("L", size).save(buffer, "PNG")
    return buffer.getvalue()


def test_decompression_bombs_are_refused_from_the_header(tmp_path) -> None:
    (tmp_path / "content").mkdir()
    # A tiny file that claims 20,000 × 20,000 pixels: rewrite the PNG header's size fields.
    data = bytearray(png((10, 10)))
    data[16:24] = (20_000).to_bytes(4, "big") + (20_000).to_bytes(4, "big")
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    (tmp_path / "content/bomb.png").write_bytes(bytes(data))
    facts = probe_images(tmp_path, ["content/bomb.png"])
    assert "a PNG picture may have at most 64 megapixels" in str(facts["content/bomb.png"])


@pytest.mark.parametrize(
    ("svg", "reason"),
    [
        ('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
        ('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event attribute"),
        ('<svg xmlns="http://www.w3.org/2000/svg"><foreignObject/></svg>', "<foreignObject>"),
        (
            '<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            '<a x:href="javascript:alert(1)"><text>t</text></a></svg>',
            "refers to another file or address (`javascript:alert(1)`)",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><a href="java&#115;cript:x"/></svg>',
            "`javascript:x`",
        ),
        (
            '<svg xmlns="http://www.w3.org/2000/svg"><set attributeName="href" to="x"/></svg>',
            "animates a link",
        ),
        ('<!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg"/>', "DOCTYPE"),
        ("<svg", "not a readable SVG"),
    ],
)
def test_svgs_that_could_run_script_are_refused(tmp_path, svg: str, reason: str) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/x.svg").write_text(svg)
    assert reason in str(probe_images(tmp_path, ["content/x.svg"])["content/x.svg"])


def test_a_plain_svg_is_fine(tmp_path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "content/x.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><a href="#t">'
        '<rect width="10" height="10" style="fill:red"/></a></svg>'
    )
    assert probe_images(tmp_path, ["content/x.svg"])["content/x.svg"].format == "SVG"


@pytest.mark.parametrize("field", ["title", "author", "role", "image", "summary"])
def test_escaped_control_characters_in_front_matter_are_problems(site, field: str) -> None:
    """Found by the thorough property run: `image: "\\0"` crashed os.stat with a ValueError."""
    text = (
        story()
        .replace("values:", f'{field}: "x\\0y\\ax"\nvalues:')
        .replace(f"{field}: A story\n" if field == "title" else "\0", "")
    )
    result = run_build(site({"content/stories/a.md": text}))
    assert not result.ok
    assert set(codes(result)) <= {"control-character", "image-outside-content", "duplicate-key"}
