"""Supervisor review of visits: a `review` record only a supervisor may push (per record)."""

from __future__ import annotations

import sqlalchemy as sa

from outreach import crypto
from outreach.extensions import db


def review_of(session, visit, decision="approved", **extra):
    plaintext = {"visit_id": visit["record_id"], "decision": decision, **extra}
    return session.seal("review", plaintext=plaintext,
                        meta={"area": "EAST-01", "date": "2026-11"})


def stored_types(world) -> list[str]:
    with world.app.app_context():
        return list(db.session.execute(
            sa.text("SELECT type FROM envelope ORDER BY seq")).scalars())


def test_supervisors_review_is_accepted_and_pulled_by_the_worker(world):
    worker, supervisor = world.login("worker1"), world.login("supervisor1")
    visit = worker.seal("visit", meta={"area": "EAST-01", "contact_type": "home_visit"})
    assert worker.sync(push=[visit]).get_json()["results"][0]["status"] == "accepted"
    assert [e["id"] for e in supervisor.pull_all()] == [visit["id"]]

    review = review_of(supervisor, visit, "changes_requested", comment="Add the next contact.")
    (result,) = supervisor.sync(push=[review]).get_json()["results"]
    assert result == {"id": review["id"], "status": "accepted"}

    pulled = [e for e in worker.pull_all() if e["type"] == "review"]
    assert [e["id"] for e in pulled] == [review["id"]]
    assert pulled[0]["author_id"] == supervisor.user_id
    assert "decision" not in pulled[0]["meta"]  # the team's business, sealed
    opened = crypto.open_envelope(pulled[0], "team:east:1", worker.team_private_key("east"))
    assert opened == {"visit_id": visit["record_id"], "decision": "changes_requested",
                      "comment": "Add the next contact."}


def test_workers_review_is_rejected_per_record_and_the_batch_goes_on(world):
    worker = world.login("worker1")
    visit = worker.seal("visit")
    own_review = review_of(worker, visit)
    response = worker.sync(push=[visit, own_review])
    assert response.status_code == 200  # never a request-level failure
    accepted, refused = response.get_json()["results"]
    assert accepted == {"id": visit["id"], "status": "accepted"}
    assert refused["id"] == own_review["id"]
    assert refused["status"] == "rejected"
    problem = refused["problem"]
    assert problem["type"] == "/problems/forbidden-record-type"
    assert problem["status"] == 403
    assert problem["title"] == "Your role may not write this type of record."
    assert "supervisor" in problem["detail"]
    assert stored_types(world) == ["visit"]
    # The same refusal every time: a retry does not sneak it in.
    (again,) = worker.sync(push=[own_review]).get_json()["results"]
    assert again["problem"]["type"] == "/problems/forbidden-record-type"
    assert stored_types(world) == ["visit"]


def test_a_worker_cannot_revise_a_supervisors_review(world):
    worker, supervisor = world.login("worker1"), world.login("supervisor1")
    visit = worker.seal("visit")
    worker.sync(push=[visit])
    review = review_of(supervisor, visit)
    supervisor.sync(push=[review])
    revision = worker.seal("review", plaintext={"visit_id": visit["record_id"],
                                                "decision": "approved"},
                           record_id=review["record_id"],
                           parents=[review["id"]], meta={})
    (result,) = worker.sync(push=[revision]).get_json()["results"]
    assert result["problem"]["type"] == "/problems/forbidden-record-type"
    assert stored_types(world) == ["visit", "review"]


def test_review_decision_and_comment_are_refused_in_meta(world):
    supervisor = world.login("supervisor1")
    visit = supervisor.seal("visit")
    good = [review_of(supervisor, visit, decision)
            for decision in ("approved", "comment", "changes_requested")]
    clear = supervisor.seal("review", plaintext={"visit_id": visit["record_id"]},
                            meta={"decision": "approved"})
    leaky = supervisor.seal("review", plaintext={"visit_id": visit["record_id"]},
                            meta={"comment": "Ana was not home"})
    results = supervisor.sync(push=[*good, clear, leaky]).get_json()["results"]
    assert [r["status"] for r in results] == ["accepted"] * 3 + ["rejected"] * 2
    assert results[3]["problem"]["type"] == "/problems/validation"
    assert list(results[3]["problem"]["errors"]) == ["meta.decision"]
    assert list(results[4]["problem"]["errors"]) == ["meta.comment"]
    assert "Ana" not in str(results[4]["problem"])
