"""Stage 5, site: URLs and output paths, feeds and sitemap, the privacy scan and the portable copy of the built site."""
