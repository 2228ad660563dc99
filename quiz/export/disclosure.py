"""Disclosure control for the aggregate export: fixed blocks, each protected once by the cell key method.

Two things make per-export suppression fail: zeros (a hidden cell alone among zeros is known)
and differencing (export(all) − export(partner=X) isolates whoever is left). This module
answers both, for any number of exports with any filters:

1. **Blocks.** Records are counted in non-overlapping blocks: one partner group × one whole
   week (or day) that is over (quiz/export/aggregate.py). Every published number is a sum of the
   blocks' *protected* numbers, so "all" is exactly the sum of the partners' figures and a week
   range exactly the sum of its weeks: subtracting any two exports gives protected blocks, never
   one voter. A finished week never changes, so it is protected once, the same in every export.
2. **Cell key perturbation of each block** (the method of the ABS TableBuilder and the 2022
   German census). Every stored record carries a random key, uniform in [0, 2**32), drawn when
   it is stored; a block's key is the sum of its records' keys modulo 2**32. A fixed
   perturbation table maps (block key, table, cell, count) to what is published:

   - counts below a threshold are published as 0. The threshold is drawn per cell from the key,
     from k to 2k − 1 (k = ``QUIZ_SUPPRESS_BELOW``, at least ``MIN_K``): a cell holding one voter
     looks exactly like an empty cell, so zeros reveal nothing;
   - every other count gets noise: a standard normal quantile picked by the key, cut at ±3 and
     scaled by ``max(NOISE_FLOOR, NOISE_PER_ROOT · √count)``.

Means are computed from published, perturbed score bands, never from raw sums.
"""

from __future__ import annotations

import hashlib
from statistics import NormalDist

import numpy as np

from quiz.export.aggregate import KEY_MODULUS, SCORE_BAND, Aggregates, Block

MIN_K = 5  # below this, the threshold would no longer hide a lone voter among empty cells
NOISE_FLOOR = 3.0
NOISE_PER_ROOT = 0.5
_TABLE_BITS = 12
# The perturbation table: 4096 standard normal quantiles, cut at ±3.
_QUANTILES = np.clip([NormalDist().inv_cdf((i + 0.5) / (1 << _TABLE_BITS)) for i in range(1 << _TABLE_BITS)],
                     -3.0, 3.0)
_U64 = np.uint64


def check_k(k: int) -> None:
    """Raise ValueError unless ``k`` is a threshold the export accepts."""
    if k < MIN_K:
        raise ValueError(f"the suppression threshold k must be at least {MIN_K}")


