"""One-time enrolment codes: the new user sets the passphrase on their own phone."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from outreach import crypto
from outreach.extensions import db
from tests.api.test_auth import problem
from tests.fixtures.world import client_login

PASSPHRASE = "a river runs under the old bridge"


def _invite(world, **body):
    admin = world.login("admin1")
    response = world.client.post("/api/v1/enrolments", headers=admin.headers, json={
        "username": "newbie", "display_name": "Nora Új", "role": "worker", "teams": ["east"],
        **body})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def _enrol_body(code, passphrase=PASSPHRASE, iterations=1000):
    salt = os.urandom(16)
    keys = crypto.derive_login_keys(passphrase, salt, iterations)
    user_key = crypto.generate_private_key()
    iv, wrapped = crypto.wrap_private_key(keys.wrap_key, user_key)
    device = crypto.generate_private_key()
    return {"code": code, "kdf": {"name": "PBKDF2-SHA256", "iterations": iterations,
                                  "salt": crypto.b64u_encode(salt)},
            "auth_key": crypto.b64u_encode(keys.auth_key),
            "public_key": crypto.public_key_to_b64u(user_key.public_key()),
            "wrapped_private_key": crypto.b64u_encode(wrapped), "iv": crypto.b64u_encode(iv),
            "device": {"name": "nora-phone",
                       "signing_public_key": crypto.public_key_to_b64u(device.public_key())}}


def test_an_enrolment_code_enrols_once_and_the_passphrase_is_the_users_own(world):
    invitation = _invite(world)
    code = invitation["code"]
    assert len(code.replace("-", "")) == 16
    preview = world.client.post("/api/v1/auth/enrolment", json={"code": code.lower()})
    assert preview.status_code == 200, preview.get_json()
    assert preview.get_json()["username"] == "newbie"
    enrolled = world.client.post("/api/v1/auth/enrol", json=_enrol_body(code))
    assert enrolled.status_code == 200, enrolled.get_json()
    tokens = enrolled.get_json()
    assert tokens["user"]["username"] == "newbie"
    assert tokens["user"]["teams"] == ["east"]
    # Used once: the same code again, by anyone, is refused.
    problem(world.client.post("/api/v1/auth/enrol", json=_enrol_body(code)),
            404, "/problems/enrolment-invalid")
    problem(world.client.post("/api/v1/auth/enrolment", json={"code": code}),
            404, "/problems/enrolment-invalid")
    # The passphrase chosen on the phone logs in from any phone; nothing else does.
    session = client_login(world, "newbie", PASSPHRASE)
    assert session.keys["user"]["public_key"]
    bad = world.client.post("/api/v1/auth/prelogin", json={"username": "newbie"})
    assert bad.status_code == 200
    # Pending in east until a supervisor's phone grants the team key.
    members = world.client.get("/api/v1/teams/east/members",
                               headers=world.login("supervisor1").headers).get_json()
    assert next(m for m in members["members"] if m["username"] == "newbie")["pending"]
    # The admin saw the code once; the server keeps only its hash.
    listed = world.client.get("/api/v1/enrolments", headers=world.login("admin1").headers)
    assert all("code" not in e for e in listed.get_json()["enrolments"])
    with world.app.app_context():
        from outreach.admin.models import Enrolment

        stored = db.session.execute(db.select(Enrolment)).scalar_one()
        assert code not in repr(vars(stored))
        assert stored.used_at is not None


def test_an_expired_code_is_refused(world):
    invitation = _invite(world, hours=1)
    with world.app.app_context():
        from outreach.admin.models import Enrolment

        stored = db.session.get(Enrolment, invitation["id"])
        stored.expires_at = datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    problem(world.client.post("/api/v1/auth/enrol", json=_enrol_body(invitation["code"])),
            404, "/problems/enrolment-invalid")
    problem(world.client.post("/api/v1/auth/enrol", json=_enrol_body("AAAA-BBBB-CCCC-DDDD")),
            404, "/problems/enrolment-invalid")
    admin = world.login("admin1")
    refused = world.client.get("/api/v1/audit", headers=admin.headers,
                               query_string={"action": "enrolment_refused"}).get_json()
    assert {e["outcome"] for e in refused["events"]} == {"expired", "unknown"}


def test_weak_kdf_and_taken_usernames_are_refused(world):
    problem(world.client.post("/api/v1/enrolments", headers=world.login("admin1").headers,
                              json={"username": "worker1", "role": "worker"}),
            422, "/problems/validation")
    invitation = _invite(world)
    problem(world.client.post("/api/v1/auth/enrol",
                              json=_enrol_body(invitation["code"], iterations=10)),
            422, "/problems/validation")


def test_admin_changes_a_role_and_deactivates_a_user(world):
    admin = world.login("admin1")
    phone = world.login("worker2")
    user_id = world.user_ids["worker2"]
    changed = world.client.patch(f"/api/v1/users/{user_id}", headers=admin.headers,
                                 json={"role": "supervisor"})
    assert changed.status_code == 200
    assert changed.get_json()["role"] == "supervisor"
    off = world.client.post(f"/api/v1/users/{user_id}/deactivate", headers=admin.headers)
    assert off.status_code == 200
    assert off.get_json()["state"] == "deactivated"
    problem(phone.sync(), 401, "/problems/device-revoked")
    problem(world.client.post(f"/api/v1/users/{world.user_ids['admin1']}/deactivate",
                              headers=admin.headers), 403, "/problems/forbidden")
    users = world.client.get("/api/v1/users", headers=admin.headers).get_json()["users"]
    assert {u["username"]: u["state"] for u in users}["worker2"] == "deactivated"


def test_admin_creates_a_team_with_areas_and_members_who_wait_for_the_key(world):
    admin = world.login("admin1")
    headers = admin.headers
    assert world.client.post("/api/v1/organisation/teams", headers=headers, json={
        "slug": "north", "name": "North"}).status_code == 201
    assert world.client.post("/api/v1/organisation/teams/north/areas", headers=headers, json={
        "code": "NORTH", "name": "North county", "level": "region"}).status_code == 201
    made = world.client.post("/api/v1/organisation/teams/north/areas", headers=headers, json={
        "code": "NORTH-01", "name": "Valea", "parent": "NORTH", "urbanisation": "rural",
        "deprived": True, "segregated": False})
    assert made.status_code == 201, made.get_json()
    added = world.client.post("/api/v1/organisation/teams/north/members", headers=headers,
                              json={"username": "worker3"})
    north = next(t for t in added.get_json()["teams"] if t["id"] == "north")
    assert north["areas"][1] == {"code": "NORTH-01", "name": "Valea", "names": None,
                                 "level": "settlement",
                                 "parent": "NORTH", "urbanisation": "rural", "deprived": True,
                                 "segregated": False}
    assert north["members"][0]["username"] == "worker3"
    assert north["members"][0]["pending"]
    problem(world.client.post("/api/v1/organisation/teams/north/areas", headers=headers,
                              json={"code": "NORTH-01", "name": "again"}),
            422, "/problems/validation")
    problem(world.client.post("/api/v1/organisation/teams", headers=headers,
                              json={"slug": "North!", "name": "x"}), 422, "/problems/validation")
