"""The matching rule against hand-computed cases."""

import math

import numpy as np
import pytest

from quiz.matching import (
    COMPARED,
    answer_code,
    encode_ballots,
    euclidean_scores,
    group_sums,
    match_ballots,
    match_scores,
    ranking,
    scoring_tables,
    sums_euclidean,
    sums_scores,
    term_table,
    voter_terms,
)

NAN = np.nan


def score(answers, positions, weights=None):
    scores, compared = match_scores(np.array([answers], dtype=float),
                                    None if weights is None else np.array([weights], dtype=float),
                                    np.array(positions, dtype=float))
    return scores[0], compared[0]


def test_identical_answers_score_100_and_opposite_answers_0():
    scores, compared = score([2, -2, 2], [[2, -2, 2], [-2, 2, -2]])
    assert scores.tolist() == [100.0, 0.0]
    assert compared.tolist() == [3, 3]


def test_each_step_apart_costs_a_quarter():
    # |2-1| = 1 → 75 %, |2-0| = 2 → 50 %, |2-(-1)| = 3 → 25 %
    scores, _ = score([2], [[1], [0], [-1]])
    assert scores.tolist() == [75.0, 50.0, 25.0]


def test_skipped_statements_leave_numerator_and_denominator():
    scores, compared = score([2, NAN], [[2, -2]])
    assert scores.tolist() == [100.0]
    assert compared.tolist() == [1]


def test_null_positions_are_dropped_not_penalised():
    scores, compared = score([2, 2], [[2, NAN]])
    assert scores.tolist() == [100.0]
    assert compared.tolist() == [1]


def test_nothing_compared_gives_no_score_not_zero():
    scores, compared = score([2, NAN], [[NAN, 1]])
    assert math.isnan(scores[0])
    assert compared.tolist() == [0]


def test_important_statements_count_double():
    # statement 1 agrees fully (1.0, weight 2), statement 2 is opposite (0.0, weight 1): 2/3
    scores, _ = score([2, 2], [[2, -2]], weights=[2, 1])
    assert scores[0] == pytest.approx(200 / 3)


def test_weights_of_skipped_statements_do_not_count():
    scores, _ = score([2, NAN], [[2, -2]], weights=[1, 2])
    assert scores.tolist() == [100.0]


def test_equals_the_wahl_o_mat_rule_on_its_three_point_scale():
    rng = np.random.default_rng(7)
    answers = rng.choice([-2, 0, 2, NAN], size=(200, 12))
    positions = rng.choice([-2, 0, 2], size=(5, 12)).astype(float)
    weights = rng.choice([1, 2], size=(200, 12)).astype(float)
    scores, _ = match_scores(answers, weights, positions)
    for v in range(200):
        for a in range(5):
            points = maximum = 0
            for s in range(12):
                if np.isnan(answers[v, s]):
                    continue
                u, p = answers[v, s], positions[a, s]
                gained = 2 if u == p else (1 if 0 in (u, p) else 0)
                points += gained * weights[v, s]
                maximum += 2 * weights[v, s]
            assert scores[v, a] == pytest.approx(100 * points / maximum)


def test_equals_the_nrk_proximity_rule_on_a_four_point_scale():
    answers = np.array([[2, 1, -1, NAN, -2]], dtype=float)
    positions = np.array([[1, 1, NAN, -2, 2]], dtype=float)
    scores, compared = match_scores(answers, None, positions)
    both = [(2, 1), (1, 1), (-2, 2)]
    nrk = 1 - sum(abs(u - p) for u, p in both) / (4 * len(both))
    assert scores[0, 0] == pytest.approx(100 * nrk)
    assert compared[0, 0] == 3


def test_many_voters_in_chunks_equal_one_at_a_time():
    rng = np.random.default_rng(1)
    answers = rng.choice([-2, -1, 0, 1, 2, NAN], size=(301, 8))
    weights = rng.choice([1, 2], size=(301, 8)).astype(float)
    positions = rng.choice([-2, -1, 0, 1, 2, NAN], size=(4, 8))
    chunked, chunked_compared = match_scores(answers, weights, positions, chunk=64)
    for v in range(0, 301, 50):
        single, single_compared = match_scores(answers[v], weights[v], positions)
        np.testing.assert_allclose(chunked[v], single[0], equal_nan=True)
        assert (chunked_compared[v] == single_compared[0]).all()


def test_ranking_by_score_then_name_with_missing_scores_last():
    scores = np.array([50.0, NAN, 75.0, 50.0])
    assert ranking(scores, ["Beta", "Alfa", "Gamma", "Alfa2"]) == [2, 3, 0, 1]


