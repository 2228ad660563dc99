"""The attacks that recovered one voter's ballot from the aggregate export, performed over HTTP.

The population: voters who came through the partner "avisa" on five days in two weeks, with
answers drawn at random, and one voter alone in three ways at once: the only one through the
partner "lone", the only one on 16 September, and the only one whose top match is gamma. The
attacker knows all that, and tries to learn the lone voter's answers. Before the export was
built from protected blocks, each attack recovered every answer; now none does better than a
guess (one in six: five answers and "skip").
"""

from __future__ import annotations

import itertools
from datetime import date
from math import comb

import numpy as np
import pytest
from conftest import settings

from quiz import create_app
from quiz.storage import ResponseRecord

CATEGORIES = ("-2", "-1", "0", "1", "2", "skip")
CODES = "01234-"  # the stored character of each category
DAYS = [date(2026, 9, d) for d in (7, 8, 10, 14, 15, 16)]  # weeks of 7 and 14 September
LONE_DAY = DAYS[-1]
TRIALS = 6
TOKEN = {"Authorization": "Bearer s3cret-token"}


def at_most_by_chance(successes: int, trials: int, p: float = 1 / 6, alpha: float = 0.001) -> bool:
    """Whether ``successes`` of ``trials`` guesses is within what guessing at rate ``p`` gives
    (one-sided binomial test at level ``alpha``)."""
    tail = sum(comb(trials, k) * p ** k * (1 - p) ** (trials - k) for k in range(successes, trials + 1))
    return tail > alpha


def populate(store, version: str, n_statements: int, rng: np.random.Generator) -> list[int]:
    """The population described above; returns the lone voter's answer categories."""
    records = []
    for i in range(150):
        codes = rng.integers(0, len(CODES), n_statements)
        records.append(ResponseRecord(
            version, DAYS[int(rng.integers(0, len(DAYS) - 1))], "avisa", "".join(CODES[c] for c in codes),
            "".join(rng.choice(["1", "2"], n_statements)), (str(rng.choice(["alpha", "beta"])),), f"o{i}"))
    lone = [int(c) for c in rng.integers(0, len(CODES), n_statements)]
    records.append(ResponseRecord(version, LONE_DAY, "lone", "".join(CODES[c] for c in lone), "1" * n_statements,
                                  ("gamma",), "lone"))
    store.add(records)
    return lone


@pytest.fixture(params=[7, 1], ids=["weekly blocks", "daily blocks"])
def population(request, tiny_dir, tmp_path):
    """TRIALS apps, each with its own database, population and lone voter; the quiz's export
    blocks are weeks, or days (``export_block_days = 1``)."""
    if request.param == 1:
        quiz_toml = tiny_dir / "quiz.toml"
        quiz_toml.write_text("export_block_days = 1\n" + quiz_toml.read_text())
    apps = []
    rng = np.random.default_rng(2026)
    for trial in range(TRIALS):
        app = create_app(tiny_dir, settings(tmp_path / str(trial), QUIZ_EXPORT_TOKEN="s3cret-token"))
        store = app.extensions["quiz_recorder"].store
        store.upgrade()
        content = app.extensions["quiz_content"]
        apps.append((app, populate(store, content.version, len(content.statements), rng)))
    return apps


def export(client, partner=None, first=None, last=None) -> dict:
    query = {k: v for k, v in (("partner", partner), ("from", first and first.isoformat()),
                               ("to", last and last.isoformat())) if v is not None}
    response = client.get("/api/v1/export", query_string=query, headers=TOKEN)
    assert response.status_code == 200
    return response.get_json()


def answer_table(release: dict) -> np.ndarray:
    """(statements, 6) published answer counts; a withheld count (null) as 0.5: "one or more"."""
    return np.array([[0.5 if s["answers"][c] is None else s["answers"][c] for c in CATEGORIES]
                     for s in release["statements"]], dtype=float)


