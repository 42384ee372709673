"""Re-grant a team from the paper recovery key (PROTOCOL §1: "whoever holds the paper key can
re-grant a team that has lost all its supervisors"; docs/recovery.md).

Run on the server's own machine, never over the network: the recovery private key is read from
the paper key (file or words), used in this process only, and never written anywhere. It opens
the recovery grant of the team's current key version, checks that what it opened is the team
key the server lists, and seals that key to each member who holds no grant for it yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from outreach import crypto
from outreach.audit import service as audit
from outreach.auth.models import User
from outreach.extensions import db
from outreach.keys.models import KeyGrant, RecoveryGrant, RecoveryKey, TeamKey
from outreach.keys.service import current_team_key
from outreach.schema_fields import recovery_kid, team_kid
from outreach.teams.models import Membership, Team


class RegrantError(Exception):
    pass


@dataclass(frozen=True)
class Regranted:
    kid: str
    granted: list[str]
    skipped_without_key: list[str]


def regrant_team(team: Team, recovery_private_key: crypto.PrivateKey) -> Regranted:
    """Grant the team's current key to every member without a grant; caller commits."""
    team_key = current_team_key(team.id)
    if team_key is None:
        raise RegrantError(f"Team {team.slug} has no key yet.")
    row = db.session.execute(
        db.select(RecoveryGrant, RecoveryKey)
        .join(RecoveryKey, RecoveryKey.id == RecoveryGrant.recovery_key_id)
        .where(RecoveryGrant.team_key_id == team_key.id)
    ).first()
    if row is None:
        raise RegrantError(f"{team_kid(team.slug, team_key.version)} has no recovery grant.")
    grant, recovery = row
    if crypto.public_key_to_b64u(recovery_private_key.public_key()) != recovery.public_key:
        raise RegrantError(f"This is not the paper key {recovery_kid(recovery.version)}.")
    try:
        team_private = crypto.open_grant(grant.grant, recovery_private_key)
    except crypto.CryptoError as exc:
        raise RegrantError("The recovery grant does not open with this key.") from exc
    if crypto.public_key_to_b64u(team_private.public_key()) != team_key.public_key:
        # Whoever rotated sealed another key to the recovery key than the one they published.
        raise RegrantError("The recovery grant holds another key than the team's public key.")
    return _grant_members(team, team_key, team_private)


def _grant_members(team: Team, team_key: TeamKey, team_private: crypto.PrivateKey
                   ) -> Regranted:
    holders = set(db.session.execute(
        db.select(KeyGrant.user_id).where(KeyGrant.team_key_id == team_key.id)
    ).scalars())
    members = db.session.execute(
        db.select(User).join(Membership, Membership.user_id == User.id)
        .where(Membership.team_id == team.id, User.revoked_at.is_(None))
        .order_by(User.username)
    ).scalars()
    granted, skipped = [], []
    for user in members:
        if user.id in holders:
            continue
        if user.public_key is None:
            skipped.append(user.username)  # never logged in: no key to seal to yet
            continue
        sealed = crypto.grant_team_key(team_private, crypto.load_public_key(user.public_key))
        db.session.add(KeyGrant(team_key_id=team_key.id, user_id=user.id, grant=sealed))
        granted.append(user.username)
    kid = team_kid(team.slug, team_key.version)
    audit.record("team_regranted", organisation_id=team.organisation_id, target_type="team",
                 target_id=team.slug, kid=kid, grants=len(granted))
    db.session.flush()
    return Regranted(kid, granted, skipped)
