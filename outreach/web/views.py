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
    response = send_from_directory(current_app.static_folder or "", "sw.js",
                                   mimetype="text/javascript", max_age=0)
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/healthz")
def health() -> dict[str, str]:
    return {"status": "ok"}
