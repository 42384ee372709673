"""Relay: another device pushes envelopes carried as a file from a phone without signal
(ARCHITECTURE decision 8). They are judged as if their own device had pushed them."""

from __future__ import annotations

import json
import re

import pytest
import sqlalchemy as sa

from outreach import crypto
from outreach.extensions import db


def stored(world) -> list[tuple[str, str, str]]:
    """(envelope id, author id, device id) of every stored revision, in server order."""
    with world.app.app_context():
        return [tuple(row) for row in db.session.execute(sa.text(
            "SELECT id, author_id, device_id FROM envelope ORDER BY seq"))]


def relay(session, envelopes) -> list[dict]:
    """Push a file's envelopes as the PWA's import does: through the sync path."""
    response = session.sync(push=envelopes, limit=1)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def problem_types(results) -> list[str]:
    return [r["problem"]["type"] for r in results]


def review_of(session, visit, decision="approved"):
    return session.seal("review", plaintext={"visit_id": visit["record_id"],
                                             "decision": decision}, meta={"area": "EAST-01"})


def revoke(world, *, device_id=None, user_id=None) -> None:
    from outreach.auth import service as auth

    with world.app.app_context():
        if device_id:
            auth.revoke_device(device_id)
        if user_id:
            auth.revoke_user(user_id)
        db.session.commit()


def test_relayed_envelopes_are_stored_with_their_author_and_signing_device(world):
    worker, supervisor, reader = (world.login(n) for n in ("worker1", "supervisor1", "worker2"))
    household = worker.seal("household", plaintext={"display_name": "Familia Rostaș"})
    visit = worker.seal("visit")
    results = relay(supervisor, [household, visit])
    assert results == [{"id": household["id"], "status": "accepted"},
                       {"id": visit["id"], "status": "accepted"}]
    assert stored(world) == [(household["id"], worker.user_id, worker.device_id),
                             (visit["id"], worker.user_id, worker.device_id)]
    pulled = reader.pull_all()
    assert [e["author_id"] for e in pulled] == [worker.user_id] * 2
    assert {k: pulled[0][k] for k in household} == household  # byte for byte what was signed
    crypto.verify_envelope_signature(pulled[0], worker.device_key.public_key())


def test_relaying_again_and_then_the_authors_own_sync_are_duplicates(world):
    worker, supervisor = world.login("worker1"), world.login("supervisor1")
    batch = [worker.seal("note") for _ in range(3)]
    assert [r["status"] for r in relay(supervisor, batch)] == ["accepted"] * 3
    assert [r["status"] for r in relay(supervisor, batch)] == ["duplicate"] * 3
    assert [r["status"] for r in worker.sync(push=batch).get_json()["results"]] == [
        "duplicate"] * 3
    assert len(stored(world)) == 3


def test_a_relayed_revision_of_a_record_keeps_the_dag(world):
    worker, supervisor = world.login("worker1"), world.login("supervisor1")
    first = worker.seal("note")
    worker.sync(push=[first])
    ours = supervisor.seal("note", record_id=first["record_id"],
                           parents=[first["id"]])
    theirs = worker.seal("note", record_id=first["record_id"],
                         parents=[first["id"]])
    supervisor.sync(push=[ours])
    (result,) = relay(supervisor, [theirs])
    assert result == {"id": theirs["id"], "status": "conflict",
                      "heads": sorted([ours["id"], theirs["id"]])}


def test_a_tampered_relayed_envelope_is_a_bad_signature(world):
    worker, supervisor = world.login("worker1"), world.login("supervisor1")
    visit = worker.seal("visit", meta={"area": "EAST-01"})
    visit["meta"]["area"] = "EAST-07"  # still valid meta, but not what the worker signed
    resigned = worker.seal("note")
    resigned["device_id"] = worker.device_id
    resigned["sig"] = crypto.b64u_encode(crypto.sign(crypto.envelope_signing_bytes(
        {k: v for k, v in resigned.items() if k != "sig"}), supervisor.device_key))
    results = relay(supervisor, [visit, resigned])
    assert problem_types(results) == ["/problems/bad-signature"] * 2
    assert stored(world) == []


def test_envelopes_of_an_unknown_device_are_refused_per_record(world):
    worker, supervisor = world.login("worker1"), world.login("supervisor1")
    stranger = worker.seal("note")
    stranger["device_id"] = crypto.new_uuid7()
    good = worker.seal("note")
    results = relay(supervisor, [stranger, good])
    assert [r["status"] for r in results] == ["rejected", "accepted"]
    assert results[0]["problem"]["type"] == "/problems/unknown-device"


@pytest.mark.parametrize("what", ["device", "user"])
def test_envelopes_signed_by_a_revoked_device_or_user_are_refused_per_record(world, what):
    worker, supervisor = world.login("worker1"), world.login("supervisor1")
    batch = [worker.seal("note"), worker.seal("visit")]
    if what == "device":
        revoke(world, device_id=worker.device_id)
    else:
        revoke(world, user_id=worker.user_id)
    response = supervisor.sync(push=batch)
    assert response.status_code == 200  # the relayer's phone is fine: it must not wipe itself
    results = response.get_json()["results"]
    assert [r["status"] for r in results] == ["rejected"] * 2
    problem = results[0]["problem"]
    assert problem["type"] == "/problems/signer-revoked"
    assert problem["status"] == 403
    assert stored(world) == []


