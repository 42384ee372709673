"""Issue numbered blank forms to a team, and list the ones never entered (lost forms)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from outreach.audit import service as audit
from outreach.errors import NotFound, ValidationProblem
from outreach.extensions import db
from outreach.forms.registry import FormRegistry, UnknownFormError
from outreach.forms.serials import make_paper_serial
from outreach.i18n import languages, translate_document, translator
from outreach.paper.models import PaperCounter, PaperSerial
from outreach.paper.pdf import render_forms, to_bytes
from outreach.teams.models import Team

# The forms that exist on paper, with their serial prefixes. Not every form does: a supervisor's
# review is made in the app, over a visit it has already synced. A change of the case's phase, a
# street contact and a right's take-up are written down where there is no phone (issue 15) and
# typed in later like the others (the phone's prefixes: static/pwa/src/paper/serials.js).
PREFIXES = {"household": "HH", "person": "PER", "visit": "VIS", "assessment": "ASM",
            "note": "NOTE", "plan": "PLN", "referral": "REF", "consent": "CON",
            "phase": "PHS", "contact": "STC", "right": "RGT"}
PAPER_FORMS = tuple(PREFIXES)
KIT = ("visit", "assessment", "consent", "plan")
# Per form and request (the PWA offers 1-50): one request renders at most 50 pages per form.
MAX_COPIES = 50


def _take_numbers(prefix: str, count: int) -> list[int]:
    """``count`` fresh numbers for ``prefix``: one conditional UPDATE … RETURNING, so two
    downloads at once never get the same number on either database."""
    table = cast(Table, PaperCounter.__table__)
    dialect = db.session.get_bind().dialect.name
    insert = sqlite_insert if dialect == "sqlite" else pg_insert
    db.session.execute(insert(table).values(prefix=prefix, last_number=0)
                       .on_conflict_do_nothing(index_elements=["prefix"]))
    last = db.session.execute(
        update(table).where(table.c.prefix == prefix)
        .values(last_number=table.c.last_number + count)
        .returning(table.c.last_number)
    ).scalar_one()
    return list(range(last - count + 1, last + 1))


def allocate_serials(schema: str, copies: int) -> list[str]:
    """Take ``copies`` serials for ``schema``; the caller commits at once (a short write), and
    registers them with ``register_serials`` once the PDF exists."""
    if not 1 <= copies <= MAX_COPIES:
        raise ValidationProblem(errors={"copies": [f"Between 1 and {MAX_COPIES}."]})
    prefix = PREFIXES[schema.split("@", 1)[0]]
    return [make_paper_serial(prefix, n) for n in _take_numbers(prefix, copies)]


def register_serials(team: Team, schema: str, serials: Sequence[str], language: str,
                     issued_by: str | None = None) -> None:
    for serial in serials:
        db.session.add(PaperSerial(serial=serial, team_id=team.id, form_schema=schema,
                                   language=language, issued_by=issued_by))
    db.session.flush()


def issue_serials(team: Team, schema: str, language: str, copies: int,
                  issued_by: str | None = None) -> list[str]:
    """Take and register ``copies`` new serials for ``schema`` as issued to ``team`` (the CLI);
    caller commits."""
    serials = allocate_serials(schema, copies)
    register_serials(team, schema, serials, language, issued_by)
    return serials


@dataclass(frozen=True)
class BlankForms:
    """What a PDF of blank forms will hold: each form with the serials taken for it."""

    forms: list[tuple[Any, list[str]]]
    language: str
    size: str
    large: bool
    # The region's rights and benefits (the referral catalogue file), ticked on a right's sheet.
    rights: Sequence[Mapping[str, Any]] = ()
    # The assessment's own empowerment questions, asked again on the plan's sheet (its review),
    # as the app's plan screen asks them (views/plan.js).
    assessment: Any = None

    @property
    def serials(self) -> list[str]:
        return [serial for _, serials in self.forms for serial in serials]


def plan_blank_forms(registry: FormRegistry, form_ids: Sequence[str], *, language: str,
                     copies: int, size: str, large: bool,
                     rights: Sequence[Mapping[str, Any]] = ()) -> BlankForms:
    """Check the request and take the serials; the caller commits before rendering, so no
    database lock is held while the PDF is drawn (a kit used to stall every sync)."""
    if size not in ("a4", "letter"):
        raise ValidationProblem(errors={"size": ["a4 or letter."]})
    if language not in languages().codes:
        raise ValidationProblem(errors={"lang": ["Not a supported language."]})
    latest = registry.latest()
    forms = []
    for form_id in form_ids:
        if form_id not in latest or form_id not in PREFIXES:
            raise NotFound(f"No form {form_id!r}.")
        form = latest[form_id]
        forms.append((form, allocate_serials(form.schema, copies)))
    return BlankForms(forms, language, size, large, rights, latest.get("assessment"))


def right_choices(rights: Sequence[Mapping[str, Any]], language: str) -> list[dict[str, str]]:
    """The catalogue's rights as tick boxes, each named in the sheet's language where the
    catalogue has it (as the phone names them: forms/render.js rightName)."""
    return [{"value": right["id"],
             "label": right.get("translations", {}).get(language, {}).get("name") or right["name"]}
            for right in rights]


def _with_empowerment(document: Mapping[str, Any], assessment: Mapping[str, Any],
                      language: str) -> Mapping[str, Any]:
    """The plan's sheet with the assessment's confidence and coping questions (a copy), in
    the sheet's language: the household's own view, beside its satisfaction, at each review."""
    source = translate_document(assessment, language) if language != "en" else assessment
    field = next((f for f in source["fields"] if f["type"] == "empowerment"), None)
    if not source.get("empowerment") or field is None:
        return document
    return {**document, "empowerment": source["empowerment"], "empowerment_label": field["label"]}


def _with_rights(document: Mapping[str, Any], rights: Sequence[Mapping[str, Any]],
                 language: str) -> Mapping[str, Any]:
    """The form with its `rights` field's choices filled in from the catalogue (a copy)."""
    if not rights or not any(f["type"] == "rights" for f in document["fields"]):
        return document
    choices = right_choices(rights, language)
    return {**document, "fields": [{**f, "choices": choices} if f["type"] == "rights" else f
                                   for f in document["fields"]]}


