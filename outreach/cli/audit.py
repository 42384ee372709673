"""`audit show`: the audit log readable without SQL (ids, actions and outcomes; never content)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import click
from flask.cli import AppGroup

from outreach.extensions import db

_RELATIVE = re.compile(r"^(\d+)([mhdw])$")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_since(value: str, now: datetime | None = None) -> datetime:
    """``30m``, ``12h``, ``7d``, ``2w`` ago, or an ISO date/time (UTC unless it says)."""
    now = now or datetime.now(UTC)
    match = _RELATIVE.fullmatch(value.strip())
    if match:
        return now - timedelta(**{_UNITS[match[2]]: int(match[1])})
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise click.BadParameter("use e.g. 30m, 12h, 7d, 2w or 2026-11-30T08:00",
                                 param_hint="--since") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@click.group("audit", cls=AppGroup)
def audit_group() -> None:
    """Read the audit log."""


@audit_group.command("show")
@click.option("--since", default="1d", show_default=True,
              help="How far back: 30m, 12h, 7d, 2w or an ISO date/time.")
@click.option("--action", "actions", multiple=True, help="Only these actions (repeatable).")
@click.option("--user", "username", help="Only events by this user.")
def audit_show(since: str, actions: tuple[str, ...], username: str | None) -> None:
    """Print audit events, oldest first: time, action, outcome, actor, device, target, details."""
    from outreach.audit.models import AuditEvent
    from outreach.auth.models import User
    from outreach.auth.service import normalise_username

    query = (db.select(AuditEvent, User.username)
             .outerjoin(User, User.id == AuditEvent.actor_id)
             .where(AuditEvent.at >= parse_since(since))
             .order_by(AuditEvent.at, AuditEvent.id))
    if actions:
        query = query.where(AuditEvent.action.in_(actions))
    if username:
        query = query.where(User.username == normalise_username(username))
    for event, actor in db.session.execute(query):
        target = f"{event.target_type}:{event.target_id}" if event.target_type else "-"
        details = "" if event.details in ("{}", "", None) else f" {event.details}"
        click.echo(f"{event.at.isoformat(timespec='seconds')} {event.action} {event.outcome} "
                   f"actor={actor or '-'} device={event.device_id or '-'} {target}{details}")
