"""gunicorn settings for outreach: `gunicorn -c deploy/gunicorn.conf.py` (systemd, Docker, tests).

Values come from the environment so the same file serves every host: OUTREACH_BIND,
OUTREACH_WORKERS, PROMETHEUS_MULTIPROC_DIR.
"""

from __future__ import annotations

import gc
import os
import shutil
from pathlib import Path

wsgi_app = "outreach:create_app()"
bind = os.environ.get("OUTREACH_BIND", "127.0.0.1:8000").split(",")
# Sync workers: nginx buffers slow requests and answers, so a worker is only busy while it
# computes. On SQLite, one per core: envelope writers take turns (the writers' turn) and a
# waiting one sleeps in the kernel, so more workers only take CPU from the turn's holder
# (bench/sync.py, batch 100, 4 runs each: 8,190 records/s with 2 workers against 7,460 with 4
# on 2 cores; docs/performance.md). PostgreSQL: two per core, for its round trips (not measured
# against one).
_database = os.environ.get("DATABASE_URL") or os.environ.get("OUTREACH_DATABASE_URL", "")
_per_core = 1 if _database.startswith("sqlite") else 2
workers = int(os.environ.get("OUTREACH_WORKERS", str(_per_core * (os.cpu_count() or 1))))
worker_class = "sync"
timeout = 60
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then: bounded memory over months without a restart.
max_requests = 5000
max_requests_jitter = 500
# Load the app once in the master: a broken configuration stops the start, not each worker.
preload_app = True
forwarded_allow_ips = os.environ.get("OUTREACH_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Access log without query strings: only method, path, status, size and time.
accesslog = os.environ.get("OUTREACH_ACCESS_LOG", "-")
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
loglevel = os.environ.get("OUTREACH_LOG_LEVEL", "info").lower()

_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def on_starting(server: object) -> None:
    # Values of a previous run must not add up with this one's.
    if _metrics_dir:
        path = Path(_metrics_dir)
        if path.exists():
            shutil.rmtree(path)
        path.mkdir(parents=True, mode=0o700)


def pre_fork(server: object, worker: object) -> None:
    # The preloaded app's objects live as long as the process: frozen, the collector never
    # walks them again (a full collection of them cost ~0.4 ms per sync, docs/performance.md),
    # and the forked worker does not copy the pages they sit on by touching their GC headers.
    gc.freeze()


def post_worker_init(worker: object) -> None:
    # What the worker created while it started lives as long too.
    gc.freeze()


def child_exit(server: object, worker: object) -> None:
    if _metrics_dir:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)  # type: ignore[attr-defined]
