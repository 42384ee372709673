"""Team key versions, grants and the recovery key (PROTOCOL §1). The server holds only public
keys and ciphertexts sealed to members' public keys; it cannot open any of them."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
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
        signers = _signer_names({team_key.created_by for team_key, _ in rows
                                 if team_key.signature is not None})
        for team_key, grant in rows:
            # Every version is listed, with or without a grant for this user: a phone walks
            # the chain of statements from the version it trusts (docs/protocol.md).
            teams.append(
                {
                    "team_id": slug,
                    "version": team_key.version,
                    "kid": team_kid(slug, team_key.version),
                    "public_key": team_key.public_key,
                    "grant": crypto.b64u_encode(grant) if grant is not None else None,
                    "statement": json.loads(team_key.statement) if team_key.statement else None,
                    "signature": team_key.signature,
                    "rotated_by": signers.get(team_key.created_by or ""),
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


def _signer_names(user_ids: set[str | None]) -> dict[str, str]:
    ids = {i for i in user_ids if i}
    if not ids:
        return {}
    return {u.id: u.display_name or u.username for u in db.session.execute(
        db.select(User).where(User.id.in_(ids))).scalars()}


def statement_of(team_key: TeamKey) -> dict[str, Any] | None:
    return json.loads(team_key.statement) if team_key.statement else None


def supervisor_keys(team: Team) -> list[str]:
    """User public keys of the team's supervisors today: who may sign its next key version."""
    return sorted(set(db.session.execute(
        db.select(User.public_key)
        .join(Membership, Membership.user_id == User.id)
        .where(Membership.team_id == team.id, User.role == "supervisor",
               User.revoked_at.is_(None), User.public_key.is_not(None))
    ).scalars()))


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
    team: Team,
    team_key: TeamKey,
    grants: Mapping[str, bytes],
    actor_id: str | None,
    signatures: Mapping[str, bytes] | None = None,
    signer_public_key: str | None = None,
) -> int:
    """Store grants; with ``signatures`` (the API), each must be the signer's over
    ``crypto.grant_statement`` for that member's public key (issue 9)."""
    members = _member_ids(team)
    member_keys = {
        row.id: row.public_key for row in db.session.execute(
            db.select(User.id, User.public_key).where(User.id.in_(list(grants))))
    } if signatures is not None else {}
    errors: dict[str, list[str]] = {}
    for user_id, grant in grants.items():
        if user_id not in members:
            errors[f"grants.{user_id}"] = ["Not a member of this team."]
        elif not MIN_GRANT_BYTES <= len(grant) <= MAX_GRANT_BYTES:
            errors[f"grants.{user_id}"] = ["Not a plausible grant."]
        elif signatures is not None:
            member_key = member_keys.get(user_id)
            if member_key is None or signer_public_key is None:
                errors[f"grants.{user_id}"] = ["This member has no key yet."]
                continue
            statement = crypto.grant_statement(team_id=team.slug, version=team_key.version,
                                               user_id=user_id, user_public_key=member_key,
                                               grant=grant)
            try:
                crypto.verify_statement(statement, crypto.b64u_encode(signatures[user_id]),
                                        signer_public_key)
            except crypto.CryptoError:
                errors[f"grants.{user_id}.signature"] = ["The signature does not verify."]
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
        signature = signatures.get(user_id) if signatures is not None else None
        db.session.add(
            KeyGrant(team_key_id=team_key.id, user_id=user_id, grant=grant, created_by=actor_id,
                     signature=crypto.b64u_encode(signature) if signature else None)
        )
        written += 1
        audit.record("key_granted", actor_id=actor_id, organisation_id=team.organisation_id,
                     team_id=team.id, target_type="user", target_id=user_id,
                     kid=team_kid(team.slug, team_key.version))
    db.session.flush()
    return written


