"""Paper forms as PDF, and the lost-forms list (PROTOCOL §4)."""

from __future__ import annotations

from typing import Any

from flask import Response, current_app
from marshmallow import Schema, fields, validate

from outreach.auth.principal import current_principal
from outreach.errors import NotFound
from outreach.extensions import db
from outreach.forms.registry import load_registry
from outreach.http_json import Blueprint
from outreach.paper import service
from outreach.paper.service import render_blank_forms
from outreach.paper.slots import render_slot
from outreach.schema_fields import LANGUAGE, SLUG, StrictSchema
from outreach.teams.catalogue import load_rights
from outreach.teams.service import member_team, supervised_team

blp = Blueprint("paper", __name__, url_prefix="/paper", description="Numbered paper forms")
api_blp = Blueprint("paper_api", __name__, url_prefix="/api/v1", description="Paper serials")


class BlankFormsQuery(StrictSchema):
    team = fields.String(required=True, validate=SLUG)
    lang = fields.String(load_default="en", validate=LANGUAGE)
    copies = fields.Integer(load_default=1, validate=validate.Range(1, 50))
    size = fields.String(load_default="a4", validate=validate.OneOf(["a4", "letter"]))
    large = fields.Boolean(load_default=False)


class SerialSchema(Schema):
    serial = fields.String()
    form_schema = fields.String()
    language = fields.String()
    issued_at = fields.DateTime()


class OpenSerialsSchema(Schema):
    team_id = fields.String()
    serials = fields.List(fields.Nested(SerialSchema))


MEMBERS_ONLY = "Only members of this team may do this."


@blp.get("/forms/<string:form>.pdf")
@blp.arguments(BlankFormsQuery, location="query")
def blank_forms(query: dict[str, Any], form: str) -> Response:
    principal = current_principal()
    team = member_team(principal, query["team"], MEMBERS_ONLY)
    forms = service.KIT if form == "kit" else (form,)
    if not set(forms) <= set(service.PAPER_FORMS):
        raise NotFound()
    config = current_app.config["OUTREACH"]
    with render_slot(config.instance_dir, config.pdf_render_slots):
        plan = service.plan_blank_forms(
            load_registry(), forms, language=query["lang"], copies=query["copies"],
            size=query["size"], large=query["large"],
            rights=load_rights(config.referral_catalogue))
        # Numbers taken and committed in a short write; no lock is held while drawing.
        db.session.commit()
        pdf = render_blank_forms(plan)
    service.register_blank_forms(team, plan, issued_by=principal.user_id)
    db.session.commit()  # serials are issued only once the PDF exists
    serials = plan.serials
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="{form}-{serials[0]}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@api_blp.get("/teams/<string:team_id>/paper-serials")
@api_blp.response(200, OpenSerialsSchema)
def open_paper_serials(team_id: str) -> dict[str, Any]:
    team = supervised_team(current_principal(), team_id, MEMBERS_ONLY)
    return {"team_id": team.slug, "serials": service.open_serials(team)}
