"""Benchmark: records/s ingested by POST /api/v1/sync under gunicorn, with baselines.

Run: `make bench` (or `.venv/bin/python bench/sync.py`). Prints figures and ratios against two
baselines measured in the same run: raw SQLite inserts of the same rows (the storage limit) and a
bare Flask endpoint receiving the same bodies (the framework limit). Not a test: it asserts
nothing and takes about a minute.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import multiprocessing as mp
import os
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from outreach import crypto  # noqa: E402
from tests.fixtures.database import make_test_config, migrate_to_head  # noqa: E402
from tests.fixtures.server import HttpClient, LiveServer  # noqa: E402
from tests.fixtures.world import build_world, client_login  # noqa: E402

CLIENTS = 4
WORKERS = 4  # gunicorn's 2 x cores: a worker waiting on fsync leaves the CPU to another
RECORDS = {20: 2000, 100: 6000}


def typical_visit(session, n: int) -> dict:
    """A visit as a worker records it: date, contact type, who was present, signals."""
    return session.seal(
        "visit",
        plaintext={"date": "2026-11-20", "contact_type": "home_visit",
                   "present": [crypto.new_uuid7(), crypto.new_uuid7()],
                   "signals": ["unpaid_bills"], "next_contact": "2026-12-04",
                   "area": "EAST-01", "seq": n},
        meta={"area": "EAST-01", "date": "2026-11-20", "source": "app",
              "contact_type": "home_visit", "present_count": 3},
        case_id=crypto.new_uuid7(),
    )


def post_batches(url: str, headers: dict, bodies: list[bytes], out) -> None:
    session = requests.Session()
    latencies = []
    for body in bodies:
        start = time.perf_counter()
        response = session.post(url, data=body, headers=headers, timeout=60)
        latencies.append(time.perf_counter() - start)
        if response.status_code != 200:
            raise SystemExit(f"HTTP {response.status_code}: {response.text[:200]}")
    out.put(latencies)


def run_load(url: str, client_bodies: list[tuple[dict, list[bytes]]]) -> tuple[float, list]:
    queue: mp.Queue = mp.Queue()
    procs = [mp.Process(target=post_batches, args=(url, headers, bodies, queue))
             for headers, bodies in client_bodies]
    start = time.perf_counter()
    for p in procs:
        p.start()
    latencies = [x for _ in procs for x in queue.get()]
    for p in procs:
        p.join()
    return time.perf_counter() - start, latencies


def gz(obj) -> bytes:
    return gzip.compress(json.dumps(obj, separators=(",", ":")).encode(), 6)


def raw_sqlite_inserts(envelopes: list[dict], batch: int) -> float:
    """The same rows, inserted with the sqlite3 module directly, one commit per batch."""
    with tempfile.TemporaryDirectory() as tmp:
        conn = sqlite3.connect(Path(tmp) / "raw.db", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE envelope (seq INTEGER PRIMARY KEY, id TEXT UNIQUE, "
                     "record_id TEXT, case_id TEXT, team_id INT, type TEXT, schema TEXT, "
                     "parents TEXT, meta TEXT, paper_serial TEXT UNIQUE, body BLOB, "
                     "content_hash BLOB, author_id TEXT, device_id TEXT, received_at TEXT)")
        conn.execute("CREATE INDEX ix_record ON envelope (record_id)")
        conn.execute("CREATE INDEX ix_team_seq ON envelope (team_id, seq)")
        rows = []
        for env in envelopes:
            body = crypto.canonical_json(env)
            rows.append((env["id"], env["record_id"], env["case_id"], 1, env["type"],
                         env["schema"], "[]", json.dumps(env["meta"]), None, body,
                         hashlib.sha256(body).digest(), "a", "d", "2026-11-23T00:00:00Z"))
        start = time.perf_counter()
        for i in range(0, len(rows), batch):
            conn.execute("BEGIN")
            conn.executemany("INSERT INTO envelope (id, record_id, case_id, team_id, type, "
                             "schema, parents, meta, paper_serial, body, content_hash, "
                             "author_id, device_id, received_at) VALUES "
                             "(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows[i:i + batch])
            conn.execute("COMMIT")
        elapsed = time.perf_counter() - start
        conn.close()
    return len(rows) / elapsed


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


def main() -> None:
    tmp = Path(tempfile.mkdtemp(prefix="outreach-bench-"))
    db_url = f"sqlite:///{tmp / 'bench.db'}"
    migrate_to_head(db_url)
    from outreach import create_app

    world = build_world(create_app(make_test_config(db_url)))
    server = LiveServer(db_url, tmp / "logs", workers=WORKERS, log_level="info").start()
    world.client = HttpClient(server.url)
    sessions = [client_login(world, name) for name in ("worker1", "worker2") * (CLIENTS // 2)]
    print(f"sealing {sum(RECORDS.values())} visit records…", flush=True)
    envelopes = {size: [[typical_visit(s, n) for n in range(total // CLIENTS)]
                        for s in sessions] for size, total in RECORDS.items()}

    one = envelopes[20][0][0]
    wire_one = len(gz({"push": [one], "since": None}))
    print(f"\none typical visit envelope: {len(crypto.canonical_json(one))} B as JSON, "
          f"{wire_one} B gzip-compressed in a request on its own")

    report = []
    for size, per_client in envelopes.items():
        client_bodies = []
        for session, envs in zip(sessions, per_client, strict=True):
            bodies = [gz({"push": envs[i:i + size], "since": None, "limit": 1})
                      for i in range(0, len(envs), size)]
            headers = {**session.headers, "Content-Type": "application/json",
                       "Content-Encoding": "gzip", "Accept-Encoding": "gzip"}
            client_bodies.append((headers, bodies))
        elapsed, latencies = run_load(server.url + "/api/v1/sync", client_bodies)
        records = sum(len(e) for e in per_client)
        wire = sum(len(b) for _, bodies in client_bodies for b in bodies)
        rate = records / elapsed
        report.append((size, rate, pct(latencies, 0.5), pct(latencies, 0.99), wire / records))
        print(f"batch {size:>3}: {rate:8.0f} records/s   p50 {pct(latencies, .5):6.1f} ms   "
              f"p99 {pct(latencies, .99):6.1f} ms   {wire / records:5.0f} B/record on the wire")
    server.kill()

    # Baseline 1: the storage limit.
    flat = [e for per_client in envelopes[100] for e in per_client]
    raw_rate = raw_sqlite_inserts(flat, 100)
    # Baseline 2: the framework limit, same gunicorn settings and bodies.
    bare = LiveServer(db_url, tmp / "bare-logs", app_spec="bench.bare_app:app",
                      workers=WORKERS, log_level="info").start()
    client_bodies = []
    for envs in envelopes[100]:
        bodies = [json.dumps({"push": envs[i:i + 100]}).encode()
                  for i in range(0, len(envs), 100)]
        client_bodies.append(({"Content-Type": "application/json"}, bodies))
    elapsed, _ = run_load(bare.url + "/api/v1/sync", client_bodies)
    bare_rate = len(flat) / elapsed
    bare.kill()

    rate100 = next(r for s, r, *_ in report if s == 100)
    print(f"\nbaseline raw SQLite inserts (same rows, commit per 100): {raw_rate:8.0f} records/s")
    print(f"baseline bare Flask endpoint under gunicorn (same bodies): {bare_rate:8.0f} records/s")
    print(f"\nsync / raw inserts   = {rate100 / raw_rate:6.1%}  (target >= 30 %)")
    print(f"sync / bare Flask    = {rate100 / bare_rate:6.1%}")
    print(f"records/s, batch 100 = {rate100:6.0f}  (target >= 5,000)")
    print(f"bytes/record, batch 100 = {next(w for s, *_, w in report if s == 100):.0f}, "
          f"a single visit alone = {wire_one}  (target <= 1,000)")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