def render_blank_forms(plan: BlankForms) -> bytes:
    """Draw the PDF; touches no database."""
    pdf = None
    for form, serials in plan.forms:
        # Blank forms are for the household: their language, not the worker's.
        document = translate_document(form.document, plan.language) if plan.language != "en" \
            else form.document
        document = _with_rights(document, plan.rights, plan.language)
        if document.get("record_type") == "plan" and plan.assessment is not None:
            document = _with_empowerment(document, plan.assessment.document, plan.language)
        pdf = render_forms(document, serials, language=plan.language, size=plan.size,
                           large=plan.large, pdf=pdf, gettext=translator(plan.language))
    assert pdf is not None  # noqa: S101 (form_ids is never empty)
    return to_bytes(pdf)


def register_blank_forms(team: Team, plan: BlankForms, issued_by: str | None = None) -> None:
    """The serials of a rendered PDF become issued to ``team``; caller commits."""
    for form, serials in plan.forms:
        register_serials(team, form.schema, serials, plan.language, issued_by)
    # Who printed how many numbered forms for which team (a paper kit is a trail of serials).
    audit.record("paper_issued", actor_id=issued_by, organisation_id=team.organisation_id,
                 team_id=team.id, target_type="team", target_id=team.slug,
                 forms=[form.schema for form, _ in plan.forms], serials=len(plan.serials),
                 language=plan.language)


def blank_forms_pdf(registry: FormRegistry, team: Team, form_ids: Sequence[str], *,
                    language: str, copies: int, size: str, large: bool,
                    issued_by: str | None = None,
                    rights: Sequence[Mapping[str, Any]] = ()) -> tuple[bytes, list[str]]:
    """A PDF with ``copies`` numbered copies of each form, the serials registered, in one
    transaction (the CLI; the web view commits between the steps)."""
    plan = plan_blank_forms(registry, form_ids, language=language, copies=copies, size=size,
                            large=large, rights=rights)
    pdf = render_blank_forms(plan)
    register_blank_forms(team, plan, issued_by)
    return pdf, plan.serials


def mark_entered(entered: Iterable[tuple[int, str, str]], now: datetime) -> None:
    """Record that (team, serial, envelope id) triples were entered; called by sync on push,
    inside its transaction. A serial this server issued to the team is now entered; typed-in
    serials of forms printed elsewhere have no row, and that is fine. Only the first entry
    counts, and only within the team the serial was issued to."""
    for team_id, serial, envelope_id in entered:
        db.session.execute(
            update(PaperSerial)
            .where(PaperSerial.serial == serial, PaperSerial.team_id == team_id,
                   PaperSerial.entered_at.is_(None))
            .values(entered_at=now, entered_envelope_id=envelope_id)
        )


def issued_elsewhere(serials: Iterable[str], team_id: int) -> set[str]:
    """Of ``serials``, those this server issued to another team than ``team_id``."""
    wanted = set(serials)
    if not wanted:
        return set()
    return set(db.session.execute(
        db.select(PaperSerial.serial)
        .where(PaperSerial.serial.in_(wanted), PaperSerial.team_id != team_id)
    ).scalars())


def open_serials(team: Team) -> list[PaperSerial]:
    """Issued serials never entered: the lost-forms list a supervisor follows up."""
    return list(db.session.execute(
        db.select(PaperSerial)
        .where(PaperSerial.team_id == team.id, PaperSerial.entered_at.is_(None))
        .order_by(PaperSerial.issued_at, PaperSerial.serial)
    ).scalars())


__all__ = ["KIT", "PAPER_FORMS", "BlankForms", "UnknownFormError", "blank_forms_pdf",
           "issue_serials", "issued_elsewhere", "mark_entered", "open_serials",
           "plan_blank_forms", "register_blank_forms", "render_blank_forms", "right_choices"]
