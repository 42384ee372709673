"""Every administration endpoint refuses workers, and other teams' supervisors where it acts on
a team or on someone of it. The table must name every route of the admin blueprints: a new one
fails here until it says who may call it."""

from __future__ import annotations

import uuid

import pytest

from tests.admin.helpers import add_supervisor
from tests.api.test_auth import problem

PUBLIC = {"admin.preview_enrolment", "admin.enrol"}
BLUEPRINTS = ("admin.", "access.")


def _routes(world, east_device, worker1_id):
    """(endpoint, method, path, body, refused): "all" (admins only: every supervisor is refused
    too), "others" (the team's supervisors may, other teams' may not), "non-members" (any
    member may), "workers" (every supervisor may ask; tests/admin/test_access.py)."""
    request_id = str(uuid.uuid4())
    return [
        ("admin.audit_events", "GET", "/api/v1/audit?team=east", None, "others-empty"),
        ("admin.audit_csv", "GET", "/api/v1/audit.csv?team=east", None, "others-empty"),
        ("admin.device_event", "POST", "/api/v1/audit/events",
         {"action": "access_export", "team": "east", "records": 1}, "non-members"),
        ("admin.list_devices", "GET", "/api/v1/devices?team=east", None, "others"),
        ("admin.revoke_device", "POST", f"/api/v1/devices/{east_device}/revoke",
         {"reason": "lost"}, "others"),
        ("admin.list_users", "GET", "/api/v1/users", None, "all"),
        ("admin.change_user", "PATCH", f"/api/v1/users/{worker1_id}", {"role": "supervisor"},
         "all"),
        ("admin.deactivate_user", "POST", f"/api/v1/users/{worker1_id}/deactivate", None, "all"),
        ("admin.list_enrolments", "GET", "/api/v1/enrolments", None, "all"),
        ("admin.create_enrolment", "POST", "/api/v1/enrolments",
         {"username": "newbie", "role": "worker"}, "all"),
        ("admin.organisation_teams", "GET", "/api/v1/organisation/teams", None, "all"),
        ("admin.create_team", "POST", "/api/v1/organisation/teams",
         {"slug": "north", "name": "North"}, "all"),
        ("admin.create_area", "POST", "/api/v1/organisation/teams/east/areas",
         {"code": "EAST-99", "name": "X"}, "all"),
        ("admin.add_member", "POST", "/api/v1/organisation/teams/east/members",
         {"username": "worker3"}, "all"),
        ("admin.erase_household", "POST", "/api/v1/teams/east/erasures",
         {"record_ids": [str(uuid.uuid4())], "reason": "subject_request"}, "others"),
        ("access.request_access", "POST", "/api/v1/access-requests",
         {"team": "east", "reference": "P-1", "reason": "x" * 30, "hours": 4}, "workers"),
        ("access.list_requests", "GET", "/api/v1/access-requests", None, "workers"),
        ("access.approve", "POST", f"/api/v1/access-requests/{request_id}/approve",
         {"grants": {}}, "workers"),
        ("access.refuse", "POST", f"/api/v1/access-requests/{request_id}/refuse", None,
         "workers"),
        ("access.read_records", "GET", f"/api/v1/access-requests/{request_id}/records", None,
         "workers"),
    ]


def _call(world, session, method, path, body):
    return world.client.open(path, method=method, headers=session.headers, json=body)


def test_the_table_names_every_administration_route(world):
    endpoints = {rule.endpoint for rule in world.app.url_map.iter_rules()
                 if rule.endpoint.startswith(BLUEPRINTS)} - PUBLIC
    named = {row[0] for row in _routes(world, "d", "u")}
    assert endpoints == named


@pytest.mark.parametrize("who", ["worker1", "worker3"])
def test_workers_are_refused_everywhere(world, who):
    east_device = world.login("worker2").device_id
    worker = world.login(who)
    for endpoint, method, path, body, refused in _routes(world, east_device,
                                                          world.user_ids["worker1"]):
        if refused == "non-members" and who == "worker1":
            continue  # a member reports what their own phone did (tested in test_audit)
        response = _call(world, worker, method, path, body)
        assert response.status_code in (403, 404), (endpoint, response.get_json())
        if response.status_code == 404:  # a request id that does not exist is not found first
            assert endpoint.startswith("access."), endpoint


def test_another_teams_supervisor_is_refused(world):
    east_device = world.login("worker2").device_id
    west = add_supervisor(world)
    for _endpoint, method, path, body, refused in _routes(world, east_device,
                                                          world.user_ids["worker1"]):
        if refused in ("workers",):
            continue
        response = _call(world, west, method, path, body)
        if refused == "others-empty":
            # The log's filter by another team is refused, not answered empty.
            problem(response, 403, "/problems/forbidden")
            continue
        problem(response, 403, "/problems/forbidden")
    # And nothing happened: the east worker's phone still works.
    assert world.client.get("/api/v1/keys", headers=world.login("worker1").headers
                            ).status_code == 200
