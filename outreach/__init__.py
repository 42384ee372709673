"""outreach: offline-first, end-to-end encrypted case work for outreach teams."""

from __future__ import annotations

import logging

from flask import Flask

from outreach.config import Config

__all__ = ["Config", "create_app"]


def create_app(config: Config | None = None) -> Flask:
    """Build the app. Nothing here touches the database: migrations and data are CLI jobs."""
    config = config or Config.from_env(require_secret=not _admin_command())
    app = Flask(
        __name__,
        static_folder=str(config.pwa_dir),
        static_url_path="/static/pwa",
        instance_path=str(config.instance_dir),
    )
    app.config.update(config.flask_mapping())
    register_proxy(app, config)
    register_logging(app, config)
    register_extensions(app, config)
    register_errors(app)
    register_api(app)
    register_web(app)
    register_cli(app)
    register_metrics(app)
    if not app.config["SECRET_KEY"]:
        _refuse_requests_without_a_secret_key(app)
    return app


def _refuse_requests_without_a_secret_key(app: Flask) -> None:
    """Admin commands may load the app without a key; serving it (`flask run`) may not."""
    from outreach.errors import Problem

    @app.before_request
    def _no_secret_key() -> None:
        problem = Problem("OUTREACH_SECRET_KEY is not configured (docs/operations.md).")
        problem.status = 503
        problem.type = "/problems/not-configured"
        raise problem


def _admin_command() -> bool:
    """True when loaded by ``flask …`` or ``python -m outreach …`` (a Click command runs)."""
    import click

    return click.get_current_context(silent=True) is not None


def register_proxy(app: Flask, config: Config) -> None:
    """Behind nginx the peer is the proxy: rate limits and audit need the client's address,
    taken from as many X-Forwarded-For hops as the operator says there are proxies."""
    if config.proxy_hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=config.proxy_hops, x_proto=config.proxy_hops)


def register_logging(app: Flask, config: Config) -> None:
    logging.basicConfig(
        level=config.log_level,
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    # Alembic announces its plugins at INFO on every start; only its warnings matter here.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)


def register_extensions(app: Flask, config: Config) -> None:
    from outreach import models  # noqa: F401  (every model registered before Alembic looks)
    from outreach.extensions import api, babel, db, limiter, migrate
    from outreach.i18n import select_locale
    from outreach.ratelimit import storage  # noqa: F401  (registers outreach+db:// for limits)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(config.migrations_dir), render_as_batch=True)
    babel.init_app(app, locale_selector=select_locale)
    limiter.init_app(app)
    api.init_app(app)

    from outreach.db_events import register_db_events

    register_db_events(app)


def register_errors(app: Flask) -> None:
    from outreach.errors import register_error_handlers

    register_error_handlers(app)


def register_api(app: Flask) -> None:
    from outreach.admin.access_views import blp as access_blp
    from outreach.admin.views import blp as admin_blp
    from outreach.auth.guard import register_guard
    from outreach.auth.views import blp as auth_blp
    from outreach.extensions import api
    from outreach.forms.views import blp as forms_blp
    from outreach.keys.views import blp as keys_blp
    from outreach.paper.views import api_blp as paper_api_blp
    from outreach.paper.views import blp as paper_blp
    from outreach.reports.views import blp as reports_blp
    from outreach.sync.views import blp as sync_blp
    from outreach.sync.views import register_schemas
    from outreach.teams.views import blp as teams_blp

    for blueprint in (auth_blp, keys_blp, teams_blp, sync_blp, forms_blp, paper_blp,
                      paper_api_blp, reports_blp, admin_blp, access_blp):
        api.register_blueprint(blueprint)
    register_schemas(api)
    register_guard(app)


def register_web(app: Flask) -> None:
    from outreach.web.apidocs import bp as apidocs_bp
    from outreach.web.compression import register_compression
    from outreach.web.security import register_security
    from outreach.web.views import bp

    app.register_blueprint(bp)
    app.register_blueprint(apidocs_bp)
    register_security(app)
    register_compression(app)


def register_metrics(app: Flask) -> None:
    from outreach.metrics import register_metrics as register

    register(app)


def register_cli(app: Flask) -> None:
    from outreach.cli import register_commands

    register_commands(app)