def guess(scores: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """The attacker's guess per statement: the highest score, ties broken at random."""
    return np.argmax(scores + rng.random(scores.shape) * 1e-6, axis=-1)


FILTERS = [(partner, first, last) for partner in (None, "avisa", "lone")
           for first in (None, *DAYS) for last in (None, *DAYS)
           if first is None or last is None or first <= last]


def contains(f: tuple, day: date, partner: str) -> bool:
    """Whether the filter (partner, from, to) takes a record of ``partner`` on ``day``, as its words say."""
    p, first, last = f
    return p in (None, partner) and (first is None or first <= day) and (last is None or day <= last)


def isolates(f1: tuple, f2: tuple) -> bool:
    """Whether, by the filters' words, f1 takes everything f2 takes plus the lone voter and nobody
    else: every partner × day that f1 takes and f2 does not is one where the lone voter is alone."""
    groups = [(partner, day) for partner in ("avisa", "lone") for day in DAYS]
    if any(contains(f2, day, partner) and not contains(f1, day, partner) for partner, day in groups):
        return False
    extra = [(partner, day) for partner, day in groups if contains(f1, day, partner) and not contains(f2, day, partner)]
    return (("lone", LONE_DAY) in extra) and all(partner == "lone" or day == LONE_DAY for partner, day in extra)


def test_differencing_any_pair_of_filters_recovers_no_answer(population):
    """export(f1) − export(f2) for every pair of filters over partners and days whose difference is,
    by the filters' words, the lone voter alone (all − avisa; to=16 − to=15; …)."""
    rng = np.random.default_rng(1)
    pair_hits = pair_guesses = combined_hits = combined_guesses = 0
    for app, lone in population:
        client = app.test_client()
        tables = {f: answer_table(export(client, *f)) for f in FILTERS}
        isolating = [(f1, f2) for f1, f2 in itertools.permutations(FILTERS, 2) if isolates(f1, f2)]
        assert len(isolating) > 50
        differences = np.array([tables[f1] - tables[f2] for f1, f2 in isolating])  # (pairs, S, 6)
        pair_hits += int((guess(differences, rng) == lone).sum())
        pair_guesses += differences.shape[0] * differences.shape[1]
        combined_hits += int((guess(differences.sum(axis=0), rng) == lone).sum())  # all pairs at once
        combined_guesses += len(lone)
    assert at_most_by_chance(combined_hits, combined_guesses), (combined_hits, combined_guesses)
    assert pair_hits / pair_guesses < 0.25, (pair_hits, pair_guesses)  # pairs of one trial share differences


def test_zero_cells_recover_no_answer(population):
    """One unfiltered export: the lone voter is the only one whose top match is gamma, so their
    answers were the only non-zero (or withheld) cells of gamma's column."""
    rng = np.random.default_rng(2)
    hits = guesses = 0
    for app, lone in population:
        release = export(app.test_client())
        column = np.array([[0.5 if s["by_top_match"][c]["gamma"] is None else s["by_top_match"][c]["gamma"]
                            for c in CATEGORIES] for s in release["statements"]], dtype=float)
        hits += int((guess(column, rng) == lone).sum())
        guesses += len(lone)
    assert at_most_by_chance(hits, guesses), (hits, guesses)


def test_the_day_alone_and_the_partner_alone_show_nothing(population):
    app, _ = population[0]
    client = app.test_client()
    assert export(client, partner="lone")["records"] is None
    assert {a["id"]: a["top_match"] for a in export(client)["actors"]}["gamma"] == 0
    day = export(client, first=LONE_DAY, last=LONE_DAY)
    if day["covers"]["block_days"] == 7:
        assert day["covers"] == {"from": "2026-09-14", "to": "2026-09-20", "block_days": 7}  # the week, never the day
        assert day == export(client, first=DAYS[3], last=DAYS[4]) | {"filters": day["filters"]}
    else:  # the lone voter's day is a block of one record: published as nothing
        assert day["covers"] == {"from": "2026-09-16", "to": "2026-09-16", "block_days": 1}
        assert day["records"] is None and day["per_day"] == []


def test_repeating_an_export_gives_nothing_to_average(population):
    app, _ = population[0]
    client = app.test_client()
    first = export(client)
    assert all(export(client) == first for _ in range(5))
    assert client.get("/api/v1/export?epsilon=1000", headers=TOKEN).status_code == 400
