"""Team key versions form a signed chain (issue 9): the server refuses what phones would refuse.

Before, any supervisor could post a version of their own making with nothing to tie it to the
versions before it, and phones sealed new records to it without a check."""

from __future__ import annotations

from outreach import crypto
from tests.api.test_keys import add_pending_member, pub, rotation_body


def post(world, session, body, team="east"):
    return world.client.post(f"/api/v1/teams/{team}/keys", json=body, headers=session.headers)


def test_an_unsigned_rotation_is_refused(world):
    supervisor = world.login("supervisor1")
    _, body = rotation_body(world, 2, ["supervisor1"])
    for field in ("signature", "previous", "supervisors"):
        unsigned = {k: v for k, v in body.items() if k != field}
        response = post(world, supervisor, unsigned)
        assert response.status_code == 422, field
        assert field in response.get_json()["errors"]
    assert [t["version"] for t in world.login("worker1").keys["teams"]] == [1]


def test_a_signed_rotation_chains_to_the_version_before(world):
    supervisor = world.login("supervisor1")
    new, body = rotation_body(world, 2, ["supervisor1", "worker1"])
    assert post(world, supervisor, body).status_code == 201
    listed = {t["version"]: t for t in world.login("worker1").keys["teams"]}
    first, second = listed[1], listed[2]
    assert first["signature"] is None  # made by the server: trusted on first sight only
    assert second["statement"]["previous"] == crypto.statement_hash(first["statement"])
    assert second["statement"]["public_key"] == pub(new)
    assert second["statement"]["recovery"] == {
        "kid": "recovery:1",
        "public_key": pub(world.recovery_key),
    }
    signer = second["statement"]["signer"]
    assert signer in first["statement"]["supervisors"]
    crypto.verify_statement(second["statement"], second["signature"], signer)
    assert second["rotated_by"] == "Elena Vass"


def test_a_signature_over_another_key_is_refused(world):
    supervisor = world.login("supervisor1")
    _, body = rotation_body(world, 2, ["supervisor1"])
    body["public_key"] = pub(crypto.generate_private_key())  # swapped after signing
    response = post(world, supervisor, body)
    assert response.status_code == 422
    assert "signature" in response.get_json()["errors"]


def test_a_rotation_over_a_stale_version_conflicts(world):
    supervisor = world.login("supervisor1")
    _, body = rotation_body(world, 2, ["supervisor1"])
    body["previous"] = crypto.b64u_encode(bytes(32))
    assert post(world, supervisor, body).status_code == 409


def test_a_supervisor_the_current_version_does_not_name_cannot_sign_the_next(world):
    from outreach.auth import service as auth
    from outreach.extensions import db
    from outreach.teams import service as teams

    with world.app.app_context():
        user = auth.add_user(
            organisation_id=world.organisation_id,
            username="newsup",
            role="supervisor",
            passphrase="correct horse battery staple",
        )
        teams.add_member(teams.get_team("east"), user)
        db.session.commit()
    newcomer = world.login("newsup")
    _, body = rotation_body(world, 2, ["supervisor1"], signer=newcomer)
    response = post(world, newcomer, body)
    assert response.status_code == 403
    # A supervisor version 1 names rotates, naming the newcomer: from then on they may sign.
    supervisor = world.login("supervisor1")
    _, body = rotation_body(world, 2, ["supervisor1"], signer=supervisor)
    body = supervisor.sign_rotation(
        "east",
        {k: body[k] for k in ("version", "public_key", "grants", "recovery_grant")},
        supervisors=[supervisor.keys["user"]["public_key"], newcomer.keys["user"]["public_key"]],
    )
    assert post(world, supervisor, body).status_code == 201
    newcomer = world.login("newsup")
    _, body = rotation_body(world, 3, ["supervisor1"], signer=newcomer)
    assert post(world, newcomer, body).status_code == 201


def test_naming_someone_who_is_not_a_supervisor_of_the_team_is_refused(world):
    supervisor = world.login("supervisor1")
    _, body = rotation_body(world, 2, ["supervisor1"])
    body = supervisor.sign_rotation(
        "east",
        {k: body[k] for k in ("version", "public_key", "grants", "recovery_grant")},
        supervisors=[world.login("worker1").keys["user"]["public_key"]],
    )
    response = post(world, supervisor, body)
    assert response.status_code == 422
    assert "supervisors" in response.get_json()["errors"]


def test_a_grant_whose_signature_does_not_verify_is_refused(world):
    user_id, public_key = add_pending_member(world)
    supervisor = world.login("supervisor1")
    grant = crypto.grant_team_key(
        supervisor.team_private_key("east"), crypto.load_public_key(public_key)
    )
    signed = supervisor.sign_grant("east", 1, user_id, public_key, grant)
    other = crypto.grant_team_key(crypto.generate_private_key(), crypto.load_public_key(public_key))
    forged = {**signed, "grant": crypto.b64u_encode(other)}  # another key, the same signature
    response = world.client.post(
        "/api/v1/teams/east/grants",
        headers=supervisor.headers,
        json={"version": 1, "grants": [forged]},
    )
    assert response.status_code == 422
    assert f"grants.{user_id}.signature" in response.get_json()["errors"]
    response = world.client.post(
        "/api/v1/teams/east/grants",
        headers=supervisor.headers,
        json={"version": 1, "grants": [signed]},
    )
    assert response.get_json() == {"written": 1}


def test_the_migration_gives_existing_versions_the_statement_the_server_would_write(world):
    """Versions from before the chain get an unsigned statement frozen by the migration: the
    same one the server writes for a version it makes, so the chain continues from it."""
    import sqlalchemy as sa
    from flask_migrate import downgrade, upgrade

    from outreach.extensions import db

    before = {t["version"]: t["statement"] for t in world.login("worker1").keys["teams"]}
    with world.app.app_context():
        downgrade(revision="c4f9e2a1d7b3")  # the revision before the chain: no statements
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("team_key")}
        assert "statement" not in columns
        upgrade()
        db.session.remove()
    after = {t["version"]: t["statement"] for t in world.login("worker1").keys["teams"]}
    assert after == before
    assert after[1]["signer"] is None
    supervisor = world.login("supervisor1")
    _, body = rotation_body(world, 2, ["supervisor1", "worker1"], signer=supervisor)
    assert post(world, supervisor, body).status_code == 201
