"""Helpers for the administration tests: a second team's supervisor, an admin's session."""

from __future__ import annotations

from typing import Any

from tests.fixtures.world import PASSPHRASE, Session, World

CANARY = "CANARY-Zsófia-Bălan-4471"


def add_supervisor(world: World, username: str = "supervisor2", team: str = "west") -> Session:
    """A supervisor of another team (the world has one only in east)."""
    from outreach.auth import service as auth
    from outreach.extensions import db
    from outreach.teams import service as teams

    with world.app.app_context():
        user = auth.add_user(organisation_id=world.organisation_id, username=username,
                             role="supervisor", passphrase=PASSPHRASE)
        teams.add_member(teams.get_team(team), user)
        world.user_ids[username] = user.id
        db.session.commit()
    return world.login(username)


def events(world: World, session: Session, **query: Any) -> list[dict[str, Any]]:
    response = world.client.get("/api/v1/audit", headers=session.headers,
                                query_string={"limit": 1000, **query})
    assert response.status_code == 200, response.get_json()
    return list(response.get_json()["events"])
