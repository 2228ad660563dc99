"""Benchmark: CPU instructions of a unique result page and of a minimal request, counted by valgrind.

    apt-get install valgrind; python bench/instructions.py [--pages 200]

Time on a shared machine swings by a third between runs; an instruction count does not (the
same code and input give the same count whatever else the machine does). Each figure is a
difference of two runs under ``valgrind --tool=callgrind``: the same pages rendered twice and
once, so start-up, imports and the first rendering of the parts kept for every voter
(``kept_html``) cancel out and what is left is a page in a warm worker. Prints instructions per
unique result page (the bundled quiz, every statement answered, random answers and weights, as
``bench/result_page.py``), per request to the minimal Flask endpoint, and their ratio. To
compare two versions of the code, run this script from each checkout. It takes a few minutes.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PAGES = r"""
import sys, tempfile, pathlib
sys.path.insert(0, sys.argv[1])
from bench.result_page import unique_urls
from quiz import create_app
tmp = pathlib.Path(tempfile.mkdtemp())
app = create_app(None, {"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp}/r.sqlite3",
                        "QUIZ_SPOOL": str(tmp / "spool"), "QUIZ_COUNTS": str(tmp / "record-counts"),
                        "QUIZ_RATELIMIT_STORAGE": f"sqlite:///{tmp / 'ratelimit.sqlite3'}"})
client = app.test_client()
urls = unique_urls(app.extensions["quiz_content"], int(sys.argv[2]), 3)
for _ in range(int(sys.argv[3])):
    for url in urls:
        assert client.get(url).status_code == 200
"""

MINIMAL = r"""
import sys
sys.path.insert(0, sys.argv[1])
from bench.minimal_app import app
client = app.test_client()
for _ in range(int(sys.argv[2]) * int(sys.argv[3])):
    client.get("/")
"""


def instructions(probe: str, count: int, rounds: int) -> int:
    """Instructions valgrind counts for ``probe`` run with ``count`` requests, ``rounds`` times."""
    run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null",
                          sys.executable, "-c", probe, str(ROOT), str(count), str(rounds)],
                         capture_output=True, text=True, check=True)
    return int(re.search(r"Collected : (\d+)", run.stderr).group(1))


def per_request(probe: str, count: int) -> float:
    """Instructions per request, once warm: ``count`` requests made twice, minus once (both runs at once)."""
    with ThreadPoolExecutor(2) as pool:
        twice, once = pool.map(lambda rounds: instructions(probe, count, rounds), (2, 1))
    return (twice - once) / count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=200)
    args = parser.parse_args()
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is not installed (apt-get install valgrind)")
    page = per_request(PAGES, args.pages)
    minimal = per_request(MINIMAL, args.pages)
    print(f"unique result page: {page / 1e6:.2f} M instructions; minimal request: {minimal / 1e6:.3f} M; "
          f"ratio {page / minimal:.1f} (valgrind callgrind, warm worker, {args.pages} pages)")


if __name__ == "__main__":
    main()
