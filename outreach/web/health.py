"""Liveness and readiness: what a load balancer, systemd or Kubernetes probe asks."""

from __future__ import annotations

import logging
from functools import cache
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import SQLAlchemyError

from outreach.errors import Problem
from outreach.extensions import db

log = logging.getLogger(__name__)


class NotReady(Problem):
    status = 503
    type = "/problems/not-ready"
    title = _l("The service is not ready")


@cache
def migration_heads(migrations_dir: Path) -> tuple[str, ...]:
    return tuple(sorted(ScriptDirectory(str(migrations_dir)).get_heads()))


def readiness(migrations_dir: Path) -> dict[str, object]:
    """Raise ``NotReady`` unless the database answers and its schema is at the migrations' head."""
    head = migration_heads(migrations_dir)
    try:
        with db.engine.connect() as conn:
            current = tuple(sorted(MigrationContext.configure(conn).get_current_heads()))
    except SQLAlchemyError as exc:
        # The class only: a driver message can carry the connection URL and its password.
        log.warning("readiness: database unreachable (%s)", type(exc).__name__)
        raise NotReady("The database cannot be reached.") from exc
    migrations = {"current": ",".join(current) or None, "head": ",".join(head)}
    if current != head:
        raise NotReady("The database schema is not at the migrations' head: run "
                       "`flask --app outreach db upgrade`.", migrations=migrations)
    return {"status": "ready", "migrations": migrations}
