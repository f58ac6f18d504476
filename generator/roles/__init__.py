"""Open roles beside the stories: job files, their JobPosting data, and the import from an ATS.

Named ``roles`` so it never meets the engine's render jobs. Job files are plain data here; the
pages that show them belong to the engine.
"""
