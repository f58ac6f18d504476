"""Stage 4, theme: resolve the theme chain and render templates into page HTML, with template errors as problems."""
