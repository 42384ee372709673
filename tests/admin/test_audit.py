"""GET /api/v1/audit: every action of the issue appears, never any content, in scope only."""

from __future__ import annotations

import io

from outreach.extensions import db
from tests.admin.helpers import CANARY, add_supervisor, events
from tests.api.test_auth import problem


def _act(world):
    """Do, through the API and the CLI's services, each action the log must show."""
    from outreach.recovery.service import export_envelopes
    from outreach.sync.erase import erase_record

    supervisor = world.login("supervisor1")
    worker = world.login("worker1")
    envelope = worker.seal(plaintext={"note": CANARY, "name": CANARY})
    assert worker.sync(push=[envelope]).status_code == 200
    supervisor.pull_all()  # a pull with records in it
    pdf = world.client.get("/paper/forms/visit.pdf", query_string={"team": "east"},
                           headers=supervisor.headers)
    assert pdf.status_code == 200
    assert world.client.post("/api/v1/audit/events", headers=supervisor.headers, json={
        "action": "access_export", "team": "east", "records": 3}).status_code == 204
    lost = world.login("worker2")
    revoked = world.client.post(f"/api/v1/devices/{lost.device_id}/revoke",
                                headers=supervisor.headers, json={"reason": "lost"})
    assert revoked.status_code == 200, revoked.get_json()
    assert revoked.get_json()["rotate_teams"] == ["east"]
    with world.app.app_context():
        export_envelopes(io.BytesIO(), team_slug="east")
        erase_record(envelope["record_id"], actor_id=world.user_ids["supervisor1"])
        db.session.commit()
    return supervisor, worker, envelope


def test_each_audited_action_appears_for_the_admin_and_no_content_does(world):
    supervisor, _worker, envelope = _act(world)
    admin = world.login("admin1")
    seen = events(world, admin)
    actions = {event["action"] for event in seen}
    # logins, pulls, paper kits, exports (CLI and on the phone), revocations, key rotations
    # (the world's team keys), erasures.
    assert {"login", "pull", "paper_issued", "export", "access_export", "device_revoked",
            "team_key_rotated", "erasure"} <= actions
    revocation = next(e for e in seen if e["action"] == "device_revoked")
    assert revocation["actor"] == "supervisor1"
    assert revocation["details"]["reason"] == "lost"
    assert revocation["device_id"] == supervisor.device_id
    pull = next(e for e in seen if e["action"] == "pull" and e["actor"] == "supervisor1")
    assert pull["details"]["records"] >= 1
    erasure = next(e for e in seen if e["action"] == "erasure")
    assert erasure["team"] == "east"
    assert erasure["target_id"] == envelope["record_id"]
    csv = world.client.get("/api/v1/audit.csv", headers=admin.headers)
    assert csv.status_code == 200
    assert csv.mimetype == "text/csv"
    text = csv.get_data(as_text=True)
    assert text.splitlines()[0].startswith("id,at,action,outcome,actor,device_id,team")
    assert "device_revoked" in text
    assert "paper_issued" in text
    body = world.client.get("/api/v1/audit", headers=admin.headers,
                            query_string={"limit": 1000}).get_data(as_text=True)
    for output in (text, body):
        assert CANARY not in output
        assert "Zsófia" not in output
        assert "Bălan" not in output
    # The CSV export is itself in the log.
    assert "audit_exported" in {e["action"] for e in events(world, admin)}


def test_filters_by_actor_action_device_and_time(world):
    supervisor, _worker, _ = _act(world)
    admin = world.login("admin1")
    by_worker = events(world, admin, actor="worker1")
    assert by_worker
    assert {e["actor"] for e in by_worker} == {"worker1"}
    logins = events(world, admin, action=["login"])
    assert logins
    assert {e["action"] for e in logins} == {"login"}
    on_device = events(world, admin, device=supervisor.device_id)
    assert on_device
    assert {e["device_id"] for e in on_device} == {supervisor.device_id}
    assert events(world, admin, since="2999-01-01T00:00:00Z") == []
    assert events(world, admin, until="2000-01-01T00:00:00Z") == []
    first = world.client.get("/api/v1/audit", headers=admin.headers,
                             query_string={"limit": 2}).get_json()
    assert len(first["events"]) == 2
    assert first["next"] == first["events"][-1]["id"]
    second = world.client.get("/api/v1/audit", headers=admin.headers,
                              query_string={"limit": 2, "before": first["next"]}).get_json()
    assert max(e["id"] for e in second["events"]) < first["next"]
    problem(world.client.get("/api/v1/audit", headers=admin.headers,
                             query_string={"since": "yesterday"}), 422, "/problems/validation")
    problem(world.client.get("/api/v1/audit", headers=admin.headers,
                             query_string={"colour": "red"}), 422, "/problems/validation")


def test_a_supervisor_reads_their_teams_events_only(world):
    _act(world)
    west = add_supervisor(world)
    world.login("worker3")  # a west worker's login
    east_view = events(world, world.login("supervisor1"))
    assert {e["team"] for e in east_view} <= {"east", None}
    assert "worker3" not in {e["actor"] for e in east_view}
    assert "paper_issued" in {e["action"] for e in east_view}
    west_view = events(world, west)
    assert {e["team"] for e in west_view} <= {"west", None}
    assert "worker3" in {e["actor"] for e in west_view}
    assert not {"paper_issued", "device_revoked", "erasure"} & {e["action"] for e in west_view}
    assert "worker1" not in {e["actor"] for e in west_view}


def test_workers_may_not_read_the_audit_log(world):
    worker = world.login("worker1")
    for path in ("/api/v1/audit", "/api/v1/audit.csv"):
        problem(world.client.get(path, headers=worker.headers), 403, "/problems/forbidden")
    problem(world.client.get("/api/v1/audit"), 401, "/problems/unauthorized")


def test_a_device_reports_only_for_its_own_team(world):
    worker = world.login("worker3")
    problem(world.client.post("/api/v1/audit/events", headers=worker.headers, json={
        "action": "access_export", "team": "east", "records": 1}), 403, "/problems/forbidden")
    problem(world.client.post("/api/v1/audit/events", headers=worker.headers, json={
        "action": "login", "team": "west", "records": 1}), 422, "/problems/validation")


def test_a_report_sent_again_is_recorded_once(world):
    """A phone that did an access export offline sends the report when the signal returns; a
    retry whose answer was lost (the same report id) must not log the export twice."""
    worker = world.login("worker1")
    report = {"id": "6f1d2a4e-8c3b-4e7a-9d10-2b5c7e9f0a13", "action": "access_export",
              "team": "east", "records": 4, "at": "2026-12-01T09:30:00+00:00"}
    for _ in range(2):
        assert world.client.post("/api/v1/audit/events", headers=worker.headers,
                                 json=report).status_code == 204
    admin = world.login("admin1")
    logged = [e for e in events(world, admin) if e["action"] == "access_export"]
    assert len(logged) == 1
    assert logged[0]["details"]["records"] == 4
    assert logged[0]["details"]["done_at"] == "2026-12-01T09:30:00+00:00"  # when, on the phone
    # The same id from another device is another report (ids are the phone's own).
    other = world.login("supervisor1")
    assert world.client.post("/api/v1/audit/events", headers=other.headers,
                             json=report).status_code == 204
    assert len([e for e in events(world, admin) if e["action"] == "access_export"]) == 2
    problem(world.client.post("/api/v1/audit/events", headers=worker.headers,
                              json={**report, "id": "not-a-uuid"}), 422, "/problems/validation")
