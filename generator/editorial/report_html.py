"""The coverage report as one self-contained HTML page: inline CSS and SVG charts, no scripts,
no external requests, so it can be mailed around or opened from a file share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import jinja2
from markupsafe import Markup, escape

from ..roles.model import Job
from .coverage import CoverageReport
from .translations import TranslationStatus

MONTH_NAMES = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip
ALL_TIME_COLOR = "#5f93a8"
"""Lighter teal: 3.4:1 against white, enough for graphics (WCAG 1.4.11)."""
RECENT_COLOR = "#0a5c78"
"""Darker teal: 7.5:1 against white."""
TEXT_COLOR = "#1b2a36"
GAP_COLOR = "#a14a00"
"""Marks a value with no recent story: 6:1 against white."""
CHART_WIDTH = 720


@dataclass(frozen=True)
class Series:
    """One set of bars in a chart."""

    name: str
    color: str


def long_date(day: dt.date) -> str:
    """``22 November 2026`` (explicit month names: independent of the machine's locale)."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def render_report(
    report: CoverageReport,
    site_title: str,
    story_files: int,
    content_lang: str = "en",
    roles_without_story: Sequence[Job] = (),
    translations: TranslationStatus | None = None,
) -> str:
    """The whole report page; its own words are English, ``content_lang`` is the stories'.

    ``roles_without_story``: open roles whose team has no published story (a section of its own).
    ``translations``: on a multilingual site, the stories and translations of each language.
    """
    days = report.window_days
    series = (Series("All time", ALL_TIME_COLOR), Series(f"Last {days} days", RECENT_COLOR))
    gaps = {v.title for v in report.values_without_recent}
    value_chart = bar_chart(
        "chart-values",
        "Published stories per value",
        [(v.title, (v.total, v.recent)) for v in report.values],
        series,
        flagged=gaps,
        flag_text="none recently",
    )
    team_chart = bar_chart(
        "chart-teams",
        "Published stories per team",
        [(t.team, (t.total, t.recent)) for t in report.teams],
        series,
    )
    month_chart = column_chart(
        "chart-months",
        "Published stories per month, last twelve months",
        [(_month_label(m.month, i == 0), m.count) for i, m in enumerate(report.months)],
    )
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
    env.filters["long_date"] = long_date
    return env.from_string(TEMPLATE).render(
        report=report,
        site_title=site_title,
        story_files=story_files,
        content_lang=content_lang,
        days=days,
        value_chart=value_chart,
        team_chart=team_chart,
        month_chart=month_chart,
        series=series,
        gap_color=GAP_COLOR,
        css=Markup(CSS),
        roles_without_story=list(roles_without_story),
        translations=translations,
    )


def bar_chart(
    chart_id: str,
    title: str,
    rows: Sequence[tuple[str, Sequence[int]]],
    series: Sequence[Series],
    flagged: frozenset[str] | set[str] = frozenset(),
    flag_text: str = "",
) -> Markup:
    """Horizontal bars, one group per row, one bar per series, each labelled with its number."""
    label_width, number_width, bar_height, gap = 230, 110, 16, 14
    group = bar_height * len(series) + gap
    height = max(group * len(rows), group) + 8
    area = CHART_WIDTH - label_width - number_width
    top = max([max(values, default=0) for _, values in rows] + [1])
    parts = [_svg_open(chart_id, title, _describe_rows(rows, series), height)]
    for index, (label, values) in enumerate(rows):
        y = 4 + index * group
        middle = y + bar_height * len(series) / 2
        parts.append(
            f'<text x="{label_width - 10}" y="{middle:.1f}" text-anchor="end" '
            f'dominant-baseline="middle">{escape(_shorten(label))}</text>'
        )
        for number, (value, kind) in enumerate(zip(values, series, strict=True)):
            by = y + number * bar_height
            width = area * value / top
            parts.append(
                f'<rect x="{label_width}" y="{by}" width="{width:.1f}" height="{bar_height - 3}" '
                f'fill="{kind.color}"/>'
            )
            text = str(value)
            color = TEXT_COLOR
            if label in flagged and number == len(series) - 1:
                text, color = f"{value} ({flag_text})", GAP_COLOR
            parts.append(
                f'<text x="{label_width + width + 6:.1f}" y="{by + (bar_height - 3) / 2:.1f}" '
                f'dominant-baseline="middle" fill="{color}">{escape(text)}</text>'
            )
    if not rows:
        parts.append(f'<text x="{label_width}" y="20">No data yet</text>')
    parts.append("</svg>")
    return Markup("\n".join(parts))