def test_ties_from_float_noise_are_still_ties():
    scores = np.array([0.1 + 0.2, 0.3])
    assert ranking(scores, ["B", "A"]) == [1, 0]


def formula(answers, weights, positions):
    """The rule as written in the docs, one voter and actor at a time, in float64."""
    scores = np.full((len(answers), len(positions)), NAN)
    for v, (row, w) in enumerate(zip(answers, weights)):
        for a, pos in enumerate(positions):
            both = ~np.isnan(row) & ~np.isnan(pos)
            if both.any():
                scores[v, a] = 100.0 * (w[both] * (1 - np.abs(row[both] - pos[both]) / 4)).sum() / w[both].sum()
    return scores


@pytest.mark.parametrize("n_statements", [7, 38, 2000])
def test_the_matrix_products_equal_the_formula_to_the_last_bit(n_statements):
    # 2,000 statements exceed what float32 holds exactly: the tables switch to float64.
    rng = np.random.default_rng(n_statements)
    answers = rng.choice([-2, -1, 0, 1, 2, NAN], size=(120, n_statements))
    weights = rng.choice([1.0, 2.0], size=answers.shape)
    large = n_statements > 1000
    positions = rng.choice([-2, -1, 0, 1, 2] + ([] if large else [NAN]), size=(6, n_statements))
    assert scoring_tables(positions).numerators.dtype == (np.float64 if large else np.float32)
    scores, _ = match_scores(answers, weights, positions, chunk=32)
    assert np.array_equal(scores, formula(answers, weights, positions), equal_nan=True)


def test_the_bulk_path_on_ballots_equals_match_scores():
    rng = np.random.default_rng(3)
    answers = rng.choice([-2, -1, 0, 1, 2, NAN], size=(1000, 9))
    weights = rng.choice([1.0, 2.0], size=answers.shape)
    positions = rng.choice([-2, -1, 0, 1, 2, NAN], size=(4, 9))
    ballots = encode_ballots(answers, weights)
    assert len(ballots) == 1000 and ballots.values.shape == (9, 1000)
    bulk, no_counts = match_ballots(ballots, scoring_tables(positions), chunk=100, with_compared=False)
    assert no_counts is None
    assert np.array_equal(bulk, match_scores(answers, weights, positions)[0], equal_nan=True)


@pytest.mark.parametrize("answers, weights, message", [
    ([[0.5, 1]], None, "answers must be whole numbers"),
    ([[3, 1]], None, "answers must be whole numbers"),
    ([[2, 1]], [[1, 3]], "weights must be 1 or 2"),
])
def test_values_off_the_scale_are_refused_not_scored(answers, weights, message):
    with pytest.raises(ValueError, match=message):
        match_scores(np.array(answers, dtype=float), weights, np.zeros((1, 2)))


def test_positions_off_the_scale_are_refused():
    with pytest.raises(ValueError, match="positions must be whole numbers"):
        scoring_tables(np.array([[1.5, 0]]))


@pytest.mark.parametrize("n_statements", [1, 9, 38])
def test_one_voters_terms_sum_to_the_kernels_scores_to_the_last_bit(n_statements):
    # The result page scores one voter from a table of per-statement terms; the kernel scores millions.
    rng = np.random.default_rng(n_statements)
    positions = rng.choice([-2, -1, 0, 1, 2, NAN], size=(6, n_statements))
    table = term_table(positions)
    topics = rng.integers(0, 3, size=n_statements)
    groups = np.hstack([np.ones((n_statements, 1)), (topics[:, None] == np.arange(3)[None, :]).astype(float)])
    for _ in range(50):
        answers = rng.choice([-2, -1, 0, 1, 2, NAN], size=n_statements)
        weights = rng.choice([1.0, 2.0], size=n_statements)
        codes = [answer_code(None if np.isnan(u) else int(u), int(w)) for u, w in zip(answers, weights)]
        sums = group_sums(voter_terms(table, codes), groups)
        kernel, compared = match_scores(answers, weights, positions)
        assert np.array_equal(sums_scores(sums[0]), kernel[0], equal_nan=True)
        assert (sums[0, COMPARED] == compared[0]).all()
        assert np.array_equal(sums_euclidean(sums[0]), euclidean_scores(answers, weights, positions)[0],
                              equal_nan=True)
        for g in range(3):  # a group's score is the rule restricted to its statements
            members = topics == g
            alone = match_scores(answers[members], weights[members], positions[:, members])[0][0]
            assert np.array_equal(sums_scores(sums)[1 + g], alone, equal_nan=True)
