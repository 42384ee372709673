"""Admin commands: users, teams, membership, areas and device revocation."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from outreach.auth import service as auth
from outreach.auth.models import User
from outreach.errors import Problem
from outreach.extensions import db
from outreach.teams import service as teams
from outreach.teams.models import Organisation, Team


def _organisation() -> Organisation:
    org = teams.get_organisation()
    if org is None:
        raise click.ClickException("No organisation yet: run `flask --app outreach init` first.")
    return org


def _team(slug: str) -> Team:
    team = teams.get_team(slug)
    if team is None:
        raise click.ClickException(f"No team {slug!r}.")
    return team


def _user(username: str) -> User:
    user = auth.find_user(username)
    if user is None:
        raise click.ClickException(f"No user {username!r}.")
    return user


@click.group("user", cls=AppGroup)
def user_group() -> None:
    """Manage user accounts."""


@user_group.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["worker", "supervisor", "admin"]), required=True)
@click.option("--name", "display_name", default="", help="Name shown to the team.")
@click.password_option("--passphrase", help="The user's initial passphrase (prompted).")
def user_add(username: str, role: str, display_name: str, passphrase: str) -> None:
    """Create a user; their key pair is created and stored wrapped under the passphrase."""
    try:
        user = auth.add_user(organisation_id=_organisation().id, username=username, role=role,
                             passphrase=passphrase, display_name=display_name)
    except Problem as exc:
        raise click.ClickException(f"{exc.title}: {exc.errors or exc.detail}") from exc
    db.session.commit()
    click.echo(f"User {user.username} ({role}) created.")


@user_group.command("list")
def user_list() -> None:
    """List users: name, role, teams and state."""
    from outreach.auth.models import User
    from outreach.teams.models import Membership, Team

    users = db.session.execute(db.select(User).order_by(User.username)).scalars().all()
    team_rows = db.session.execute(
        db.select(Membership.user_id, Team.slug).join(Team, Team.id == Membership.team_id)
    ).all()
    teams_of: dict[str, list[str]] = {}
    for user_id, slug in team_rows:
        teams_of.setdefault(user_id, []).append(slug)
    for user in users:
        state = "revoked" if user.revoked_at else "active"
        team_list = ",".join(sorted(teams_of.get(user.id, []))) or "-"
        click.echo(f"{user.username:20} {user.role:10} {state:8} {team_list:20} "
                   f"{user.display_name}".rstrip())


@user_group.command("revoke")
@click.argument("username")
def user_revoke(username: str) -> None:
    """Revoke a user: every device of theirs is told to wipe on its next contact."""
    auth.revoke_user(_user(username).id)
    db.session.commit()
    click.echo(f"User {username} revoked.")


@click.group("team", cls=AppGroup)
def team_group() -> None:
    """Manage teams."""


@team_group.command("add")
@click.argument("slug")
@click.option("--name", required=True)
@click.option("--phone", help="The team's phone, printed on plans for households to call.")
def team_add(slug: str, name: str, phone: str | None) -> None:
    """Create a team. Its first key is created by a supervisor's device (or the demo)."""
    try:
        teams.add_team(_organisation(), slug, name, phone=phone)
    except Problem as exc:
        raise click.ClickException(f"{exc.title}: {exc.errors or exc.detail}") from exc
    db.session.commit()
    click.echo(f"Team {slug} created.")


@team_group.command("list")
def team_list() -> None:
    """List teams with their member and area counts."""
    from outreach.teams.models import Area, Membership, Team

    members = dict(db.session.execute(
        db.select(Membership.team_id, db.func.count()).group_by(Membership.team_id)).all())
    areas = dict(db.session.execute(
        db.select(Area.team_id, db.func.count()).group_by(Area.team_id)).all())
    for team in db.session.execute(db.select(Team).order_by(Team.slug)).scalars():
        count = members.get(team.id, 0)
        click.echo(f"{team.slug:20} {count} member{'' if count == 1 else 's':1}  "
                   f"{areas.get(team.id, 0)} areas  {team.name}")


@click.group("member", cls=AppGroup)
def member_group() -> None:
    """Manage team membership."""


@member_group.command("add")
@click.argument("team_slug")
@click.argument("username")
def member_add(team_slug: str, username: str) -> None:
    """Add a user to a team. They stay *pending* until a supervisor's device grants the key."""
    teams.add_member(_team(team_slug), _user(username))
    db.session.commit()
    click.echo(f"{username} added to {team_slug}; pending a key grant from a supervisor.")


@click.group("area", cls=AppGroup)
def area_group() -> None:
    """Manage the areas a team works in."""


@area_group.command("add")
@click.argument("team_slug")
@click.argument("code")
@click.option("--name", required=True)
@click.option("--urbanisation", type=click.Choice(["cities", "towns_suburbs", "rural"]))
@click.option("--deprived/--not-deprived", default=None)
@click.option("--segregated/--not-segregated", default=None)
@click.option("--name-in", "names", multiple=True, metavar="LOCALE=NAME",
              help="The name in another language, e.g. --name-in 'hu=Száraz-völgy' (repeatable).")
def area_add(team_slug: str, code: str, name: str, urbanisation: str | None,
             deprived: bool | None, segregated: bool | None, names: tuple[str, ...]) -> None:
    """Add an area code (e.g. EAST-07) that the team's records may carry in meta."""
    pairs = [item.partition("=") for item in names]
    if any(not locale or not sep or not text for locale, sep, text in pairs):
        raise click.BadParameter("use LOCALE=NAME", param_hint="--name-in")
    try:
        teams.add_area(_team(team_slug), code, name, urbanisation=urbanisation,
                       deprived=deprived, segregated=segregated,
                       names={locale.strip(): text.strip() for locale, _, text in pairs})
    except Problem as exc:
        raise click.ClickException(f"{exc.title}: {exc.errors or exc.detail}") from exc
    db.session.commit()
    click.echo(f"Area {code} added to {team_slug}.")


@click.group("device", cls=AppGroup)
def device_group() -> None:
    """Manage devices."""


@device_group.command("revoke")
@click.argument("device_id")
@click.option("--reason", type=click.Choice(auth.REVOCATION_REASONS),
              help="Why, as in the app's revoke; the audit log records it "
                   "(\"unspecified\" without it).")
def device_revoke(device_id: str, reason: str | None) -> None:
    """Revoke a device: it gets 401 device-revoked and wipes itself on its next contact."""
    try:
        auth.revoke_device(device_id, reason=reason)
    except Problem as exc:
        raise click.ClickException(f"{exc.title}: {exc.errors or exc.detail}") from exc
    db.session.commit()
    click.echo(f"Device {device_id} revoked.")


@device_group.command("list")
@click.argument("username", required=False)
def device_list(username: str | None) -> None:
    """List devices (every user's, or one user's) with their state."""
    from outreach.auth.models import Device, User

    query = (db.select(Device, User.username).join(User, User.id == Device.user_id)
             .order_by(User.username, Device.created_at))
    if username is not None:
        query = query.where(Device.user_id == _user(username).id)
    for device, owner in db.session.execute(query):
        state = "revoked" if device.revoked_at else "active"
        seen = device.last_seen_at.isoformat(timespec="seconds") if device.last_seen_at \
            else "never"
        click.echo(f"{device.id}  {owner:20} {state:8} last seen {seen}  {device.name}")
