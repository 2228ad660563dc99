"""gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py 'quiz:create_app()'`.

Sync workers, one or two per core (measured here: the sync worker beat gthread on this app).
The app is loaded once in the master (preload) and shared copy-on-write by the workers.
No access log: it would record readers' IP addresses and result URLs, which carry answers.
"""

import multiprocessing
import os

# One BLAS thread per worker, set before the app (and NumPy) loads: the workers already use
# every core, and a request's matrix products are small; extra BLAS threads only spin beside them.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

bind = os.environ.get("QUIZ_BIND", "127.0.0.1:8000")
workers = int(os.environ.get("QUIZ_WORKERS", multiprocessing.cpu_count()))
worker_class = "sync"
preload_app = True
timeout = 30
graceful_timeout = 20
keepalive = 5
max_requests = 20_000
max_requests_jitter = 2_000
accesslog = None
errorlog = "-"
loglevel = "info"
# gunicorn takes no scheme from request headers: the app alone decides whom to believe, from
# QUIZ_TRUSTED_PROXIES (werkzeug's ProxyFix for X-Forwarded-For and -Proto). Otherwise any client
# on the proxy's address (loopback) could turn on HSTS and https share links with one header.
secure_scheme_headers: dict[str, str] = {}
# The largest request line and header field gunicorn accepts (its maximum; defaults 4094/8190):
# everything nginx passes with its 8k buffers (deploy/nginx.conf.example) then reaches the app,
# which answers with its own pages and security headers. Larger ones nginx refuses first.
limit_request_line = 8190
limit_request_field_size = 8190
limit_request_fields = 100


def when_ready(server):
    """After the app is preloaded in the master: move every object out of the garbage collector's
    sight, so that forked workers neither copy them (copy-on-write) nor scan them in collections."""
    import gc

    gc.freeze()


def post_worker_init(worker):
    """Start the worker's background thread (spool delivery, deleting expired rate-limit keys) now,
    not at its first record: a worker that only shows pages must delete expired keys too."""
    recorder = getattr(worker.wsgi, "extensions", {}).get("quiz_recorder")  # bench/ serves a bare app too
    if recorder is not None:
        recorder.delivery.start()
