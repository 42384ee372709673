"""`export` (audited, still encrypted) and `recover` (offline, with the paper recovery key)."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask.cli import with_appcontext

from outreach import crypto
from outreach.extensions import db


@click.command("export")
@click.option("--team", "team_slug", help="Only this team's envelopes.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              required=True, help="The export file (JSON Lines, still encrypted).")
@with_appcontext
def export_command(team_slug: str | None, out_path: Path) -> None:
    """Export envelopes exactly as stored. Nothing is decrypted; the export is audited."""
    from outreach.recovery.service import export_envelopes

    # Still encrypted, but the organisation's whole record: readable by its owner only.
    with os.fdopen(os.open(out_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
        count = export_envelopes(out, team_slug=team_slug)
    db.session.commit()
    click.echo(f"Exported {count} envelopes to {out_path}.")


@click.command("recover")
@click.option("--export", "export_path", type=click.Path(exists=True, dir_okay=False,
              path_type=Path), required=True)
@click.option("--key-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The recovery key PEM written by `init`.")
@click.option("--words", help="The 24 recovery words, instead of the key file.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              required=True, help="An empty folder for the decrypted records.")
def recover_command(export_path: Path, key_file: Path | None, words: str | None,
                    out_dir: Path) -> None:
    """Decrypt an export offline with the organisation recovery key (no server, no database).

    The output folder holds case content in the clear: use an encrypted disk, and delete it
    when the recovery is done."""
    from outreach.recovery.service import ExportFormatError, recover_export

    if (key_file is None) == (words is None):
        raise click.ClickException("Give exactly one of --key-file and --words.")
    try:
        key = (crypto.load_private_key_pem(key_file.read_bytes()) if key_file
               else crypto.recovery_key_from_words(words or ""))
    except crypto.CryptoError as exc:
        raise click.ClickException(f"Not a usable recovery key: {exc}") from exc
    if out_dir.exists() and any(out_dir.iterdir()):
        raise click.ClickException(f"{out_dir} is not empty.")
    out_dir.mkdir(parents=True, exist_ok=True)
    out_dir.chmod(0o700)
    try:
        report = recover_export(export_path, key, out_dir)
    except ExportFormatError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"Recovered {report.opened} records into {out_dir}.")
    if report.skipped:
        click.echo(f"{len(report.skipped)} envelopes did not open with this key "
                   "(another recovery key version?): see recovery-report.json", err=True)


@click.command("erase")
@click.argument("record_id")
@click.option("--yes", is_flag=True, help="Confirm: this cannot be undone.")
@with_appcontext
def erase_command(record_id: str, yes: bool) -> None:
    """Erase every revision of a record (GDPR art. 17). Only its id is kept, so devices that
    were offline drop their copies and cannot bring it back. Audited."""
    from outreach.sync.erase import erase_record

    if not yes:
        raise click.ClickException("Erasure cannot be undone: add --yes to confirm.")
    removed = erase_record(record_id)
    db.session.commit()
    if not removed:
        raise click.ClickException(f"No record {record_id}.")
    click.echo(f"Erased {removed} revisions of {record_id}.")


@click.group("recovery")
def recovery_group() -> None:
    """Work with the organisation's paper recovery key."""


@recovery_group.command("regrant")
@click.option("--team", "team_slug", required=True, help="The team to re-grant.")
@click.option("--key-file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The recovery key PEM written by `init`.")
@click.option("--words", help="The 24 recovery words, instead of the key file.")
@with_appcontext
def regrant_command(team_slug: str, key_file: Path | None, words: str | None) -> None:
    """Give the team's current key to its members again, from the paper key: for a team that
    lost all its supervisors. Run on the server itself, offline; audited. The key is used in
    memory only."""
    from outreach.recovery.regrant import RegrantError, regrant_team
    from outreach.teams.service import get_team

    if (key_file is None) == (words is None):
        raise click.ClickException("Give exactly one of --key-file and --words.")
    team = get_team(team_slug)
    if team is None:
        raise click.ClickException(f"No team {team_slug!r}.")
    try:
        key = (crypto.load_private_key_pem(key_file.read_bytes()) if key_file
               else crypto.recovery_key_from_words(words or ""))
        result = regrant_team(team, key)
    except crypto.CryptoError as exc:
        raise click.ClickException(f"Not a usable recovery key: {exc}") from exc
    except RegrantError as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"{result.kid}: granted to {len(result.granted)} members"
               + (f" ({', '.join(result.granted)})" if result.granted else "") + ".")
    if result.skipped_without_key:
        click.echo("Without a key yet (they must log in once, then run this again): "
                   + ", ".join(result.skipped_without_key), err=True)