def column_chart(chart_id: str, title: str, columns: Sequence[tuple[str, int]]) -> Markup:
    """Vertical columns with their number on top and their label below."""
    height, base, head = 220, 190, 24
    slot = CHART_WIDTH / max(len(columns), 1)
    top = max([count for _, count in columns] + [1])
    description = "; ".join(f"{label}: {count}" for label, count in columns)
    parts = [_svg_open(chart_id, title, description, height)]
    parts.append(
        f'<line x1="0" y1="{base}" x2="{CHART_WIDTH}" y2="{base}" stroke="{TEXT_COLOR}" '
        'stroke-width="1"/>'
    )
    for index, (label, count) in enumerate(columns):
        x = index * slot + slot * 0.2
        bar = (base - head) * count / top
        parts.append(
            f'<rect x="{x:.1f}" y="{base - bar:.1f}" width="{slot * 0.6:.1f}" height="{bar:.1f}" '
            f'fill="{RECENT_COLOR}"/>'
        )
        centre = index * slot + slot / 2
        parts.append(
            f'<text x="{centre:.1f}" y="{base - bar - 6:.1f}" text-anchor="middle">{count}</text>'
        )
        parts.append(
            f'<text x="{centre:.1f}" y="{base + 18}" text-anchor="middle">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return Markup("\n".join(parts))


def _svg_open(chart_id: str, title: str, description: str, height: float) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {CHART_WIDTH} {height:.0f}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart">\n'
        f'<title id="{chart_id}-title">{escape(title)}</title>\n'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>'
    )


def _describe_rows(rows: Sequence[tuple[str, Sequence[int]]], series: Sequence[Series]) -> str:
    if not rows:
        return "No data yet."
    return "; ".join(
        f"{label}: "
        + ", ".join(
            f"{kind.name.lower()} {value}" for kind, value in zip(series, values, strict=True)
        )
        for label, values in rows
    )


def _shorten(label: str, limit: int = 30) -> str:
    return label if len(label) <= limit else label[: limit - 1].rstrip() + "…"


def _month_label(first: dt.date, leftmost: bool) -> str:
    """``Mar``; with the year (``Jan 26``) for January and for the leftmost column."""
    name = MONTH_NAMES[first.month - 1][:3]
    return f"{name} {first.year % 100:02d}" if first.month == 1 or leftmost else name


CSS = """
:root { color-scheme: light; }
body { margin: 0; background: #fafbfc; color: #1b2a36;
  font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.25rem 3rem; }
h1 { font-size: 2rem; margin: 0 0 .25rem; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 .75rem; }
.lead { margin: 0 0 1.5rem; color: #3d4f5c; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(10rem, 1fr));
  gap: .75rem; margin: 0; }
.cards div { background: #fff; border: 1px solid #d5dde3; border-radius: .5rem; padding: .75rem 1rem; }
.cards dt { font-size: .9rem; color: #3d4f5c; }
.cards dd { margin: 0; font-size: 2rem; font-weight: 700; }
.cards .gap dd { color: #a14a00; }
.alert { background: #fff4e0; border-left: .35rem solid #a14a00; padding: .75rem 1.25rem;
  margin: 2rem 0 0; border-radius: .25rem; }
.alert h2 { margin-top: .25rem; color: #8a4b00; }
.chart { width: 100%; height: auto; background: #fff; border: 1px solid #d5dde3;
  border-radius: .5rem; font-size: 13px; fill: #1b2a36; }
.legend { display: flex; gap: 1.25rem; list-style: none; padding: 0; margin: .5rem 0; }
.swatch { display: inline-block; width: .9rem; height: .9rem; margin-right: .4rem;
  vertical-align: -.1rem; border-radius: .15rem; }
table { border-collapse: collapse; width: 100%; margin: 1rem 0; background: #fff; }
caption { text-align: left; font-weight: 600; padding: .25rem 0; }
th, td { padding: .4rem .6rem; border-bottom: 1px solid #d5dde3; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tr.gap td:first-child { border-left: .25rem solid #a14a00; }
.none { color: #a14a00; font-weight: 600; }
details { margin: .5rem 0 1rem; }
footer { margin-top: 3rem; font-size: .9rem; color: #3d4f5c; }
"""

