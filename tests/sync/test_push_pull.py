"""POST /api/v1/sync: push, pull, idempotency and the revision DAG (PROTOCOL §3)."""

from __future__ import annotations

import gzip
import json
import os
import time
import uuid

import sqlalchemy as sa

from outreach import crypto
from outreach.extensions import db


def count_envelopes(world) -> int:
    with world.app.app_context():
        return db.session.execute(sa.text("SELECT count(*) FROM envelope")).scalar_one()


def statuses(response) -> list[str]:
    return [r["status"] for r in response.get_json()["results"]]


def test_pushed_envelope_is_pulled_back_byte_identical_and_verifiable(world):
    worker1, worker2 = world.login("worker1"), world.login("worker2")
    env = worker1.seal("visit", plaintext={"who": "Ana"}, meta={"area": "EAST-01",
                                                                 "date": "2026-11"})
    assert statuses(worker1.sync(push=[env])) == ["accepted"]
    (pulled,) = worker2.pull_all()
    assert {k: pulled[k] for k in env} == env
    assert pulled["author_id"] == worker1.user_id
    assert isinstance(pulled["seq"], int)
    assert pulled["received_at"].endswith("Z")
    crypto.verify_envelope_signature(pulled, worker1.device_key.public_key())
    team_key = worker2.team_private_key("east")
    assert crypto.open_envelope(pulled, "team:east:1", team_key) == {"who": "Ana"}


def test_replayed_batch_creates_no_duplicates(world):
    worker = world.login("worker1")
    batch = [worker.seal("note") for _ in range(10)]
    assert statuses(worker.sync(push=batch)) == ["accepted"] * 10
    for _ in range(20):
        assert statuses(worker.sync(push=batch)) == ["duplicate"] * 10
    assert count_envelopes(world) == 10


def test_duplicate_inside_one_batch_is_stored_once(world):
    worker = world.login("worker1")
    env = worker.seal("note")
    assert statuses(worker.sync(push=[env, env])) == ["accepted", "duplicate"]
    assert count_envelopes(world) == 1


def test_same_id_with_other_content_is_rejected_every_time(world):
    worker = world.login("worker1")
    original = worker.seal("note", plaintext={"v": 1})
    worker.sync(push=[original])
    forged = worker.seal("note", plaintext={"v": 2}, id=original["id"],
                         record_id=original["record_id"])
    for _ in range(5):
        (result,) = worker.sync(push=[forged]).get_json()["results"]
        assert result["status"] == "rejected"
        assert result["problem"]["type"] == "/problems/id-reuse"
        assert result["problem"]["status"] == 409
    assert count_envelopes(world) == 1


def test_concurrent_edits_are_kept_as_a_conflict_and_a_merge_resolves_it(world):
    worker1, supervisor = world.login("worker1"), world.login("supervisor1")
    first = worker1.seal("plan", plaintext={"goals": ["heat"]})
    worker1.sync(push=[first])
    ids = {"record_id": first["record_id"]}
    mine = worker1.seal("plan", plaintext={"goals": ["heat", "school"]}, parents=[first["id"]],
                        **ids)
    theirs = supervisor.seal("plan", plaintext={"goals": ["heat", "papers"]},
                             parents=[first["id"]], **ids)
    assert statuses(worker1.sync(push=[mine])) == ["accepted"]
    (result,) = supervisor.sync(push=[theirs]).get_json()["results"]
    assert result["status"] == "conflict"
    assert result["heads"] == sorted([mine["id"], theirs["id"]])
    assert count_envelopes(world) == 3  # both sides kept
    merge = supervisor.seal("plan", plaintext={"goals": ["heat", "school", "papers"]},
                            parents=[mine["id"], theirs["id"]], **ids)
    assert statuses(supervisor.sync(push=[merge])) == ["accepted"]
    with world.app.app_context():
        heads = db.session.execute(
            sa.text("SELECT envelope_id FROM record_head WHERE record_id = :r"),
            {"r": first["record_id"]},
        ).scalars().all()
    assert heads == [merge["id"]]


