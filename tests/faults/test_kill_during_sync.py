"""A server killed with SIGKILL in the middle of sync traffic loses nothing it acknowledged."""

from __future__ import annotations

import json
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from outreach import crypto
from tests.fixtures.server import HttpClient, LiveServer

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


def test_acknowledged_records_survive_kill_9(live_world, database_url):
    world, server = live_world
    sessions = [world.login(name) for name in ("worker1", "worker2", "supervisor1")]
    acknowledged: dict[str, str] = {}
    sent: list[dict] = []
    lock = threading.Lock()
    stop = threading.Event()

    def traffic(session) -> None:
        while not stop.is_set():
            batch = [session.seal("note", plaintext={"n": i}) for i in range(20)]
            with lock:
                sent.extend(batch)
            try:
                response = session.sync(push=batch)
            except OSError:  # the server died under us: expected
                continue
            if response.status_code != 200:
                continue
            with lock:
                for result in response.get_json()["results"]:
                    if result["status"] in ("accepted", "duplicate"):
                        acknowledged[result["id"]] = result["status"]

    threads = [threading.Thread(target=traffic, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 20
    while len(acknowledged) < 100 and time.monotonic() < deadline:
        time.sleep(0.05)
    server.kill()  # SIGKILL to the whole process group, mid-traffic
    stop.set()
    for thread in threads:
        thread.join(timeout=60)
    assert len(acknowledged) >= 100, "too little traffic before the kill to prove anything"

    path = Path(database_url.removeprefix("sqlite:///"))
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        rows = conn.execute("SELECT id, body, device_id FROM envelope").fetchall()
        devices = dict(conn.execute("SELECT id, signing_public_key FROM device").fetchall())
    stored = [r[0] for r in rows]
    assert len(stored) == len(set(stored))
    missing = set(acknowledged) - set(stored)
    assert not missing, f"{len(missing)} acknowledged records lost"
    for _, body, device_id in rows:  # nothing half-written: every row parses and verifies
        crypto.verify_envelope_signature(json.loads(body),
                                         crypto.load_public_key(devices[device_id]))

    restarted = LiveServer(database_url, server.log_dir, port=server.port).start()
    try:
        world.client = HttpClient(restarted.url)
        by_device = {s.device_id: s for s in sessions}
        for session in sessions:
            mine = [e for e in sent if e["device_id"] == session.device_id]
            for start in range(0, len(mine), 200):
                results = by_device[session.device_id].sync(
                    push=mine[start:start + 200]).get_json()["results"]
                assert {r["status"] for r in results} <= {"accepted", "duplicate"}
    finally:
        restarted.kill()
    with sqlite3.connect(path) as conn:
        total = conn.execute("SELECT count(*), count(DISTINCT id) FROM envelope").fetchone()
    assert total == (len({e["id"] for e in sent}),) * 2
