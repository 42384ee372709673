"""gunicorn settings for bench/scale.py: the shipped ones (deploy/gunicorn.conf.py), plus a count
of each worker's Python heap every ``BENCH_HEAP_EVERY`` requests into ``BENCH_HEAP_LOG``.

RSS moves by a megabyte or two either way as the allocators take and give back memory; the
number of blocks Python has allocated (``sys.getallocatedblocks()``, after a full collection)
does not, so a leak of Python objects shows as a steady climb of it.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path
from typing import Any

_SHIPPED = Path(__file__).resolve().parent.parent / "deploy" / "gunicorn.conf.py"
exec(compile(_SHIPPED.read_text(), str(_SHIPPED), "exec"))  # noqa: S102

_heap_log = os.environ.get("BENCH_HEAP_LOG")
_every = int(os.environ.get("BENCH_HEAP_EVERY", "250"))


def post_request(worker: Any, req: Any, environ: Any, resp: Any) -> None:
    if _heap_log and worker.nr % _every == 0:
        gc.collect()
        with open(_heap_log, "a") as log:
            log.write(f"{os.getpid()} {worker.nr} {sys.getallocatedblocks()}\n")
