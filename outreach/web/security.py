"""Headers on every response, and the short list of files served from static/pwa.

One after_request hook for all of them, so a response made anywhere (a view, an error handler,
Flask's static view) leaves with the same protection. The threat: a phone's browser that keeps a
copy of a personal answer in its HTTP cache, a page that frames the app to trick a tap, or a
script from somewhere else running next to the keys (docs/threat-model.md, the phone at rest).
"""

from __future__ import annotations

from collections.abc import Mapping

from flask import Flask, Response, request
from werkzeug.exceptions import NotFound

# No inline script or style, nothing from another origin. `worker-src blob:` only for the QR
# decoder (qr-scanner starts its worker from a Blob, src/paper/scanner.js); no WebAssembly.
# `img-src blob:` for the photo of a paper form shown before it is read.
CSP: Mapping[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' blob: data:",
    "worker-src": "'self' blob:",
    "connect-src": "'self'",
    "font-src": "'self'",
    "manifest-src": "'self'",
    "media-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}

HEADERS: Mapping[str, str] = {
    "Content-Security-Policy": "; ".join(f"{name} {value}" for name, value in CSP.items()),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "X-Frame-Options": "DENY",  # frame-ancestors for browsers that predate it
    "Permissions-Policy": "camera=(self), geolocation=(), microphone=(), payment=(), usb=()",
}
HSTS = "max-age=63072000; includeSubDomains"

# What of static/pwa is the built app: the bundle (build/, with the catalogs and any
# precompressed copies), the icons, the stylesheet and the manifest. Not the sources (src/),
# node_modules/ or the package files, and not index.html or sw.js, which have their own routes.
STATIC_FILES = frozenset({"app.css", "manifest.webmanifest"})
STATIC_DIRS = ("build/", "icons/")

# esbuild names each chunk by its content hash: a URL there never names other bytes, so a
# phone keeps it without asking again (on 2G every revalidation is a round trip).
IMMUTABLE_DIRS = ("build/chunks/",)
IMMUTABLE = "public, max-age=31536000, immutable"

# Served from the app's own routes and safe to keep in the HTTP cache: nothing personal in them.
CACHEABLE_ENDPOINTS = frozenset({"static", "web.index", "web.service_worker"})


def static_allowed(filename: str) -> bool:
    """True for a file of the built app; `..` and odd segments are refused before Flask looks."""
    parts = filename.split("/")
    if any(part in ("", ".", "..") or part.startswith(".") for part in parts):
        return False
    return filename in STATIC_FILES or filename.startswith(STATIC_DIRS)


def _guard_static() -> None:
    if request.endpoint == "static":
        filename = (request.view_args or {}).get("filename", "")
        if not static_allowed(filename):
            raise NotFound()


def _add_headers(response: Response) -> Response:
    for name, value in HEADERS.items():
        response.headers.setdefault(name, value)
    if request.is_secure:
        response.headers.setdefault("Strict-Transport-Security", HSTS)
    # Personal data may be in any API, paper or error answer: never a copy in a cache.
    if response.status_code >= 400 or request.endpoint not in CACHEABLE_ENDPOINTS:
        response.headers["Cache-Control"] = "no-store"
        response.headers.setdefault("Pragma", "no-cache")
    elif request.endpoint == "static" and (request.view_args or {}).get(
            "filename", "").startswith(IMMUTABLE_DIRS):
        response.headers["Cache-Control"] = IMMUTABLE
    return response


def register_security(app: Flask) -> None:
    app.before_request(_guard_static)
    app.after_request(_add_headers)
