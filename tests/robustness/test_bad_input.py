"""Malformed requests get a 4xx problem+json, never a 5xx, and store nothing."""

from __future__ import annotations

import gzip
import io
import json
import zlib

import pytest
import sqlalchemy as sa

from outreach import crypto
from outreach.extensions import db


def assert_problem(response, status: int | None = None) -> dict:
    assert 400 <= response.status_code < 500, response.get_data(as_text=True)[:300]
    if status is not None:
        assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.content_type == "application/problem+json"
    body = response.get_json()
    assert body["type"].startswith("/problems/")
    assert body["status"] == response.status_code
    assert body["title"]
    assert body["detail"]
    return body


def gzip_bomb(size: int) -> bytes:
    """`size` bytes of JSON-ish zeros compressed in a stream, cheap to build."""
    out = io.BytesIO()
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    chunk = b"0" * (1 << 20)
    for _ in range(size // len(chunk)):
        out.write(compressor.compress(chunk))
    out.write(compressor.flush())
    return out.getvalue()


@pytest.fixture
def worker(world):
    return world.login("worker1")


def post_raw(world, worker, data: bytes, **headers: str):
    return world.client.post("/api/v1/sync", data=data,
                             headers={**worker.headers, "Content-Type": "application/json",
                                      **headers})


RAW_CASES = {
    "broken json": (b'{"push": [', {}, 400),
    "empty body": (b"", {}, 400),
    "not utf-8": (b'{"since": "\xff\xfe"}', {}, 400),
    "deep nesting 1000": (b'{"push": [' + b"[" * 1000 + b"]" * 1000 + b"]}", {}, 422),
    "deep nesting 40": (b'{"push": [' + b"[" * 40 + b"]" * 40 + b"]}", {}, 422),
    "huge integer": (b'{"limit": 1000000000000000000000000000000}', {}, 422),
    "huge float": (b'{"limit": 1e400}', {}, 422),
    "NaN": (b'{"limit": NaN}', {}, 422),
    "duplicate keys": (b'{"limit": 1, "limit": 2}', {}, 422),
    "unknown top-level field": (b'{"push": [], "sneaky": 1}', {}, 422),
    "push is an object": (b'{"push": {}}', {}, 422),
    "limit is a string": (b'{"limit": "ten"}', {}, 422),
    "since is a number": (b'{"since": 12}', {}, 422),
    "limit out of range": (b'{"limit": 0}', {}, 422),
    "body is a list": (b"[]", {}, 422),
    "garbage cursor": (b'{"since": "AAAA"}', {}, 422),
    "corrupt gzip": (b"\x1f\x8b\x08\x00garbage", {"Content-Encoding": "gzip"}, 400),
    "truncated gzip": (gzip.compress(b'{"push": []}')[:-6], {"Content-Encoding": "gzip"}, 400),
    "unknown content encoding": (b"{}", {"Content-Encoding": "br"}, 415),
    "wrong content type": (b"push=1", {"Content-Type": "application/x-www-form-urlencoded"},
                           415),
}


@pytest.mark.parametrize("case", sorted(RAW_CASES))
def test_malformed_sync_request_is_a_problem(world, worker, case):
    data, headers, status = RAW_CASES[case]
    assert_problem(post_raw(world, worker, data, **headers), status)


def test_gzip_bomb_is_refused_by_its_decompressed_size(world, worker):
    bomb = gzip_bomb(64 << 20)  # 64 MiB of zeros in ~64 KiB
    assert len(bomb) < 200_000
    body = assert_problem(post_raw(world, worker, bomb, **{"Content-Encoding": "gzip"}), 413)
    assert body["type"] == "/problems/too-large"


def test_oversized_body_is_refused(world, worker):
    data = b'{"push": [], "since": null, "limit": 1' + b" " * (9 << 20) + b"}"
    assert_problem(post_raw(world, worker, data), 413)


def test_too_many_envelopes_is_413(world, worker):
    envelope = worker.seal("note")
    data = json.dumps({"push": [envelope] * 501}).encode()
    assert_problem(post_raw(world, worker, data), 413)


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer garbage", "Basic dXNlcjpwYXNz",
                                    "Bearer " + "A" * 5000])
def test_missing_or_garbage_credentials_are_401(world, header):
    headers = {"Content-Type": "application/json"}
    if header:
        headers["Authorization"] = header
    response = world.client.post("/api/v1/sync", data=b"{}", headers=headers)
    assert_problem(response, 401)


ENVELOPE_BREAKERS = {
    "bad base64 in ct": lambda e: e["payload"].update(ct="%%%"),
    "padded base64": lambda e: e["payload"].update(iv=e["payload"]["iv"] + "=="),
    "short iv": lambda e: e["payload"].update(iv=crypto.b64u_encode(b"123")),
    "bad signature": lambda e: e.update(sig=crypto.b64u_encode(bytes(64))),
    "foreign team": lambda e: e.update(team_id="west"),
    "unknown team": lambda e: e.update(team_id="nowhere"),
    "not a uuid": lambda e: e.update(id="1234"),
    "unknown field": lambda e: e.update(extra=1),
    "missing field": lambda e: e.pop("keys"),
    "wrong type of meta": lambda e: e.update(meta=[]),
    "unknown record type": lambda e: e.update(type="diary"),
    "self parent": lambda e: e.update(parents=[e["id"]]),
    "bad created_at": lambda e: e.update(created_at="yesterday"),
    "envelope is a string": None,
}


@pytest.mark.parametrize("case", sorted(ENVELOPE_BREAKERS))
def test_malformed_envelope_is_rejected_alone(world, worker, case):
    good = worker.seal("note")
    bad = worker.seal("note")
    if ENVELOPE_BREAKERS[case] is None:
        bad = "not an envelope"
    else:
        ENVELOPE_BREAKERS[case](bad)
    response = worker.sync(push=[bad, good])
    assert response.status_code == 200
    first, second = response.get_json()["results"]
    assert first["status"] == "rejected"
    assert first["problem"]["type"].startswith("/problems/")
    assert first["problem"]["title"]
    assert second == {"id": good["id"], "status": "accepted"}
    with world.app.app_context():
        assert db.session.execute(sa.text("SELECT count(*) FROM envelope")).scalar_one() == 1


def test_problem_details_never_echo_submitted_content(world, worker):
    secret = "Ana Lakatos lives at house 12"
    bad = worker.seal("visit", meta={"area": "EAST-01", "contact_type": secret})
    response = worker.sync(push=[bad])
    assert secret not in response.get_data(as_text=True)
    login = world.client.post("/api/v1/auth/login", json={"username": secret})
    assert_problem(login, 422)
    assert secret not in login.get_data(as_text=True)


def test_unknown_api_path_is_a_problem(world, worker):
    assert_problem(world.client.get("/api/v1/nothing-here", headers=worker.headers), 404)
    assert_problem(world.client.get("/api/v1/sync", headers=worker.headers), 405)
