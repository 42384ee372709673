"""Backup under sync traffic, restore, and nothing acknowledged before the backup is missing.

The backup is taken by the real CLI in its own process while three clients push to a real
gunicorn; the restore replaces the same database the server used (SQLite or PostgreSQL)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from outreach import crypto
from tests.fixtures.server import HttpClient, LiveServer

pytestmark = pytest.mark.slow

FLASK = Path(sys.executable).parent / "flask"


def cli(args, database_url, tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OUTREACH_")}
    env.update({"DATABASE_URL": database_url, "OUTREACH_INSTANCE_DIR": str(tmp_path / "inst"),
                "OUTREACH_LOG_LEVEL": "WARNING"})
    return subprocess.run([str(FLASK), "--app", "outreach", *args], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=300, check=False)


def stored_envelopes(database_url):
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("SELECT id, body, device_id FROM envelope")).all()
            devices = dict(conn.execute(sa.text("SELECT id, signing_public_key FROM device")).all())
            actions = [r[0] for r in conn.execute(
                sa.text("SELECT action FROM audit_event ORDER BY id")).all()]
    finally:
        engine.dispose()
    return rows, devices, actions


def test_a_backup_taken_under_traffic_restores_every_acknowledged_record(
        live_world, database_url, tmp_path):
    world, server = live_world
    sessions = [world.login(name) for name in ("worker1", "worker2", "supervisor1")]
    acknowledged: dict[str, float] = {}  # envelope id -> when its acknowledgement arrived
    lock = threading.Lock()
    stop = threading.Event()
    errors: list[str] = []
    sent: list[dict] = []

    def traffic(session) -> None:
        while not stop.is_set():
            batch = [session.seal("note", plaintext={"n": i}) for i in range(10)]
            with lock:
                sent.extend(batch)
            response = session.sync(push=batch)
            if response.status_code != 200:
                errors.append(f"{response.status_code} {response.get_data(as_text=True)[:200]}")
                return
            now = time.monotonic()
            with lock:
                for result in response.get_json()["results"]:
                    if result["status"] in ("accepted", "duplicate"):
                        acknowledged[result["id"]] = now

    threads = [threading.Thread(target=traffic, args=(s,)) for s in sessions]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 60
        while len(acknowledged) < 60 and time.monotonic() < deadline and not errors:
            time.sleep(0.05)
        # A cursor from before the backup: inside the restored range, so only the renewed
        # generation can tell the phone that the server went back in time.
        early_cursor = sessions[1].sync().get_json()["cursor"]
        started = time.monotonic()
        with lock:
            before = {i for i, at in acknowledged.items() if at < started}
        out = tmp_path / "backups" / "outreach.backup"
        made = cli(["backup", "--out", str(out)], database_url, tmp_path)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    assert not errors, errors
    assert made.returncode == 0, made.stderr
    assert len(before) >= 60, "too little traffic before the backup to prove anything"
    assert out.stat().st_mode & 0o077 == 0  # only the owner may read a backup
    manifest = json.loads(out.with_name(out.name + ".manifest.json").read_text())
    assert manifest["envelopes"] >= len(before)

    # A phone's cursor from after the backup: after the restore it must be refused.
    last = sessions[0].sync().get_json()
    while last["more"]:
        last = sessions[0].sync(since=last["cursor"]).get_json()
    late_cursor = last["cursor"]
    server.kill()
    # Everything written after the backup is about to be undone: prove it is really there now.
    rows_now, _, _ = stored_envelopes(database_url)
    assert len(rows_now) >= len(acknowledged)
    restored = cli(["restore", str(out), "--yes"], database_url, tmp_path)
    assert restored.returncode == 0, restored.stderr

    rows, devices, actions = stored_envelopes(database_url)
    stored = [row[0] for row in rows]
    assert len(stored) == len(set(stored))
    missing = before - set(stored)
    assert not missing, f"{len(missing)} records acknowledged before the backup are missing"
    assert len(stored) == manifest["envelopes"]
    for _, body, device_id in rows:  # every row whole: it parses and its signature verifies
        body = json.loads(body) if isinstance(body, str | bytes) else body
        crypto.verify_envelope_signature(body, crypto.load_public_key(devices[device_id]))
    # Audited on both sides: the backup in the database it copied (so not inside the copy),
    # the restore in the restored one.
    assert actions[-1] == "restore"
    shown = cli(["audit", "show", "--since", "1h", "--action", "restore"], database_url, tmp_path)
    assert "restore" in shown.stdout

    again = LiveServer(database_url, server.log_dir, port=server.port).start()
    try:
        world.client = HttpClient(again.url)
        early = sessions[1].sync(since=early_cursor)
        assert early.status_code == 412
        stale = sessions[0].sync(since=late_cursor)
        assert stale.status_code == 412
        assert stale.get_json()["type"] == "/problems/cursor-expired"
        worker = world.login("worker1")
        pulled = {item["id"] for item in worker.pull_all()}
        assert before <= pulled  # and the restored server serves them
        # The phones heal: what the restore lost is pushed again and accepted, once.
        lost = [e for e in sent if e["id"] in set(acknowledged) - set(stored)]
        if lost:
            by_device = {s.device_id: s for s in sessions}
            for envelope in lost[:50]:
                result = by_device[envelope["device_id"]].sync(push=[envelope]).get_json()
                assert result["results"][0]["status"] == "accepted", result
        fresh = worker.seal("note")
        result = worker.sync(push=[fresh]).get_json()["results"][0]
        assert result["status"] == "accepted"
    finally:
        again.kill()


def test_restore_refuses_a_damaged_or_foreign_file(app, database_url, tmp_path):
    out = tmp_path / "b.backup"
    assert cli(["backup", "--out", str(out)], database_url, tmp_path).returncode == 0
    again = cli(["backup", "--out", str(out)], database_url, tmp_path)
    assert again.returncode != 0
    assert "exists" in again.stderr
    with out.open("r+b") as handle:
        handle.seek(200)
        handle.write(b"\x00garbage\x00")
    refused = cli(["restore", str(out), "--yes"], database_url, tmp_path)
    assert refused.returncode != 0
    assert "checksum" in refused.stderr
    lonely = tmp_path / "lonely.backup"
    lonely.write_bytes(b"not a backup")
    refused = cli(["restore", str(lonely), "--yes"], database_url, tmp_path)
    assert refused.returncode != 0
    assert "manifest" in refused.stderr
