"""Pictures of a result: the political landscape (axes from the content) and a topic radar.

Pure geometry from the content and the voter's answers; the template only draws it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from quiz.matching import scores_by_group, zero_nan
from quiz.model import Actor, Axis, Content, Topic

RADAR_ACTORS = 3


@dataclass(frozen=True)
class MapPoint:
    label: str
    x: float  # -1 (low pole of the first axis) … 1 (high pole)
    y: float  # the same for the second axis; 0 on a one-axis map
    colour: str
    voter: bool = False


@dataclass(frozen=True)
class Landscape:
    axes: tuple[Axis, ...]  # one or two
    points: tuple[MapPoint, ...]
    unplaced: tuple[str, ...]  # actors with no position on an axis


def axis_coordinates(content: Content, values: np.ndarray, axes: tuple[Axis, ...]) -> np.ndarray:
    """Where rows of answers or positions (N, S; NaN = none) stand on ``axes``: (N, axes), -1 … 1.

    A row's place on an axis is the mean of its signed values over the axis's statements it
    has a value for, halved; NaN where it has none of them.
    """
    signs = np.array([[dict(s.axes).get(axis.id, 0) for axis in axes] for s in content.statements], dtype=float)
    values = np.atleast_2d(values)
    counted = (~np.isnan(values)).astype(float) @ (signs != 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (zero_nan(values) @ signs) / counted / 2


def landscape(content: Content, answers: np.ndarray, actors: list[Actor]) -> Landscape | None:
    """The voter and every actor on the content's first two axes; None when it has no axes."""
    axes = tuple(content.axes[:2])
    if not axes:
        return None
    rows = {a.id: i for i, a in enumerate(content.actors)}
    values = np.vstack([answers[None, :], content.positions[[rows[a.id] for a in actors]]])
    coordinates = axis_coordinates(content, values, axes)
    points, unplaced = [], []
    for (label, colour, voter), coords in zip([("", "#000000", True), *((a.short_name, a.colour, False)
                                                                         for a in actors)], coordinates):
        if np.isnan(coords).any():
            unplaced.append(label)
            continue
        points.append(MapPoint(label, float(coords[0]), float(coords[1]) if len(axes) > 1 else 0.0, colour, voter))
    return Landscape(axes, tuple(points), tuple(u for u in unplaced if u))


@dataclass(frozen=True)
class RadarSeries:
    actor: Actor
    scores: tuple[float | None, ...]  # per topic, percent
    points: str  # SVG polygon points

    @property
    def rounded(self) -> tuple[int | None, ...]:
        return tuple(None if v is None else int(round(v)) for v in self.scores)


@dataclass(frozen=True)
class Radar:
    topics: tuple[Topic, ...]
    spokes: tuple[tuple[str, str, str, str, str], ...]  # label x, y, spoke end x, y (SVG numbers), text-anchor
    series: tuple[RadarSeries, ...]


def radar(content: Content, answers: np.ndarray, weights: np.ndarray, actors: list[Actor],
          size: float = 100.0) -> Radar | None:
    """Agreement per topic with the top actors, smartspider-style; None with fewer than 3 topics."""
    topics = [t for t in content.topics if any(s.topic == t.id for s in content.statements)]
    if len(topics) < 3:
        return None
    rows = {a.id: i for i, a in enumerate(content.actors)}
    chosen = actors[:RADAR_ACTORS]
    centre, radius = size / 2, size * 0.38
    angles = [-math.pi / 2 + 2 * math.pi * k / len(topics) for k in range(len(topics))]
    membership = np.array([[s.topic == t.id for t in topics] for s in content.statements], dtype=float)
    per_topic = scores_by_group(answers, weights, content.positions[[rows[a.id] for a in chosen]], membership)
    series = []
    for i, actor in enumerate(chosen):
        values = [None if np.isnan(v) else float(v) for v in per_topic[i]]
        points = " ".join(f"{centre + radius * (v or 0) / 100 * math.cos(a):.2f},"
                          f"{centre + radius * (v or 0) / 100 * math.sin(a):.2f}" for v, a in zip(values, angles))
        series.append(RadarSeries(actor, tuple(values), points))
    spokes = tuple((f"{centre + radius * 1.1 * math.cos(a):.2f}", f"{centre + radius * 1.1 * math.sin(a) + 2:.2f}",
                    f"{centre + radius * math.cos(a):.2f}", f"{centre + radius * math.sin(a):.2f}",
                    "start" if math.cos(a) > 0.3 else "end" if math.cos(a) < -0.3 else "middle") for a in angles)
    return Radar(tuple(topics), spokes, tuple(series))
