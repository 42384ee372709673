"""Keys endpoint, team key rotation and grants (PROTOCOL §1)."""

from __future__ import annotations

import sqlalchemy as sa

from outreach import crypto
from outreach.extensions import db


def pub(key) -> str:
    return crypto.public_key_to_b64u(key.public_key())


def test_members_read_the_team_key_through_their_grant(world):
    session = world.login("worker1")
    keys = session.keys
    assert keys["recovery"] == {"kid": "recovery:1",
                                "public_key": pub(world.recovery_key)}
    (team,) = keys["teams"]
    assert (team["team_id"], team["version"], team["kid"]) == ("east", 1, "team:east:1")
    assert pub(session.team_private_key("east")) == pub(world.team_private["east"])


def add_pending_member(world, username="newbie"):
    from outreach.auth import service as auth
    from outreach.teams import service as teams

    with world.app.app_context():
        user = auth.add_user(organisation_id=world.organisation_id, username=username,
                             role="worker", passphrase="correct horse battery staple")
        teams.add_member(teams.get_team("east"), user)
        db.session.commit()
        return user.id, user.public_key


def test_pending_member_sees_the_current_key_without_a_grant(world):
    add_pending_member(world)
    (team,) = world.login("newbie").keys["teams"]
    assert team["grant"] is None
    assert team["public_key"] == pub(world.team_private["east"])
    members = world.client.get("/api/v1/teams/east/members",
                               headers=world.login("supervisor1").headers).get_json()
    pending = {m["username"]: m["pending"] for m in members["members"]}
    assert pending == {"newbie": True, "supervisor1": False, "worker1": False,
                       "worker2": False}


def test_supervisor_grants_a_pending_member_once(world):
    user_id, public_key = add_pending_member(world)
    supervisor = world.login("supervisor1")
    team_key = supervisor.team_private_key("east")
    grant = crypto.grant_team_key(team_key, crypto.load_public_key(public_key))
    body = {"version": 1, "grants": [supervisor.sign_grant("east", 1, user_id, public_key, grant)]}
    first = world.client.post("/api/v1/teams/east/grants", json=body, headers=supervisor.headers)
    again = world.client.post("/api/v1/teams/east/grants", json=body, headers=supervisor.headers)
    assert first.get_json() == {"written": 1}
    assert again.get_json() == {"written": 0}
    assert pub(world.login("newbie").team_private_key("east")) == pub(team_key)
    with world.app.app_context():
        details = db.session.execute(sa.text(
            "SELECT details FROM audit_event WHERE action = 'key_granted'")).scalars().all()
    assert details
    assert all(crypto.b64u_encode(grant) not in d for d in details)


def test_grant_for_a_non_member_is_refused(world):
    supervisor = world.login("supervisor1")
    grant = crypto.grant_team_key(supervisor.team_private_key("east"),
                                  crypto.generate_private_key().public_key())
    response = world.client.post(
        "/api/v1/teams/east/grants", headers=supervisor.headers,
        json={"version": 1, "grants": [supervisor.sign_grant(
            "east", 1, world.user_ids["worker3"], world.login("worker3").keys["user"]["public_key"],
            grant)]})
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"


def rotation_body(world, version, members, signer=None, team="east"):
    """A rotation as a supervisor's phone posts it, signed by ``signer`` (a Session; by default
    supervisor1's)."""
    signer = signer or world.login("supervisor1")
    new = crypto.generate_private_key()
    grants = []
    with world.app.app_context():
        from outreach.auth.models import User

        for username in members:
            user = db.session.get(User, world.user_ids[username])
            sealed = crypto.grant_team_key(new, crypto.load_public_key(user.public_key))
            grants.append(signer.sign_grant(team, version, user.id, user.public_key, sealed))
    body = {"version": version, "public_key": pub(new), "grants": grants,
            "recovery_grant": {"kid": "recovery:1", "grant": crypto.b64u_encode(
                crypto.grant_team_key(new, world.recovery_key.public_key()))}}
    return new, signer.sign_rotation(team, body)


