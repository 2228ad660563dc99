"""The floor for the HTTP benchmark: the smallest Flask endpoint under the same gunicorn.

``/page`` sends the bytes of a real result page (read once from ``BENCH_PAGE``) with no work at
all: the floor for a page of that size, which tells what sending it costs.
"""

import os
from pathlib import Path

from flask import Flask, Response

app = Flask(__name__)
PAGE = Path(os.environ["BENCH_PAGE"]).read_bytes() if os.environ.get("BENCH_PAGE") else b""


@app.get("/")
def hello():
    return "ok"


@app.get("/page")
def page():
    return Response(PAGE, mimetype="text/html")
