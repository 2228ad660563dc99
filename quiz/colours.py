"""Colour contrast (WCAG 2.x): an actor's colour must stand out from the page as a bar or a
dot (3:1 against the background of every colour scheme the stylesheet has), and text drawn
on the colour is black or white, whichever reads best (always 4.5:1 or more)."""

from __future__ import annotations

import colorsys
import re
from functools import cache
from pathlib import Path

BAR_CONTRAST = 3.0  # WCAG 1.4.11, non-text contrast
TEXT_CONTRAST = 4.5  # WCAG 1.4.3, normal text
STYLESHEET = Path(__file__).resolve().parent.parent / "static" / "style.css"
DARK_SCHEME = "prefers-color-scheme: dark"
BACKGROUND = re.compile(r"--bg:\s*(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3})\b")
BLACK, WHITE = "#000000", "#ffffff"


def _channels(colour: str) -> tuple[float, float, float]:
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(2 * d for d in digits)
    return tuple(int(digits[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(colour: str) -> float:
    """The relative luminance of ``#rrggbb`` (or ``#rgb``), 0 (black) to 1 (white)."""
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in _channels(colour)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The contrast ratio of two colours, 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(colour: str) -> str:
    """Black or white, whichever contrasts more with ``colour``: at least 4.58:1 for any colour."""
    return BLACK if contrast(colour, BLACK) >= contrast(colour, WHITE) else WHITE


@cache
def page_backgrounds(stylesheet: Path = STYLESHEET) -> dict[str, str]:
    """The page background (``--bg``) of each colour scheme of the stylesheet: "light", and
    "dark" when it has a dark scheme."""
    css = stylesheet.read_text(encoding="utf-8")
    light, _, dark = css.partition(DARK_SCHEME)
    found = {"light": BACKGROUND.search(light), "dark": BACKGROUND.search(dark) if dark else None}
    return {scheme: match.group(1).lower() for scheme, match in found.items() if match}


def bar_contrast_problems(colour: str, backgrounds: dict[str, str] | None = None) -> list[str]:
    """Why ``colour`` cannot be a bar on the page (an empty list when it can)."""
    backgrounds = page_backgrounds() if backgrounds is None else backgrounds
    return [f"colour {colour} has a contrast of {contrast(colour, background):.2f}:1 with the {scheme} page "
            f"background {background}; bars need {BAR_CONTRAST:g}:1"
            for scheme, background in backgrounds.items() if contrast(colour, background) < BAR_CONTRAST]


def distinct_colour(index: int, count: int, backgrounds: dict[str, str] | None = None) -> str:
    """The ``index``-th of ``count`` hues, as light or dark as makes it stand out from every page background.

    For each hue, the lightness is searched for the colour whose worst contrast with the
    backgrounds is highest (about 4:1 with a white and a near-black page)."""
    backgrounds = page_backgrounds() if backgrounds is None else backgrounds
    hue = (index / max(count, 1)) % 1.0

    def colour_at(lightness: float) -> str:
        r, g, b = colorsys.hls_to_rgb(hue, lightness, 0.75)
        return f"#{round(r * 255):02x}{round(g * 255):02x}{round(b * 255):02x}"

    candidates = [colour_at(step / 100) for step in range(15, 86)]
    return max(candidates, key=lambda c: min((contrast(c, bg) for bg in backgrounds.values()), default=0))
