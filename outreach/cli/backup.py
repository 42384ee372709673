"""`backup --out FILE` and `restore FILE`: the whole database, consistent under traffic, audited."""

from __future__ import annotations

from pathlib import Path

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from outreach.audit import service as audit
from outreach.backup import service
from outreach.extensions import db
from outreach.sync.order import renew_generation


def _url() -> str:
    return str(current_app.config["OUTREACH"].database_url)


@click.command("backup")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="The backup file to write (a manifest is written beside it).")
@with_appcontext
def backup_command(out: Path) -> None:
    """Back up the database while the server runs (SQLite online backup API or pg_dump)."""
    try:
        info = service.backup(_url(), out)
    except service.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    audit.record("backup", target_type="backup", target_id=info.sha256[:16],
                 envelopes=info.envelopes, revision=info.revision, size=info.size)
    db.session.commit()
    click.echo(f"Backup written to {info.path} ({info.size} bytes, {info.envelopes} records, "
               f"sha256 {info.sha256}).")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Replace the database without asking.")
@with_appcontext
def restore_command(file: Path, yes: bool) -> None:
    """Replace the whole database with a backup. Stop the app servers first; run
    `db upgrade` after when the backup is older than the code."""
    try:
        manifest = service.verify(file, _url())
    except service.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    if not yes:
        click.confirm(f"Replace the whole database with the backup of {manifest['taken_at']} "
                      f"({manifest['envelopes']} records)? Everything written since is lost",
                      abort=True)
    # Our own connections must not hold the database while it is replaced under them.
    db.session.remove()
    db.engine.dispose()
    try:
        service.restore(file, _url())
    except service.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    audit.record("restore", target_type="backup", target_id=str(manifest["sha256"])[:16],
                 taken_at=manifest["taken_at"], revision=manifest["revision"])
    # Devices hold cursors into the database as it was before the restore: a new generation
    # sends every one back to the start (412), and each re-pushes what the backup lacks. A
    # backup older than the generation gets a fresh one from `db upgrade`.
    if sa.inspect(db.engine).has_table("sync_state"):
        renew_generation()
    db.session.commit()
    click.echo(f"Restored the backup of {manifest['taken_at']} ({manifest['envelopes']} records).")
