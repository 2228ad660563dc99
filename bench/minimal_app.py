"""The floor for the HTTP benchmark: the smallest Flask endpoint under the same gunicorn."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "ok"
