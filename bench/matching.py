"""Benchmark: scoring 1,000,000 voter profiles, against a plain matmul of the same shape.

    python bench/matching.py [--profiles 1000000]

For the bundled quiz and for the open Wahl-O-Mat 2021 data (38 statements × 38 parties, read
from ../shared/interop/qual-o-mat/2021-deutschland when present), prints profiles/s of:
  shipped     match_scores(answers, weights, positions): float answers in, scores and counts out
  codes       match_codes on answer codes (the bulk path used by export and audit), no counts
  floor       only the BLAS product (chunk × 5S one-hot) @ (5S × 2A), the one-hot built once
and the ratios shipped/floor and codes/floor, all measured in this one run.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz.app import REPO_ROOT  # noqa: E402
from quiz.loading import load_content  # noqa: E402
from quiz.matching import DEFAULT_CHUNK, ONE_HOT, agreement_tables, answer_codes, match_codes, match_scores  # noqa: E402

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


def rate(n: int, work) -> float:
    start = time.perf_counter()
    work()
    return n / (time.perf_counter() - start)


def floor(n: int, codes: np.ndarray, tables, chunk: int = DEFAULT_CHUNK) -> float:
    onehot = ONE_HOT[codes[:chunk]].reshape(chunk, -1)
    out = np.empty((chunk, tables.combined.shape[1]), dtype=np.float32)

    def work():
        for _ in range(0, n, chunk):
            np.matmul(onehot, tables.combined, out=out)

    return rate(n, work)


def bench(name: str, positions: np.ndarray, n: int) -> None:
    answers, weights = profiles(n, positions.shape[1])
    codes = answer_codes(answers, weights)
    tables = agreement_tables(positions)
    shipped = rate(n, lambda: match_scores(answers, weights, positions))
    bulk = rate(n, lambda: match_codes(codes, tables, with_compared=False))
    base = floor(n, codes, tables)
    print(f"{name}: {positions.shape[1]} statements × {positions.shape[0]} actors, {n:,} profiles")
    print(f"  shipped (match_scores)  {shipped:>12,.0f} profiles/s   floor / shipped = {base / shipped:5.1f}")
    print(f"  codes   (match_codes)   {bulk:>12,.0f} profiles/s   floor / codes   = {base / bulk:5.1f}")
    print(f"  floor   (matmul only)   {base:>12,.0f} profiles/s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=1_000_000)
    args = parser.parse_args()
    bench("bundled rusreform quiz", load_content(REPO_ROOT).positions, args.profiles)
    large = wahl_o_mat_positions(WAHL_O_MAT)
    if large is None:
        print(f"(no Wahl-O-Mat data at {WAHL_O_MAT}: large quiz skipped)")
    else:
        bench("Wahl-O-Mat 2021", large, args.profiles)


if __name__ == "__main__":
    main()
