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
# Behind a proxy, also set QUIZ_TRUSTED_PROXIES so the rate limit sees the readers' addresses.
forwarded_allow_ips = os.environ.get("QUIZ_FORWARDED_ALLOW_IPS", "127.0.0.1")


def when_ready(server):
    """After the app is preloaded in the master: move every object out of the garbage collector's
    sight, so that forked workers neither copy them (copy-on-write) nor scan them in collections."""
    import gc

    gc.freeze()