def test_revision_cannot_move_a_record_to_another_type(world):
    worker = world.login("worker1")
    first = worker.seal("note")
    worker.sync(push=[first])
    moved = worker.seal("visit", record_id=first["record_id"], parents=[first["id"]])
    (result,) = worker.sync(push=[moved]).get_json()["results"]
    assert result["status"] == "rejected"
    assert result["problem"]["type"] == "/problems/validation"


def test_the_server_stores_no_case_id(world):
    """Envelope format 2: which records are one household is sealed inside the ciphertext."""
    worker = world.login("worker1")
    case_id = str(uuid.uuid4())
    batch = [worker.seal(type_, case_id=case_id) for type_ in ("household", "person", "note")]
    assert statuses(worker.sync(push=batch)) == ["accepted"] * 3
    with world.app.app_context():
        rows = db.session.execute(sa.text("SELECT case_id, body, meta FROM envelope")).all()
    assert [row.case_id for row in rows] == [None] * 3
    assert not [row for row in rows if case_id.encode() in bytes(row.body)
                or case_id in row.meta]
    opened = crypto.open_record(batch[0], "team:east:1",
                                worker.team_private_key("east"))
    assert opened.case_id == case_id


def test_format_1_envelopes_are_refused_and_nothing_is_stored(world):
    worker = world.login("worker1")
    legacy = crypto.seal_envelope(
        {"note": "x"}, id=crypto.new_uuid7(), record_id=crypto.new_uuid7(), type="note",
        case_id=crypto.new_uuid7(), team_id="east", schema="note@1",
        recipients=[("team:east:1", world.team_public["east"]),
                    ("recovery:1", world.recovery_key.public_key())],
        device_id=worker.device_id, signing_key=worker.device_key, format=1,
        meta={"area": "EAST-01"})
    (result,) = worker.sync(push=[legacy]).get_json()["results"]
    assert (result["id"], result["status"]) == (legacy["id"], "rejected")
    assert result["problem"]["type"] == "/problems/envelope-format"
    assert count_envelopes(world) == 0


def test_foreign_team_push_is_rejected_and_nothing_is_stored(world):
    worker3 = world.login("worker3")  # west
    env = worker3.seal("visit", team="east", meta={"area": "EAST-01"})
    (result,) = worker3.sync(push=[env]).get_json()["results"]
    assert result["status"] == "rejected"
    assert result["problem"]["type"] == "/problems/forbidden-team"
    assert count_envelopes(world) == 0


def test_workers_pull_only_their_own_teams(world):
    east, west = world.login("worker1"), world.login("worker3")
    east.sync(push=[east.seal("visit", "east") for _ in range(3)])
    west.sync(push=[west.seal("visit", "west") for _ in range(2)])
    assert {e["team_id"] for e in world.login("worker2").pull_all()} == {"east"}
    assert len(world.login("worker2").pull_all()) == 3
    assert [e["team_id"] for e in west.pull_all()] == ["west", "west"]


def test_admin_without_membership_pulls_nothing(world):
    worker = world.login("worker1")
    worker.sync(push=[worker.seal("visit") for _ in range(3)])
    admin = world.login("admin1")
    assert admin.pull_all() == []
    (result,) = admin.sync(push=[admin.seal("visit")]).get_json()["results"]
    assert result["problem"]["type"] == "/problems/forbidden-team"


def test_pull_pages_with_an_opaque_cursor(world):
    worker = world.login("worker1")
    pushed = [worker.seal("note") for _ in range(7)]
    worker.sync(push=pushed)
    reader = world.login("worker2")
    seen, cursor, pages = [], None, 0
    while True:
        body = reader.sync(since=cursor, limit=3).get_json()
        seen += [e["id"] for e in body["pull"]]
        cursor, pages = body["cursor"], pages + 1
        if not body["more"]:
            break
    assert seen == [e["id"] for e in pushed]
    assert pages == 3
    assert reader.sync(since=cursor).get_json()["pull"] == []


def test_tampered_cursor_is_refused_with_a_problem(world):
    worker = world.login("worker1")
    cursor = worker.sync().get_json()["cursor"]
    raw = bytearray(crypto.b64u_decode(cursor))
    raw[7] ^= 1
    response = worker.sync(since=crypto.b64u_encode(bytes(raw)))
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert "since" in response.get_json()["errors"]


