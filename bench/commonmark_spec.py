"""How many of the CommonMark spec's examples brandsite's Markdown converter renders as the spec says.

A measurement, not a test (brandsite reads GitHub's Markdown, not every corner of CommonMark):

    .venv/bin/python bench/commonmark_spec.py                  # total and per section
    .venv/bin/python bench/commonmark_spec.py --failures lists # show the failing examples of a section
    .venv/bin/python bench/commonmark_spec.py --spec path/to/spec.txt

The examples come from the ``commonmark-spec`` npm package (0.31.2, 652 examples; CC BY-SA 4.0):
without ``--spec``, ``npm pack commonmark-spec@0.31.2`` fetches it into ``bench/work/``.

What is measured is the converter's Markdown configuration (its extensions, in the order
``generator.markdown.convert`` registers them) with raw HTML passed through as Python-Markdown reads it;
brandsite's site policies on top (raw HTML escaped or sanitised, heading demotion, ``rel`` on
links, picture attributes) are not applied, and heading ids are ignored in the comparison.
The HTML comparison normalises as the spec's own test runner does (whitespace between tags,
attribute order, character references), and a code block's last newline (which no browser
shows) is ignored.
"""

from __future__ import annotations

import argparse
import html
import re
import subprocess
import sys
import tarfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import markdown as python_markdown  # noqa: E402

VERSION = "0.31.2"
WORK = REPO / "bench" / "work"
_EXAMPLE_RE = re.compile(
    r"^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$|^#{1,6} *(.*)$", re.MULTILINE
)
_BLOCK_TAGS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "body",
        "caption",
        "center",
        "col",
        "colgroup",
        "dd",
        "details",
        "dialog",
        "dir",
        "div",
        "dl",
        "dt",
        "fieldset",
        "figcaption",
        "figure",
        "footer",
        "form",
        "frame",
        "frameset",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "head",
        "header",
        "hr",
        "html",
        "iframe",
        "legend",
        "li",
        "link",
        "main",
        "menu",
        "menuitem",
        "meta",
        "nav",
        "noframes",
        "ol",
        "optgroup",
        "option",
        "p",
        "param",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "title",
        "tr",
        "track",
        "ul",
    ]
)


def spec_text(path: Path | None) -> str:
    """The spec's text: from ``path``, or from the npm package (fetched once into bench/work)."""
    if path is not None:
        return path.read_text(encoding="utf-8")
    cached = WORK / f"commonmark-spec-{VERSION}" / "spec.txt"
    if not cached.exists():
        WORK.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["npm", "pack", f"commonmark-spec@{VERSION}", "--pack-destination", str(WORK)],
            check=True,
            capture_output=True,
        )
        with tarfile.open(WORK / f"commonmark-spec-{VERSION}.tgz") as archive:
            member = archive.extractfile("package/spec.txt")
            assert member is not None
            cached.parent.mkdir(parents=True, exist_ok=True)
            cached.write_bytes(member.read())
    return cached.read_text(encoding="utf-8")


def examples(text: str) -> list[tuple[int, str, str, str]]:
    """(number, section, markdown, html) of every example, as the spec's own extractor reads them."""
    text = re.sub(r"^<!-- END TESTS -->[\s\S]*", "", text.replace("\r\n", "\n"), flags=re.M)
    found, section = [], ""
    for match in _EXAMPLE_RE.finditer(text):
        if match.group(3) is not None:
            section = match.group(3)
            continue
        markdown_text, expected = (g.replace("→", "\t") for g in match.group(1, 2))
        found.append((len(found) + 1, section, markdown_text, expected))
    return found


