"""`flask sync …`: the server's side of the sync order."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from outreach.extensions import db


@click.group("sync")
def sync_group() -> None:
    """The order devices pull in."""


@sync_group.command("renew-generation")
@with_appcontext
def renew_generation_command() -> None:
    """Run after restoring a backup: every device re-syncs from scratch (412) and pushes
    again what the restored database lacks. Audited."""
    from outreach.audit import service as audit
    from outreach.sync.order import renew_generation

    renew_generation()
    audit.record("sync_generation_renewed")
    db.session.commit()
    click.echo("New generation: every device will re-sync from scratch on its next sync.")