def test_gzip_request_and_gzip_response(world):
    worker, reader = world.login("worker1"), world.login("worker2")
    worker.sync(push=[worker.seal("note") for _ in range(5)])
    batch = [reader.seal("note") for _ in range(5)]
    response = reader.sync(push=batch, gzip_body=True, headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    body = json.loads(gzip.decompress(response.get_data()))
    assert [r["status"] for r in body["results"]] == ["accepted"] * 5
    assert len(body["pull"]) == 5


def test_bad_envelopes_are_rejected_one_by_one_while_good_ones_are_accepted(world):
    worker = world.login("worker1")
    good = worker.seal("note")
    bad_sig = worker.seal("note")
    bad_sig["sig"] = crypto.b64u_encode(bytes(64))
    wrong_device = worker.seal("note")
    wrong_device["device_id"] = crypto.new_uuid7()
    unknown_kid = worker.seal("note", team_version=9)
    bad_meta = worker.seal("visit", meta={"contact_type": "telepathy"})
    unknown_area = worker.seal("visit", meta={"area": "WEST-01"})
    bad_b64 = worker.seal("note")
    bad_b64["payload"]["iv"] = "not base64!"
    results = worker.sync(push=[good, bad_sig, wrong_device, unknown_kid, bad_meta,
                                unknown_area, bad_b64]).get_json()["results"]
    assert [r["status"] for r in results] == ["accepted"] + ["rejected"] * 6
    assert [r["problem"]["type"] for r in results[1:]] == [
        "/problems/bad-signature", "/problems/unknown-device", "/problems/unknown-key",
        "/problems/validation", "/problems/validation", "/problems/validation",
    ]
    assert "meta.contact_type" in results[4]["problem"]["errors"]
    assert "meta.area" in results[5]["problem"]["errors"]
    assert "payload.iv" in results[6]["problem"]["errors"]
    assert count_envelopes(world) == 1


def test_oversized_envelope_is_rejected_alone(make_app):
    from tests.fixtures.world import build_world

    world = build_world(make_app(max_envelope_bytes=4096))
    worker = world.login("worker1")
    big = worker.seal("note", plaintext={"text": crypto.b64u_encode(os.urandom(5000))})
    small = worker.seal("note")
    results = worker.sync(push=[big, small]).get_json()["results"]
    assert [r["status"] for r in results] == ["rejected", "accepted"]
    assert results[0]["problem"]["type"] == "/problems/too-large"


def resigned(worker, env, **changes):
    env = {**env, **changes}
    del env["sig"]
    env["sig"] = crypto.b64u_encode(
        crypto.sign(crypto.envelope_signing_bytes(env), worker.device_key))
    return env


def test_a_time_finer_than_the_month_is_refused(world):
    worker = world.login("worker1")
    precise = resigned(worker, worker.seal("note"), created_at="2026-11-23T10:14:03Z")
    (result,) = worker.sync(push=[precise]).get_json()["results"]
    assert result["problem"]["type"] == "/problems/validation"
    assert list(result["problem"]["errors"]) == ["created_at"]


def test_device_clocks_off_by_years_are_accepted(world):
    worker = world.login("worker1")
    times = ["2025-11-01T00:00:00Z", "2027-12-01T00:00:00Z", "1970-01-01T00:00:00Z",
             "2100-12-01T00:00:00Z"]
    batch = []
    for created_at in times:
        env = worker.seal("note")
        env["created_at"] = created_at
        del env["sig"]
        env["sig"] = crypto.b64u_encode(
            crypto.sign(crypto.envelope_signing_bytes(env), worker.device_key))
        batch.append(env)
    assert statuses(worker.sync(push=batch)) == ["accepted"] * 4


def test_paper_serial_is_entered_once(world):
    from outreach.forms.serials import make_paper_serial

    worker = world.login("worker1")
    serial = make_paper_serial("VIS", 42)
    first = worker.seal("visit", meta={"area": "EAST-01", "source": "paper",
                                       "paper_serial": serial})
    again = worker.seal("visit", meta={"area": "EAST-01", "source": "paper",
                                       "paper_serial": serial})
    assert statuses(worker.sync(push=[first])) == ["accepted"]
    (result,) = worker.sync(push=[again]).get_json()["results"]
    assert result["problem"]["type"] == "/problems/paper-serial-used"
    revision = worker.seal("visit", meta={"area": "EAST-01", "source": "paper",
                                          "paper_serial": serial},
                           record_id=first["record_id"],
                           parents=[first["id"]])
    assert statuses(worker.sync(push=[revision])) == ["accepted"]


def test_erased_record_is_gone_cannot_come_back_and_devices_are_told(world):
    from outreach.sync.erase import erase_record

    worker, reader = world.login("worker1"), world.login("worker2")
    first = worker.seal("note", plaintext={"text": "to be erased"})
    second = worker.seal("note", record_id=first["record_id"],
                         parents=[first["id"]])
    keep = worker.seal("note")
    worker.sync(push=[first, second, keep])
    cursor = reader.sync().get_json()["cursor"]
    with world.app.app_context():
        assert erase_record(first["record_id"]) == 2
        db.session.commit()
    assert count_envelopes(world) == 1
    (result,) = worker.sync(push=[first]).get_json()["results"]
    assert result["problem"]["type"] == "/problems/erased"
    assert reader.sync(since=cursor).get_json()["erased"] == [first["record_id"]]
    assert [e["id"] for e in world.login("worker2").pull_all()] == [keep["id"]]


def test_revoked_device_is_told_to_wipe(world):
    from outreach.auth import service as auth

    worker = world.login("worker1")
    with world.app.app_context():
        auth.revoke_device(worker.device_id)
        db.session.commit()
    response = worker.sync(push=[worker.seal("note")])
    assert response.status_code == 401
    assert response.get_json()["type"] == "/problems/device-revoked"
    assert response.headers["Clear-Site-Data"] == '"storage"'
    assert count_envelopes(world) == 0


def test_signing_bytes_cut_from_the_body_equal_the_reference(world):
    from outreach.sync.push import signing_bytes

    worker = world.login("worker1")
    for plaintext in ({"x": 1}, {"text": 'quotes " and ,"sig":"AAAA" inside'}):
        env = worker.seal("assessment", plaintext=plaintext,
                          meta={"area": "EAST-01", "scores": {"income": 2, "debt": None}})
        body = crypto.canonical_json(env)
        assert signing_bytes(body, env["sig"]) == crypto.envelope_signing_bytes(env)


def test_server_fields_of_a_pull_beside_own_pushes_are_the_stored_ones(world, monkeypatch):
    """A sync that pushes and pulls passes over the caller's own envelopes without reading
    them (issue 18: their server fields are not even converted); every envelope it does hand
    out carries its stored seq, author and instant, to the microsecond. The server's local
    zone is not UTC here, so an instant read back without its zone would show."""
    monkeypatch.setenv("TZ", "America/New_York")
    time.tzset()
    worker1, worker2 = world.login("worker1"), world.login("worker2")
    theirs = [worker1.seal("note") for _ in range(3)]
    assert statuses(worker1.sync(push=theirs)) == ["accepted"] * 3
    mine = [worker2.seal("note") for _ in range(4)]
    body = worker2.sync(push=mine).get_json()
    assert [r["status"] for r in body["results"]] == ["accepted"] * 4
    # Its own four are passed over, not pulled back, now or at the next sync.
    assert [e["id"] for e in body["pull"]] == [e["id"] for e in theirs]
    assert worker2.sync(since=body["cursor"]).get_json()["pull"] == []
    with world.app.app_context():
        from outreach.sync.models import Envelope

        stored = {row.id: row for row in db.session.execute(sa.select(Envelope).where(
            Envelope.id.in_([e["id"] for e in theirs]))).scalars()}
        expected = [{"seq": stored[e["id"]].seq, "author_id": worker1.user_id,
                     "received_at": stored[e["id"]].received_at.strftime(
                         "%Y-%m-%dT%H:%M:%S.%fZ")} for e in theirs]
    try:
        assert [{k: e[k] for k in ("seq", "author_id", "received_at")}
                for e in body["pull"]] == expected
    finally:
        monkeypatch.undo()
        time.tzset()
