"""GET /api/v1/docs: the API reference (Swagger UI from npm, built into build/apidocs/ by
`npm run build`; served from here, never from a CDN)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, send_from_directory
from werkzeug.exceptions import NotFound

bp = Blueprint("apidocs", __name__, url_prefix="/api/v1/docs")
FILES = frozenset({"swagger-ui-bundle.js", "swagger-ui.css", "init.js"})
# The page's own policy: Swagger UI sets style attributes, so inline styles are allowed here
# (and only here); scripts stay 'self' only.
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
       "frame-ancestors 'none'; form-action 'none'")
PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>outreach API reference</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/api/v1/docs/swagger-ui.css"></head>
<body><div id="reference"></div>
<script src="/api/v1/docs/swagger-ui-bundle.js"></script>
<script src="/api/v1/docs/init.js"></script></body></html>
"""


@bp.get("")
def reference() -> Response:
    return Response(PAGE, mimetype="text/html", headers={"Content-Security-Policy": CSP})


@bp.get("/<string:name>")
def asset(name: str) -> Response:
    if name not in FILES:
        raise NotFound()
    folder = f"{current_app.static_folder}/build/apidocs"
    return send_from_directory(folder, name, max_age=3600)
