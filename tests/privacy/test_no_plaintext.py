"""No plaintext on the server: canaries pushed inside records appear nowhere it keeps bytes."""

from __future__ import annotations

import json
import os
import re
import uuid
from pathlib import Path

import pytest

from tests.fixtures.missing import missing_dependency

pytestmark = [pytest.mark.slow, pytest.mark.sqlite_only]


def encodings(text: str) -> list[bytes]:
    return [text.encode("utf-8"), text.encode("utf-16-le"), text.encode("utf-16-be")]


def scan_bytes(data: bytes, needles: list[bytes]) -> list[bytes]:
    return [n for n in needles if n in data]


def process_memory(pid: int) -> bytes:
    """Every readable mapping of a process, as root reads it through /proc/<pid>/mem."""
    chunks = []
    maps = Path(f"/proc/{pid}/maps").read_text().splitlines()
    with open(f"/proc/{pid}/mem", "rb", 0) as mem:
        for line in maps:
            match = re.match(r"([0-9a-f]+)-([0-9a-f]+) (r)", line)
            if not match or "[vvar]" in line or "[vsyscall]" in line:
                continue
            start, end = int(match.group(1), 16), int(match.group(2), 16)
            try:
                mem.seek(start)
                chunks.append(mem.read(end - start))
            except (OSError, OverflowError, ValueError):
                continue
    return b"".join(chunks)


def test_canaries_inside_records_never_reach_the_server(live_world, database_url):
    if os.geteuid() != 0:
        missing_dependency("reading another process's memory needs root (CI runs as root)")
    world, server = live_world
    token = uuid.uuid4().hex
    canaries = [f"CANARY-{token}", f"Ștefănescu-{token[:12]}", f"Лакатош-{token[12:24]}"]
    needles = [n for c in canaries for n in encodings(c)]
    worker = world.login("worker1")
    reader = world.login("supervisor1")
    # Roma and migrant households, their target groups only inside the ciphertext (issue 13).
    groups = [["roma"], ["migrant"], ["roma", "migrant"]]
    batch = [
        worker.seal("household", plaintext={"display_name": canaries[1],
                                            "location": canaries[0],
                                            "target_groups": groups[2]}),
        worker.seal("household", plaintext={"display_name": canaries[2],
                                            "target_groups": groups[0]}),
        worker.seal("household", plaintext={"display_name": f"{canaries[0]}-b",
                                            "target_groups": groups[1]}),
        worker.seal("person", plaintext={"name": canaries[2], "age_band": "25-49",
                                         "sex": "female"}),
        worker.seal("note", plaintext={"text": f"Met {canaries[1]} about {canaries[0]}."}),
    ]
    results = worker.sync(push=batch).get_json()["results"]
    assert [r["status"] for r in results] == ["accepted"] * 5
    assert len(reader.pull_all()) == 5  # the server has relayed them, too
    # The plaintext as JSON would show these; the form definitions the server loads hold the
    # bare words "roma" and "migrant" (choices), so memory is scanned for the sequences only.
    needles += [n for g in groups for n in encodings(
        json.dumps({"target_groups": g}, separators=(",", ":"))[1:-1])]
    words = [n for w in ('"roma"', '"migrant"', '"25-49"', '"female"') for n in encodings(w)]

    # Control: a value that is meant to be in the clear is found by the same scanner.
    control = f"CONTROL-{token}"
    # Sent more than once: one freed request buffer can be reused by later allocations (the
    # rate limiter's own writes), and the control must show the scanner works, not be lucky.
    for _ in range(5):
        world.client.post("/api/v1/auth/prelogin", json={"username": control[:80]})
    pids = server.worker_pids()
    assert pids
    memory = b"".join(process_memory(pid) for pid in pids)
    assert scan_bytes(memory, encodings(control)), "the memory scan cannot see request data"

    db_path = Path(database_url.removeprefix("sqlite:///"))
    places = {p.name: p.read_bytes() for p in db_path.parent.glob(db_path.name + "*")}
    places.update({p.name: p.read_bytes() for p in server.log_dir.iterdir()})
    places["memory of gunicorn"] = memory
    assert any(name.endswith("-wal") for name in places) or db_path.name in places
    hits = {name: scan_bytes(data, needles) for name, data in places.items()}
    assert {name: found for name, found in hits.items() if found} == {}
    # No clear target-group (or age band, sex) value in the database files or the logs.
    stored = {name: scan_bytes(data, words) for name, data in places.items()
              if name != "memory of gunicorn"}
    assert {name: found for name, found in stored.items() if found} == {}
