"""A bound on PDF rendering across every worker process of the server.

A 50-copy kit is seconds of CPU. With sync gunicorn workers, each render occupies a worker, so
if every worker could render at once, syncs would queue behind kits. Renders take one of a few
slots (an exclusive ``flock`` on a file in the instance directory, released by the kernel even
if the worker dies); with every slot taken the request is refused at once with 503 and
``Retry-After`` rather than holding a worker while it waits (PROTOCOL §3: clients back off).
"""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from outreach.errors import ServiceBusy

RETRY_AFTER_SECONDS = 2


def slot_path(directory: Path, index: int) -> Path:
    return Path(directory) / f"pdf-render-{index}.lock"


@contextmanager
def render_slot(directory: Path, slots: int) -> Iterator[None]:
    Path(directory).mkdir(parents=True, exist_ok=True, mode=0o700)
    for index in range(max(1, slots)):
        handle = slot_path(directory, index).open("a+b")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
        return
    raise ServiceBusy("Every printing slot is busy; try again in a moment.",
                      headers={"Retry-After": str(RETRY_AFTER_SECONDS)})
