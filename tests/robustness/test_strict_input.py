"""Strict input: whole-value patterns, strict base64url, object bodies, valid Unicode.

Each case here once answered a 500 or stored a value the protocol forbids (issue 9, findings
2-4). A bad envelope is rejected alone; a bad request is a 4xx problem+json; nothing is stored.
"""

from __future__ import annotations

import json

import pytest
import sqlalchemy as sa

from outreach import crypto
from outreach.extensions import db
from tests.fixtures.world import PASSPHRASE
from tests.robustness.test_bad_input import assert_problem


def stored_envelopes(world) -> int:
    with world.app.app_context():
        return db.session.execute(sa.text("SELECT count(*) FROM envelope")).scalar_one()


def resign(worker, envelope: dict) -> dict:
    """Sign the envelope as it now stands, so only the changed field can be at fault."""
    envelope.pop("sig", None)
    envelope["sig"] = crypto.b64u_encode(
        crypto.sign(crypto.envelope_signing_bytes(envelope), worker.device_key))
    return envelope


NEWLINE_BREAKERS = {
    "id": lambda e: e.update(id=e["id"] + "\n"),
    "record_id": lambda e: e.update(record_id=e["record_id"] + "\n"),
    "created_at": lambda e: e.update(created_at=e["created_at"] + "\n"),
    "device_id": lambda e: e.update(device_id=e["device_id"] + "\n"),
    "parent": lambda e: e.update(parents=[crypto.new_uuid7() + "\n"]),
    "team_id": lambda e: e.update(team_id="east\n"),
    "schema": lambda e: e.update(schema="note@1\n"),
    "kid": lambda e: e["keys"][0].update(kid=e["keys"][0]["kid"] + "\n"),
    "enc": lambda e: e["keys"][0].update(enc=e["keys"][0]["enc"] + "\n"),
    "payload.ct": lambda e: e["payload"].update(ct=e["payload"]["ct"] + "\n"),
    "payload.iv": lambda e: e["payload"].update(iv=e["payload"]["iv"] + "\n"),
    "payload.ct inner space": lambda e: e["payload"].update(
        ct=e["payload"]["ct"][:8] + " " + e["payload"]["ct"][8:]),
    "meta.area": lambda e: e["meta"].update(area="EAST-01\n"),
    "meta.paper_serial": lambda e: e["meta"].update(paper_serial="NOTE-000001-7\n"),
    "meta.date": lambda e: e["meta"].update(date="2026-11\n"),
}


@pytest.mark.parametrize("case", sorted(NEWLINE_BREAKERS))
def test_signed_envelope_with_a_trailing_newline_is_rejected_alone(world, case):
    worker = world.login("worker1")
    good = worker.seal("note")
    bad = worker.seal("note")
    NEWLINE_BREAKERS[case](bad)
    resign(worker, bad)
    response = worker.sync(push=[bad, good])
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    first, second = response.get_json()["results"]
    assert first["status"] == "rejected"
    assert first["problem"]["status"] in (403, 422)
    assert second == {"id": good["id"], "status": "accepted"}
    assert stored_envelopes(world) == 1


SURROGATE_BREAKERS = {
    "meta value": lambda e: e["meta"].update(contact_type="\ud800"),
    "meta key": lambda e: e["meta"].update({"\udfff": "x"}),
    "created_at": lambda e: e.update(created_at="2026-11-20T09:14:03Z\ud800"),
    "type": lambda e: e.update(type="note\udc00"),
    "ct": lambda e: e["payload"].update(ct="\ud83d" + e["payload"]["ct"]),
}


@pytest.mark.parametrize("case", sorted(SURROGATE_BREAKERS))
def test_envelope_with_a_lone_surrogate_is_rejected_alone(world, case):
    worker = world.login("worker1")
    good = worker.seal("visit")
    bad = worker.seal("visit")
    SURROGATE_BREAKERS[case](bad)
    # json.dumps writes the lone surrogate as a \\u escape: valid JSON, invalid Unicode.
    data = json.dumps({"push": [bad, good], "since": None}).encode()
    assert b"\\ud" in data
    response = world.client.post("/api/v1/sync", data=data, headers={
        **worker.headers, "Content-Type": "application/json"})
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    first, second = response.get_json()["results"]
    assert first["status"] == "rejected"
    assert first["problem"]["type"] == "/problems/validation"
    assert second == {"id": good["id"], "status": "accepted"}
    assert stored_envelopes(world) == 1


def test_a_paired_surrogate_escape_is_ordinary_text(world):
    worker = world.login("worker1")
    envelope = worker.seal("note", plaintext={"note": "😀"})
    data = json.dumps({"push": [envelope]}).encode()
    response = world.client.post("/api/v1/sync", data=data, headers={
        **worker.headers, "Content-Type": "application/json"})
    assert response.get_json()["results"] == [{"id": envelope["id"], "status": "accepted"}]


