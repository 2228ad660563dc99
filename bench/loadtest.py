"""Load test that loses nothing: simulated voters through the real flow against gunicorn.

    python bench/loadtest.py [--clients 32] [--seconds 60] [--database sqlite|postgresql]
                             [--kill-worker-at S] [--restart-postgres-at S] [--data DIR]

Starts gunicorn (deploy/gunicorn.conf.py, 2 workers) with the bundled quiz (or ``--data``: a quiz,
or a directory of quizzes that the voters take turns over, their records counted per quiz) on 127.0.0.1 and a
fresh database (SQLite file, or a throwaway PostgreSQL server), then runs simulated voters:
start page → quiz → review → POST /answers (70 % consent) → result. A voter whose request
fails retries the same request (same form token) up to three times, as a browser's reload
would. Afterwards the spool is delivered and the stored records are counted: they must equal
the consenting completions the clients counted, and no response may be a 5xx. Traffic goes to
127.0.0.1 only, bounded by --seconds.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urljoin

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from quiz.quizzes import load_quizzes  # noqa: E402
from quiz.storage import open_store  # noqa: E402

TOKEN = re.compile(r'name="token" type="hidden" value="([^"]+)"')


@dataclass
class Tally:
    completions: int = 0
    consenting: int = 0
    server_errors: int = 0
    failures: int = 0  # voters who gave up after retries (should be 0)
    requests: int = 0
    latencies: list[float] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, **counts) -> None:
        with self.lock:
            for key, value in counts.items():
                setattr(self, key, getattr(self, key) + value)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """gunicorn with the bundled quiz (or the quizzes in ``data_dir``), its own database and spool."""

    def __init__(self, database_url: str, workdir: Path, workers: int = 2, data_dir: Path = ROOT):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "SECRET_KEY": "load-test", "DATABASE_URL": database_url,
                    "QUIZ_SPOOL": str(workdir / "spool.jsonl"), "QUIZ_MIN_SECONDS": "0",
                    "QUIZ_COUNTS": str(workdir / "record-counts"),
                    "QUIZ_RATELIMIT_STORAGE": f"sqlite:///{workdir / 'ratelimit.sqlite3'}",
                    "QUIZ_STORE_LIMIT": "1000000/hour", "QUIZ_BIND": f"127.0.0.1:{self.port}",
                    "QUIZ_WORKERS": str(workers), "QUIZ_DATA_DIR": str(data_dir)}
        open_store(database_url).upgrade()
        self.log = (workdir / "gunicorn.log").open("wb")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), "quiz:create_app()"],
            env=self.env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=self.log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if requests.get(self.url + "/healthz", timeout=10).ok:
                    return
            except requests.RequestException:  # not listening yet, or workers not forked yet
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def workers(self) -> list[int]:
        found = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True)
        return [int(pid) for pid in found.stdout.split()]

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(20)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


def _request(session: requests.Session, tally: Tally, method: str, url: str, **kwargs) -> requests.Response:
    """One request, retried (same data) on connection errors and 5xx, as a reload would."""
    for attempt in range(4):
        start = time.perf_counter()
        try:
            response = session.request(method, url, timeout=15, allow_redirects=False, **kwargs)
        except requests.RequestException:
            tally.add(requests=1)
            time.sleep(0.2 * (attempt + 1))
            continue
        tally.add(requests=1)
        with tally.lock:
            tally.latencies.append(time.perf_counter() - start)
        if response.status_code >= 500:
            tally.add(server_errors=1)
            time.sleep(0.2 * (attempt + 1))
            continue
        return response
    raise RuntimeError(f"{method} {url} failed four times")


def voter(base: str, statements: list[str], tally: Tally, until: float, seed: int,
          scale: tuple[int, ...] = (-2, -1, 0, 1, 2)) -> None:
    rng = random.Random(seed)
    session = requests.Session()
    session.headers["Accept-Language"] = "nb"
    while time.monotonic() < until:
        try:
            _request(session, tally, "GET", base + "/")
            page = _request(session, tally, "GET", base + "/quiz").text
            token = TOKEN.search(page).group(1)
            answers = {s: str(rng.choice(scale)) if rng.random() > 0.1 else "skip" for s in statements}
            _request(session, tally, "GET", base + "/review", params={**answers, "token": token})
            consent = rng.random() < 0.7
            form = {**answers, "token": token, **({"share": "y"} if consent else {})}
            posted = _request(session, tally, "POST", base + "/answers", data=form,
                              headers={"Sec-Fetch-Site": "same-origin"})
            assert posted.status_code == 303, posted.status_code
            result = _request(session, tally, "GET", urljoin(base, posted.headers["Location"]))
            assert result.status_code == 200 and "ranking" in result.text
            tally.add(completions=1, consenting=int(consent))
        except (RuntimeError, AssertionError, AttributeError):
            tally.add(failures=1)


def run_load(database_url: str, workdir: Path, clients: int, seconds: float,
             kill_worker_at: float | None = None, faults: list | None = None,
             data_dir: Path = ROOT) -> tuple[Tally, int]:
    """Run the load; returns the tally and the number of records stored in the end. With a directory
    of quizzes the voters take turns over the quizzes, and the records are counted per quiz."""
    quizzes = load_quizzes(data_dir)
    server = Server(database_url, workdir, data_dir=data_dir)
    tally = Tally()
    until = time.monotonic() + seconds
    targets = [(server.url + (f"/{slug}" if slug else ""), [s.id for s in content.statements], content.scale)
               for slug, content in quizzes.items()]
    threads = [threading.Thread(target=voter, args=(base, statements, tally, until, i, scale))
               for i, (base, statements, scale) in zip(range(clients), itertools.cycle(targets), strict=False)]
    try:
        for thread in threads:
            thread.start()
        scheduled = sorted((faults or []) + ([(kill_worker_at, lambda: os.kill(server.workers()[0], signal.SIGKILL))]
                                            if kill_worker_at is not None else []), key=lambda f: f[0])
        started = time.monotonic() - (seconds - (until - time.monotonic()))
        for at, action in scheduled:
            time.sleep(max(0.0, started + at - time.monotonic()))
            action()
        for thread in threads:
            thread.join()
    finally:
        server.stop()
    deliver = subprocess.run([sys.executable, "-m", "quiz", "db", "deliver"], env=server.env, cwd=ROOT,
                             capture_output=True, text=True)
    if deliver.returncode != 0:
        raise RuntimeError(deliver.stderr)
    store = open_store(database_url)
    return tally, sum(sum(len(batch.days) for batch in store.batches(content.version, len(content.statements),
                                                                      quiz=slug))
                      for slug, content in quizzes.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--kill-worker-at", type=float, default=None)
    parser.add_argument("--restart-postgres-at", type=float, default=None)
    parser.add_argument("--data", type=Path, default=ROOT, help="a quiz, or a directory of quizzes (voters take turns)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="quiz-load-"))
    postgres, faults = None, []
    if args.database == "postgresql":
        from postgres_server import PostgresServer, bin_dir

        postgres = PostgresServer(bin_dir())
        postgres.start()
        url = postgres.url
        if args.restart_postgres_at is not None:
            faults = [(args.restart_postgres_at, postgres.stop), (args.restart_postgres_at + 3, postgres.start)]
    else:
        url = f"sqlite:///{workdir / 'responses.sqlite3'}"
    try:
        tally, stored = run_load(url, workdir, args.clients, args.seconds, args.kill_worker_at, faults, args.data)
    finally:
        if postgres:
            postgres.remove()
    latencies = sorted(tally.latencies) or [0.0]
    p50, p99 = latencies[len(latencies) // 2], latencies[int(len(latencies) * 0.99)]
    print(f"{args.database}: {args.clients} clients × {args.seconds:.0f} s: {tally.completions} completions "
          f"({tally.completions / args.seconds:.1f}/s), {tally.requests} requests, p50 {p50 * 1000:.0f} ms, "
          f"p99 {p99 * 1000:.0f} ms")
    print(f"5xx: {tally.server_errors}, voters who gave up: {tally.failures}, consenting completions: "
          f"{tally.consenting}, records stored: {stored}  →  {'EXACT' if stored == tally.consenting else 'MISMATCH'}")
    sys.exit(0 if stored == tally.consenting and tally.failures == 0 else 1)


if __name__ == "__main__":
    main()