def _mix(z: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser: spreads every input bit over all 64 output bits (uint64 arrays wrap)."""
    z = (z ^ (z >> _U64(30))) * _U64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> _U64(27))) * _U64(0x94D049BB133111EB)
    return z ^ (z >> _U64(31))


def perturb(counts: np.ndarray, key: int, table: str, k: int) -> np.ndarray:
    """The published counts of one table of one block: a fixed function of (key, table, cell, count)."""
    table_seed = int.from_bytes(hashlib.sha256(table.encode()).digest()[:8], "big")
    cells = np.arange(counts.size, dtype=np.uint64).reshape(counts.shape)
    with np.errstate(over="ignore"):
        seed = _mix(np.full(counts.shape, _U64(key) ^ _U64(table_seed), dtype=np.uint64) + cells)
        position = _mix(seed ^ counts.astype(np.uint64))
    noise_index = (position >> _U64(64 - _TABLE_BITS)).astype(np.int64)
    threshold = k + (((position & _U64(KEY_MODULUS - 1)) * _U64(k)) >> _U64(32)).astype(np.int64)
    scale = np.maximum(NOISE_FLOOR, NOISE_PER_ROOT * np.sqrt(counts))
    noisy = counts + np.rint(scale * _QUANTILES[noise_index]).astype(np.int64)
    return np.where(counts < threshold, 0, np.maximum(noisy, 0))


def _published(blocks: list[Block], k: int) -> dict[str, np.ndarray]:
    """Each table summed over the blocks' protected tables."""
    sums: dict[str, np.ndarray] = {}
    for block in blocks:
        for name, counts in block.tables().items():
            protected = perturb(counts, block.key, name, k)
            sums[name] = sums[name] + protected if name in sums else protected
    return sums


def _per_day(agg: Aggregates, k: int) -> list[dict]:
    """Completions per day: each partner group's day a cell of its own, protected, then summed."""
    totals: dict[str, int] = {}
    for block in agg.blocks.values():
        for day, (count, key) in block.days.items():
            totals[day] = totals.get(day, 0) + int(perturb(np.array([count]), key, "day", k)[0])
    return [{"day": day, "count": totals[day]} for day in sorted(totals) if totals[day]]  # 0: as if absent


def protect(agg: Aggregates, k: int = 10) -> dict:
    """The publishable tables of ``agg`` as a JSON-ready dict, with what was done to them.

    Raises ValueError for a ``k`` below ``MIN_K``.
    """
    check_k(k)
    n_statements, n_actors, n_categories = len(agg.statements), len(agg.actors), len(agg.categories)
    tables = _published(list(agg.blocks.values()), k)
    records = int(tables["records"][0]) if tables else 0
    too_few = records == 0
    shown = lambda name, *shape: (np.full(shape, None, dtype=object) if too_few  # noqa: E731
                                  else tables[name].astype(object))
    answers, important = shown("answers", n_statements, n_categories), shown("important", n_statements, 2)
    crosstab, top = shown("crosstab", n_statements, n_categories, n_actors), shown("top", n_actors)
    partners = sorted({partner for partner, _ in agg.blocks})
    per_partner = [_published([b for (p, _), b in agg.blocks.items() if p == partner], k)["records"][0]
                   for partner in partners]
    return {
        "version": agg.version,
        "filters": agg.filters,
        "covers": agg.covers,
        "records": None if too_few else records,
        "k": k,
        "method": "cell key",
        "notes": _notes(k, agg.covers, too_few),
        "statements": [
            {"id": sid,
             "answers": dict(zip(agg.categories, _plain(answers[i]))),
             "important": _plain(important[i])[0],
             "not_important": _plain(important[i])[1],
             "by_top_match": {category: dict(zip(agg.actors, _plain(crosstab[i][c])))
                              for c, category in enumerate(agg.categories)}}
            for i, sid in enumerate(agg.statements)
        ],
        "actors": [
            {"id": aid, "top_match": _plain(top)[j], "mean_score": None if too_few else _mean(tables["scores"][j])}
            for j, aid in enumerate(agg.actors)
        ],
        "per_day": [] if too_few else _per_day(agg, k),
        "per_partner": [] if too_few else [{"partner": p or None, "count": int(c)}
                                           for p, c in zip(partners, per_partner) if c],  # 0: as if absent
    }


def _plain(values) -> list:
    return [None if v is None else int(v) for v in values]


def _mean(bands: np.ndarray) -> float | None:
    """The mean score from published band counts, each band at its midpoint; None if all are 0."""
    if bands.sum() == 0:
        return None
    midpoints = SCORE_BAND * (np.arange(len(bands)) + 0.5)
    return round(float((bands * midpoints).sum() / bands.sum()), 1)


def _block_word(covers: dict) -> str:
    return "day" if covers.get("block_days") == 1 else "week"


def _coverage(covers: dict) -> list[str]:
    span = f"{covers['from'] or 'the start'} to {covers['to']}"
    if _block_word(covers) == "day":
        return [f"Covers whole days (UTC) that are over: {span}. Today is counted from tomorrow."]
    return [f"Covers whole weeks (Monday to Sunday, UTC) that are over: {span}. "
            "The current week is counted from next Monday."]


def _notes(k: int, covers: dict, too_few: bool) -> list[str]:
    notes = [
        "Self-selected: only voters who chose to share their answers are counted; "
        "the figures describe them, not the electorate.",
        *_coverage(covers),
        f"Disclosure control (cell key method, per partner and {_block_word(covers)}): counts below {k}, and "
        f"some below "
        f"{2 * k}, are published as 0, so a zero does not mean that nobody gave that answer; every other "
        "count carries a small fixed perturbation, the same in every export, so totals may not add up exactly.",
        f"Mean scores are computed from the published counts of scores in bands of {SCORE_BAND} points.",
        "A voter whose top matches tie is counted for each tied actor in top_match and by_top_match.",
    ]
    if too_few:
        notes.append("Too few records match: nothing is shown.")
    return notes
