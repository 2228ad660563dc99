"""``/healthz``: what a load balancer or an operator needs to know, as JSON.

Always 200 while the app serves results (content is loaded), with ``status`` "ok", or
"degraded" when records cannot reach the database or the spool, or a record has ever been lost
(the counts are shared by the workers and kept across restarts, so every worker keeps saying so
until an operator resets them by removing ``QUIZ_COUNTS``): voters still get results, and the
counts say what happened.
"""

from __future__ import annotations

import os
import shutil

from flask import Blueprint, current_app, jsonify

from quiz.storage.spool import SpoolError
from quiz.views import get_content, served_quizzes, several_quizzes

bp = Blueprint("health", __name__)
MIN_FREE_BYTES = 10 * 1024 * 1024


def spool_writable(path) -> bool:
    """Whether a record could be appended to the spool now (directory writable, disk not full)."""
    directory = path.parent
    while not directory.exists() and directory != directory.parent:  # the spool creates missing folders
        directory = directory.parent
    target = path if path.exists() else directory
    try:
        return (directory.is_dir() and os.access(target, os.W_OK)
                and shutil.disk_usage(directory).free > MIN_FREE_BYTES)
    except OSError:
        return False


@bp.get("/healthz")
def healthz():
    recorder = current_app.extensions["quiz_recorder"]
    recorder.delivery.start()  # a backlog is delivered even while nobody consents (never in this request)
    database = recorder.store.ping()
    writable = spool_writable(recorder.spool.path)
    try:
        backlog = recorder.spool.backlog()
    except SpoolError:
        backlog = None
    counts = recorder.counts.snapshot()
    lost = counts.get("lost", 0)
    response = jsonify({
        "status": "ok" if database and writable and not lost else "degraded",
        **({"content_version": get_content().version} if not several_quizzes() else
           {"content_versions": {slug: content.version for slug, content in served_quizzes().items()}}),
        "database": "reachable" if database else "unreachable",
        "spool": {"backlog": backlog, "writable": writable},
        "records": counts,
    })
    response.headers["Cache-Control"] = "no-store"
    return response
