"""Who signed an envelope: the caller's own device, or another device whose records it relays.

When a phone has no signal for days, its outbox travels as a file (ARCHITECTURE decision 8) and
a supervisor's device pushes it. Such a *relayed* envelope is judged as if its own device had
pushed it: that device and its user must be live members of the envelope's team, the signature
must be that device's, and the role rules apply to the author, not to the one who carried the
file. The relayer adds nothing but transport: it must be a member of the team too (checked
before), and it cannot change a byte without breaking the author's signature.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from outreach import crypto
from outreach.auth.models import Device, User
from outreach.auth.principal import Principal
from outreach.errors import (
    AuthorNotTeamMember,
    AuthorRoleMayNotWrite,
    RecordProblem,
    RoleMayNotWrite,
    SignerRevoked,
)
from outreach.extensions import db
from outreach.sync.checks import WRITER_ROLES
from outreach.teams.models import Membership


@dataclass(frozen=True)
class Signer:
    """A device an envelope names, with what the push needs to know about its user."""

    device_id: str
    user_id: str
    role: str
    revoked: bool
    public_key: Any
    # Primary keys of the teams the device's user belongs to.
    teams: frozenset[int]


def load_signers(principal: Principal, device_ids: Iterable[str]) -> dict[str, Signer]:
    """The named devices of the caller's organisation, in one query (two with relayed ones).

    A device of another organisation is left out, so it reads as unknown: nobody learns from a
    push whether a device id exists elsewhere."""
    wanted = set(device_ids)
    if not wanted:
        return {}
    if wanted == {principal.device_id} and principal.device_public_key is not None:
        # The usual push: only the caller's own device, which the guard has just read with
        # the token and found live (tests/sync: equal to the looked-up signer).
        return {principal.device_id: own_signer(principal, principal.device_public_key)}
    rows = db.session.execute(
        db.select(Device.id, Device.signing_public_key, Device.revoked_at, Device.user_id,
                  User.role, User.revoked_at.label("user_revoked_at"))
        .join(User, User.id == Device.user_id)
        .where(Device.id.in_(wanted), User.organisation_id == principal.organisation_id)
    ).all()
    own_teams = frozenset(principal.teams.values())
    others = {r.user_id for r in rows if r.user_id != principal.user_id}
    memberships: dict[str, set[int]] = {user_id: set() for user_id in others}
    if others:
        for user_id, team_pk in db.session.execute(
            db.select(Membership.user_id, Membership.team_id)
            .where(Membership.user_id.in_(others))
        ):
            memberships[user_id].add(team_pk)
    return {
        r.id: Signer(
            device_id=r.id, user_id=r.user_id, role=r.role,
            revoked=r.revoked_at is not None or r.user_revoked_at is not None,
            public_key=crypto.load_public_key(r.signing_public_key),
            teams=own_teams if r.user_id == principal.user_id
            else frozenset(memberships[r.user_id]),
        )
        for r in rows
    }


def own_signer(principal: Principal, public_key: str) -> Signer:
    """The caller's own device as a signer, from what the guard read with the token."""
    return Signer(device_id=principal.device_id, user_id=principal.user_id,
                  role=principal.role, revoked=False,
                  public_key=crypto.load_public_key(public_key),
                  teams=frozenset(principal.teams.values()))


def check_signer(principal: Principal, env: dict[str, Any], signer: Signer) -> RecordProblem | None:
    """Why the named device may not have written ``env``, or None.

    For the caller's own device every check passes but the role's: the guard already refused a
    revoked device or user, and the caller's teams were checked before."""
    relayed = env["device_id"] != principal.device_id
    if signer.revoked:
        return SignerRevoked()
    if principal.teams[env["team_id"]] not in signer.teams:
        return AuthorNotTeamMember()
    roles = WRITER_ROLES.get(env["type"])
    if roles is not None and signer.role not in roles:
        return (AuthorRoleMayNotWrite if relayed else RoleMayNotWrite)(env["type"], roles)
    return None
