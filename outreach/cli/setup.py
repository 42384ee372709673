"""`init` (organisation + paper recovery key) and `demo` (a living demo organisation)."""

from __future__ import annotations

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from outreach import crypto
from outreach.demo.seed import load_demo
from outreach.extensions import db
from outreach.keys import service as keys
from outreach.paper.recovery_sheet import recovery_sheet_pdf
from outreach.teams import service as teams


@click.command("init")
@click.option("--slug", required=True, help="Short id of the organisation, e.g. 'roma-east'.")
@click.option("--name", required=True, help="The organisation's name.")
@click.option("--locale", default="en", show_default=True, help="Default interface language.")
@click.option("--phone", help="How households reach the organisation; printed on plans.")
@click.option("--email", help="The organisation's contact address; printed on plans.")
@click.option(
    "--recovery-key-file",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="Where to write the recovery private key. Move it offline; the server never keeps it.",
)
@click.option(
    "--recovery-sheet",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the printable recovery sheet (PDF); default: beside the key file.",
)
@with_appcontext
def init_command(slug: str, name: str, locale: str, phone: str | None, email: str | None,
                 recovery_key_file: Path, recovery_sheet: Path | None) -> None:
    """Create the organisation and its recovery key (printed as words; only the public half is
    stored on the server)."""
    if teams.get_organisation() is not None:
        raise click.ClickException("This database already has an organisation.")
    if recovery_key_file.exists():
        raise click.ClickException(f"{recovery_key_file} exists; refusing to overwrite a key.")
    org = teams.create_organisation(slug, name, locale, contact_phone=phone, contact_email=email)
    private = crypto.generate_private_key()
    write_secret_file(recovery_key_file, crypto.private_key_to_pem(private))
    keys.add_recovery_key(org.id, crypto.public_key_to_b64u(private.public_key()))
    db.session.commit()
    words = crypto.recovery_key_to_words(private)
    sheet = recovery_sheet or recovery_key_file.with_suffix(".pdf")
    write_secret_file(sheet, recovery_sheet_pdf(
        name, words, crypto.public_key_to_b64u(private.public_key())))
    click.echo(f"Organisation {slug!r} created.")
    click.echo(f"Recovery key written to {recovery_key_file} and, to print, {sheet} (mode 600).")
    click.echo("Write these 24 words on paper and keep them in a safe; with them every record")
    click.echo("can be recovered even if every passphrase is lost:")
    for start in range(0, len(words), 6):
        click.echo("  " + " ".join(f"{n + 1:>2}.{w}" for n, w in
                                   enumerate(words[start:start + 6], start)))


@click.command("secret-key")
@with_appcontext
def secret_key_command() -> None:
    """Generate the server's secret key into the instance directory (once; mode 600)."""
    import secrets

    from outreach.config import SECRET_KEY_FILE

    path = Path(current_app.instance_path) / SECRET_KEY_FILE
    if path.exists():
        click.echo(f"{path} exists; keeping it (replacing it would log every device out).")
        return
    write_secret_file(path, (secrets.token_urlsafe(32) + "\n").encode())
    click.echo(f"Secret key written to {path} (mode 600).")


@click.command("demo")
@click.option("--households", default=18, show_default=True, help="Households per team.")
@click.option("--if-empty", is_flag=True, help="Do nothing when an organisation exists.")
@with_appcontext
def demo_command(households: int, if_empty: bool) -> None:
    """Load the demo organisation: teams east and west, five users, encrypted records."""
    instance = Path(current_app.instance_path)
    credentials = instance / "demo-credentials.txt"
    if teams.get_organisation() is not None:
        if not if_empty:
            raise click.ClickException("This database already has an organisation.")
        _print_logins(credentials)
        return
    passphrase = os.environ.get("OUTREACH_DEMO_PASSPHRASE") or _new_passphrase()
    result = load_demo(passphrase, households_per_team=households,
                       area_minimum=current_app.config["OUTREACH"].area_min_households)
    write_secret_file(instance / "demo-recovery-key.pem", result.recovery_key_pem)
    db.session.commit()
    for line in result.rejected:
        click.echo(f"rejected: {line}", err=True)
    lines = [f"{name}  {passphrase}" for name in result.usernames]
    write_secret_file(credentials, ("\n".join(lines) + "\n").encode())
    click.echo(f"Demo organisation loaded with {result.records} encrypted records.")
    # Say it: this file opens every record of the demo. A real organisation's recovery key is
    # made by `init` and kept offline, never beside the database.
    click.echo(f"The demo's recovery PRIVATE key is in {instance / 'demo-recovery-key.pem'} "
               "(owner-only): it opens every demo record. Never use the demo for real cases.")
    _print_logins(credentials)


def _print_logins(credentials: Path) -> None:
    if not credentials.exists():
        click.echo("Demo logins: see OUTREACH_DEMO_PASSPHRASE.")
        return
    click.echo("Demo logins (username  passphrase):")
    for line in credentials.read_text().splitlines():
        click.echo(f"  {line}")


def _new_passphrase() -> str:
    # Demo only: four random words (44 bits) are easy to type on a phone.
    return "-".join(crypto.random_words(4))


def write_secret_file(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(content)


@click.group("forms", cls=AppGroup)
def forms_group() -> None:
    """Form definitions."""


@forms_group.command("publish")
def forms_publish() -> None:
    """Record new form versions; refuse edited ones (run on every deployment)."""
    from outreach.forms.publish import PublishedFormChanged, publish_forms
    from outreach.forms.registry import load_registry

    try:
        added = publish_forms(load_registry())
    except PublishedFormChanged as exc:
        raise click.ClickException(str(exc)) from exc
    db.session.commit()
    click.echo(f"Published: {', '.join(added)}" if added else "Form definitions up to date.")
