"""Benchmark: the opt-in record path (one record per transaction, as /answers stores it)
on SQLite and PostgreSQL, with several concurrent writer processes.

    python bench/storage.py [--records 4000] [--writers 1 2 4]

PostgreSQL runs as a throwaway server from Debian's binaries on 127.0.0.1 (tests/postgres_server.py).
Prints inserts/s per database and number of writers, measured in this one run.
"""

from __future__ import annotations

import argparse
import multiprocessing
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from quiz.storage import ResponseRecord, open_store  # noqa: E402


def _write(url: str, start: int, count: int) -> None:
    store = open_store(url)
    for i in range(start, start + count):
        store.add([ResponseRecord("bench", date(2026, 9, 1), None, "43210" * 5, "12111" * 5, ("ap",), f"{i:032x}")])
    store.close()


def inserts_per_second(url: str, records: int, writers: int) -> float:
    store = open_store(url)
    store.upgrade()
    offset = store.count() + 10_000_000 * writers
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_write, args=(url, offset + w * records, records // writers))
                 for w in range(writers)]
    start = time.perf_counter()
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    return (records // writers) * writers / (time.perf_counter() - start)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=4000)
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    from postgres_server import PostgresServer, bin_dir

    postgres = PostgresServer(bin_dir())
    postgres.start()
    try:
        databases = {"SQLite (WAL)": f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}",
                     "PostgreSQL": postgres.url}
        for name, url in databases.items():
            for writers in args.writers:
                rate = inserts_per_second(url, args.records, writers)
                print(f"{name:<14} {writers} writer(s): {rate:8,.0f} inserts/s (one record per transaction)")
    finally:
        postgres.remove()


if __name__ == "__main__":
    main()