@dataclass(frozen=True)
class SignedVersion:
    """What a supervisor's phone signed for a new version (docs/protocol.md)."""

    previous: str | None
    supervisors: list[str]
    signature: bytes
    signer_public_key: str
    grant_signatures: Mapping[str, bytes]


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
    signed: SignedVersion | None = None,
) -> TeamKey:
    """A new team key version, granted to members and to the recovery key in one step.

    ``signed`` is required from the API: the statement must chain to the current version and
    be signed by a supervisor that version names. Without it (CLI, demo) the server writes an
    unsigned statement, which phones trust only on first sight."""
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
    before = statement_of(current) if current is not None else None
    previous = crypto.statement_hash(before) if before is not None else None
    if signed is None:
        supervisors, signer = supervisor_keys(team), None
    else:
        _check_chain(team, before, previous, signed)
        supervisors, signer = signed.supervisors, signed.signer_public_key
    statement = crypto.team_key_statement(
        team_id=team.slug, version=version, public_key=public_key, previous=previous,
        recovery_kid=recovery_kid, recovery_public_key=recovery.public_key,
        supervisors=supervisors, signer=signer)
    signature = None
    if signed is not None:
        signature = crypto.b64u_encode(signed.signature)
        try:
            crypto.verify_statement(statement, signature, signed.signer_public_key)
        except crypto.CryptoError as exc:
            raise ValidationProblem(
                errors={"signature": ["Not your signature over this version's statement."]}
            ) from exc
    team_key = TeamKey(team_id=team.id, version=version, public_key=public_key,
                       statement=crypto.canonical_json(statement).decode(),
                       signature=signature, created_by=actor_id)
    db.session.add(team_key)
    db.session.flush()
    db.session.add(
        RecoveryGrant(team_key_id=team_key.id, recovery_key_id=recovery.id, grant=recovery_grant)
    )
    _write_grants(team, team_key, grants, actor_id,
                  signed.grant_signatures if signed is not None else None,
                  signed.signer_public_key if signed is not None else None)
    audit.record("team_key_rotated", actor_id=actor_id, device_id=device_id,
                 organisation_id=team.organisation_id, team_id=team.id, target_type="team",
                 target_id=team.slug, version=version, grants=len(grants),
                 signed=signed is not None)
    return team_key


def _check_chain(team: Team, before: dict[str, Any] | None, previous: str | None,
                 signed: SignedVersion) -> None:
    """The same rules a phone applies (static/pwa/src/crypto/chain.js), checked here too so a
    rotation phones would refuse is refused at once with a reason."""
    if signed.previous != previous:
        raise Conflict("The team key changed since your phone last fetched it.")
    if before is not None and signed.signer_public_key not in before.get("supervisors", []):
        raise Forbidden("The current team key version does not name you as a supervisor who "
                        "may sign the next one.")
    allowed = set(supervisor_keys(team))
    if any(key not in allowed for key in signed.supervisors):
        raise ValidationProblem(errors={"supervisors": ["Not a supervisor of this team."]})


def rotate_team_key(principal: Principal, slug: str, body: Mapping[str, Any]) -> TeamKey:
    team = _team_for_key_writer(principal, slug)
    grants = body.get("grants", [])
    return create_team_key(
        team,
        version=body["version"],
        public_key=body["public_key"],
        grants={g["user_id"]: g["grant"] for g in grants},
        recovery_grant=body["recovery_grant"]["grant"],
        recovery_kid=body["recovery_grant"]["kid"],
        actor_id=principal.user_id,
        device_id=principal.device_id,
        signed=SignedVersion(
            previous=crypto.b64u_encode(body["previous"]) if body["previous"] is not None
            else None,
            supervisors=list(body["supervisors"]),
            signature=body["signature"],
            signer_public_key=_own_public_key(principal),
            grant_signatures={g["user_id"]: g["signature"] for g in grants},
        ),
    )


def _own_public_key(principal: Principal) -> str:
    user = db.session.get(User, principal.user_id)
    if user is None or user.public_key is None:
        raise ValidationProblem(errors={"signature": ["Your user key is not set up yet."]})
    return user.public_key


def add_grants(principal: Principal, slug: str, version: int, grants: Mapping[str, bytes],
               signatures: Mapping[str, bytes]) -> int:
    team = _team_for_key_writer(principal, slug)
    team_key = db.session.execute(
        db.select(TeamKey).where(TeamKey.team_id == team.id, TeamKey.version == version)
    ).scalar_one_or_none()
    if team_key is None:
        raise ValidationProblem(errors={"version": ["No such key version for this team."]})
    return _write_grants(team, team_key, grants, principal.user_id, signatures,
                         _own_public_key(principal))


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