def converter() -> python_markdown.Markdown:
    """Python-Markdown with the extensions brandsite's converter uses (raw HTML as it reads it)."""
    from generator.markdown import convert as brandsite_markdown
    from generator.markdown.embeds import EmbedExtension

    extensions: list[object] = [*brandsite_markdown.EXTENSIONS]
    configs: dict[str, dict[str, object]] = {"toc": {"permalink": False}}
    try:  # the converter's own extensions (absent before they existed, for a baseline)
        from generator.markdown.ext import EXTENSION_CONFIGS, own_extensions

        extensions += own_extensions(lambda: "en")
        configs = EXTENSION_CONFIGS
    except ImportError:
        pass
    extensions.append(EmbedExtension(lambda: "en"))
    return python_markdown.Markdown(
        extensions=extensions, extension_configs=configs, output_format="html"
    )


class _Normaliser(HTMLParser):
    """The spec runner's normalisation: whitespace, attribute order, entities; heading ids out."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.out: list[str] = []
        self.last = "starttag"
        self.in_pre = False

    def handle_data(self, data: str) -> None:
        after_block = self.last in {"starttag", "endtag"} and self.out and self._after_block()
        if not self.in_pre:
            data = re.sub(r"\s+", " ", data)
            if after_block:
                data = data.lstrip()
        self.out.append(html.escape(html.unescape(data), quote=False))
        self.last = "data"

    def _after_block(self) -> bool:
        tag = re.match(r"</?([a-z0-9]+)", self.out[-1])
        return bool(tag and tag.group(1) in _BLOCK_TAGS)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "pre":
            self.in_pre = True
        if tag in _BLOCK_TAGS and self.out and self.last == "data":
            self.out[-1] = self.out[-1].rstrip()
        kept = sorted(
            (name, value)
            for name, value in attrs
            if not (re.fullmatch(r"h[1-6]", tag) and name == "id")
        )
        text = "".join(
            f' {name}="{html.escape(html.unescape(value), quote=True)}"'
            if value is not None
            else f" {name}"
            for name, value in kept
        )
        self.out.append(f"<{tag}{text}>")
        self.last = "starttag"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "pre":
            self.in_pre = False
        if tag in _BLOCK_TAGS and self.out and self.last == "data":
            self.out[-1] = self.out[-1].rstrip()
        self.out.append(f"</{tag}>")
        self.last = "endtag"

    def handle_entityref(self, name: str) -> None:
        self.handle_data(f"&{name};")

    def handle_charref(self, name: str) -> None:
        self.handle_data(f"&#{name};")

    def handle_comment(self, data: str) -> None:
        self.out.append(f"<!--{data}-->")
        self.last = "comment"

    def handle_decl(self, decl: str) -> None:
        self.out.append(f"<!{decl}>")

    def handle_pi(self, data: str) -> None:
        self.out.append(f"<?{data}>")


def normalise(text: str) -> str:
    """``text`` (HTML) normalised for comparison."""
    parser = _Normaliser()
    # A code block's last newline is not shown; Python-Markdown's code blocks leave it out.
    text = re.sub(r"\n</code></pre>", "</code></pre>", text)
    parser.feed(text.replace("<br />", "<br>").replace("/>", ">"))
    parser.close()
    return "".join(parser.out).strip()


def main() -> int:
    """Convert every example, compare, print the pass rate (total and per section)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spec", type=Path, help="spec.txt (default: the npm package)")
    parser.add_argument("--failures", metavar="SECTION", help="print this section's failures")
    args = parser.parse_args()
    md = converter()
    passed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    for number, section, source, expected in examples(spec_text(args.spec)):
        try:
            actual = md.reset().convert(source)
        except Exception as exc:  # a crash is a failure of that example, not of the run
            actual = f"<crash {type(exc).__name__}>"
        ok = normalise(actual) == normalise(expected)
        total[section] += 1
        passed[section] += ok
        if not ok and args.failures and section.lower() == args.failures.lower():
            print(f"--- example {number}\n{source}--- expected\n{expected}--- got\n{actual}\n")
    width = max(map(len, total))
    for section in total:
        print(f"{section:<{width}}  {passed[section]:>3}/{total[section]:<3}")
    all_passed, all_total = sum(passed.values()), sum(total.values())
    print(f"{'total':<{width}}  {all_passed}/{all_total} ({100 * all_passed / all_total:.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
