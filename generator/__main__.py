"""``python -m generator`` is the same as the ``brandsite`` command."""

from .cli import main

raise SystemExit(main())
