"""Stage 1, content: read ``content/`` and ``site.toml``, check every file, link stories to values → the Site."""
