"""Household erasure named by the supervisor's phone; break-the-glass requests."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta

from outreach import crypto
from outreach.extensions import db
from tests.admin.helpers import add_supervisor, events
from tests.api.test_auth import problem


def test_a_supervisor_erases_a_household_and_an_offline_phone_is_told_to_drop_it(world):
    worker = world.login("worker1")
    offline = world.login("worker2")
    case = str(uuid.uuid4())
    household = [worker.seal("household", case_id=case), worker.seal("visit", case_id=case)]
    other = worker.seal("visit")
    assert worker.sync(push=[*household, other]).status_code == 200
    first = offline.sync().get_json()  # the phone that will be offline holds all three
    assert len(first["pull"]) == 3
    supervisor = world.login("supervisor1")
    ids = [e["record_id"] for e in household]
    west_record = world.login("worker3").seal("visit", team="west")
    world.login("worker3").sync(push=[west_record])
    answer = world.client.post("/api/v1/teams/east/erasures", headers=supervisor.headers,
                               json={"record_ids": [*ids, west_record["record_id"]],
                                     "reason": "subject_request"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert sorted(body["erased"]) == sorted(ids)
    assert body["not_found"] == [west_record["record_id"]]  # another team's: untouched
    back = offline.sync(since=first["cursor"]).get_json()
    assert set(ids) <= set(back["erased"])
    assert other["record_id"] not in back["erased"]
    # Pushing a copy back is refused; the rest of the team's records stay.
    again = offline.sync(push=[offline.seal("visit", record_id=ids[1], case_id=case)]).get_json()
    assert again["results"][0]["status"] == "rejected"
    assert again["results"][0]["problem"]["type"] == "/problems/erased"
    logged = events(world, world.login("admin1"), action=["household_erased"])
    assert logged[0]["details"] == {"reason": "subject_request", "records": 2,
                                    "revisions": 2}
    # Twice is harmless.
    twice = world.client.post("/api/v1/teams/east/erasures", headers=supervisor.headers,
                              json={"record_ids": ids, "reason": "subject_request"}).get_json()
    assert twice["erased"] == []
    assert sorted(twice["already_erased"]) == sorted(ids)


def test_erasure_needs_a_reason_and_the_teams_own_supervisor(world):
    supervisor = world.login("supervisor1")
    record = str(uuid.uuid4())
    problem(world.client.post("/api/v1/teams/east/erasures", headers=supervisor.headers,
                              json={"record_ids": [record]}), 422, "/problems/validation")
    problem(world.client.post("/api/v1/teams/east/erasures", headers=world.login("admin1").headers,
                              json={"record_ids": [record], "reason": "other"}),
            403, "/problems/forbidden")


def _ask(world, session, **body):
    return world.client.post("/api/v1/access-requests", headers=session.headers, json={
        "team": "east", "reference": "paper P-0042",
        "reason": "Child reported at risk tonight; team unreachable", "hours": 4, **body})


def test_break_the_glass_without_a_reason_is_refused(world):
    west = add_supervisor(world)
    problem(_ask(world, west, reason="urgent"), 422, "/problems/validation")
    problem(_ask(world, west, reason=""), 422, "/problems/validation")
    problem(_ask(world, west, hours=200), 422, "/problems/validation")
    problem(_ask(world, world.login("supervisor1")), 422, "/problems/validation")  # a member


def test_break_the_glass_is_shown_to_the_team_approved_on_its_phone_logged_and_expires(world):
    worker = world.login("worker1")
    envelope = worker.seal("household")
    worker.sync(push=[envelope])
    west = add_supervisor(world)
    asked = _ask(world, west)
    assert asked.status_code == 201, asked.get_json()
    request_id = asked.get_json()["id"]
    east = world.login("supervisor1")
    shown = world.client.get("/api/v1/access-requests", headers=east.headers).get_json()
    assert shown["requests"][0]["reason"].startswith("Child reported")
    assert shown["requests"][0]["requester"] == "supervisor2"
    assert shown["requests"][0]["requester_public_key"] == west.keys["user"]["public_key"]
    # The requester cannot approve their own; another west member sees nothing of it.
    problem(world.client.post(f"/api/v1/access-requests/{request_id}/approve",
                              headers=west.headers, json={"grants": {envelope["id"]: "AA"}}),
            403, "/problems/forbidden")
    problem(world.client.get(f"/api/v1/access-requests/{request_id}/records",
                             headers=west.headers), 403, "/problems/forbidden")
    # The east phone seals the data key to the requester's public key (here: random bytes
    # standing for it; the server cannot tell and must not need to).
    sealed = crypto.b64u_encode(os.urandom(97))
    approved = world.client.post(f"/api/v1/access-requests/{request_id}/approve",
                                 headers=east.headers, json={"grants": {envelope["id"]: sealed}})
    assert approved.status_code == 200, approved.get_json()
    assert approved.get_json()["status"] == "approved"
    read = world.client.get(f"/api/v1/access-requests/{request_id}/records",
                            headers=west.headers)
    assert read.status_code == 200, read.get_json()
    assert read.get_json()["envelopes"][0]["id"] == envelope["id"]
    assert read.get_json()["grants"] == {envelope["id"]: sealed}
    with world.app.app_context():
        from outreach.admin.models import AccessRequest

        stored = db.session.get(AccessRequest, request_id)
        stored.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    problem(world.client.get(f"/api/v1/access-requests/{request_id}/records",
                             headers=west.headers), 403, "/problems/access-expired")
    logged = [e["action"] for e in events(world, east, team="east")]
    assert {"access_requested", "access_approved", "access_read", "access_expired"} \
        <= set(logged)
    text = world.client.get("/api/v1/audit.csv", headers=world.login("admin1").headers
                            ).get_data(as_text=True)
    assert "Child reported" not in text  # the reason is the team's to read, not the log's
    # Approving grants of another team's envelopes is refused.
    other = _ask(world, west, reference="another").get_json()["id"]
    problem(world.client.post(f"/api/v1/access-requests/{other}/approve", headers=east.headers,
                              json={"grants": {str(uuid.uuid4()): sealed}}),
            422, "/problems/validation")
    assert world.client.post(f"/api/v1/access-requests/{other}/refuse",
                             headers=east.headers).get_json()["status"] == "refused"
