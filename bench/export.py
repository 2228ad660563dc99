"""Benchmark: aggregate export of many stored records, against a bare scan of the same table.

    python bench/export.py [--records 1000000] [--database sqlite | postgresql://…]

Prints, measured in this one run: the time of `SELECT count(*)`, of fetching every row the
export reads (the I/O floor), and of the whole export (fetch, decode, score, count, protect),
with the export's ratio to each; then what the disclosure control costs in accuracy: the error
of each published table against its true counts. Records are random answers to the bundled
quiz, over two weeks, a third of them through a partner.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quiz.app import REPO_ROOT  # noqa: E402
from quiz.export import aggregate, protect  # noqa: E402
from quiz.export.aggregate import CATEGORIES  # noqa: E402
from quiz.loading import load_content  # noqa: E402
from quiz.storage import ResponseRecord, open_store  # noqa: E402

CHUNK = 50_000


def random_records(content, n: int, seed: int = 1):
    """Yield lists of records: random answers (15 % skipped), weights, top match, day, partner."""
    rng = np.random.default_rng(seed)
    n_statements, actors = len(content.statements), [a.id for a in content.actors]
    for start in range(0, n, CHUNK):
        size = min(CHUNK, n - start)
        codes = rng.integers(0, 5, size=(size, n_statements))
        skipped = rng.random((size, n_statements)) < 0.15
        chars = np.where(skipped, ord("-"), codes + ord("0")).astype(np.uint8)
        weights = np.where(rng.random((size, n_statements)) < 0.2, ord("2"), ord("1")).astype(np.uint8)
        tops = rng.integers(0, len(actors), size)
        days = rng.integers(0, 14, size)
        yield [ResponseRecord(content.version, date(2026, 9, 1) + timedelta(days=int(days[i])),
                              "avisa" if i % 3 == 0 else None, chars[i].tobytes().decode(),
                              weights[i].tobytes().decode(), (actors[tops[i]],), f"{start + i:032x}")
               for i in range(size)]


def load(store, url: str, content, n: int) -> None:
    if url.startswith("sqlite"):
        for records in random_records(content, n):
            store.add(records)
        return
    import psycopg

    with psycopg.connect(url) as connection, connection.cursor() as cursor, cursor.copy(
            "COPY responses (quiz_version, day, partner, answers, weights, top_actors, token_id, record_key)"
            " FROM STDIN") as copy:
        for records in random_records(content, n):
            for record in records:
                copy.write_row(record.as_row())


def timed(work) -> tuple[float, object]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def bare_queries(url: str, version: str) -> tuple[float, float]:
    """Seconds for SELECT count(*) and for fetching every exported column of every row."""
    sql = "SELECT answers, weights, top_actors, day, partner FROM responses WHERE quiz_version = {}"
    if url.startswith("sqlite"):
        import sqlite3

        connection = sqlite3.connect(url.removeprefix("sqlite:///"))
        count, _ = timed(lambda: connection.execute("SELECT count(*) FROM responses").fetchone())
        fetch, _ = timed(lambda: connection.execute(sql.format("?"), (version,)).fetchall())
        return count, fetch
    import psycopg

    with psycopg.connect(url) as connection:
        count, _ = timed(lambda: connection.execute("SELECT count(*) FROM responses").fetchone())
        fetch, _ = timed(lambda: connection.execute(sql.format("%s"), (version,)).fetchall())
    return count, fetch


def accuracy(counts, release) -> None:
    """Print how far the published figures are from the true counts, table by table."""
    true = {name: sum(block.tables()[name] for block in counts.blocks.values()) for name in ("answers", "top",
                                                                                              "crosstab", "records")}
    published = {
        "records": np.array([release["records"]]),
        "answers": np.array([[s["answers"][c] for c in CATEGORIES] for s in release["statements"]]),
        "top": np.array([a["top_match"] for a in release["actors"]]),
        "crosstab": np.array([[[s["by_top_match"][c][a] for a in counts.actors] for c in CATEGORIES]
                              for s in release["statements"]]),
    }
    print(f"accuracy over {len(counts.blocks)} partner × week blocks (published − true):")
    for name, label in (("records", "records"), ("answers", "answer counts"), ("top", "top-match counts"),
                        ("crosstab", "answer × top-match cells")):
        error = published[name] - true[name]
        relative = np.abs(error).sum() / max(true[name].sum(), 1)
        print(f"  {label:26s} mean |error| {np.abs(error).mean():7.1f}   max |error| {np.abs(error).max():5d}"
              f"   mean true {true[name].mean():9.1f}   total |error| / total {100 * relative:5.2f} %")
    shares = published["answers"] / published["answers"].sum(axis=1, keepdims=True)
    true_shares = true["answers"] / true["answers"].sum(axis=1, keepdims=True)
    print(f"  answer shares (percentage points): mean |error| {100 * np.abs(shares - true_shares).mean():.2f},"
          f" max {100 * np.abs(shares - true_shares).max():.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--database", default="sqlite", help="sqlite (a temp file) or a postgresql:// URL")
    args = parser.parse_args()
    content = load_content(REPO_ROOT)
    url = args.database
    if url == "sqlite":
        url = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    store = open_store(url)
    store.upgrade()
    if store.count(content.version) != args.records:
        print(f"loading {args.records:,} records …", flush=True)
        loading, _ = timed(lambda: load(store, url, content, args.records))
        print(f"loaded in {loading:.1f} s")
    count_s, fetch_s = bare_queries(url, content.version)
    export_s, counts = timed(lambda: aggregate(store, content, today=date(2026, 10, 1)))
    protect_s, release = timed(lambda: protect(counts, k=10))
    total = export_s + protect_s
    print(f"database: {url.split(':')[0]}, records: {counts.records:,}, statements: {len(content.statements)}")
    print(f"SELECT count(*):         {count_s:8.3f} s")
    print(f"fetch all rows (floor):  {fetch_s:8.3f} s")
    print(f"export (aggregate+protect): {total:5.3f} s  = {counts.records / total:,.0f} records/s")
    print(f"ratio export / count(*) scan:   {total / count_s:8.1f}")
    print(f"ratio export / fetching rows:   {total / fetch_s:8.2f}")
    accuracy(counts, release)


if __name__ == "__main__":
    main()
