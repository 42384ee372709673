"""`paper kit`: a whole numbered paper kit for a team, as one PDF."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from outreach.extensions import db
from outreach.forms.registry import load_registry
from outreach.paper import service
from outreach.teams.service import get_team


@click.group("paper", cls=AppGroup)
def paper_group() -> None:
    """Paper forms."""


@paper_group.command("kit")
@click.option("--team", "team_slug", required=True)
@click.option("--lang", default="en", show_default=True)
@click.option("--copies", default=5, show_default=True, type=click.IntRange(1, 200))
@click.option("--size", type=click.Choice(["a4", "letter"]), default="a4", show_default=True)
@click.option("--large", is_flag=True, help="Large print.")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path),
              required=True)
def paper_kit(team_slug: str, lang: str, copies: int, size: str, large: bool,
              out_path: Path) -> None:
    """Visit sheet, needs assessment, consent and action plan, numbered and registered."""
    team = get_team(team_slug)
    if team is None:
        raise click.ClickException(f"No team {team_slug!r}.")
    pdf, serials = service.blank_forms_pdf(load_registry(), team, service.KIT, language=lang,
                                           copies=copies, size=size, large=large)
    out_path.write_bytes(pdf)
    db.session.commit()
    click.echo(f"{len(serials)} numbered forms ({serials[0]} …) written to {out_path}.")
