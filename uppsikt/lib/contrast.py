"""Colour contrast as WCAG 2.x defines it: relative luminance and the contrast ratio.

    >>> contrast_ratio("#000000", "#ffffff")
    21.0
    >>> round(contrast_ratio("#767676", "#ffffff"), 2)
    4.54
    >>> readable_text_on("#1a7f37")
    '#ffffff'

Text and its background need at least 4.5:1 (``MIN_TEXT_RATIO``, WCAG 1.4.3 AA); a colour
that only marks a shape next to text needs 3:1 against its surroundings (1.4.11).
"""

from __future__ import annotations

import re

MIN_TEXT_RATIO = 4.5
MIN_GRAPHIC_RATIO = 3.0
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
BLACK, WHITE = "#000000", "#ffffff"


def is_hex_colour(value: str) -> bool:
    return bool(HEX_COLOUR.match(value or ""))


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance of ``#rrggbb`` (0 for black, 1 for white)."""
    if not is_hex_colour(colour):
        raise ValueError(f"not a #rrggbb colour: {colour!r}")
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """The WCAG contrast ratio of two colours, from 1 (same) to 21 (black on white)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def readable_text_on(background: str) -> str:
    """Black or white, whichever has the higher contrast on ``background``."""
    return max((BLACK, WHITE), key=lambda text: contrast_ratio(text, background))
