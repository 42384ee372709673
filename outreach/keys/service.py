"""Team key versions, grants and the recovery key (PROTOCOL §1). The server holds only public
keys and ciphertexts sealed to members' public keys; it cannot open any of them."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from outreach import crypto
from outreach.audit import service as audit
from outreach.auth.models import User
from outreach.auth.principal import Principal
from outreach.errors import Conflict, Forbidden, ValidationProblem
from outreach.extensions import db
from outreach.keys.models import KeyGrant, RecoveryGrant, RecoveryKey, TeamKey
from outreach.schema_fields import recovery_kid as recovery_key_id
from outreach.schema_fields import team_kid
from outreach.teams.models import Membership, Team
from outreach.teams.service import supervised_team

# An HPKE-sealed PKCS#8 P-256 key: enc (65) + PKCS#8 (67 without the public key, 138 with it,
# as WebCrypto and `cryptography` write it) + tag (16). Anything else is not a grant.
MIN_GRANT_BYTES = 65 + 67 + 16
MAX_GRANT_BYTES = 65 + 138 + 16


def current_recovery_key(organisation_id: int) -> RecoveryKey | None:
    return db.session.execute(
        db.select(RecoveryKey)
        .where(RecoveryKey.organisation_id == organisation_id)
        .order_by(RecoveryKey.version.desc())
        .limit(1)
    ).scalar_one_or_none()


def add_recovery_key(organisation_id: int, public_key: str) -> RecoveryKey:
    _check_public_key(public_key, "public_key")
    current = current_recovery_key(organisation_id)
    key = RecoveryKey(
        organisation_id=organisation_id,
        version=(current.version + 1) if current else 1,
        public_key=public_key,
    )
    db.session.add(key)
    db.session.flush()
    audit.record("recovery_key_created", organisation_id=organisation_id,
                 target_type="recovery_key", target_id=recovery_key_id(key.version))
    return key


def current_team_key(team_id: int) -> TeamKey | None:
    return db.session.execute(
        db.select(TeamKey)
        .where(TeamKey.team_id == team_id)
        .order_by(TeamKey.version.desc())
        .limit(1)
    ).scalar_one_or_none()


def keys_document(principal: Principal) -> dict[str, Any]:
    """GET /api/v1/keys: what this user needs to read and write their teams' records."""
    user = db.session.get(User, principal.user_id)
    assert user is not None  # noqa: S101 (authenticated)
    teams: list[dict[str, Any]] = []
    for slug, team_pk in sorted(principal.teams.items()):
        rows = db.session.execute(
            db.select(TeamKey, KeyGrant.grant)
            .outerjoin(
                KeyGrant,
                (KeyGrant.team_key_id == TeamKey.id) & (KeyGrant.user_id == user.id),
            )
            .where(TeamKey.team_id == team_pk)
            .order_by(TeamKey.version)
        ).all()
        latest = rows[-1][0].version if rows else None
        for team_key, grant in rows:
            # Older versions without a grant are of no use; the latest is listed even without
            # one so a pending member still sees which key new records must use.
            if grant is None and team_key.version != latest:
                continue
            teams.append(
                {
                    "team_id": slug,
                    "version": team_key.version,
                    "kid": team_kid(slug, team_key.version),
                    "public_key": team_key.public_key,
                    "grant": crypto.b64u_encode(grant) if grant is not None else None,
                }
            )
    recovery = current_recovery_key(user.organisation_id)
    return {
        "user": {
            "public_key": user.public_key,
            "wrapped_private_key": user.wrapped_private_key,
            "iv": user.wrapped_iv,
        },
        "teams": teams,
        "recovery": (
            {"kid": recovery_key_id(recovery.version), "public_key": recovery.public_key}
            if recovery
            else None
        ),
    }


def set_user_key(principal: Principal, public_key: str, wrapped: bytes, iv: bytes) -> None:
    """The client creates its key pair at first login and uploads it wrapped, once."""
    user = db.session.get(User, principal.user_id)
    assert user is not None  # noqa: S101 (authenticated)
    if user.public_key is not None:
        raise Conflict("This user already has a key pair.")
    _check_public_key(public_key, "public_key")
    if len(iv) != 12:
        raise ValidationProblem(errors={"iv": ["Must decode to 12 bytes."]})
    user.public_key = public_key
    user.wrapped_private_key = crypto.b64u_encode(wrapped)
    user.wrapped_iv = crypto.b64u_encode(iv)
    db.session.flush()


def _team_for_manager(principal: Principal, slug: str) -> Team:
    """Members' list: the team's supervisors, and admins of its organisation."""
    return supervised_team(principal, slug, "Only the team's supervisors manage its keys.")


def _team_for_key_writer(principal: Principal, slug: str) -> Team:
    """Rotations and grants: only a supervisor who is a member of the team. An admin is in no
    team; a key version of their making would open every record sealed to it afterwards
    ("an admin cannot read content", docs/threat-model.md)."""
    team = supervised_team(principal, slug, "Only the team's supervisors manage its keys.")
    if principal.role != "supervisor" or slug not in principal.teams:
        raise Forbidden("Only the team's own supervisors write its keys.")
    return team


