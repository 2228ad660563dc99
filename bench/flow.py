"""Benchmark: CPU time of one voter's whole flow, step by step, in one app process.

    python bench/flow.py [--voters 300]

Drives the app in-process (Flask's test client, uncompressed: nginx compresses in front of the
app) through start page → quiz → review → POST /answers with consent (a record stored in
SQLite) → the voter's own result page, each voter with different random answers. Prints the
process CPU time per step and per flow (best of three
rounds) and, measured in the same run, the CPU time of a request to the minimal Flask
endpoint through the same client: the fixed cost of any request, for scale. The capacity table
in the README is computed from the flow figure.
"""

from __future__ import annotations

import argparse
import gc
import random
import re
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from werkzeug.datastructures import MultiDict

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.minimal_app import app as minimal_app  # noqa: E402
from quiz import create_app  # noqa: E402
from quiz.storage import open_store  # noqa: E402

TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"')
STEPS = ("start", "quiz", "review", "answers", "result")


def one_flow(client, content, rng: random.Random, spent: dict[str, float]) -> None:
    def step(name: str, call):
        start = time.process_time()
        response = call()
        spent[name] += time.process_time() - start
        assert response.status_code < 400, (name, response.status_code)
        return response

    step("start", lambda: client.get("/"))
    token = TOKEN.search(step("quiz", lambda: client.get("/quiz")).get_data(as_text=True)).group(1)
    answers = [(s.id, str(rng.randint(-2, 2))) for s in content.statements]
    answers += [("important", s.id) for s in content.statements if rng.random() < 0.2]
    step("review", lambda: client.get("/review?" + urlencode([*answers, ("token", token)])))
    posted = step("answers", lambda: client.post(
        "/answers", data=MultiDict([*answers, ("token", token), ("share", "y")]),
        headers={"Sec-Fetch-Site": "same-origin"}))
    step("result", lambda: client.get(posted.headers["Location"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--voters", type=int, default=300)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="quiz-flow-"))
    database = f"sqlite:///{workdir / 'r.sqlite3'}"
    open_store(database).upgrade()
    app = create_app(None, {"SECRET_KEY": "bench", "DATABASE_URL": database, "QUIZ_SPOOL": str(workdir / "spool"),
                            "QUIZ_MIN_SECONDS": 0, "QUIZ_STORE_LIMIT": "1000000/hour",
                            "QUIZ_COUNTS": str(workdir / "record-counts"),
                            "QUIZ_RATELIMIT_STORAGE": f"sqlite:///{workdir / 'ratelimit.sqlite3'}"})
    gc.freeze()  # as gunicorn.conf.py does after preloading the app
    content, client, rng = app.extensions["quiz_content"], app.test_client(), random.Random(3)
    best = {name: float("inf") for name in STEPS}
    for _ in range(3):
        spent = dict.fromkeys(STEPS, 0.0)
        for _ in range(args.voters):
            one_flow(client, content, rng, spent)
        best = {name: min(best[name], spent[name] / args.voters) for name in STEPS}
    minimal = minimal_app.test_client()
    floor = float("inf")
    for _ in range(3):
        start = time.process_time()
        for _ in range(args.voters * 5):
            minimal.get("/")
        floor = min(floor, (time.process_time() - start) / (args.voters * 5))
    stored = open_store(database).count()
    flow = sum(best.values())
    print(f"{args.voters} voters × 3 rounds, CPU time per step (best round), in-process, uncompressed:")
    for name in STEPS:
        print(f"  {name:<8} {best[name] * 1000:6.2f} ms  ({best[name] / floor:5.1f} × a minimal request)")
    print(f"  flow     {flow * 1000:6.2f} ms  → {1 / flow:5.0f} completed voters per second per core")
    print(f"  minimal  {floor * 1000:6.2f} ms  (a request to the minimal Flask endpoint, same client)")
    print(f"  records stored: {stored} (one per consenting voter: {3 * args.voters} expected)")


if __name__ == "__main__":
    main()
