"""Settings from the environment, with embedded defaults that need no other server.

| variable | default | meaning |
|---|---|---|
| ``SECRET_KEY`` | none: required | signs form tokens and actors' review links; ``quiz serve`` makes a throwaway one |
| ``QUIZ_DATA_DIR`` | the repository (the bundled quiz) | the quiz, or a directory of quizzes (:mod:`quiz.quizzes`) |
| ``QUIZ_INSTANCE_DIR`` | ``instance/`` beside ``quiz/`` | where the default database and spool live |
| ``DATABASE_URL`` | the instance dir's ``responses.sqlite3`` | ``sqlite:///PATH`` or ``postgresql://…`` |
| ``QUIZ_SPOOL`` | the instance dir's ``spool.jsonl`` | where records wait when the database is down |
| ``QUIZ_DELIVERY_INTERVAL`` | 30 | seconds between a worker's background tries to deliver the spool |
| ``QUIZ_COUNTS`` | the instance dir's ``record-counts`` | record outcome counts shared by the workers (``/healthz``) |
| ``QUIZ_PARTNERS`` | none (embedding off) | TOML file of partners and their origins |
| ``QUIZ_EXPORT_TOKEN`` | none (export endpoint off) | bearer token for the aggregate export |
| ``QUIZ_MIN_SECONDS`` | 20 | a quiz answered faster than this is not counted |
| ``QUIZ_TOKEN_MAX_AGE`` | 21600 | seconds a form stays valid for counting |
| ``QUIZ_STORE_LIMIT`` | ``20/hour`` | counted records per client address |
| ``QUIZ_RATELIMIT_STORAGE`` | the instance dir's ``ratelimit.sqlite3`` | limit counters; ``redis://…``: many servers |
| ``QUIZ_TRUSTED_PROXIES`` | 0 | proxy hops whose X-Forwarded-For and -Proto are trusted (never -Host) |
| ``QUIZ_SUPPRESS_BELOW`` | 10 | export cells below this count are suppressed |
| ``QUIZ_KEPT_HTML_MB`` | 64 | MiB of rendered page parts a worker keeps (:func:`quiz.views.rendering.kept_html`) |

``deploy/gunicorn.conf.py`` reads two more: ``QUIZ_BIND`` (``127.0.0.1:8000``) and ``QUIZ_WORKERS``
(one per core).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

INSTANCE_DIR = Path(os.environ.get("QUIZ_INSTANCE_DIR") or Path(__file__).resolve().parent.parent / "instance")


def from_environment() -> dict[str, Any]:
    env = os.environ.get
    return {
        key: value for key, value in {
            "SECRET_KEY": env("SECRET_KEY"),
            "DATABASE_URL": env("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'responses.sqlite3'}",
            "QUIZ_SPOOL": env("QUIZ_SPOOL") or str(INSTANCE_DIR / "spool.jsonl"),
            "QUIZ_DELIVERY_INTERVAL": float(env("QUIZ_DELIVERY_INTERVAL") or 30),
            "QUIZ_COUNTS": env("QUIZ_COUNTS") or str(INSTANCE_DIR / "record-counts"),
            "QUIZ_PARTNERS": env("QUIZ_PARTNERS"),
            "QUIZ_EXPORT_TOKEN": env("QUIZ_EXPORT_TOKEN"),
            "QUIZ_MIN_SECONDS": float(env("QUIZ_MIN_SECONDS") or 20),
            "QUIZ_TOKEN_MAX_AGE": int(env("QUIZ_TOKEN_MAX_AGE") or 6 * 3600),
            "QUIZ_STORE_LIMIT": env("QUIZ_STORE_LIMIT") or "20/hour",
            "QUIZ_RATELIMIT_STORAGE": (env("QUIZ_RATELIMIT_STORAGE")
                                       or f"sqlite:///{INSTANCE_DIR / 'ratelimit.sqlite3'}"),
            "QUIZ_TRUSTED_PROXIES": int(env("QUIZ_TRUSTED_PROXIES") or 0),
            "QUIZ_SUPPRESS_BELOW": int(env("QUIZ_SUPPRESS_BELOW") or 10),
            "QUIZ_KEPT_HTML_MB": float(env("QUIZ_KEPT_HTML_MB") or 64),
        }.items() if value is not None
    }
