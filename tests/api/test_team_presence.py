"""The presence phase's schedule per team (issue 15): stored on the server, set by the team's
supervisor or an admin, served with the team's settings so every phone applies it."""

from __future__ import annotations

import json

import pytest

from outreach.audit.models import AuditEvent
from outreach.extensions import db
from tests.api.test_auth import problem
from tests.api.test_teams import teams_of


def put_presence(world, username, team, body):
    return world.client.put(f"/api/v1/teams/{team}/presence", json=body,
                            headers=world.login(username).headers)


def test_a_team_without_its_own_schedule_serves_the_default(world):
    (east,) = teams_of(world, "worker1")
    assert east["presence"] == {"interval_weeks": 10, "months": 24}


def test_a_supervisor_sets_the_schedule_and_the_teams_phones_get_it(world):
    response = put_presence(world, "supervisor1", "east", {"interval_weeks": 6, "months": 18})
    assert response.status_code == 200, response.get_json()
    assert response.get_json() == {"interval_weeks": 6, "months": 18}
    (east,) = teams_of(world, "worker2")
    assert east["presence"] == {"interval_weeks": 6, "months": 18}
    (west,) = teams_of(world, "worker3")  # another team keeps its own
    assert west["presence"] == {"interval_weeks": 10, "months": 24}
    with world.app.app_context():
        event = db.session.execute(db.select(AuditEvent).where(
            AuditEvent.action == "presence_changed")).scalar_one()
        assert event.actor_id == world.user_ids["supervisor1"]
        assert event.target_id == "east"
        assert json.loads(event.details) == {"before": {"interval_weeks": 10, "months": 24},
                                             "after": {"interval_weeks": 6, "months": 18}}


def test_an_admin_sets_any_team_of_the_organisation(world):
    response = put_presence(world, "admin1", "west", {"interval_weeks": 13, "months": 12})
    assert response.status_code == 200, response.get_json()
    (west,) = teams_of(world, "worker3")
    assert west["presence"] == {"interval_weeks": 13, "months": 12}


@pytest.mark.parametrize(("username", "team", "status", "type_"), [
    ("worker1", "east", 403, "/problems/forbidden"),        # a worker of the team
    ("supervisor1", "west", 403, "/problems/forbidden"),    # another team's supervisor
    ("supervisor1", "nowhere", 404, "/problems/not-found"),
])
def test_nobody_else_changes_a_teams_schedule(world, username, team, status, type_):
    problem(put_presence(world, username, team, {"interval_weeks": 4, "months": 6}),
            status, type_)
    (east,) = teams_of(world, "worker1")
    assert east["presence"] == {"interval_weeks": 10, "months": 24}


@pytest.mark.parametrize("body", [
    {"interval_weeks": 0, "months": 24},
    {"interval_weeks": 53, "months": 24},
    {"interval_weeks": 10, "months": 61},
    {"interval_weeks": "10", "months": 24},    # a string is not a number of weeks
    {"interval_weeks": 10.5, "months": 24},
    {"interval_weeks": 10},                     # both, or nothing
    {"interval_weeks": 10, "months": 24, "days": 3},
    {"interval_weeks": 52, "months": 1},        # no contact would ever fall in the period
    [10, 24],
])
def test_a_bad_schedule_is_a_clear_problem_and_changes_nothing(world, body):
    body_problem = problem(put_presence(world, "supervisor1", "east", body), 422,
                           "/problems/validation")
    assert body_problem["errors"]
    (east,) = teams_of(world, "worker1")
    assert east["presence"] == {"interval_weeks": 10, "months": 24}


def test_a_body_that_is_not_json_is_a_problem_not_a_500(world):
    response = world.client.put("/api/v1/teams/east/presence", data=b"\xff{",
                                headers={**world.login("supervisor1").headers,
                                         "Content-Type": "application/json"})
    assert 400 <= response.status_code < 500
    assert response.content_type == "application/problem+json"


def test_the_admin_teams_document_shows_each_teams_schedule(world):
    put_presence(world, "admin1", "west", {"interval_weeks": 13, "months": 12})
    teams = world.client.get("/api/v1/organisation/teams",
                             headers=world.login("admin1").headers).get_json()["teams"]
    assert {t["id"]: t["presence"] for t in teams} == {
        "east": {"interval_weeks": 10, "months": 24}, "west": {"interval_weeks": 13, "months": 12}}
