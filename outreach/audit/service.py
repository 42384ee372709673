from __future__ import annotations

import json
from typing import Any

from outreach.audit.models import AuditEvent
from outreach.extensions import db

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
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    event = AuditEvent(
        action=action,
        actor_id=actor_id,
        device_id=device_id,
        organisation_id=organisation_id,
        team_id=team_id,
        target_type=target_type,
        target_id=target_id,
        outcome=outcome,
        details=json.dumps(details, sort_keys=True, default=str),
    )
    db.session.add(event)
    return event
