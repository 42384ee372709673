"""`i18n extract | compile | status [--missing]`: the translation pipeline from the command
line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from outreach.i18n import LOCALES, catalogs, languages

SHIPPED = [locale for locale in LOCALES if locale != "en"]


def _directory() -> Path:
    return Path(current_app.config["BABEL_TRANSLATION_DIRECTORIES"])


@click.group("i18n")
def i18n_group() -> None:
    """Translations: one catalog for server, PDFs, form definitions and the PWA."""


@i18n_group.command("extract")
@with_appcontext
def extract_command() -> None:
    """Extract every user-facing string and update each locale's .po file."""
    template = catalogs.extract()
    written = catalogs.update(template, _directory())
    click.echo(f"{len(template)} strings; updated {', '.join(written)}.")


@i18n_group.command("compile")
@click.option("--json-dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write <locale>.json for the PWA here.")
@with_appcontext
def compile_command(json_dir: Path | None) -> None:
    """Compile .po to .mo (server, PDFs) and, with --json-dir, to JSON (PWA)."""
    counts = catalogs.compile_all(_directory(), json_dir)
    click.echo("Compiled " + ", ".join(f"{k} ({v})" for k, v in counts.items()) + ".")


@i18n_group.command("status")
@click.option("--missing", is_flag=True,
              help="Also list, per locale, every string of the current source (server, form "
                   "definitions, PWA) that is not translated yet.")
@click.option("--locale", "locales", multiple=True, type=click.Choice(SHIPPED),
              help="Only these locales (repeatable).")
@with_appcontext
def status_command(missing: bool, locales: tuple[str, ...]) -> None:
    """Completeness and review status per locale; with --missing, what is left to translate."""
    click.echo(f"{'locale':8}{'translated':>12}{'total':>8}{'%':>7}{'fuzzy':>7}  reviewed")
    for row in catalogs.status(_directory()):
        if locales and row.locale not in locales:
            continue
        click.echo(f"{row.locale:8}{row.translated:>12}{row.total:>8}{row.percent:>6.0f}%"
                   f"{row.fuzzy:>7}  {'yes' if row.reviewed else 'no'}")
    if missing:
        _echo_missing(catalogs.missing(catalogs.extract(), _directory(), locales))


def _echo_missing(missing: dict[str, list[catalogs.Missing]]) -> None:
    for locale, rows in missing.items():
        chain = languages().chain(locale)[1:-1]
        notes = [f"shown in {' then '.join(chain)} where translated there"] if chain else []
        new = sum(1 for row in rows if not row.in_catalog)
        if new:
            notes.append(f"{new} [new]: not in the .po yet, run `flask i18n extract`")
        click.echo(f"\n{locale}: {len(rows)} missing" + (f" ({'; '.join(notes)})" if notes else ""))
        for row in rows:
            text = f"{row.msgid!r} / {row.plural!r}" if row.plural else repr(row.msgid)
            click.echo(f"  {text}  ({'; '.join(row.where)}){'' if row.in_catalog else ' [new]'}")
