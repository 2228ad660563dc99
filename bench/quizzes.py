"""Benchmark: start time and memory per quiz when one app serves a directory of quizzes.

    python bench/quizzes.py [--counts 1 10 100] [--qualomat DIR]

For each count N, N copies of the bundled quiz (and, with ``--qualomat``, N copies of the quiz
the Qual-o-Mat importer makes of DIR, e.g. the 38 × 38 Bundestag 2021 data) go into a temporary
directory of quizzes; a fresh process creates the app (loads and validates every quiz, as before
gunicorn forks), renders each quiz's start page, and reports the seconds create_app took and its
RSS after. The last column divides what N quizzes add over one by N - 1: the cost of one more quiz.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PARTS = ("quiz.toml", "sources", "questions", "stances")

PROBE = r"""
import pathlib, sys, tempfile, time
from quiz import create_app
tmp = pathlib.Path(tempfile.mkdtemp())
start = time.perf_counter()
app = create_app(sys.argv[1], {"SECRET_KEY": "x", "DATABASE_URL": f"sqlite:///{tmp}/r.sqlite3",
                               "QUIZ_SPOOL": str(tmp / "spool"), "QUIZ_COUNTS": str(tmp / "record-counts"),
                               "QUIZ_RATELIMIT_STORAGE": f"sqlite:///{tmp / 'ratelimit.sqlite3'}"})
seconds = time.perf_counter() - start
client = app.test_client()
for slug in app.extensions["quiz_contents"]:
    assert client.get(f"/{slug}/").status_code == 200, slug
rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmRSS:"))
print(seconds, rss)
"""


def copy_quiz(source: Path, target: Path) -> None:
    for part in PARTS:
        if (source / part).is_dir():
            shutil.copytree(source / part, target / part)
        elif (source / part).exists():
            target.mkdir(parents=True, exist_ok=True)
            shutil.copy(source / part, target / part)


def measure(quiz: Path, count: int, workdir: Path) -> tuple[float, int]:
    """Seconds to create the app and KiB of RSS after, for ``count`` copies of ``quiz``."""
    root = workdir / f"{quiz.name}-{count}"
    for i in range(count):
        copy_quiz(quiz, root / f"q{i:03d}")
    out = subprocess.run([sys.executable, "-c", PROBE, str(root)], capture_output=True, text=True, check=True,
                         cwd=ROOT).stdout.split()
    shutil.rmtree(root)
    return float(out[0]), int(out[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--counts", nargs="*", type=int, default=[1, 10, 100])
    parser.add_argument("--qualomat", type=Path, default=None, help="Qual-o-Mat data to import as a second quiz")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        quizzes = [ROOT]
        if args.qualomat:
            imported = workdir / "qualomat"
            subprocess.run([sys.executable, "-m", "quiz", "import", "qual-o-mat", str(args.qualomat), "--out",
                            str(imported)], check=True, cwd=ROOT, capture_output=True)
            quizzes.append(imported)
        for quiz in quizzes:
            print(f"{'bundled' if quiz == ROOT else 'imported ' + args.qualomat.name}:")
            first = None
            for count in args.counts:
                seconds, rss = measure(quiz, count, workdir)
                first = first or (count, seconds, rss)
                extra = ""
                if count > first[0]:
                    extra = (f"  per added quiz: {(seconds - first[1]) / (count - first[0]) * 1000:6.1f} ms, "
                             f"{(rss - first[2]) / (count - first[0]) / 1024:5.2f} MiB")
                print(f"  {count:4d} quizzes: create_app {seconds:6.2f} s, RSS {rss / 1024:7.1f} MiB{extra}")


if __name__ == "__main__":
    main()
