"""Benchmark: scoring 1,000,000 voter profiles, against a plain matmul of the same shape.

    python bench/matching.py [--profiles 1000000] [--repeat 3]

BLAS runs on one thread (OPENBLAS_NUM_THREADS=1 unless already set), as in a gunicorn worker
(deploy/gunicorn.conf.py): every figure is per core. With two BLAS threads the whole-matrix
floor uses both cores of this machine while the kernel's cache-sized products mostly stay on
one, and the comparison would be between different amounts of hardware.

For the bundled quiz and for the open Wahl-O-Mat 2021 data (38 statements × 38 parties, read
from ../shared/interop/qual-o-mat/2021-deutschland when present), prints profiles/s of:

  ballots   match_ballots(ballots, tables): compact int8 ballots in, scores out (the kernel;
            what the target is about)
  scores    match_scores(answers, weights, tables): float answers with NaN in, scores and
            counts out (the kernel plus encoding the floats and counting compared statements)
  floor     the textbook one-hot formulation's product alone, numpy.matmul of the whole
            (profiles × 5S) one-hot matrix, weights in its values, by the (5S × 2A) table of
            agreements and denominators: the same shape as the kernel's products, built in
            advance and not timed
  in-cache  the same product for one cache-sized block, repeated: what BLAS does when its
            input never leaves the cache, a bound no real input reaches

and the ratios kernel/floor and kernel/in-cache. Every figure is the best of --repeat runs in
this one process (the machine is shared and noisy); all are measured in the same run.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # before NumPy loads BLAS

import numpy as np  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz.app import REPO_ROOT  # noqa: E402
from quiz.loading import load_content  # noqa: E402
from quiz.matching import (  # noqa: E402
    DEFAULT_CHUNK,
    MAX_DISTANCE,
    SCALE,
    encode_ballots,
    match_ballots,
    match_scores,
    scoring_tables,
)

WAHL_O_MAT = REPO_ROOT.parent / "shared" / "interop" / "qual-o-mat" / "2021-deutschland"
ANSWER_POSITION = {0: 2.0, 1: -2.0, 2: 0.0}  # agree, disagree, neutral


def wahl_o_mat_positions(directory: Path) -> np.ndarray | None:
    """Party × statement positions from the qual-o-mat opinion file (NaN where a party did not answer)."""
    if not (directory / "opinion.json").exists():
        return None
    parties = json.loads((directory / "party.json").read_text())
    statements = json.loads((directory / "statement.json").read_text())
    positions = np.full((len(parties), len(statements)), np.nan)
    row = {p["id"]: i for i, p in enumerate(parties)}
    col = {s["id"]: j for j, s in enumerate(statements)}
    for opinion in json.loads((directory / "opinion.json").read_text()):
        positions[row[opinion["party"]], col[opinion["statement"]]] = ANSWER_POSITION[opinion["answer"]]
    return positions


def profiles(n: int, n_statements: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    answers = rng.integers(-2, 3, size=(n, n_statements)).astype(float)
    answers[rng.random((n, n_statements)) < 0.15] = np.nan
    weights = np.where(rng.random((n, n_statements)) < 0.2, 2.0, 1.0)
    return answers, weights


def one_hot_problem(answers: np.ndarray, weights: np.ndarray, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The textbook formulation: (V, 5S) one-hot answers carrying the weight, (5S, 2A) table."""
    given = ~np.isnan(answers)
    onehot = (answers[:, :, None] == SCALE[None, None, :]) * np.where(given, weights, 0.0)[:, :, None]
    known = ~np.isnan(positions)
    agreement = np.where(known[:, :, None],
                         1 - np.abs(SCALE[None, None, :] - np.nan_to_num(positions)[:, :, None]) / MAX_DISTANCE, 0)
    has = np.repeat(known[:, :, None], len(SCALE), axis=2)
    n_actors = positions.shape[0]
    table = np.hstack([agreement.reshape(n_actors, -1).T, has.reshape(n_actors, -1).T])
    return onehot.reshape(len(answers), -1).astype(np.float32), table.astype(np.float32)


def best_rate(n: int, work, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        best = min(best, time.perf_counter() - start)
    return n / best


def bench(name: str, positions: np.ndarray, n: int, repeat: int) -> None:
    answers, weights = profiles(n, positions.shape[1])
    ballots = encode_ballots(answers, weights)
    tables = scoring_tables(positions)
    onehot, table = one_hot_problem(answers, weights, positions)
    product = np.empty((n, table.shape[1]), dtype=np.float32)
    block = onehot[:DEFAULT_CHUNK].copy()
    block_out = np.empty((DEFAULT_CHUNK, table.shape[1]), dtype=np.float32)

    def in_cache():
        for _ in range(0, n, DEFAULT_CHUNK):
            np.matmul(block, table, out=block_out)

    kernel = best_rate(n, lambda: match_ballots(ballots, tables, with_compared=False), repeat)
    full = best_rate(n, lambda: match_scores(answers, weights, tables), repeat)
    floor = best_rate(n, lambda: np.matmul(onehot, table, out=product), repeat)
    cached = best_rate(n, in_cache, repeat)
    # The floor's product must give the same scores, or it is not the same arithmetic.
    reference = np.where(product[:, positions.shape[0]:] > 0,
                         100 * product[:, :positions.shape[0]] / product[:, positions.shape[0]:], np.nan)
    scores, _ = match_ballots(ballots, tables, with_compared=False)
    assert np.allclose(scores, reference, equal_nan=True, atol=1e-3), "kernel and floor disagree"
    print(f"{name}: {positions.shape[1]} statements × {positions.shape[0]} actors, {n:,} profiles "
          f"(one-hot {onehot.shape[1]} columns), BLAS threads: {os.environ['OPENBLAS_NUM_THREADS']}")
    print(f"  ballots  (match_ballots)   {kernel:>12,.0f} profiles/s   floor/ballots {floor / kernel:4.2f}×"
          f"   in-cache/ballots {cached / kernel:4.2f}×")
    print(f"  scores   (match_scores)    {full:>12,.0f} profiles/s   floor/scores  {floor / full:4.2f}×")
    print(f"  floor    (one-hot matmul)  {floor:>12,.0f} profiles/s")
    print(f"  in-cache (one block)       {cached:>12,.0f} profiles/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    bench("bundled rusreform quiz", load_content(REPO_ROOT).positions, args.profiles, args.repeat)
    large = wahl_o_mat_positions(WAHL_O_MAT)
    if large is None:
        print(f"(no Wahl-O-Mat data at {WAHL_O_MAT}: large quiz skipped)")
    else:
        bench("Wahl-O-Mat 2021", large, args.profiles, args.repeat)


if __name__ == "__main__":
    main()
