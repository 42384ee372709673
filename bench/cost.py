"""Benchmark: the CPU cost of a sync as instructions counted by valgrind, against one verify.

Run: `make bench-cost` (or `.venv/bin/python bench/cost.py [--against REF]`). Wall and CPU time
on a shared 2-core machine move by 30 % from one minute to the next (the peer's own rate moved
1.4x between runs of `bench/sync.py`), far more than one change to the push takes off. The
number of instructions a request executes does not: valgrind's callgrind counts them to within
0.1 % from run to run, so a change of 1 % shows.

In-process (Flask's test client, SQLite file database, the project's sealed visit envelopes),
each figure in its own valgrind process:

- instructions per sync pushing batches of 1, 20 and 100 envelopes (limit 1, as the bench's
  pushes), counted only while the measured requests run (callgrind_control toggles it);
- from them, the fixed cost of a request and the cost per record (least squares over the three
  sizes);
- one ECDSA P-256 verify through ``crypto.verify``, the floor of per-record work (issue 18),
  and the per-record cost as a multiple of it;
- with ``--against REF``: the same for a git ref (checked out in a temporary worktree), and the
  ratios, measured in the same run.

Instructions are not time: the verify's bignum code runs ~5 instructions a cycle, Python's
interpreter far fewer, so the time ratio (`bench/sync.py`, `docs/performance.md`) is larger than
the instruction ratio. Not a test: it asserts nothing; about two minutes per tree.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# (batch size, measured requests): ~20-40 M instructions measured in each.
SIZES = ((1, 40), (20, 10), (100, 4))
VERIFIES = 200
WARMUP = 5


def child_sync(size: int, requests: int) -> None:
    """Runs inside valgrind with counting off; counts only the measured requests."""
    import gzip
    import json
    import logging

    sys.path.insert(0, str(Path.cwd()))
    from bench.sync import typical_visit
    from outreach import create_app
    from tests.fixtures.database import make_test_config, migrate_to_head
    from tests.fixtures.world import build_world, client_login

    logging.disable(logging.WARNING)
    database = f"sqlite:///{tempfile.mkdtemp(prefix='outreach-cost-')}/cost.db"
    migrate_to_head(database)
    world = build_world(create_app(make_test_config(database)))
    session = client_login(world, "worker1")
    envelopes = [typical_visit(session, n) for n in range(size * (requests + WARMUP))]
    headers = {**session.headers, "Content-Type": "application/json",
               "Content-Encoding": "gzip", "Accept-Encoding": "gzip"}
    bodies = [gzip.compress(json.dumps({"push": envelopes[i:i + size], "since": None,
                                        "limit": 1}).encode())
              for i in range(0, len(envelopes), size)]
    for body in bodies[:WARMUP]:
        world.client.post("/api/v1/sync", data=body, headers=headers)
    _count(True)
    for body in bodies[WARMUP:]:
        response = world.client.post("/api/v1/sync", data=body, headers=headers)
        assert response.status_code == 200, response.get_json()
    _count(False)


def child_verify(count: int) -> None:
    sys.path.insert(0, str(Path.cwd()))
    from outreach import crypto

    key = crypto.generate_private_key()
    public = key.public_key()
    signed = [(data, crypto.sign(data, key)) for data in (os.urandom(1200) for _ in range(count))]
    _count(True)
    for data, signature in signed:
        crypto.verify(data, signature, public)
    _count(False)


def _count(on: bool) -> None:
    subprocess.run(["callgrind_control", "--instr=" + ("on" if on else "off"), str(os.getpid())],
                   check=True, capture_output=True)


def instructions(tree: Path, *args: str) -> int:
    """Instructions counted in one valgrind run of this script's child mode in ``tree``."""
    python = ROOT / ".venv" / "bin" / "python"
    result = subprocess.run(
        ["valgrind", "--tool=callgrind", "--instr-atstart=no", "--callgrind-out-file=/dev/null",
         str(python), str(Path(__file__).resolve()), "--child", *args],
        cwd=tree, capture_output=True, text=True, check=False)
    found = re.search(r"Collected : (\d+)", result.stderr)
    if result.returncode != 0 or found is None:
        raise RuntimeError(f"valgrind run {args} in {tree} failed:\n{result.stderr[-3000:]}")
    return int(found.group(1))


def measure(tree: Path) -> dict[str, float]:
    per_request = {size: instructions(tree, "sync", str(size), str(n)) / n for size, n in SIZES}
    # Least squares: per request = fixed + records x per record.
    xs, ys = zip(*per_request.items(), strict=True)
    mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
    slope = (sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True))
             / sum((x - mean_x) ** 2 for x in xs))
    verify = instructions(tree, "verify", str(VERIFIES)) / VERIFIES
    return {**{f"batch {size}": value for size, value in per_request.items()},
            "fixed": mean_y - slope * mean_x, "per record": slope, "verify": verify,
            "per record / verify": slope / verify}


def show(name: str, figures: dict[str, float], against: dict[str, float] | None) -> None:
    print(f"\n{name}")
    for key, value in figures.items():
        text = f"{value:8.2f}x" if "/" in key else f"{value / 1e6:8.3f} M"
        ratio = f"   {value / against[key]:6.3f} of the baseline" if against else ""
        print(f"  {key:<22} {text}{ratio}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--against", help="a git ref to measure in the same run (baseline)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        kind, *rest = args.child
        if kind == "sync":
            child_sync(int(rest[0]), int(rest[1]))
        else:
            child_verify(int(rest[0]))
        return
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is missing: `make bench-cost` installs it (apt-get install valgrind)")
    print("instructions per request, in-process, SQLite; valgrind callgrind "
          f"({', '.join(f'{n} syncs of {size}' for size, n in SIZES)}; {VERIFIES} verifies)")
    baseline = None
    if args.against:
        worktree = Path(tempfile.mkdtemp(prefix="outreach-cost-")) / "tree"
        subprocess.run(["git", "worktree", "add", "--detach", str(worktree), args.against],
                       cwd=ROOT, check=True, capture_output=True)
        try:
            baseline = measure(worktree)
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(worktree)], cwd=ROOT,
                           check=False, capture_output=True)
        show(f"baseline: {args.against}", baseline, None)
    show("this tree", measure(ROOT), baseline)


if __name__ == "__main__":
    main()
