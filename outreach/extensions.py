"""Extensions, created unbound and bound to an app by ``create_app`` with ``init_app``."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import Response, current_app
from flask import json as flask_json
from flask_babel import Babel
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import MetaData
from sqlalchemy.orm import DeclarativeBase

# Stable constraint names make Alembic migrations reviewable and reversible on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TruthfulApi(Api):
    """Serves the document corrected by ``outreach.openapi`` (errors, security, summaries)."""

    def _openapi_json(self) -> Response:
        from outreach.openapi import truthful

        document = truthful(self.spec.to_dict(), current_app)
        return current_app.response_class(flask_json.dumps(document, indent=2),
                                          mimetype="application/json")


db = SQLAlchemy(model_class=Base)
# Models subclass ``Model``. At run time it is Flask-SQLAlchemy's ``db.Model`` (Base plus automatic
# table names and the session binding); the type checker cannot see through that attribute, so
# it is told the declarative Base, which is what mapping and typing depend on.
if TYPE_CHECKING:
    Model = Base
else:
    Model = db.Model
migrate = Migrate()
babel = Babel()
api = TruthfulApi()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
