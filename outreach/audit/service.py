from __future__ import annotations

import json
from typing import Any, cast

from sqlalchemy import Table

from outreach.audit.models import AuditEvent
from outreach.bulk_insert import BulkInsert
from outreach.extensions import db
from outreach.models_base import utcnow

ACTIONS = frozenset(
    {
        "login", "login_failed", "logout", "refresh", "token_reuse",
        "device_registered", "device_revoked", "user_revoked", "user_added",
        "team_added", "member_added", "member_removed", "area_added",
        "team_key_rotated", "key_granted", "recovery_key_created",
        "export", "erasure", "relay", "org_initialised", "demo_loaded", "report_viewed",
        "figures_published", "backup", "restore", "sync_generation_renewed", "team_regranted",
        # Administration from the app (outreach/admin) and what devices report doing offline.
        "pull", "paper_issued", "audit_read", "audit_exported", "role_changed",
        "user_deactivated", "enrolment_created", "enrolment_used", "enrolment_refused",
        "household_erased", "access_export", "outbox_export", "access_requested",
        "access_approved", "access_refused", "access_read", "access_expired",
        "envelopes_resealed", "presence_changed",
    }
)


def record(
    action: str,
    *,
    actor_id: str | None = None,
    device_id: str | None = None,
    organisation_id: int | None = None,
    team_id: int | None = None,
    target_type: str | None = None,
    target_id: str | None = None,
    outcome: str = "ok",
    **details: Any,
) -> AuditEvent:
    """Add an audit event to the current transaction; the caller commits."""
    event = AuditEvent(**_values(action, actor_id, device_id, organisation_id, team_id,
                                 target_type, target_id, outcome, details))
    db.session.add(event)
    return event


def write(
    action: str,
    *,
    actor_id: str | None = None,
    device_id: str | None = None,
    organisation_id: int | None = None,
    **details: Any,
) -> None:
    """As ``record``, written into the current transaction at once with a Core insert: on the
    sync path an ORM object and its flush cost more than the row (docs/performance.md)."""
    _INSERT.execute(db.session.connection(), [_values(
        action, actor_id, device_id, organisation_id, None, None, None, "ok", details)])


_INSERT = BulkInsert(cast(Table, AuditEvent.__table__))


def _values(action: str, actor_id: str | None, device_id: str | None,
            organisation_id: int | None, team_id: int | None, target_type: str | None,
            target_id: str | None, outcome: str, details: dict[str, Any]) -> dict[str, Any]:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    return {"action": action, "actor_id": actor_id, "device_id": device_id,
            "organisation_id": organisation_id, "team_id": team_id,
            "target_type": target_type, "target_id": target_id, "outcome": outcome,
            "at": utcnow(), "details": json.dumps(details, sort_keys=True, default=str)}
