"""A forged team key version is refused by the phone (issue 9, finding 5).

A compromised server (or an admin with database access) adds version 2 of east's key: a key
pair of its own, granted to the worker (anyone can seal to a public key) and signed, with the
right previous hash, by a key that is no supervisor of east, and naming a recovery key of its
own. Before, phones sealed every new record to the newest version listed. Now the worker's
phone refuses it, warns, and keeps sealing to version 1 and the real recovery key."""

from __future__ import annotations

import json

import pytest

from outreach import crypto
from tests.browser.pwa import home, log_in, new_household, settled, unlock, wait_until_synced

pytestmark = pytest.mark.slow


def forge_version_2(world) -> crypto.PrivateKey:
    from outreach.auth.models import User
    from outreach.extensions import db
    from outreach.keys.models import KeyGrant, RecoveryGrant, RecoveryKey, TeamKey
    from outreach.teams.models import Team

    attacker, attacker_recovery = crypto.generate_private_key(), crypto.generate_private_key()
    forged = crypto.generate_private_key()
    public = crypto.public_key_to_b64u(forged.public_key())
    with world.app.app_context():
        team = db.session.execute(db.select(Team).where(Team.slug == "east")).scalar_one()
        v1 = db.session.execute(db.select(TeamKey).where(TeamKey.team_id == team.id)).scalar_one()
        statement = crypto.team_key_statement(
            team_id="east",
            version=2,
            public_key=public,
            previous=crypto.statement_hash(json.loads(v1.statement)),
            recovery_kid="recovery:1",
            recovery_public_key=crypto.public_key_to_b64u(attacker_recovery.public_key()),
            supervisors=[crypto.public_key_to_b64u(attacker.public_key())],
            signer=crypto.public_key_to_b64u(attacker.public_key()),
        )
        v2 = TeamKey(
            team_id=team.id,
            version=2,
            public_key=public,
            statement=crypto.canonical_json(statement).decode(),
            signature=crypto.sign_statement(statement, attacker),
        )
        db.session.add(v2)
        db.session.flush()
        recovery = db.session.execute(db.select(RecoveryKey)).scalar_one()
        db.session.add(
            RecoveryGrant(
                team_key_id=v2.id,
                recovery_key_id=recovery.id,
                grant=crypto.grant_team_key(forged, world.recovery_key.public_key()),
            )
        )
        worker = db.session.get(User, world.user_ids["worker1"])
        db.session.add(
            KeyGrant(
                team_key_id=v2.id,
                user_id=worker.id,
                grant=crypto.grant_team_key(forged, crypto.load_public_key(worker.public_key)),
            )
        )
        db.session.commit()
    return forged


def test_a_forged_team_key_version_is_refused_and_records_stay_sealed_to_the_trusted_one(
    app_page,
):
    page, _context, world, _server = app_page
    log_in(page, "worker1")  # the phone trusts version 1 from here on
    settled(page)
    forge_version_2(world)

    page.reload()
    unlock(page)  # a fresh GET /keys: version 2 is offered
    page.evaluate("location.hash = '#/settings'")
    warning = page.wait_for_selector(".key-warning[data-team=east][data-version='2']")
    assert "version 2" in warning.inner_text()
    assert page.get_attribute(".key-version[data-team=east]", "data-version") == "1"
    home(page)
    page.wait_for_selector(".key-warning[data-team=east]")  # on the home screen too

    new_household(page, "Familia Sigură")
    home(page)
    wait_until_synced(page)
    (sealed,) = [e for e in world.login("worker2").pull_all() if e["type"] == "household"]
    assert [k["kid"] for k in sealed["keys"]] == ["team:east:1", "recovery:1"]
    # Readable with the real team key and the real paper key, as if nothing had happened.
    plain = crypto.open_envelope(sealed, "team:east:1", world.team_private["east"])
    assert plain["display_name"] == "Familia Sigură"
    assert crypto.open_envelope(sealed, "recovery:1", world.recovery_key)["display_name"] == (
        "Familia Sigură"
    )
