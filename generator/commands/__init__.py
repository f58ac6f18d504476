"""One module per sub-command; each has ``add_parser(subcommands)`` that sets ``run``."""

from __future__ import annotations

from . import (
    build_cmd,
    calendar_cmd,
    check_cmd,
    jobs_cmd,
    new_cmd,
    report_cmd,
    serve_cmd,
    share_cmd,
    translations_cmd,
)

COMMANDS = (
    build_cmd,
    check_cmd,
    serve_cmd,
    new_cmd,
    calendar_cmd,
    report_cmd,
    jobs_cmd,
    share_cmd,
    translations_cmd,
)