def test_lone_surrogate_outside_an_envelope_is_422(world):
    # Everything else valid: a login that would register a device named with a lone surrogate.
    pre = world.client.post("/api/v1/auth/prelogin", json={"username": "worker1"}).get_json()
    derived = crypto.derive_login_keys(PASSPHRASE, crypto.b64u_decode(pre["kdf"]["salt"]),
                                       pre["kdf"]["iterations"])
    device_key = crypto.public_key_to_b64u(crypto.generate_private_key().public_key())
    body = json.dumps({"username": "worker1", "auth_key": crypto.b64u_encode(derived.auth_key),
                       "device": {"name": "phone \udc00", "signing_public_key": device_key}})
    response = world.client.post("/api/v1/auth/login", data=body,
                                 headers={"Content-Type": "application/json"})
    assert_problem(response, 422)
    with world.app.app_context():
        assert db.session.execute(sa.text("SELECT count(*) FROM device")).scalar_one() == 0
    worker = world.login("worker1")
    response = world.client.post("/api/v1/sync", data=b'{"push": [], "since": "\\ud800"}',
                                 headers={**worker.headers, "Content-Type": "application/json"})
    assert_problem(response, 422)


def _json_operations(app) -> list[tuple[str, str]]:
    """Every route that takes a JSON body, read from the app itself so none is forgotten."""
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    found = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method not in {"post", "put", "patch", "delete"}:
                continue
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                found.append((path.replace("{team_id}", "east"), method.upper()))
    return sorted(found)


@pytest.mark.parametrize("text", [b"null", b"1", b"true", b'"text"', b"-0.5", b"[1]"])
def test_json_body_that_is_not_an_object_is_422(world, text):
    supervisor = world.login("supervisor1")
    operations = _json_operations(world.app)
    assert ("/api/v1/sync", "POST") in operations
    assert ("/api/v1/auth/login", "POST") in operations
    for path, method in operations:
        for headers in ({}, supervisor.headers):
            response = world.client.open(path, method=method, data=text, headers={
                **headers, "Content-Type": "application/json"})
            body = assert_problem(response)
            if headers or path.startswith("/api/v1/auth/"):
                assert response.status_code == 422, (path, response.status_code)
                assert body["type"] == "/problems/validation"


NEWLINE_QUERIES = [
    ("post", "/api/v1/auth/prelogin", {"username": "worker1\n"}),
    ("get", "/paper/forms/visit.pdf?team=east%0A", None),
    ("get", "/paper/forms/visit.pdf?team=east&lang=ro%0A", None),
    ("get", "/api/v1/reports/indicators?team=east%0A", None),
    ("get", "/api/v1/reports/indicators?team=east&from=2026-01-01%0A", None),
]


@pytest.mark.parametrize(("method", "path", "body"), NEWLINE_QUERIES)
def test_a_trailing_newline_is_not_a_valid_value(world, method, path, body):
    supervisor = world.login("supervisor1")
    response = getattr(world.client, method)(path, json=body, headers=supervisor.headers)
    assert_problem(response, 422)


def test_recovery_kid_with_a_trailing_newline_is_refused(world):
    supervisor = world.login("supervisor1")
    response = world.client.post("/api/v1/teams/east/keys", headers=supervisor.headers, json={
        "version": 2, "public_key": "x", "grants": [],
        "recovery_grant": {"kid": "recovery:1\n", "grant": "AAAA"}})
    body = assert_problem(response, 422)
    assert "recovery_grant.kid" in body["errors"]


def test_username_with_a_trailing_newline_cannot_log_in(world):
    response = world.client.post("/api/v1/auth/login", json={
        "username": "worker1\n", "auth_key": crypto.b64u_encode(bytes(32)),
        "device": {"name": "x", "signing_public_key": "x"}})
    assert_problem(response, 422)


def test_the_bearer_scheme_is_case_insensitive(world):
    worker = world.login("worker1")
    token = worker.tokens["access_token"]
    for scheme in ("bearer", "BEARER", "Bearer"):
        response = world.client.get("/api/v1/keys", headers={"Authorization": f"{scheme} {token}"})
        assert response.status_code == 200, scheme


def test_405_says_which_methods_are_allowed(world):
    worker = world.login("worker1")
    response = world.client.get("/api/v1/sync", headers=worker.headers)
    assert_problem(response, 405)
    assert "POST" in response.headers["Allow"]


def test_database_and_export_files_are_readable_by_their_owner_only(world, tmp_path):
    import stat
    from pathlib import Path

    worker = world.login("worker1")
    worker.sync(push=[worker.seal("note")])
    with world.app.app_context():
        path = db.engine.url.database
    sqlite = path is not None and Path(path).exists()  # on PostgreSQL, its own files
    for suffix in ("", "-wal", "-shm") if sqlite else ():
        if Path(path + suffix).exists():
            assert stat.S_IMODE(Path(path + suffix).stat().st_mode) == 0o600, suffix
    out = tmp_path / "export.jsonl"
    result = world.app.test_cli_runner().invoke(args=["export", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
