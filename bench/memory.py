"""Benchmark: peak memory (RSS) of one app process with a quiz loaded and serving.

    python bench/memory.py [--data DIR] ...

For each data directory (default: the bundled quiz), a fresh process creates the app, renders the
start, quiz and a result page and scores a request, then reports its peak RSS next to the
peak RSS of a bare Python process that imports the same libraries (the floor), in this one run.
A gunicorn worker with preload shares most of this with the master, copy-on-write.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PROBE = r"""
import resource, sys, tempfile, pathlib
from urllib.parse import urlencode
import flask, numpy, wtforms, babel, psycopg, limits  # the floor imports these too
if sys.argv[1] != "-":
    from quiz import create_app
    tmp = pathlib.Path(tempfile.mkdtemp())
    app = create_app(sys.argv[1], {"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp}/r.sqlite3",
                                   "QUIZ_SPOOL": str(tmp / "spool"),
                                   "QUIZ_COUNTS": str(tmp / "record-counts"),
                                   "QUIZ_RATELIMIT_STORAGE": f"sqlite:///{tmp / 'ratelimit.sqlite3'}"})
    content = app.extensions["quiz_content"]
    client = app.test_client()
    answers = {s.id: (i % 5) - 2 for i, s in enumerate(content.statements)}
    for url in ("/", "/quiz", "/result?" + urlencode(answers)):
        assert client.get(url).status_code == 200, url
    assert client.post("/api/v1/match", json={"answers": answers}).status_code == 200
    print(len(content.statements), len(content.actors), end=" ")
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_rss(data: str) -> tuple[str, int]:
    out = subprocess.run([sys.executable, "-c", PROBE, data], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.split()
    return " × ".join(out[:-1][::-1]), int(out[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", nargs="*", default=[str(ROOT)])
    args = parser.parse_args()
    _, floor = peak_rss("-")
    print(f"bare Python with the same imports: {floor / 1024:6.1f} MiB")
    for data in args.data:
        shape, rss = peak_rss(data)
        print(f"{data} ({shape} actors × statements): {rss / 1024:6.1f} MiB peak RSS "
              f"(+{(rss - floor) / 1024:.1f} MiB over the floor)")


if __name__ == "__main__":
    main()
