"""Benchmark: a unique result page in-process, its CPU time and its size on the wire.

    python bench/result_page.py [--pages 600]

Renders result pages of the bundled quiz with every statement answered, each with different
random answers and weights (so nothing a page cache could keep is reused), through Flask's
test client without compression (the front compresses: deploy/nginx.conf.example). Prints the
process CPU time per page (best of three rounds) next to a request to the minimal Flask
endpoint through the same kind of client, measured in the same run, and the size of a page:
raw, gzip level 6 (nginx's usual ``gzip_comp_level``) and, if the ``brotli`` module is
installed, brotli at quality 5 and 11.
"""

from __future__ import annotations

import argparse
import gzip
import random
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.minimal_app import app as minimal_app  # noqa: E402
from quiz import create_app  # noqa: E402


def unique_urls(content, count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    urls = []
    for _ in range(count):
        params = [(s.id, rng.randint(-2, 2)) for s in content.statements]
        params += [("important", s.id) for s in content.statements if rng.random() < 0.2]
        urls.append("/result?" + urlencode(params))
    return urls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=600)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="quiz-page-"))
    app = create_app(None, {"SECRET_KEY": "bench", "DATABASE_URL": f"sqlite:///{workdir / 'r.sqlite3'}",
                            "QUIZ_SPOOL": str(workdir / "spool")})
    content, client = app.extensions["quiz_content"], app.test_client()
    best = float("inf")
    for round_ in range(3):
        urls = unique_urls(content, args.pages, round_)
        start = time.process_time()
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200 and "Content-Encoding" not in response.headers
        best = min(best, (time.process_time() - start) / args.pages)
    minimal = minimal_app.test_client()
    floor = float("inf")
    for _ in range(3):
        start = time.process_time()
        for _ in range(args.pages):
            minimal.get("/")
        floor = min(floor, (time.process_time() - start) / args.pages)
    page = client.get(unique_urls(content, 1, 99)[0]).get_data()
    print(f"unique result page, {len(content.statements)} answers, in-process, uncompressed: {best * 1000:.2f} ms CPU "
          f"({best / floor:.1f} × a minimal request, {floor * 1000:.3f} ms, same run)")
    sizes = f"page size: {len(page) / 1024:.1f} KB raw, {len(gzip.compress(page, 6)) / 1024:.1f} KB gzip -6"
    try:
        import brotli
    except ImportError:
        print(sizes + " (pip install brotli for the brotli figures)")
    else:
        print(sizes + f", {len(brotli.compress(page, quality=5)) / 1024:.1f} KB brotli 5, "
              f"{len(brotli.compress(page, quality=11)) / 1024:.1f} KB brotli 11")


if __name__ == "__main__":
    main()
