"""The guard's one-statement look-up (token family, device, user and teams) and the own-device
signer it enables give exactly what the straightforward ORM look-ups give (docs/performance.md)."""

from __future__ import annotations

import dataclasses

import pytest

from outreach import crypto
from outreach.auth.guard import authenticate
from outreach.auth.models import User
from outreach.auth.principal import Principal
from outreach.auth.service import load_family
from outreach.auth.tokens import read_access_token
from outreach.extensions import db
from outreach.sync.signers import load_signers
from outreach.teams import service as teams
from outreach.teams.models import Team


def reference_principal(token: str) -> Principal:
    """The principal as the guard built it before: ORM family + device + user, then teams."""
    claims = read_access_token(token, 3600)
    assert claims is not None
    row = load_family(claims.family_id)
    assert row is not None
    family, device, user = row
    return Principal(user_id=user.id, username=user.username, role=user.role,
                     organisation_id=user.organisation_id, device_id=device.id,
                     family_id=family.id, teams=teams.team_ids_for(user.id),
                     locale=user.locale, device_public_key=device.signing_public_key)


@pytest.mark.parametrize(("username", "extra_teams"), [
    ("worker1", []),              # one team
    ("worker1", ["west"]),        # two teams: one row per team, folded back into one dict
    ("admin1", []),               # no team: the outer join still yields the user
    ("supervisor1", []),
])
def test_one_statement_principal_equals_the_orm_lookups(world, username, extra_teams):
    with world.app.app_context():
        for slug in extra_teams:
            team = db.session.execute(db.select(Team).where(Team.slug == slug)).scalar_one()
            teams.add_member(team, db.session.get(User, world.user_ids[username]))
        db.session.commit()
    session = world.login(username)
    token = session.tokens["access_token"]
    with world.app.test_request_context():
        fast = authenticate(f"Bearer {token}")
        assert fast == reference_principal(token)
        assert len(fast.teams) == len(extra_teams) + (0 if username == "admin1" else 1)


def test_own_device_signer_equals_the_looked_up_signer(world):
    session = world.login("worker1")
    with world.app.test_request_context():
        principal = authenticate(f"Bearer {session.tokens['access_token']}")
        fast = load_signers(principal, [principal.device_id])
        looked_up = load_signers(dataclasses.replace(principal, device_public_key=None),
                                 [principal.device_id])
    assert fast.keys() == looked_up.keys() == {session.device_id}
    a, b = fast[session.device_id], looked_up[session.device_id]
    assert dataclasses.replace(a, public_key=None) == dataclasses.replace(b, public_key=None)
    assert (crypto.public_key_to_b64u(a.public_key) == crypto.public_key_to_b64u(b.public_key)
            == crypto.public_key_to_b64u(session.device_key.public_key()))