def test_supervisor_rotates_the_team_key(world):
    supervisor = world.login("supervisor1")
    new, body = rotation_body(world, 2, ["supervisor1", "worker1"])
    response = world.client.post("/api/v1/teams/east/keys", json=body,
                                 headers=supervisor.headers)
    assert response.status_code == 201
    assert response.get_json()["kid"] == "team:east:2"
    worker1 = world.login("worker1")
    assert pub(worker1.team_private_key("east", 2)) == pub(new)
    assert pub(worker1.team_private_key("east", 1)) == pub(world.team_private["east"])
    # worker2 was left out of the rotation (as after a removal): no grant for version 2.
    versions = {t["version"]: t["grant"] for t in world.login("worker2").keys["teams"]}
    assert versions[2] is None
    assert versions[1] is not None
    # New records may use version 2 right away.
    env = crypto.seal_envelope({"x": 1}, id=crypto.new_uuid7(), record_id=crypto.new_uuid7(),
                               type="note", case_id=crypto.new_uuid7(), team_id="east",
                               schema="note@1",
                               recipients=[("team:east:2", new.public_key()),
                                           ("recovery:1", world.recovery_key.public_key())],
                               device_id=worker1.device_id, signing_key=worker1.device_key)
    assert worker1.sync(push=[env]).get_json()["results"][0]["status"] == "accepted"


def test_rotation_with_a_stale_version_conflicts(world):
    supervisor = world.login("supervisor1")
    _, body = rotation_body(world, 1, ["supervisor1"])
    response = world.client.post("/api/v1/teams/east/keys", json=body,
                                 headers=supervisor.headers)
    assert response.status_code == 409


def test_workers_and_other_teams_supervisors_cannot_rotate(world):
    _, body = rotation_body(world, 2, ["worker1"])
    worker = world.login("worker1")
    assert world.client.post("/api/v1/teams/east/keys", json=body,
                             headers=worker.headers).status_code == 403
    assert world.client.post("/api/v1/teams/west/keys", json=body,
                             headers=world.login("supervisor1").headers).status_code == 403


def test_user_key_is_uploaded_once(world):
    from outreach.auth import service as auth

    with world.app.app_context():
        user = auth.add_user(organisation_id=world.organisation_id, username="fresh",
                             role="worker", passphrase="correct horse battery staple")
        user.public_key = user.wrapped_private_key = user.wrapped_iv = None
        db.session.commit()
    session_headers = _login_headers(world, "fresh")
    key = crypto.generate_private_key()
    body = {"public_key": pub(key), "wrapped_private_key": crypto.b64u_encode(b"w" * 150),
            "iv": crypto.b64u_encode(b"i" * 12)}
    assert world.client.put("/api/v1/keys/user", json=body,
                            headers=session_headers).status_code == 204
    assert world.client.put("/api/v1/keys/user", json=body,
                            headers=session_headers).status_code == 409


def _login_headers(world, username):
    from tests.api.test_auth import login_body

    tokens = world.client.post("/api/v1/auth/login", json=login_body(world, username)).get_json()
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def test_an_admin_cannot_rotate_or_grant_even_in_their_organisation(world):
    """An admin belongs to no team: a key of their making would let them read new records
    (issue 9, finding 5). Only the team's own supervisors rotate and grant."""
    admin = world.login("admin1")
    _, body = rotation_body(world, 2, ["supervisor1", "worker1"])
    response = world.client.post("/api/v1/teams/east/keys", json=body, headers=admin.headers)
    assert response.status_code == 403
    grants = {"version": 1, "grants": [body["grants"][0]]}
    response = world.client.post("/api/v1/teams/east/grants", json=grants,
                                 headers=admin.headers)
    assert response.status_code == 403
    assert [t["version"] for t in world.login("worker1").keys["teams"]] == [1]


def test_a_rotation_without_a_real_recovery_grant_is_refused(world):
    supervisor = world.login("supervisor1")
    _, body = rotation_body(world, 2, ["supervisor1", "worker1"])
    for garbage in (b"\x00", bytes(64), bytes(1000)):
        body["recovery_grant"]["grant"] = crypto.b64u_encode(garbage)
        response = world.client.post("/api/v1/teams/east/keys", json=body,
                                     headers=supervisor.headers)
        assert response.status_code == 422, garbage
        assert "recovery_grant.grant" in response.get_json()["errors"]
    assert [t["version"] for t in world.login("worker1").keys["teams"]] == [1]
