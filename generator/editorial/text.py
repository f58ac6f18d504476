"""The calendar and the coverage report as terminal text and as JSON for scripts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from ..errors import json_for_terminals, printable
from .coverage import CoverageReport
from .planning import CalendarPlan, PlannedStory, channel_name

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(day: dt.date, weekday: bool = True) -> str:
    """``Mon 7 Dec 2026`` (explicit names: output must not depend on the machine's locale)."""
    text = f"{day.day} {MONTHS[day.month - 1]} {day.year}"
    return f"{WEEKDAYS[day.weekday()]} {text}" if weekday else text


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """Rows in aligned columns under a header line; columns listed in ``right`` align right."""
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        parts = [
            str(cell).rjust(width) if i in right else str(cell).ljust(width)
            for i, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def format_calendar(plan: CalendarPlan, site_title: str, timezone: str) -> str:
    """The plan for people: weeks, drafts, the queue, then the warnings.

    Text from content is made printable: the plan goes to terminals and CI job summaries.
    """
    out = [
        f"Editorial calendar of {printable(site_title)}, as of {short_date(plan.today)} "
        f"({printable(timezone)})",
        "",
    ]
    for week in plan.weeks:
        marker = "  <- this week" if week.contains(plan.today) else ""
        span = f"{short_date(week.start, False)} to {short_date(week.end, False)}"
        out.append(f"{week.label}  {span}{marker}")
        if not week.stories:
            out.append("    nothing planned" + (" (!)" if week.checked else ""))
        for story in week.stories:
            out.append(f"    {_story_line(story, plan)}")
    out.append("")
    drafts = plan.drafts
    out.append(f"Drafts waiting: {len(drafts)}")
    out += [f"    {_story_line(story, plan)}  {printable(story.source)}" for story in drafts]
    out.append("")
    if plan.languages:
        out += [_queue_line(plan.in_language(lang), f" in {lang}") for lang in plan.languages]
    else:
        out.append(_queue_line(plan))
    if plan.undated:
        out.append(f"Left out (no readable date): {printable(', '.join(plan.undated))}")
    posts = [(s, p) for s, p in plan.posts if p.on >= plan.today - dt.timedelta(weeks=2)]
    if posts:
        out += ["", f"Planned posts: {len(posts)}"]
        for story, post in posts:
            words = printable(" ".join(post.text.split()))
            shown = words if len(words) <= 60 else words[:59] + "…"
            out.append(
                f"    {short_date(post.on)}  {channel_name(post.channel):<9}  "
                f"{printable(story.title)}: {shown}"
            )
    if plan.warnings:
        out.append("")
        for number, warning in enumerate(plan.warnings, start=1):
            # Messages can quote a story's title: printable, like every text from content.
            out.append(f"{number}. warning: {printable(warning.message)} [{warning.code}]")
            out.append(f"   hint: {printable(warning.hint)}")
    return "\n".join(out)


def _queue_line(plan: CalendarPlan, where: str = "") -> str:
    """How far the scheduled stories (of one language, ``where``) reach."""
    queue = plan.scheduled
    if plan.buffer_until is None:
        return f"Scheduled{where}: none (buffer: {plan.buffer_days} days)"
    ok = "ok" if plan.buffer_covered_days >= plan.buffer_days else "too short"
    return (
        f"Scheduled{where}: {len(queue)} stor{'y' if len(queue) == 1 else 'ies'} until "
        f"{short_date(plan.buffer_until)}, {plan.buffer_covered_days} days ahead "
        f"(buffer: {plan.buffer_days} days, {ok})"
    )


def _story_line(story: PlannedStory, plan: CalendarPlan) -> str:
    who = printable(story.author + (f", {story.team}" if story.team else ""))
    values = printable(", ".join(story.values))
    title = printable(story.title)
    lang = f"{printable(story.lang or ''):<3}  " if plan.languages else ""
    return f"{short_date(story.date)}  {story.status:<9}  {lang}{title} ({who}) [{values}]"


def calendar_json(plan: CalendarPlan, more: dict[str, Any] | None = None) -> str:
    """The plan for scripts (with ``more`` keys, such as the roles closing soon)."""
    data = {
        "today": plan.today.isoformat(),
        "buffer_days": plan.buffer_days,
        "buffer_until": plan.buffer_until.isoformat() if plan.buffer_until else None,
        "buffer_covered_days": plan.buffer_covered_days,
        "weeks": [
            {
                "week": week.label,
                "start": week.start.isoformat(),
                "end": week.end.isoformat(),
                "checked": week.checked,
                "stories": [_story_json(s) for s in week.stories],
            }
            for week in plan.weeks
        ],
        "scheduled": [_story_json(s) for s in plan.scheduled],
        "drafts": [_story_json(s) for s in plan.drafts],
        "undated": list(plan.undated),
        "posts": [
            {
                "on": post.on.isoformat(),
                "channel": post.channel,
                "text": post.text,
                "slug": story.slug,
                "title": story.title,
                "source": story.source,
                "line": post.line,
            }
            for story, post in plan.posts
        ],
        "warnings": [{"code": w.code, "message": w.message, "hint": w.hint} for w in plan.warnings],
        **(more or {}),
    }
    if plan.languages:
        data["languages"] = [_queue_json(plan.in_language(lang)) for lang in plan.languages]
    return json_for_terminals(data)


def _queue_json(plan: CalendarPlan) -> dict[str, Any]:
    """One language's scheduled queue."""
    return {
        "lang": plan.languages[0],
        "scheduled": len(plan.scheduled),
        "buffer_until": plan.buffer_until.isoformat() if plan.buffer_until else None,
        "buffer_covered_days": plan.buffer_covered_days,
    }


def _story_json(story: PlannedStory) -> dict[str, Any]:
    return {
        **({"lang": story.lang} if story.lang else {}),
        "date": story.date.isoformat(),
        "status": story.status,
        "title": story.title,
        "author": story.author,
        "team": story.team,
        "values": list(story.values),
        "slug": story.slug,
        "source": story.source,
    }


def format_coverage(report: CoverageReport, site_title: str) -> str:
    """Value coverage for people: per value, per team, and the values that need a story."""
    days = report.window_days
    out = [
        f"Value coverage of {printable(site_title)}, as of {short_date(report.today)}: "
        f"{report.published} published stories, {report.recent} in the last {days} days, "
        f"{report.scheduled} scheduled, {_plural(report.drafts, 'draft')}",
        "",
    ]
    rows = [
        [
            printable(v.title),
            str(v.total),
            str(v.recent),
            str(v.scheduled),
            f"{short_date(v.last.date, False)} ({v.days_since_last} days ago)"
            if v.last
            else "never",
        ]
        for v in report.values
    ]
    out.append(
        table(
            ["Value", "All time", f"Last {days} days", "Scheduled", "Last story"], rows, (1, 2, 3)
        )
    )
    out.append("")
    teams = [[printable(t.team), str(t.total), str(t.recent)] for t in report.teams]
    out.append(table(["Team", "All time", f"Last {days} days"], teams or [["-", "0", "0"]], (1, 2)))
    missing = report.values_without_recent
    if missing:
        out += ["", f"No story in the last {days} days (since {short_date(report.since, False)}):"]
        for value in missing:
            last = f"last {short_date(value.last.date, False)}" if value.last else "never had one"
            planned = f", {value.scheduled} scheduled" if value.scheduled else ""
            out.append(f"    {printable(value.title)} ({last}{planned})")
    return "\n".join(out)


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def coverage_json(report: CoverageReport, more: dict[str, Any] | None = None) -> str:
    """Value coverage for scripts (with ``more`` keys, such as the roles without a story)."""
    data = {
        "today": report.today.isoformat(),
        "window_days": report.window_days,
        "since": report.since.isoformat(),
        "published": report.published,
        "recent": report.recent,
        "scheduled": report.scheduled,
        "drafts": report.drafts,
        "values": [
            {
                "slug": v.slug,
                "title": v.title,
                "total": v.total,
                "recent": v.recent,
                "scheduled": v.scheduled,
                "last_date": v.last.date.isoformat() if v.last else None,
                "last_title": v.last.title if v.last else None,
                "days_since_last": v.days_since_last,
            }
            for v in report.values
        ],
        "values_without_recent": [v.slug for v in report.values_without_recent],
        "teams": [{"team": t.team, "total": t.total, "recent": t.recent} for t in report.teams],
        "months": [{"month": m.month.isoformat()[:7], "count": m.count} for m in report.months],
        **(more or {}),
    }
    return json_for_terminals(data)
