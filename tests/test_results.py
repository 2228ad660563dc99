"""One voter's result against the definitions it implements, one statement and actor at a time."""

import math
import random

import numpy as np
import pytest

from quiz.app import REPO_ROOT
from quiz.ballot import Ballot
from quiz.loading import load_content
from quiz.matching import euclidean_scores, match_scores, ranking, top_matches
from quiz.model import SCALE
from quiz.results import EXPLANATIONS_PER_SIDE, compute_result


@pytest.fixture(scope="module")
def content():
    return load_content(REPO_ROOT)


def random_ballots(content, seed, count=60):
    rng = random.Random(seed)
    for i in range(count):
        skip = (0.0, 0.5, 0.9)[i % 3]
        answers = {s.id: None if rng.random() < skip else rng.choice(SCALE) for s in content.statements}
        if all(v is None for v in answers.values()):
            answers[content.statements[0].id] = 1
        yield Ballot(answers, {s.id: 2 for s in content.statements if rng.random() < 0.25})


def explained(content, ballot, actor, agreeing: bool):
    """The definition: the statements both answered within one step (or two and more steps apart),
    closest (furthest) first, then those that matter more to the voter, then the earlier ones."""
    found = []
    for j, s in enumerate(content.statements):
        stance, answer = content.stance(actor.id, s.id), ballot.answers[s.id]
        if answer is None or stance is None or stance.position is None:
            continue
        steps = abs(answer - stance.position)
        if (steps <= 1) if agreeing else (steps >= 2):
            found.append(((steps if agreeing else -steps), -ballot.weights.get(s.id, 1), j, s.id))
    return [sid for *_, sid in sorted(found)[:EXPLANATIONS_PER_SIDE]]


@pytest.mark.parametrize("selected", [None, ("sp", "v", "npl")])
def test_a_result_equals_its_definitions(content, selected):
    actor_ids = [a.id for a in content.actors]
    if selected is not None:
        assert set(selected) <= set(actor_ids)
    cases = set()
    for ballot in random_ballots(content, seed=len(selected or ())):
        result = compute_result(content, ballot, selected)
        actors = [a for a in content.actors if selected is None or a.id in selected]
        positions = content.positions[[actor_ids.index(a.id) for a in actors]]
        answers, weights = ballot.vectors(content)
        scores, compared = match_scores(answers, weights, positions)
        names = [a.name for a in actors]
        assert [r.actor for r in result.ranked] == [actors[i] for i in ranking(scores[0], names)]
        for r in result.ranked:
            i = actors.index(r.actor)
            assert (r.score is None and math.isnan(scores[0, i])) or r.score == scores[0, i]
            assert r.compared == compared[0, i]
            assert [c.statement.id for c in r.agreements] == explained(content, ballot, r.actor, True)
            assert [c.statement.id for c in r.disagreements] == explained(content, ballot, r.actor, False)
            for c in r.agreements + r.disagreements:
                assert c.agreement == 1 - abs(c.answer - c.stance.position) / 4
        # Robustness: leaving each answered statement out, matched again from scratch.
        top = result.ranked[0].actor if result.ranked[0].score is not None else None
        assert result.robustness.top is top
        euclid = top_matches(euclidean_scores(answers, weights, positions), names)[0]
        assert result.robustness.euclidean_top is (None if euclid < 0 else actors[euclid])
        changed = []
        for j in np.flatnonzero(~np.isnan(answers)):
            dropped = answers.copy()
            dropped[j] = np.nan
            t = top_matches(match_scores(dropped, weights, positions)[0], names)[0]
            if (None if t < 0 else actors[t]) is not top:
                changed.append((content.statements[j], None if t < 0 else actors[t]))
        assert list(result.robustness.changed_by) == changed
        cases.add((bool(changed), result.robustness.euclidean_top is top))
    assert cases == {(False, True), (True, True), (True, False), (False, False)}  # every case was checked


def test_the_radar_and_the_map_equal_their_definitions(content):
    for ballot in random_ballots(content, seed=9, count=20):
        result = compute_result(content, ballot)
        answers, weights = ballot.vectors(content)
        for series in result.radar.series:
            for topic, value in zip(result.radar.topics, series.scores):
                members = np.array([s.topic == topic.id for s in content.statements])
                row = content.positions[[content.actors.index(series.actor)]][:, members]
                alone = match_scores(answers[members], weights[members], row)[0][0, 0]
                assert (value is None and math.isnan(alone)) or value == alone
        expected = []
        for axis in result.landscape.axes:
            signed = [ballot.answers[s.id] * dict(s.axes)[axis.id] for s in content.statements
                      if axis.id in dict(s.axes) and ballot.answers[s.id] is not None]
            expected.append(sum(signed) / len(signed) / 2 if signed else None)
        voter = result.landscape.voter  # on the map only with a place on every axis
        if None in expected:
            assert voter is None
        else:
            assert (voter.x, voter.y) == pytest.approx(expected)


@pytest.mark.parametrize("scores, runs", [
    ((80.0, 60.0, 40.0, 20.0, 100.0), [[0, 1, 2, 3, 4, 0]]),  # closed: back to the first topic
    ((80.0, None, 40.0, 20.0, 100.0), [[2, 3, 4, 0]]),  # broken at the topic without a score
    ((80.0, 60.0, None, 20.0, None), [[3], [0, 1]]),  # a score between two gaps is a dot
    ((None, None, 50.0), [[2]]),
])
def test_a_radar_outline_breaks_where_a_topic_has_no_score(scores, runs):
    # A vertex at the centre would read as 0 % agreement: a topic without a score has no vertex at all.
    from quiz.landscape import RADAR_CENTRE, RADAR_RADIUS, RadarSeries, _directions

    def vertex(t):
        dx, dy = _directions(len(scores))[t]
        return (RADAR_CENTRE + RADAR_RADIUS * scores[t] / 100 * dx, RADAR_CENTRE + RADAR_RADIUS * scores[t] / 100 * dy)

    drawn = []
    for stretch in RadarSeries(None, scores).outline.split("M")[1:]:
        points = [tuple(map(float, p.split(","))) for p in stretch.replace("L", " ").replace("Z", "").split()
                  if p != "l0,0"]
        if stretch.rstrip().endswith("Z"):
            points.append(points[0])
        assert (len(points) == 1) == stretch.rstrip().endswith("l0,0")  # a lone point is drawn as a dot
        drawn.append(points)
    assert drawn == [[pytest.approx(vertex(t), abs=0.006) for t in run] for run in runs]
