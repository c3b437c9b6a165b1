"""Readable text on a label's color: WCAG 2 relative luminance and contrast ratio (pure)."""

from __future__ import annotations

import re

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
DARK_TEXT = "#111111"
LIGHT_TEXT = "#ffffff"
# WCAG AA for normal text.
MINIMUM_CONTRAST = 4.5


def is_hex_color(value: str) -> bool:
    return bool(HEX_COLOR.match(value))


def _channel(value: int) -> float:
    fraction = value / 255
    return fraction / 12.92 if fraction <= 0.03928 else ((fraction + 0.055) / 1.055) ** 2.4


def relative_luminance(color: str) -> float:
    red, green, blue = (int(color[index : index + 2], 16) for index in (1, 3, 5))
    return 0.2126 * _channel(red) + 0.7152 * _channel(green) + 0.0722 * _channel(blue)


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def text_color_on(background: str) -> str:
    """Dark or white text, whichever contrasts more with `background`."""
    on_dark = contrast_ratio(background, LIGHT_TEXT)
    on_light = contrast_ratio(background, DARK_TEXT)
    return LIGHT_TEXT if on_dark >= on_light else DARK_TEXT