def test_records_of_another_team_are_refused(world):
    supervisor, outsider = world.login("supervisor1"), world.login("worker3")
    of_west = outsider.seal("note", team="west", meta={"area": "WEST-01"})
    # worker3 holds east's public key (it is public) but is not a member of east.
    into_east = outsider.seal("note", team="east")
    results = relay(supervisor, [of_west, into_east])
    assert problem_types(results) == ["/problems/forbidden-team"] * 2
    assert results[0]["problem"]["title"] == "You are not a member of this team."
    assert results[1]["problem"]["title"] == "The author is not a member of this team."
    assert stored(world) == []


def test_the_authors_role_decides_who_may_write_a_review(world):
    worker, supervisor = world.login("worker1"), world.login("supervisor1")
    visit = worker.seal("visit")
    worker.sync(push=[visit])
    supervisors_review = review_of(supervisor, visit)
    (carried,) = worker.sync(push=[supervisors_review]).get_json()["results"]
    assert carried == {"id": supervisors_review["id"], "status": "accepted"}
    assert stored(world)[-1] == (supervisors_review["id"], supervisor.user_id,
                                 supervisor.device_id)

    workers_review = review_of(worker, visit)
    (refused,) = relay(supervisor, [workers_review])
    assert refused["problem"]["type"] == "/problems/forbidden-record-type"
    assert refused["problem"]["title"] == "The author's role may not write this type of record."
    assert len(stored(world)) == 2


def test_the_same_user_may_carry_records_from_an_old_phone_to_a_new_one(world):
    old_phone, new_phone = world.login("worker1"), world.login("worker1")
    assert old_phone.device_id != new_phone.device_id
    note = old_phone.seal("note")
    assert relay(new_phone, [note]) == [{"id": note["id"], "status": "accepted"}]
    assert stored(world) == [(note["id"], old_phone.user_id, old_phone.device_id)]


def test_a_device_of_another_organisation_reads_as_unknown(world):
    from outreach.auth import service as auth
    from outreach.teams import service as teams
    from tests.fixtures.world import PASSPHRASE, client_login

    with world.app.app_context():
        other = teams.create_organisation("other-org", "Other organisation")
        auth.add_user(organisation_id=other.id, username="elsewhere", role="worker",
                      passphrase=PASSPHRASE)
        db.session.commit()
    foreign = client_login(world, "elsewhere")
    supervisor = world.login("supervisor1")
    note = foreign.seal("note")  # signed by a real device, of someone else's organisation
    (result,) = relay(supervisor, [note])
    assert result["problem"]["type"] == "/problems/unknown-device"


def test_a_relay_is_audited_with_counts_and_signing_devices(world):
    worker, supervisor = world.login("worker1"), world.login("supervisor1")
    batch = [worker.seal("note"), worker.seal("note")]
    relay(supervisor, batch[:1])
    tampered = dict(batch[1], created_at="2020-01-01T00:00:00Z")
    relay(supervisor, [batch[0], tampered, supervisor.seal("note")])
    supervisor.sync(push=[supervisor.seal("note")])  # nothing relayed: nothing audited
    with world.app.app_context():
        events = db.session.execute(sa.text(
            "SELECT actor_id, device_id, details FROM audit_event WHERE action = 'relay' "
            "ORDER BY id")).all()
    assert [(actor, device) for actor, device, _ in events] == [
        (supervisor.user_id, supervisor.device_id)] * 2
    assert [json.loads(details) for _, _, details in events] == [
        {"accepted": 1, "devices": [worker.device_id]},
        {"duplicate": 1, "rejected": 1, "devices": [worker.device_id]},
    ]


# PostgreSQL quotes "user" (a reserved word); SQLite does not.
DEVICE_JOIN = re.compile(r' FROM device JOIN "?user"? ')


def statements_of(world, session, batch) -> tuple[list[dict], list[str]]:
    statements: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        statements.append(" ".join(statement.split()))

    with world.app.app_context():
        engine = db.engine
    sa.event.listen(engine, "before_cursor_execute", record)
    try:
        results = relay(session, batch)
    finally:
        sa.event.remove(engine, "before_cursor_execute", record)
    return results, statements


def test_the_devices_of_a_whole_batch_are_loaded_in_one_query(world):
    authors = [world.login(name) for name in ("worker1", "worker2", "supervisor1")]
    relayer = world.login("worker1")
    batch = [a.seal("note") for a in authors for _ in range(5)] + [relayer.seal("note")]
    results, statements = statements_of(world, relayer, batch)
    assert [r["status"] for r in results] == ["accepted"] * 16
    assert sum(bool(DEVICE_JOIN.search(s)) for s in statements) == 1
    # The authors' teams, for the two who are not the relayer's user, in one query.
    assert sum(s.startswith("SELECT membership.") for s in statements) == 1


def test_a_push_of_only_own_envelopes_asks_nothing_more_than_before(world):
    worker = world.login("worker1")
    results, statements = statements_of(world, worker, [worker.seal("note") for _ in range(5)])
    assert [r["status"] for r in results] == ["accepted"] * 5
    # The caller's own device key came with the token (the guard's one statement): no device
    # look-up at all for the push.
    assert sum(bool(DEVICE_JOIN.search(s)) for s in statements) == 0
    assert not any(s.startswith("SELECT membership.") for s in statements)
    assert not any("audit_event" in s for s in statements)