def _check_public_key(public_key: str, field: str) -> None:
    try:
        crypto.load_public_key(public_key)
    except crypto.CryptoError as exc:
        raise ValidationProblem(errors={field: ["Not an uncompressed P-256 public key."]}) from exc


def _member_ids(team: Team) -> set[str]:
    return set(
        db.session.execute(
            db.select(Membership.user_id).where(Membership.team_id == team.id)
        ).scalars()
    )


def _write_grants(
    team: Team, team_key: TeamKey, grants: Mapping[str, bytes], actor_id: str | None
) -> int:
    members = _member_ids(team)
    errors: dict[str, list[str]] = {}
    for user_id, grant in grants.items():
        if user_id not in members:
            errors[f"grants.{user_id}"] = ["Not a member of this team."]
        elif not MIN_GRANT_BYTES <= len(grant) <= MAX_GRANT_BYTES:
            errors[f"grants.{user_id}"] = ["Not a plausible grant."]
    if errors:
        raise ValidationProblem(errors=errors)
    existing = set(
        db.session.execute(
            db.select(KeyGrant.user_id).where(KeyGrant.team_key_id == team_key.id)
        ).scalars()
    )
    written = 0
    for user_id, grant in grants.items():
        if user_id in existing:
            continue  # a grant, once written, is not replaced: retries are harmless
        db.session.add(
            KeyGrant(team_key_id=team_key.id, user_id=user_id, grant=grant, created_by=actor_id)
        )
        written += 1
        audit.record("key_granted", actor_id=actor_id, organisation_id=team.organisation_id,
                     target_type="user", target_id=user_id,
                     kid=team_kid(team.slug, team_key.version))
    db.session.flush()
    return written


def create_team_key(
    team: Team,
    *,
    version: int,
    public_key: str,
    grants: Mapping[str, bytes],
    recovery_grant: bytes,
    recovery_kid: str,
    actor_id: str | None = None,
    device_id: str | None = None,
) -> TeamKey:
    """A new team key version, granted to members and to the recovery key in one step."""
    _check_public_key(public_key, "public_key")
    current = current_team_key(team.id)
    expected = (current.version + 1) if current else 1
    if version != expected:
        raise Conflict(f"The next version of this team's key is {expected}.")
    recovery = current_recovery_key(team.organisation_id)
    if recovery is None or recovery_kid != recovery_key_id(recovery.version):
        raise ValidationProblem(errors={"recovery_grant.kid": ["Not the current recovery key."]})
    if not MIN_GRANT_BYTES <= len(recovery_grant) <= MAX_GRANT_BYTES:
        raise ValidationProblem(errors={"recovery_grant.grant": ["Not a plausible grant."]})
    team_key = TeamKey(team_id=team.id, version=version, public_key=public_key,
                       created_by=actor_id)
    db.session.add(team_key)
    db.session.flush()
    db.session.add(
        RecoveryGrant(team_key_id=team_key.id, recovery_key_id=recovery.id, grant=recovery_grant)
    )
    _write_grants(team, team_key, grants, actor_id)
    audit.record("team_key_rotated", actor_id=actor_id, device_id=device_id,
                 organisation_id=team.organisation_id, target_type="team", target_id=team.slug,
                 version=version, grants=len(grants))
    return team_key


def rotate_team_key(principal: Principal, slug: str, body: Mapping[str, Any]) -> TeamKey:
    team = _team_for_key_writer(principal, slug)
    return create_team_key(
        team,
        version=body["version"],
        public_key=body["public_key"],
        grants={g["user_id"]: g["grant"] for g in body.get("grants", [])},
        recovery_grant=body["recovery_grant"]["grant"],
        recovery_kid=body["recovery_grant"]["kid"],
        actor_id=principal.user_id,
        device_id=principal.device_id,
    )


def add_grants(principal: Principal, slug: str, version: int, grants: Mapping[str, bytes]) -> int:
    team = _team_for_key_writer(principal, slug)
    team_key = db.session.execute(
        db.select(TeamKey).where(TeamKey.team_id == team.id, TeamKey.version == version)
    ).scalar_one_or_none()
    if team_key is None:
        raise ValidationProblem(errors={"version": ["No such key version for this team."]})
    return _write_grants(team, team_key, grants, principal.user_id)


def members_document(principal: Principal, slug: str) -> dict[str, Any]:
    """Members with their public keys and whether they hold the current key (else pending)."""
    team = _team_for_manager(principal, slug)
    current = current_team_key(team.id)
    granted: set[str] = set()
    if current is not None:
        granted = set(
            db.session.execute(
                db.select(KeyGrant.user_id).where(KeyGrant.team_key_id == current.id)
            ).scalars()
        )
    users = db.session.execute(
        db.select(User)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.team_id == team.id)
        .order_by(User.username)
    ).scalars()
    return {
        "team_id": team.slug,
        "current_version": current.version if current else None,
        "members": [
            {
                "user_id": u.id,
                "username": u.username,
                "role": u.role,
                "public_key": u.public_key,
                "pending": u.id not in granted,
                "revoked": u.revoked_at is not None,
            }
            for u in users
        ],
    }
