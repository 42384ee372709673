"""One-time enrolment codes: an admin invites, the new user sets their passphrase on their own
phone. The admin never chooses or sees it; the code works once, and not after it expires."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import CursorResult, update

from outreach.admin.models import Enrolment
from outreach.admin.scope import Scope
from outreach.audit import service as audit
from outreach.auth import service as auth
from outreach.errors import Problem, ValidationProblem
from outreach.extensions import db
from outreach.teams import service as teams
from outreach.teams.models import Organisation

# Crockford's base32: no I, L, O, U, so a code read aloud or typed from paper is not misread.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
GROUPS, GROUP = 4, 4  # 16 characters, 80 bits: unguessable within the rate limit and expiry


class EnrolmentInvalid(Problem):
    # One answer for unknown, used and expired codes: a guesser learns nothing from it.
    status = 404
    type = "/problems/enrolment-invalid"
    title = _l("This enrolment code is not valid (unknown, used or expired)")


def new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(GROUPS * GROUP))
    return "-".join(raw[i:i + GROUP] for i in range(0, len(raw), GROUP))


def normalise_code(code: str) -> str:
    cleaned = code.upper().replace("-", "").replace(" ", "")
    return cleaned.replace("O", "0").replace("I", "1").replace("L", "1")


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode()).hexdigest()


def document(enrolment: Enrolment, code: str | None = None) -> dict[str, Any]:
    body = {"id": enrolment.id, "username": enrolment.username,
            "display_name": enrolment.display_name, "role": enrolment.role,
            "teams": list(enrolment.team_slugs), "created_at": enrolment.created_at,
            "expires_at": enrolment.expires_at, "used_at": enrolment.used_at}
    if code is not None:
        body["code"] = code
    return body


def create(scope: Scope, body: dict[str, Any], *, actor_id: str) -> dict[str, Any]:
    if auth.find_user(body["username"]) is not None:
        raise ValidationProblem(errors={"username": ["This username is taken."]})
    for slug in body["teams"]:
        team = teams.get_team(slug)
        if team is None or team.organisation_id != scope.organisation_id:
            raise ValidationProblem(errors={"teams": [f"No team {slug}."]})
    code = new_code()
    now = datetime.now(UTC)
    enrolment = Enrolment(
        id=str(uuid.uuid4()), organisation_id=scope.organisation_id, code_hash=code_hash(code),
        username=auth.normalise_username(body["username"]), display_name=body["display_name"],
        role=body["role"], team_slugs=sorted(set(body["teams"])), created_by=actor_id,
        created_at=now, expires_at=now + timedelta(hours=body["hours"]))
    db.session.add(enrolment)
    db.session.flush()
    audit.record("enrolment_created", actor_id=actor_id, organisation_id=scope.organisation_id,
                 target_type="enrolment", target_id=enrolment.id, role=body["role"],
                 hours=body["hours"])
    return document(enrolment, code)


def pending(scope: Scope) -> list[dict[str, Any]]:
    rows = db.session.execute(
        db.select(Enrolment).where(Enrolment.organisation_id == scope.organisation_id,
                                   Enrolment.used_at.is_(None),
                                   Enrolment.expires_at > datetime.now(UTC))
        .order_by(Enrolment.created_at.desc())).scalars()
    return [document(row) for row in rows]


def _valid(code: str) -> Enrolment:
    enrolment = db.session.execute(
        db.select(Enrolment).where(Enrolment.code_hash == code_hash(code))).scalar_one_or_none()
    if enrolment is None or enrolment.used_at is not None \
            or enrolment.expires_at <= datetime.now(UTC):
        audit.record("enrolment_refused", target_type="enrolment",
                     target_id=enrolment.id if enrolment else None,
                     organisation_id=enrolment.organisation_id if enrolment else None,
                     outcome="unknown" if enrolment is None else
                     "used" if enrolment.used_at else "expired")
        raise EnrolmentInvalid()
    return enrolment


def preview(code: str) -> dict[str, Any]:
    """What the phone shows before the passphrase is chosen: who is joining what."""
    enrolment = _valid(code)
    org = db.session.get(Organisation, enrolment.organisation_id)
    return {"username": enrolment.username, "display_name": enrolment.display_name,
            "role": enrolment.role, "organisation": org.name if org else "",
            "expires_at": enrolment.expires_at,
            # The phone stretches the new passphrase with at least the server's count.
            "iterations": current_app.config["OUTREACH"].kdf_iterations}


def enrol(body: dict[str, Any]) -> auth.TokenPair:
    """Spend the code (exactly once, even when two phones race with it) and create the user
    from what their phone derived."""
    enrolment = _valid(body["code"])
    now = datetime.now(UTC)
    spent = db.session.execute(
        update(Enrolment).where(Enrolment.id == enrolment.id, Enrolment.used_at.is_(None))
        .values(used_at=now).execution_options(synchronize_session=False))
    if cast(CursorResult[Any], spent).rowcount != 1:
        raise EnrolmentInvalid()
    user = auth.add_enrolled_user(
        organisation_id=enrolment.organisation_id, username=enrolment.username,
        role=enrolment.role, display_name=enrolment.display_name,
        kdf_salt=body["kdf"]["salt"], kdf_iterations=body["kdf"]["iterations"],
        auth_key=body["auth_key"], public_key=body["public_key"],
        wrapped_private_key=body["wrapped_private_key"], wrapped_iv=body["iv"])
    db.session.execute(update(Enrolment).where(Enrolment.id == enrolment.id)
                       .values(user_id=user.id).execution_options(synchronize_session=False))
    for slug in enrolment.team_slugs:
        team = teams.get_team(slug)
        if team is not None:
            # Pending until a supervisor's phone grants the team key, as for any new member.
            teams.add_member(team, user, actor_id=enrolment.created_by)
    audit.record("enrolment_used", actor_id=user.id, organisation_id=enrolment.organisation_id,
                 target_type="enrolment", target_id=enrolment.id)
    return auth.first_login(user, body["device"]["name"], body["device"]["signing_public_key"])
