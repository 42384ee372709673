"""`i18n extract | compile | status [--missing]`: the translation pipeline from the command
line."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from outreach.i18n import LOCALES, catalogs, languages, review

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


@i18n_group.command("review")
@click.argument("locale")
@click.option("--out", "out", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the unreviewed entries here (default: <locale>-review.po).")
@click.option("--import", "source", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read a reviewer's file back: confirmed entries (not fuzzy) become reviewed.")
@click.option("--households", is_flag=True, help="Export only what households read.")
@with_appcontext
def review_command(locale: str, out: Path | None, source: Path | None,
                   households: bool) -> None:
    """Export what a native speaker has not reviewed as a .po file, or import their file back.

    In the file every entry is marked fuzzy ("needs review"); the reviewer corrects what is
    wrong and clears the mark on each entry they confirm."""
    if locale not in catalogs.catalog_locales(_directory()):
        raise click.BadParameter(f"{locale!r} is not a configured locale with a catalog",
                                 param_hint="LOCALE")
    if source is not None:
        with source.open("rb") as handle:
            result = review.import_reviewed(locale, _directory(), handle)
        catalogs.compile_all(_directory())
        click.echo(f"{locale}: {result.reviewed} entries marked reviewed "
                   f"({result.changed} corrected), {result.skipped} left as they were. "
                   "Run `make catalogs` to rebuild the app's catalogs.")
        return
    target = out or Path(f"{locale}-review.po")
    with target.open("wb") as handle:
        count = review.export_unreviewed(locale, _directory(), handle, households)
    click.echo(f"{count} unreviewed entries of {locale} written to {target}.")


@i18n_group.command("status")
@click.option("--missing", is_flag=True,
              help="Also list, per locale, every string of the current source (server, form "
                   "definitions, PWA) that is not translated yet.")
@click.option("--locale", "locales", multiple=True, type=click.Choice(SHIPPED),
              help="Only these locales (repeatable).")
@with_appcontext
def status_command(missing: bool, locales: tuple[str, ...]) -> None:
    """Completeness and review status per locale; with --missing, what is left to translate."""
    click.echo(f"{'':12}{'interface':^30}  {'household outputs':^30}")
    click.echo(f"{'locale':12}" + f"{'translated':>11}{'reviewed':>10}{'missing':>9}  " * 2)
    for row in review.review_status(_directory()):
        if locales and row.locale not in locales:
            continue
        click.echo(f"{row.locale:12}" + "".join(
            f"{c.translated:>6}/{c.total:<4}{c.reviewed:>10}{c.missing:>9}  "
            for c in (row.interface, row.households)))
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
