"""`flask --app outreach …` commands. Each calls the same services as the API, then commits."""

from __future__ import annotations

from flask import Flask

from outreach.cli.admin import area_group, device_group, member_group, team_group, user_group
from outreach.cli.audit import audit_group
from outreach.cli.backup import backup_command, restore_command
from outreach.cli.i18n import i18n_group
from outreach.cli.paper import paper_group
from outreach.cli.recovery import (
    erase_command,
    export_command,
    recover_command,
    recovery_group,
)
from outreach.cli.setup import demo_command, forms_group, init_command, secret_key_command
from outreach.cli.sync import sync_group


def register_commands(app: Flask) -> None:
    for command in (init_command, demo_command, forms_group, user_group, team_group, member_group,
                    area_group, device_group, export_command, recover_command,
                    paper_group, i18n_group, erase_command, audit_group,
                    secret_key_command, backup_command, restore_command, sync_group,
                    recovery_group):
        app.cli.add_command(command)
