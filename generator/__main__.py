"""``python -m generator`` is the same as the ``brandsite`` command."""

from .cli import main

if __name__ == "__main__":  # not when a forkserver's worker imports the main module again
    raise SystemExit(main())
