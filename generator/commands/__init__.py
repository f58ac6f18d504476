"""One module per sub-command (``<name>_cmd``); each has ``add_parser(subcommands)`` that sets ``run``.

Modules are imported by name when their command runs, so a command loads only what it uses: a
``brandsite build`` that finds nothing changed never imports the engine, Jinja or Markdown.
"""

from __future__ import annotations

import importlib
from types import ModuleType

COMMANDS = (
    "init",
    "build",
    "check",
    "serve",
    "new",
    "calendar",
    "report",
    "jobs",
    "share",
    "translations",
)
"""Every sub-command, in the order ``brandsite --help`` lists them."""


def command_module(name: str) -> ModuleType:
    """The module of sub-command ``name`` (one of ``COMMANDS``)."""
    return importlib.import_module(f"{__name__}.{name}_cmd")
