"""Benchmark: records/s through POST /api/v1/sync under gunicorn, side by side with the peer.

Run: `make bench` (or `.venv/bin/python bench/sync.py`). In one run, with the same client (4
processes, keep-alive, gzip request bodies) and the same documents (the project's own sealed
envelopes, given an ``_id`` for the peer):

- `/api/v1/sync` pushes at batches of 20 and 100, and a paged pull (limit 500);
- PouchDB Server (`bench/peer/`, installed from its lock file) `_bulk_docs` at the same batches
  and `_changes?include_docs=true` at the same page size: the peer writes LevelDB without fsync
  and verifies nothing, while the project verifies every signature and fsyncs every commit;
- two baselines: raw SQLite inserts of the same rows (the storage limit) and a bare Flask
  endpoint receiving the same bodies (the framework limit).

Each figure is printed with its ratio to the peer's measured minutes apart, plus the server CPU
spent per request and per record (less noisy than wall time on a shared machine). Not a test:
it asserts nothing and takes about two minutes. ``BENCH_SCALE=0.25`` runs a quarter of it.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import multiprocessing as mp
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.peer import pouchdb  # noqa: E402
from outreach import crypto  # noqa: E402
from tests.fixtures.database import make_test_config, migrate_to_head  # noqa: E402
from tests.fixtures.server import HttpClient, LiveServer, free_port  # noqa: E402
from tests.fixtures.world import build_world, client_login  # noqa: E402

CLIENTS = 4
# The shipped rule for SQLite (deploy/gunicorn.conf.py): one worker per core. BENCH_WORKERS and
# BENCH_WORKER_CLASS (sync, gthread) compare worker models on the same bench.
WORKERS = int(os.environ.get("BENCH_WORKERS", str(os.cpu_count() or 1)))
# The shipped settings (deploy/gunicorn.conf.py), the bench's bind, workers and logs on top.
WORKER_ARGS = ["-c", "deploy/gunicorn.conf.py"] + (
    ["--worker-class", "gthread", "--threads", "4"]
    if os.environ.get("BENCH_WORKER_CLASS") == "gthread" else [])
SCALE = float(os.environ.get("BENCH_SCALE", "1"))
RECORDS = {20: int(2000 * SCALE) // 80 * 80 or 80, 100: int(6000 * SCALE) // 400 * 400 or 400}
PAGE = 500
WARMUP = 24  # envelopes per client, pushed two at a time before measuring
CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass
class Run:
    """One load: records, wall seconds, request latencies, server CPU seconds."""

    records: int
    requests: int
    elapsed: float
    latencies: list[float]
    cpu: float | None

    @property
    def rate(self) -> float:
        return self.records / self.elapsed

    def p(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def cpu_ms_per_request(self) -> float | None:
        return None if self.cpu is None else self.cpu / self.requests * 1000

    def cpu_us_per_record(self) -> float | None:
        return None if self.cpu is None else self.cpu / self.records * 1e6


def typical_visit(session, n: int) -> dict:
    """A visit as a worker records it: date, contact type, who was present, signals."""
    return session.seal(
        "visit",
        plaintext={"date": "2026-11-20", "contact_type": "home_visit",
                   "present": [crypto.new_uuid7(), crypto.new_uuid7()],
                   "signals": ["unpaid_bills"], "next_contact": "2026-12-04",
                   "area": "EAST-01", "seq": n},
        meta={"area": "EAST-01", "date": "2026-11", "source": "app",
              "contact_type": "home_visit"},
        case_id=crypto.new_uuid7(),
    )


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of the given processes (the server and its workers)."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


def post_batches(url: str, headers: dict, bodies: list[bytes], accepted: int, out) -> None:
    session = requests.Session()
    latencies = []
    for body in bodies:
        start = time.perf_counter()
        response = session.post(url, data=body, headers=headers, timeout=60)
        latencies.append(time.perf_counter() - start)
        if response.status_code != accepted:
            raise SystemExit(f"HTTP {response.status_code}: {response.text[:200]}")
    out.put(latencies)


def run_load(url: str, client_bodies: list[tuple[dict, list[bytes]]], records: int,
             pids: list[int], accepted: int = 200) -> Run:
    queue: mp.Queue = mp.Queue()
    procs = [mp.Process(target=post_batches, args=(url, headers, bodies, accepted, queue))
             for headers, bodies in client_bodies]
    cpu0 = cpu_seconds(pids)
    start = time.perf_counter()
    for p in procs:
        p.start()
    latencies = [x for _ in procs for x in queue.get()]
    for p in procs:
        p.join()
    elapsed = time.perf_counter() - start
    cpu = cpu_seconds(pids) - cpu0 if pids else None
    return Run(records, len(latencies), elapsed, latencies, cpu)


def gz(obj) -> bytes:
    return gzip.compress(json.dumps(obj, separators=(",", ":")).encode(), 6)


def pull_project(url: str, headers: dict, pids: list[int]) -> Run:
    session = requests.Session()
    cursor, got, latencies = None, 0, []
    cpu0 = cpu_seconds(pids)
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        response = session.post(url, json={"push": [], "since": cursor, "limit": PAGE},
                                headers=headers, timeout=60)
        latencies.append(time.perf_counter() - t0)
        answer = response.json()
        got += len(answer["pull"])
        cursor = answer["cursor"]
        if not answer["more"]:
            break
    elapsed = time.perf_counter() - start
    return Run(got, len(latencies), elapsed, latencies, cpu_seconds(pids) - cpu0)


def pull_peer(db_url: str, pids: list[int]) -> Run:
    session = requests.Session()
    since, got, latencies = 0, 0, []
    cpu0 = cpu_seconds(pids)
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        answer = session.get(f"{db_url}/_changes", params={
            "include_docs": "true", "since": since, "limit": PAGE}, timeout=60).json()
        latencies.append(time.perf_counter() - t0)
        got += sum(1 for r in answer["results"] if r.get("doc"))
        since = answer["last_seq"]
        if len(answer["results"]) < PAGE:
            break
    elapsed = time.perf_counter() - start
    return Run(got, len(latencies), elapsed, latencies, cpu_seconds(pids) - cpu0)


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
            rows.append((env["id"], env["record_id"], None, 1, env["type"],
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


def verify_rate(envelopes: list[dict], public_key) -> float:
    """ECDSA P-256 verifications per second in this process: the floor of per-record work."""
    signed = [(crypto.envelope_signing_bytes(e), crypto.b64u_decode(e["sig"]))
              for e in envelopes[:500]]
    start = time.perf_counter()
    for data, sig in signed:
        crypto.verify(data, sig, public_key)
    return len(signed) / (time.perf_counter() - start)


def fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else format(value, spec)


def line(name: str, run: Run, peer: Run | None = None) -> str:
    ratio = f"{run.rate / peer.rate:5.2f}x" if peer is not None else "      "
    return (f"{name:<34} {run.rate:7.0f}/s {ratio}  p50 {run.p(.5):6.1f} ms  "
            f"p99 {run.p(.99):6.1f} ms  server CPU {fmt(run.cpu_ms_per_request(), '5.2f')} ms/req"
            f" {fmt(run.cpu_us_per_record(), '5.0f')} µs/rec")


def main() -> None:
    pouchdb.install()
    tmp = Path(tempfile.mkdtemp(prefix="outreach-bench-"))
    db_url = f"sqlite:///{tmp / 'bench.db'}"
    migrate_to_head(db_url)
    from outreach import create_app

    world = build_world(create_app(make_test_config(db_url)))
    server = LiveServer(db_url, tmp / "logs", workers=WORKERS, log_level="info",
                        extra_args=WORKER_ARGS).start()
    peer = pouchdb.PouchServer(tmp / "peer", free_port()).start()
    try:
        world.client = HttpClient(server.url)
        sessions = [client_login(world, name) for name in ("worker1", "worker2") * (CLIENTS // 2)]
        print(f"sealing {sum(RECORDS.values())} visit records…", flush=True)
        envelopes = {size: [[typical_visit(s, n) for n in range(total // CLIENTS)]
                            for s in sessions] for size, total in RECORDS.items()}
        one = envelopes[20][0][0]
        wire_one = len(gz({"push": [one], "since": None}))
        print(f"\none typical visit envelope: {len(crypto.canonical_json(one))} B as JSON, "
              f"{wire_one} B gzip-compressed in a request on its own")
        versions = pouchdb.versions()
        print(f"project: gunicorn {WORKERS} {os.environ.get('BENCH_WORKER_CLASS', 'sync')} "
              "workers, deploy/gunicorn.conf.py")
        print("peer: " + ", ".join(f"{k} {v}" for k, v in versions.items())
              + "; LevelDB written without fsync, nothing verified\n", flush=True)

        gzip_headers = {"Content-Type": "application/json", "Content-Encoding": "gzip",
                        "Accept-Encoding": "gzip"}
        # Warm-up, not reported: every worker imports, compiles its forms and opens its
        # connection before the clock starts; the peer gets the same.
        warm = [[typical_visit(s, n) for n in range(WARMUP)] for s in sessions]
        run_load(server.url + "/api/v1/sync",
                 [({**s.headers, **gzip_headers},
                   [gz({"push": envs[i:i + 2], "since": None, "limit": 1})
                    for i in range(0, len(envs), 2)])
                  for s, envs in zip(sessions, warm, strict=True)],
                 0, [])
        warm_db = peer.create_db("bench_warmup")
        run_load(f"{warm_db}/_bulk_docs",
                 [(gzip_headers, [gz({"docs": [{"_id": e["id"], **e} for e in envs[i:i + 2]]})
                                  for i in range(0, len(envs), 2)]) for envs in warm],
                 0, [], 201)
        results: dict[str, tuple[Run, Run]] = {}
        for size, per_client in envelopes.items():
            records = sum(len(e) for e in per_client)
            ours = [({**s.headers, **gzip_headers},
                     [gz({"push": envs[i:i + size], "since": None, "limit": 1})
                      for i in range(0, len(envs), size)])
                    for s, envs in zip(sessions, per_client, strict=True)]
            theirs = [(gzip_headers,
                       [gz({"docs": [{"_id": e["id"], **e} for e in envs[i:i + size]]})
                        for i in range(0, len(envs), size)])
                      for envs in per_client]
            peer_db = peer.create_db(f"bench_b{size}")
            # Side by side, seconds apart: the peer first, then the project.
            their_run = run_load(f"{peer_db}/_bulk_docs", theirs, records, [peer.pid()], 201)
            our_run = run_load(server.url + "/api/v1/sync", ours, records,
                               server.worker_pids())
            results[f"push, batch {size}"] = (our_run, their_run)
            wire = sum(len(b) for _, bodies in ours for b in bodies)
            print(line(f"PouchDB _bulk_docs, batch {size}", their_run))
            print(line(f"/api/v1/sync push, batch {size}", our_run, their_run)
                  + f"  {wire / records:4.0f} B/rec wire", flush=True)

        their_pull = pull_peer(f"{peer.url}/bench_b100", [peer.pid()])
        our_pull = pull_project(server.url + "/api/v1/sync",
                                {**sessions[0].headers, "Accept-Encoding": "gzip"},
                                server.worker_pids())
        results["pull"] = (our_pull, their_pull)
        print(line(f"PouchDB _changes, page {PAGE}", their_pull))
        print(line(f"/api/v1/sync pull, page {PAGE}", our_pull, their_pull), flush=True)
    finally:
        peer.stop()
        server.kill()

    flat = [e for per_client in envelopes[100] for e in per_client]
    raw_rate = raw_sqlite_inserts(flat, 100)
    bare = LiveServer(db_url, tmp / "bare-logs", app_spec="bench.bare_app:app",
                      workers=WORKERS, log_level="info").start()
    try:
        client_bodies = [({"Content-Type": "application/json"},
                          [json.dumps({"push": envs[i:i + 100]}).encode()
                           for i in range(0, len(envs), 100)])
                         for envs in envelopes[100]]
        bare_run = run_load(bare.url + "/api/v1/sync", client_bodies, len(flat),
                            bare.worker_pids())
    finally:
        bare.kill()
    verify = verify_rate(envelopes[100][0], sessions[0].device_key.public_key())

    rate100 = results["push, batch 100"][0].rate
    print(f"\nbaseline raw SQLite inserts (same rows, commit per 100): {raw_rate:8.0f} records/s")
    print(f"baseline bare Flask endpoint under gunicorn (same bodies): {bare_run.rate:8.0f} "
          f"records/s")
    print(f"ECDSA P-256 verify in one process: {verify:8.0f}/s = {1e6 / verify:.0f} µs each")
    print("\nratios to PouchDB Server (targets: push >= 1.0x at batch 20, >= 1.5x at 100; "
          "pull >= 1.0x)")
    for name, (ours_, theirs_) in results.items():
        print(f"  {name:<16} {ours_.rate / theirs_.rate:5.2f}x   ({ours_.rate:6.0f} vs "
              f"{theirs_.rate:6.0f}/s)")
    print(f"sync / raw inserts   = {rate100 / raw_rate:6.1%}")
    print(f"sync / bare Flask    = {rate100 / bare_run.rate:6.1%}")
    print(f"bytes/record, a single visit alone = {wire_one}  (target <= 1,000)")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
