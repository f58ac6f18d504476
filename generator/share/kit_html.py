"""The share kit as HTML pages: one per story and an index, for HR and the people who post.

Self-contained: inline CSS, one small inline script for the copy buttons (the texts stay in
selectable text areas without it), the card as a local file, and a Content-Security-Policy that
lets the page load nothing from any host, so it can be opened from a file share or mailed around.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

import jinja2

from .kit import ShareKit

STYLE = """
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1b2a36;
background:#fafbfc;margin:0 auto;max-width:60rem;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0}h2{margin-top:2rem;border-bottom:2px solid #0a5c78}
img{max-width:100%;height:auto;border:1px solid #c5ced6}
textarea{width:100%;box-sizing:border-box;font:inherit;padding:.5rem;min-height:8rem}
.post{margin:1rem 0 1.5rem}.meta{color:#4a5864;font-size:.9rem}
.over{color:#a14a00;font-weight:bold}button{font:inherit;padding:.2rem .8rem}
ul.stories{list-style:none;padding:0}ul.stories li{margin:0 0 1.5rem}
ul.stories img{width:300px;display:block}code{word-break:break-all}
""".strip()

SCRIPT = """
document.querySelectorAll("button[data-copy]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    var field = document.getElementById(button.getAttribute("data-copy"));
    var done = function () { button.textContent = "Copied"; };
    if (navigator.clipboard) {
      navigator.clipboard.writeText(field.value).then(done, function () {
        field.select(); document.execCommand("copy"); done();
      });
    } else { field.select(); document.execCommand("copy"); done(); }
  });
});
""".strip()


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


CSP = (
    "default-src 'none'; img-src 'self' file:; "
    f"style-src {_sha256(STYLE)}; script-src {_sha256(SCRIPT)}; "
    "base-uri 'none'; form-action 'none'"
)
"""Nothing from any host: the card from the kit's own folder, the inline style and script by hash."""

HEAD = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>{{ page_title }}</title>
<style>{{ style|safe }}</style>
</head>
<body>
"""

STORY_PAGE = (
    HEAD
    + """<p><a href="../index.html">All stories</a></p>
<h1 lang="{{ story.lang }}">{{ story.title }}</h1>
<p class="meta">{{ story.person }}{% if story.role %}, {{ story.role }}{% endif %} ·
<a href="{{ story.url }}">{{ story.url }}</a></p>
{% if card %}<p><img src="{{ card }}" width="1200" height="630"
alt="The share image of this story"><br><a href="{{ card }}" download>Download the share image</a>
(1200 × 630, for posts that take a picture)</p>{% endif %}
<p>Every text below has its own link: the network can tell which text brought visitors, never who
posted it. Edit them as you like; the counts show each network's limit.</p>
{% for group in kit.posts %}
<h2 id="{{ group.platform.key }}">{{ group.platform.name }}</h2>
{% if not group.platform.links_in_text %}<p class="meta">Links in Instagram captions cannot be
clicked: put this one into the bio or a link sticker:
<code>{{ group.suggestions[0].link }}</code></p>{% endif %}
{% for s in group.suggestions %}{% set id = group.platform.key ~ "-" ~ s.variant %}
<div class="post">
<label for="{{ id }}">{{ labels.get(s.variant, "Planned post") }}{% if s.planned %}
for {{ s.planned.on.isoformat() }}{% endif %}</label>
<textarea id="{{ id }}" lang="{{ story.lang }}" rows="{{ rows(s.text) }}" readonly>{{ s.text }}</textarea>
<span class="meta{% if not s.within(group.platform) %} over{% endif %}">{{ s.length }} /
{{ group.platform.limit }} {{ group.platform.unit }}{% if not s.within(group.platform) %}: too
long for {{ group.platform.name }}, shorten it in the front matter{% endif %}</span>
<button type="button" data-copy="{{ id }}" hidden>Copy</button>
</div>
{% endfor %}{% endfor %}
<h2 id="links">Share links</h2>
<ul>
{% for link in kit.links %}<li>{% if link.url %}<a href="{{ link.url }}" rel="noreferrer">
{{ link.name }}</a>{% else %}{{ link.name }}: {{ link.note }}{% endif %}</li>
{% endfor %}</ul>
<script>{{ script|safe }}</script>
</body>
</html>
"""
)

INDEX_PAGE = (
    HEAD
    + """<h1>Share kit: {{ site_title }}</h1>
<p>Suggested posts, tagged links and the share image of every published story. This folder is
not part of the site; pass it on to the people who post.</p>
<ul class="stories">
{% for entry in entries %}<li><a href="{{ entry.slug }}/index.html">
{% if entry.card %}<img src="{{ entry.slug }}/{{ entry.card }}" width="1200" height="630" alt="">
{% endif %}<span lang="{{ entry.lang }}">{{ entry.title }}</span></a>
<span class="meta">{{ entry.person }}</span></li>
{% endfor %}</ul>
{% if not entries %}<p>No story is published yet.</p>{% endif %}
</body>
</html>
"""
)

LABELS = {
    "story": "Title and summary",
    "voice": "In the person's words",
    "value": "What the value means",
}


@dataclass(frozen=True)
class IndexEntry:
    """One story on the kit's index page."""

    slug: str
    title: str
    person: str
    lang: str
    card: str
    """File name of the card in the story's folder, or "" when it could not be drawn."""


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        autoescape=True, undefined=jinja2.StrictUndefined, keep_trailing_newline=True
    )
    env.globals.update(csp=CSP, style=STYLE, script=SCRIPT, labels=LABELS, rows=_rows)
    return env


def render_kit_page(kit: ShareKit, card: str) -> str:
    """The kit page of one story; ``card`` is the card's file name beside it, or ""."""
    template = _environment().from_string(STORY_PAGE)
    return template.render(kit=kit, story=kit.story, card=card, page_title=_title(kit))


def render_kit_index(entries: Sequence[IndexEntry], site_title: str) -> str:
    """The index of every story's kit."""
    template = _environment().from_string(INDEX_PAGE)
    return template.render(
        entries=entries, site_title=site_title, page_title=f"Share kit: {site_title}"
    )


def _title(kit: ShareKit) -> str:
    return f"Share kit: {kit.story.title}"


def _rows(text: str) -> int:
    return min(16, max(3, text.count("\n") + len(text) // 80 + 1))
