"""brandsite: a static employer-brand site generator."""

__version__ = "0.1.0"
