"""The app shell: `/` serves the PWA and `/sw.js` its service worker with the whole scope."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, send_from_directory

bp = Blueprint("web", __name__)


@bp.get("/")
def index() -> Response:
    return send_from_directory(current_app.static_folder or "", "index.html")


@bp.get("/healthz")
def health() -> dict[str, str]:
    return {"status": "ok"}
