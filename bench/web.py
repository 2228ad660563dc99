"""Benchmark: the app under gunicorn against a minimal Flask endpoint under the same gunicorn.

    apt-get install wrk; python bench/web.py [--seconds 10] [--connections 32]

Both run with deploy/gunicorn.conf.py (2 sync workers) on 127.0.0.1; wrk loads them from a
second process. Prints requests/s and p50/p99 latency for the start page, the quiz page, a
result page and POST /api/v1/match, each with its ratio to the minimal endpoint measured just
before it in this one run; first, the minimal endpoint sending a result page's bytes with no
work (what the page's size alone costs). Requests carry no Accept-Encoding, as behind nginx
(deploy/nginx.conf.example), which compresses in front of the app. "shared" requests one result
URL again and again (a link many readers open: rendered each time by the app, cached by nginx
and a CDN in production); "unique" gives every request different answers.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadtest import free_port  # noqa: E402
from quiz.loading import load_content  # noqa: E402
from quiz.storage import open_store  # noqa: E402


def start(app: str, env: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "gunicorn", "-c", str(ROOT / "deploy" / "gunicorn.conf.py"), app],
                               env={**env, "QUIZ_BIND": f"127.0.0.1:{port}", "QUIZ_WORKERS": "2"}, cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            requests.get(url + "/", timeout=10)
            return process, url
        except requests.RequestException:  # not listening yet, or workers not forked yet
            time.sleep(0.1)
    raise RuntimeError(f"{app} did not start")


def wrk(url: str, seconds: int, connections: int, script: Path | None = None) -> dict:
    command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency"]
    if script:
        command += ["-s", str(script)]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def latency(label: str) -> float:
        value, suffix = re.search(rf"{label}\s+([\d.]+)(us|ms|s)", out).groups()
        return float(value) * unit[suffix]

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), "p50": latency("50%"),
            "p99": latency("99%"), "non2xx": int(errors.group(1)) if errors else 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="quiz-http-"))
    content = load_content(ROOT)
    database = f"sqlite:///{workdir / 'r.sqlite3'}"
    open_store(database).upgrade()
    env = {**os.environ, "SECRET_KEY": "bench", "DATABASE_URL": database, "QUIZ_SPOOL": str(workdir / "spool"),
           "QUIZ_COUNTS": str(workdir / "record-counts"),
           "QUIZ_RATELIMIT_STORAGE": f"sqlite:///{workdir / 'ratelimit.sqlite3'}",
           "QUIZ_DATA_DIR": str(ROOT), "PYTHONPATH": str(ROOT)}
    answers = {s.id: (i % 5) - 2 for i, s in enumerate(content.statements)}
    post = workdir / "match.lua"
    post.write_text('wrk.method = "POST"\nwrk.headers["Content-Type"] = "application/json"\n'
                    f"wrk.body = {json.dumps(json.dumps({'answers': answers}))}\n")
    unique = workdir / "unique.lua"  # every request a different voter
    ids = ", ".join(f'"{s.id}"' for s in content.statements)
    unique.write_text(f"local ids = {{{ids}}}\nrequest = function()\n  local q = {{}}\n"
                      "  for i, id in ipairs(ids) do q[i] = id .. '=' .. math.random(-2, 2) end\n"
                      "  return wrk.format('GET', '/result?' .. table.concat(q, '&'))\nend\n")
    quiz, url = start("quiz:create_app()", env)
    page = workdir / "page.html"  # a unique result page as sent, for the minimal endpoint to send as it is
    page.write_bytes(requests.get(url + "/result?" + urlencode({s.id: -v for s, v in zip(content.statements,
                                                                                         answers.values())}),
                                  headers={"Accept-Encoding": "identity"}, timeout=30).content)
    minimal, minimal_url = start("bench.minimal_app:app", {**env, "BENCH_PAGE": str(page)})
    try:
        targets = {"minimal, a result page's bytes": (minimal_url + "/page", None),
                   "start page /": (url + "/", None), "quiz page /quiz": (url + "/quiz", None),
                   "result page (shared)": (url + "/result?" + urlencode(answers), None),
                   "POST /api/v1/match": (url + "/api/v1/match", post),
                   "result page (unique)": (url + "/result", unique)}
        print(f"{args.connections} connections, {args.seconds} s each, gunicorn -w 2 (sync), wrk -t2; each target "
              "right after its own run of the minimal endpoint (the machine's speed drifts)")
        for name, (target, script) in targets.items():
            floor = wrk(minimal_url + "/", args.seconds, args.connections)
            r = wrk(target, args.seconds, args.connections, script)
            print(f"{name:<30} {r['rps']:>6.0f} req/s  p50 {r['p50']:5.1f} ms  p99 {r['p99']:5.1f} ms  "
                  f"= {r['rps'] / floor['rps']:5.1%} of minimal ({floor['rps']:.0f} req/s, p99 {floor['p99']:.1f} ms)"
                  f"  non-2xx: {r['non2xx']}")
    finally:
        quiz.terminate()
        minimal.terminate()


if __name__ == "__main__":
    main()
