"""Pictures of a result: the political landscape (axes from the content) and a topic radar.

Pure geometry from the content and the voter's answers; the template only draws it. What is
the same for every voter (the actors on the map, the radar's spokes) is computed once per
content and kept apart from the voter's own values.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np

from quiz.matching import zero_nan
from quiz.model import Actor, Axis, Content, Topic

RADAR_ACTORS = 3
RADAR_SIZE = 100.0  # the radar's SVG box; its centre and radius follow
RADAR_CENTRE, RADAR_RADIUS = RADAR_SIZE / 2, RADAR_SIZE * 0.38


@dataclass(frozen=True)
class MapPoint:
    label: str
    x: float  # -1 (low pole of the first axis) … 1 (high pole)
    y: float  # the same for the second axis; 0 on a one-axis map
    colour: str


@dataclass(frozen=True)
class Landscape:
    """The map of a result: the voter's place, computed per voter, and the actors' places,
    the same for every voter and worked out only when a page draws them (see ``actors``)."""

    axes: tuple[Axis, ...]  # one or two
    voter: MapPoint | None  # None when the voter answered none of an axis's statements
    content: Content = field(repr=False, compare=False)
    compared: tuple[Actor, ...] = ()  # the actors of the result, in the content's order

    @cached_property
    def _places(self) -> tuple[tuple[MapPoint, ...], tuple[str, ...]]:
        rows = [self.content.actors.index(a) for a in self.compared]
        coordinates = axis_coordinates(self.content, self.content.positions[rows], len(self.axes))
        placed = ~np.isnan(coordinates).any(axis=1)
        return (tuple(_point(a.short_name, a.colour, c) for a, c, p in zip(self.compared, coordinates, placed) if p),
                tuple(a.short_name for a, p in zip(self.compared, placed) if not p))

    @property
    def actors(self) -> tuple[MapPoint, ...]:
        """The placed actors, in the content's order."""
        return self._places[0]

    @property
    def unplaced(self) -> tuple[str, ...]:
        """Actors with no position on an axis."""
        return self._places[1]


def axis_coordinates(content: Content, values: np.ndarray, axes: int) -> np.ndarray:
    """Where rows of answers or positions (N, S; NaN = none) stand on the first ``axes`` axes: (N, axes), -1 … 1.

    A row's place on an axis is the mean of its signed values over the axis's statements it
    has a value for, halved; NaN where it has none of them.
    """
    signs = content.axis_signs[:, :axes]
    values = np.atleast_2d(values)
    counted = (~np.isnan(values)).astype(float) @ (signs != 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        return (zero_nan(values) @ signs) / counted / 2


def _point(label: str, colour: str, coordinates: np.ndarray) -> MapPoint:
    return MapPoint(label, float(coordinates[0]), float(coordinates[1]) if len(coordinates) > 1 else 0.0, colour)


def landscape(content: Content, answers: np.ndarray, actors: list[Actor] | tuple[Actor, ...]) -> Landscape | None:
    """The voter and ``actors`` on the content's first two axes; None when it has no axes."""
    axes = tuple(content.axes[:2])
    if not axes:
        return None
    coordinates = axis_coordinates(content, answers, len(axes))[0]
    voter = None if np.isnan(coordinates).any() else _point("", "#000000", coordinates)
    return Landscape(axes, voter, content, tuple(actors))


@dataclass(frozen=True)
class RadarSeries:
    actor: Actor
    scores: tuple[float | None, ...]  # per topic, percent

    @property
    def rounded(self) -> tuple[int | None, ...]:
        return tuple(None if v is None else int(round(v)) for v in self.scores)

    @property
    def outline(self) -> str:
        """The SVG path of this series: each topic's score along its spoke, joined to its neighbours'.

        A topic without a score is left out and the outline breaks there: a vertex at the centre
        would read as 0 % agreement. A score between two gaps is drawn as a dot.
        """
        n = len(self.scores)
        ends = [None if v is None else
                f"{RADAR_CENTRE + RADAR_RADIUS * v / 100 * dx:.2f},{RADAR_CENTRE + RADAR_RADIUS * v / 100 * dy:.2f}"
                for v, (dx, dy) in zip(self.scores, _directions(n))]
        if None not in ends:
            return "M" + " L".join(ends) + " Z"
        gap = ends.index(None)
        runs: list[list[str]] = [[]]
        for end in ends[gap + 1:] + ends[:gap + 1]:  # from just after a gap, around to it
            if end is not None:
                runs[-1].append(end)
            elif runs[-1]:
                runs.append([])
        return " ".join(f"M{run[0]} l0,0" if len(run) == 1 else "M" + " L".join(run) for run in runs if run)


@dataclass(frozen=True)
class Radar:
    topics: tuple[Topic, ...]
    series: tuple[RadarSeries, ...]

    @property
    def spokes(self) -> tuple[tuple[str, str, str, str, str], ...]:
        """Per topic: label x, y, spoke end x, y (SVG numbers) and the label's text-anchor."""
        centre, radius = RADAR_CENTRE, RADAR_RADIUS
        return tuple((f"{centre + radius * 1.1 * dx:.2f}", f"{centre + radius * 1.1 * dy + 2:.2f}",
                      f"{centre + radius * dx:.2f}", f"{centre + radius * dy:.2f}",
                      "start" if dx > 0.3 else "end" if dx < -0.3 else "middle")
                     for dx, dy in _directions(len(self.topics)))


@lru_cache(maxsize=16)
def _directions(n: int) -> tuple[tuple[float, float], ...]:
    """Unit vectors of ``n`` spokes, the first pointing up, clockwise."""
    angles = [-math.pi / 2 + 2 * math.pi * k / n for k in range(n)]
    return tuple((math.cos(a), math.sin(a)) for a in angles)


def radar(content: Content, per_topic: np.ndarray, actors: list[Actor]) -> Radar | None:
    """Agreement per topic with ``actors``, smartspider-style: ``per_topic`` (topics in use × actors)
    holds the scores, NaN where nothing is compared; None with fewer than 3 topics."""
    if len(content.topics_in_use) < 3:
        return None
    return Radar(tuple(content.topics[t] for t in content.topics_in_use),
                 tuple(RadarSeries(actor, tuple(None if math.isnan(v) else v for v in values))
                       for actor, values in zip(actors, per_topic.T.tolist())))
