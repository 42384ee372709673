"""The app shell: `/` serves the PWA and `/sw.js` its service worker with the whole scope."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, send_from_directory

bp = Blueprint("web", __name__)


@bp.get("/")
def index() -> Response:
    return send_from_directory(current_app.static_folder or "", "index.html")


@bp.get("/sw.js")
def service_worker() -> Response:
    # Served from the root so its scope covers the whole app (STYLE.md 3).
    # Built (build-sw.mjs): it carries the precache manifest of this very bundle.
    response = send_from_directory(current_app.static_folder or "", "build/sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/healthz")
def health() -> dict[str, str]:
    """The process answers; it says nothing about the database (that is /readyz)."""
    return {"status": "ok"}


@bp.get("/readyz")
def ready() -> dict[str, object]:
    """The database answers and its schema is at the migrations' head; else 503."""
    from outreach.web.health import readiness

    response: dict[str, object] = readiness(current_app.config["OUTREACH"].migrations_dir)
    return response
