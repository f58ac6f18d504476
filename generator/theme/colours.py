"""Stage 4, theme: colour arithmetic for brand settings (WCAG contrast), shared by themes and cards."""

from __future__ import annotations

import re


def contrast_ratio(foreground: str, background: str) -> float | None:
    """WCAG 2 contrast ratio of two ``#rgb``/``#rrggbb`` colours; None if either is another form."""
    fg, bg = _luminance(foreground), _luminance(background)
    if fg is None or bg is None:
        return None
    light, dark = max(fg, bg), min(fg, bg)
    return (light + 0.05) / (dark + 0.05)


def _luminance(color: str) -> float | None:
    match = re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", color.strip())
    if not match:
        return None
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]
