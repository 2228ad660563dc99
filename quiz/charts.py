"""Geometry for the newsroom's server-rendered SVG charts (the template only draws it)."""

from __future__ import annotations

from dataclasses import dataclass

from quiz.i18n import gettext, ngettext

# Colour-blind-safe diverging palette for -2..2, and grey for skipped; each segment also has a label.
ANSWER_COLOURS = {"-2": "#b2182b", "-1": "#ef8a62", "0": "#bababa", "1": "#67a9cf", "2": "#2166ac",
                  "skip": "#eeeeee"}


@dataclass(frozen=True)
class Segment:
    x: float  # percent of the width
    width: float
    colour: str
    label: str
    value: int | None


@dataclass(frozen=True)
class Bar:
    label: str
    segments: tuple[Segment, ...]
    note: str = ""


def stacked(label: str, counts: dict[str, int | None], labels: dict[str, str]) -> Bar:
    """One 100 % bar of known counts; suppressed counts are left out and said so."""
    known = {k: v for k, v in counts.items() if v}
    total = sum(known.values())
    segments, x = [], 0.0
    for key, value in known.items():
        width = 100.0 * value / total
        segments.append(Segment(round(x, 3), round(width, 3), ANSWER_COLOURS.get(key, "#888888"),
                                labels.get(key, key), value))
        x += width
    hidden = sum(1 for v in counts.values() if v is None)
    note = ngettext("%(num)s hidden cell", "%(num)s hidden cells", hidden) if hidden else ""
    return Bar(label, tuple(segments), note)


def simple(items: list[tuple[str, int | None, str]]) -> list[Bar]:
    """Horizontal bars scaled to the largest known value: (label, value, colour)."""
    largest = max((v for _, v, _ in items if v), default=0) or 1
    return [Bar(label, (Segment(0, round(100.0 * (value or 0) / largest, 3), colour, label, value),),
                gettext("hidden") if value is None else "")
            for label, value, colour in items]
