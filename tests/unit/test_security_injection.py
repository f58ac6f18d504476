"""Script injection in every field and in the body: none survives into pages or feeds.

Pages are parsed as a browser would (html5lib); feeds as XML, then their HTML the same way.
"""

from __future__ import annotations

import json

import pytest
import yaml
from property.security_checks import unsafe_feed, unsafe_html

from conftest import run_build

PAYLOADS = (
    "<script>alert(1)</script>",
    '"><img src=x.png onerror=alert(1)>',  # a picture that exists: raw <img> is checked
    "'><svg onload=alert(1)>",
    "</script><script>alert(1)</script>",
    "</title><script>alert(1)</script>",
    "javascript:alert(1)",
    "{{ 7*7 }}{% raw %}",
    "]]><script>alert(1)</script>",
    "\u2028\u2029</script>",
)
PAYLOAD = " ".join(PAYLOADS)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS"
    b"\xde\x00\x00\x00\x0cIDATx\x9cc\xf8\xcf\xc0\x00\x00\x03\x01\x01\x00\xc9\xfe\x92\xef\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
"""A 1×1 picture."""
BODY = """\
Intro with {payload}.

<script>alert("raw")</script>
<div onclick="alert(1)"><a href="javascript:alert(1)">raw link</a></div>
<img src="data:text/html;base64,PHNjcmlwdD4=" onerror="alert(1)">
<iframe src="https://evil.example/"></iframe><form action="javascript:alert(1)"><button>x</button></form>
<a href="java&#115;cript:alert(1)">entity</a> <a href="javascript&colon;alert(1)">colon</a>
<meta http-equiv="refresh" content="0;url=javascript:alert(1)">
<figure class="embed" data-embed-src="javascript:alert(1)">forged embed</figure>

[plain](javascript:alert(1)) [tab](java\tscript:alert(1)) [entity](java&#115;cript:alert(1))
[colon](javascript&colon;alert(1)) [data](data:text/html,<script>alert(1)</script>)
[vb](vbscript:msgbox(1)) [ref][r] <javascript:alert(1)> [ok](https://example.org/)

![img](javascript:alert(1)) ![data](data:image/svg+xml;base64,PHN2Zz4=) ![x](&#100;ata:text/html,x)

[r]: javascript:alert(1)

~~~ {{.py onclick="alert(1)"}}
<script>alert("in code")</script>
~~~

`<script>alert("inline code")</script>`
"""


def hostile_site(site, mode: str):  # type: ignore[no-untyped-def]
    story = {
        "title": PAYLOAD,
        "author": PAYLOAD,
        "role": PAYLOAD,
        "team": PAYLOAD,
        "location": PAYLOAD,
        "summary": PAYLOAD,
        "date": "2026-01-10",
        "values": ["craft", "care"],
        "extra": {"quote": PAYLOAD, PAYLOAD: [PAYLOAD]},
    }
    value = {
        "title": PAYLOAD,
        "summary": PAYLOAD,
        "order": 3,
        "slug": "craft",
        "extra": {"x": PAYLOAD},
    }
    toml_payload = json.dumps(PAYLOAD)  # a TOML basic string is JSON-compatible here
    config = f"""\
title = {toml_payload}
company = {toml_payload}
description = {toml_payload}
base_url = "https://careers.test.example/"
language = "en"
[markdown]
html = "{mode}"
[brand]
cta_label = {toml_payload}
cta_url = "https://jobs.example.org/?q=%22%3E"
[brand.social]
linkedin = "https://www.linkedin.example/company/x?a=1&b=%3Cscript%3E"
[extra]
hero_title = {toml_payload}
hero_text = {toml_payload}
"""
    body = BODY.format(payload=PAYLOAD)
    return site(
        {
            "content/stories/hostile.md": "---\n" + yaml.safe_dump(story) + "---\n" + body,
            "content/values/craft.md": "---\n" + yaml.safe_dump(value) + "---\n" + body,
            "content/stories/x.png": PNG,
            "content/values/x.png": PNG,
        },
        config,
    )


@pytest.mark.parametrize("mode", ["escape", "safe"])
def test_no_script_survives_in_pages_or_feeds(site, mode: str) -> None:
    root = hostile_site(site, mode)
    result = run_build(root)
    assert result.ok, result.diagnostics
    output = root / "output"
    pages = sorted(output.rglob("*.html"))
    feeds = sorted(output.rglob("*.xml"))
    assert len(pages) >= 6 and len(feeds) >= 3
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert unsafe_html(text) == [], page.relative_to(output)
        assert "<" not in _script_text(text), page.relative_to(output)  # JSON-LD escapes it
    for feed in feeds:
        if feed.name == "feed.xml":
            assert unsafe_feed(feed.read_text(encoding="utf-8")) == [], feed.relative_to(output)
    story = (output / "stories/hostile/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in story  # shown as text, not dropped
    assert 'href="https://example.org/" rel="noopener noreferrer"' in story


def _script_text(html: str) -> str:
    """Text of every script element (JSON-LD data blocks: theme scripts are files)."""
    import html5lib

    document = html5lib.parse(html, namespaceHTMLElements=False)
    return "".join(el.text or "" for el in document.iter("script"))


def test_theme_sends_a_strict_csp_and_referrer_policy(site) -> None:
    import html5lib

    root = hostile_site(site, "escape")
    assert run_build(root).ok
    for page in (root / "output").rglob("*.html"):
        document = html5lib.parse(page.read_text(encoding="utf-8"), namespaceHTMLElements=False)
        metas = {
            (m.get("http-equiv") or m.get("name") or "").lower(): m.get("content") or ""
            for m in document.iter("meta")
        }
        csp = metas["content-security-policy"]
        directives = dict(d.strip().partition(" ")[::2] for d in csp.split(";") if d.strip())
        assert directives["script-src"] == "'self'"  # no 'unsafe-inline', no other host
        assert directives["object-src"] == "'none'" and directives["base-uri"] == "'self'"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert metas["referrer"] in {
            "strict-origin-when-cross-origin",
            "no-referrer",
            "same-origin",
        }


def test_unsafe_brand_links_are_refused(site) -> None:
    root = site(
        {},
        'title = "T"\ncompany = "C"\nbase_url = "https://careers.test.example/"\n'
        '[brand]\ncta_url = "javascript:alert(1)"\n[brand.social]\nx = "java&#115;cript:alert(1)"\n',
    )
    result = run_build(root)
    assert not result.ok
    assert [d.code for d in result.diagnostics].count("bad-brand-value") == 2
