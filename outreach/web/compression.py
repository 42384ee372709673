"""Compressed responses from the app itself, so `make run` is as light on 2G as production.

A static file of the built app is sent from its gzip copy made at build time
(``static/pwa/build/gz/``, by ``build-sw.mjs``); other compressible answers over 1 KiB are
gzipped on the way out. Never for content that is already compressed (PNG, an answer that set
its own ``Content-Encoding``), and only when the client says it accepts gzip.
"""

from __future__ import annotations

import gzip
from pathlib import Path

from flask import Flask, Response, current_app, request

GZIP_ABOVE = 1024
COMPRESSIBLE = ("application/json", "application/problem+json", "text/", "application/javascript",
                "application/manifest+json", "image/svg+xml")
# Paths of the app shell as the service worker asks for them -> files under the static folder.
SHELL_FILES = {"/": "index.html", "/sw.js": "build/sw.js"}


def register_compression(app: Flask) -> None:
    app.after_request(compress)


def _precompressed(path: str) -> Path | None:
    static = Path(current_app.static_folder or "")
    prefix = (current_app.static_url_path or "") + "/"
    relative = SHELL_FILES.get(path) or (path[len(prefix):] if path.startswith(prefix) else None)
    if relative is None or ".." in relative:
        return None
    candidate = static / "build" / "gz" / f"{relative}.gz"
    source = static / relative
    # A stale copy (the file rebuilt without its .gz) is ignored rather than served.
    if candidate.is_file() and source.is_file() and \
            candidate.stat().st_mtime >= source.stat().st_mtime:
        return candidate
    return None


def compress(response: Response) -> Response:
    response.vary.add("Accept-Encoding")
    # werkzeug types Accept as a container of (value, quality) pairs; `in` takes a bare value.
    if (response.status_code != 200 or "Content-Encoding" in response.headers
            or "gzip" not in request.accept_encodings  # type: ignore[comparison-overlap]
            or request.method == "HEAD"):
        return response
    mimetype = response.mimetype or ""
    if not mimetype.startswith(COMPRESSIBLE):
        return response
    copy = _precompressed(request.path)
    if copy is not None:
        # The file wrapper of send_file is closed before its body is replaced.
        close = getattr(response.response, "close", None)
        if close is not None:
            close()
        response.direct_passthrough = False
        response.set_data(copy.read_bytes())
    else:
        if response.is_streamed and not response.direct_passthrough:
            return response
        # A file without a fresh build-time copy is compressed here (static files are small).
        response.direct_passthrough = False
        data = response.get_data()
        if len(data) <= GZIP_ABOVE:
            return response
        response.set_data(gzip.compress(data, compresslevel=6, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    if response.headers.get("ETag"):
        # Another representation, another tag, so a cache never mixes the two up.
        etag, weak = response.get_etag()
        response.set_etag(f"{etag}-gz", weak=bool(weak))
        # The file's own check (send_file) compared the plain tag; a browser revalidating its
        # gzip copy (the service worker's precache, cache: "no-cache") sends this one, and
        # gets a 304 instead of the whole file again over 2G.
        response.make_conditional(request)
    return response
