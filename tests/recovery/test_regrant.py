"""`flask recovery regrant`: a team that lost all its supervisors gets its key back from the
paper recovery key, audited; a wrong key changes nothing."""

from __future__ import annotations

import sqlalchemy as sa

from outreach import crypto
from outreach.extensions import db
from tests.fixtures.world import PASSPHRASE


def add_pending_member(world, username: str) -> None:
    from outreach.auth import service as auth
    from outreach.teams import service as teams

    with world.app.app_context():
        user = auth.add_user(organisation_id=world.organisation_id, username=username,
                             role="worker", passphrase=PASSPHRASE)
        teams.add_member(teams.get_team("east"), user)
        db.session.commit()


def test_regrant_gives_pending_members_the_team_key_from_the_paper_key(world, tmp_path):
    add_pending_member(world, "newcomer")
    assert world.login("newcomer").keys["teams"][0]["grant"] is None
    key_file = tmp_path / "recovery.pem"
    key_file.write_bytes(crypto.private_key_to_pem(world.recovery_key))
    result = world.app.test_cli_runner().invoke(
        args=["recovery", "regrant", "--team", "east", "--key-file", str(key_file)])
    assert result.exit_code == 0, result.output
    assert "team:east:1: granted to 1 members (newcomer)" in result.output
    newcomer = world.login("newcomer")
    opened = newcomer.team_private_key("east", 1)
    assert crypto.public_key_to_b64u(opened.public_key()) == crypto.public_key_to_b64u(
        world.team_public["east"])
    with world.app.app_context():
        assert db.session.execute(sa.text(
            "SELECT count(*) FROM audit_event WHERE action = 'team_regranted'")).scalar_one() == 1
    # Run again: nobody is left without a grant, nothing is written twice.
    again = world.app.test_cli_runner().invoke(
        args=["recovery", "regrant", "--team", "east", "--key-file", str(key_file)])
    assert "granted to 0 members" in again.output


def test_regrant_with_another_key_changes_nothing(world, tmp_path):
    add_pending_member(world, "newcomer")
    key_file = tmp_path / "not-ours.pem"
    key_file.write_bytes(crypto.private_key_to_pem(crypto.generate_private_key()))
    result = world.app.test_cli_runner().invoke(
        args=["recovery", "regrant", "--team", "east", "--key-file", str(key_file)])
    assert result.exit_code != 0
    assert "not the paper key recovery:1" in result.output
    assert world.login("newcomer").keys["teams"][0]["grant"] is None
