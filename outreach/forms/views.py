"""GET /api/v1/forms: the form definitions the client renders and the server validates."""

from __future__ import annotations

import hashlib

from flask import Response, json, request

from outreach.errors import ValidationProblem
from outreach.forms.registry import load_registry
from outreach.forms.service import forms_document
from outreach.http_json import Blueprint
from outreach.i18n import languages, translate_document

blp = Blueprint("forms", __name__, url_prefix="/api/v1", description="Form definitions")


@blp.get("/forms")
def list_forms() -> Response:
    # Public and cacheable: definitions hold no case data, and the PWA caches them offline.
    lang = request.args.get("lang", "en")
    if lang not in languages().codes:
        raise ValidationProblem(errors={"lang": ["Not a supported language."]})
    document = forms_document(load_registry())
    if lang != "en":
        document = translate_document(document, lang)
    document.update(lang=lang, dir=languages().direction(lang))
    body = json.dumps(document)
    response = Response(body, mimetype="application/json")
    response.set_etag(hashlib.sha256(body.encode()).hexdigest()[:32])
    response.headers["Cache-Control"] = "public, max-age=300"
    response.make_conditional(request)  # in place: a 304 when the ETag matches
    return response