TEMPLATE = """\
<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Value coverage: {{ site_title }}</title>
<style>{{ css }}</style>
</head>
<body>
<main>
<h1>Value coverage</h1>
<p class="lead">{{ site_title }}, as of {{ report.today | long_date }}.
&ldquo;Recent&rdquo; means the last {{ days }} days, since {{ report.since | long_date }}.</p>

<dl class="cards">
<div><dt>Published stories</dt><dd>{{ report.published }}</dd></div>
<div><dt>In the last {{ days }} days</dt><dd>{{ report.recent }}</dd></div>
<div><dt>Scheduled</dt><dd>{{ report.scheduled }}</dd></div>
<div><dt>Drafts</dt><dd>{{ report.drafts }}</dd></div>
<div{% if report.values_without_recent %} class="gap"{% endif %}><dt>Values without a recent story</dt>
<dd>{{ report.values_without_recent | length }} of {{ report.values | length }}</dd></div>
</dl>
{% if report.values_without_recent %}
<section class="alert" aria-labelledby="gaps">
<h2 id="gaps">Values that need a story</h2>
<ul>
{% for value in report.values_without_recent %}
<li><strong>{{ value.title }}</strong>:
{% if value.last %}last story {{ value.last.date | long_date }}, {{ value.days_since_last }} days ago{% else %}no story yet{% endif %}
{%- if value.scheduled %}; {{ value.scheduled }} scheduled{% endif %}.</li>
{% endfor %}
</ul>
</section>
{% endif %}

<h2 id="per-value">Stories per value</h2>
<ul class="legend">
{% for s in series %}<li><span class="swatch" style="background: {{ s.color }}"></span>{{ s.name }}</li>
{% endfor %}</ul>
{{ value_chart }}
<table>
<caption>Published stories per value, and the newest of each</caption>
<thead><tr><th scope="col">Value</th><th scope="col" class="num">All time</th>
<th scope="col" class="num">Last {{ days }} days</th><th scope="col" class="num">Scheduled</th>
<th scope="col">Last story</th></tr></thead>
<tbody>
{% for value in report.values %}
<tr{% if not value.recent %} class="gap"{% endif %}><th scope="row">{{ value.title }}</th>
<td class="num">{{ value.total }}</td><td class="num">{{ value.recent }}</td>
<td class="num">{{ value.scheduled }}</td>
<td>{% if value.last %}{% set lang = value.last.lang or content_lang %}<span{% if lang != "en" %} lang="{{ lang }}"{% endif %}>{{ value.last.title }}</span>
({{ value.last.date | long_date }}, {{ value.days_since_last }} days ago){% else %}<span class="none">never</span>{% endif %}</td></tr>
{% endfor %}
</tbody>
</table>

<h2 id="per-month">Stories per month</h2>
{{ month_chart }}
<details>
<summary>The numbers</summary>
<table>
<caption>Published stories per month</caption>
<thead><tr><th scope="col">Month</th><th scope="col" class="num">Stories</th></tr></thead>
<tbody>
{% for month in report.months %}
<tr><th scope="row">{{ month.month.isoformat()[:7] }}</th><td class="num">{{ month.count }}</td></tr>
{% endfor %}
</tbody>
</table>
</details>

<h2 id="per-team">Stories per team</h2>
{{ team_chart }}
<table>
<caption>Published stories per team</caption>
<thead><tr><th scope="col">Team</th><th scope="col" class="num">All time</th>
<th scope="col" class="num">Last {{ days }} days</th></tr></thead>
<tbody>
{% for team in report.teams %}
<tr><th scope="row">{{ team.team }}</th><td class="num">{{ team.total }}</td><td class="num">{{ team.recent }}</td></tr>
{% else %}
<tr><td colspan="3">No published stories yet.</td></tr>
{% endfor %}
</tbody>
</table>

{% if translations %}
<h2 id="languages">Languages and translations</h2>
<table>
<caption>Stories per language, and the state of their translations</caption>
<thead><tr><th scope="col">Language</th><th scope="col" class="num">Published</th>
<th scope="col" class="num">Scheduled</th><th scope="col" class="num">Drafts</th>
<th scope="col" class="num">Written in it</th><th scope="col" class="num">Translations up to date</th>
<th scope="col" class="num">Missing</th><th scope="col" class="num">Stale</th>
<th scope="col" class="num">Orphaned</th></tr></thead>
<tbody>
{% for lang in translations.languages %}
<tr{% if lang.needs_work %} class="gap"{% endif %}><th scope="row"><code>{{ lang.lang }}</code>{% if lang.lang == translations.default_language %} (default){% endif %}</th>
<td class="num">{{ lang.published }}</td><td class="num">{{ lang.scheduled }}</td>
<td class="num">{{ lang.drafts }}</td><td class="num">{{ lang.originals }}</td>
<td class="num">{{ lang.current }}</td><td class="num">{{ lang.missing | length }}</td>
<td class="num">{{ lang.stale | length }}</td><td class="num">{{ lang.orphaned | length }}</td></tr>
{% endfor %}
</tbody>
</table>
{% for lang in translations.languages if lang.needs_work %}
<h3 id="translations-{{ lang.lang }}">Translations into <code>{{ lang.lang }}</code></h3>
{% if lang.missing %}<p>Missing: no version in <code>{{ lang.lang }}</code> yet.</p>
<ul>
{% for m in lang.missing %}<li><code>{{ m.source }}</code>: <span{% if m.lang != "en" %} lang="{{ m.lang }}"{% endif %}>{{ m.title }}</span> ({{ m.status }})</li>
{% endfor %}</ul>{% endif %}
{% if lang.stale %}<p>Stale: made from an older text of the original, or never marked.</p>
<ul>
{% for st in lang.stale %}<li><code>{{ st.source }}:{{ st.line }}</code> translates <code>{{ st.original }}</code>:
{% if st.marked %}made from <code>{{ st.marked }}</code>, the original is now <code>{{ st.current }}</code>{% else %}never marked{% endif %}.</li>
{% endfor %}</ul>{% endif %}
{% if lang.orphaned %}<p>Orphaned: <code>translation_of</code> links to no original.</p>
<ul>
{% for o in lang.orphaned %}<li><code>{{ o.source }}:{{ o.line }}</code>: {{ o.reason }}</li>
{% endfor %}</ul>{% endif %}
{% endfor %}
{% if translations.needs_work %}<p>After bringing a translation up to date with its original, run
<code>brandsite translations mark FILE</code>.</p>{% endif %}
{% endif %}

{% if roles_without_story %}
<h2 id="roles">Open roles whose team has no story yet</h2>
<ul>
{% for job in roles_without_story %}
<li>{% set lang = job.lang or content_lang %}<span{% if lang != "en" %} lang="{{ lang }}"{% endif %}>{{ job.title }}</span>
({{ job.team or "no team given" }}; <code>{{ job.source }}</code>)</li>
{% endfor %}
</ul>
{% endif %}

<footer>
<p>Made with <code>brandsite report</code> from {{ story_files }} story files.
Drafts and scheduled stories are not counted as published. This report is for the editorial
team and is not part of the published site.</p>
</footer>
</main>
</body>
</html>
"""
