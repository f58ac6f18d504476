"""The digest of an original story's text that a translation records as ``translated_from``.

Pure and small, so the story parser can compute it while the body is at hand (entries read back
from the build cache have none) without importing the rules that compare it.
"""

from __future__ import annotations

import hashlib

DIGEST_LENGTH = 12
"""Hex digits kept: enough to tell versions of one story apart, short enough to read."""


def normalised(text: str) -> str:
    """``text`` with ``\\n`` line endings, no trailing spaces on any line, no blank lines at its ends.

    Re-saving a file with Windows line endings, or an editor trimming spaces, is no change.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(line.rstrip() for line in lines).strip("\n")


def text_digest(title: str, summary: str, body: str) -> str:
    """12 hex digits of SHA-256 over the normalised title, summary as written, and body."""
    parts = (normalised(title), normalised(summary), normalised(body))
    data = "\x00".join(parts).encode("utf-8", "surrogatepass")
    return hashlib.sha256(data).hexdigest()[:DIGEST_LENGTH]
