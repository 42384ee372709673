"""Issue numbered blank forms to a team, and list the ones never entered (lost forms)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime

from sqlalchemy import update

from outreach.errors import NotFound, ValidationProblem
from outreach.extensions import db
from outreach.forms.registry import FormRegistry, UnknownFormError
from outreach.forms.serials import make_paper_serial
from outreach.i18n import LOCALES, translate_document, translator
from outreach.paper.models import PaperSerial
from outreach.paper.pdf import render_forms, to_bytes
from outreach.teams.models import Team

# The forms that exist on paper, with their serial prefixes. Not every form does: a supervisor's
# review is made in the app, over a visit it has already synced.
PREFIXES = {"household": "HH", "person": "PER", "visit": "VIS", "assessment": "ASM",
            "note": "NOTE", "plan": "PLN", "referral": "REF", "consent": "CON"}
PAPER_FORMS = tuple(PREFIXES)
KIT = ("visit", "assessment", "consent", "plan")
MAX_COPIES = 200


def _next_numbers(prefix: str, count: int) -> list[int]:
    existing = db.session.execute(
        db.select(PaperSerial.serial).where(PaperSerial.serial.like(f"{prefix}-%"))
    ).scalars()
    highest = max((int(s.split("-")[1]) for s in existing), default=0)
    return list(range(highest + 1, highest + 1 + count))


def issue_serials(team: Team, schema: str, language: str, copies: int,
                  issued_by: str | None = None) -> list[str]:
    """Register ``copies`` new serials for ``schema`` as issued to ``team``; caller commits."""
    if not 1 <= copies <= MAX_COPIES:
        raise ValidationProblem(errors={"copies": [f"Between 1 and {MAX_COPIES}."]})
    prefix = PREFIXES[schema.split("@", 1)[0]]
    serials = [make_paper_serial(prefix, n) for n in _next_numbers(prefix, copies)]
    for serial in serials:
        db.session.add(PaperSerial(serial=serial, team_id=team.id, form_schema=schema,
                                   language=language, issued_by=issued_by))
    db.session.flush()
    return serials


def blank_forms_pdf(registry: FormRegistry, team: Team, form_ids: Sequence[str], *,
                    language: str, copies: int, size: str, large: bool,
                    issued_by: str | None = None) -> tuple[bytes, list[str]]:
    """A PDF with ``copies`` numbered copies of each form; the serials are registered."""
    if size not in ("a4", "letter"):
        raise ValidationProblem(errors={"size": ["a4 or letter."]})
    if language not in LOCALES:
        raise ValidationProblem(errors={"lang": ["Not a supported language."]})
    latest = registry.latest()
    pdf, issued = None, []
    for form_id in form_ids:
        if form_id not in latest or form_id not in PREFIXES:
            raise NotFound(f"No form {form_id!r}.")
        form = latest[form_id]
        serials = issue_serials(team, form.schema, language, copies, issued_by)
        # Blank forms are for the household: their language, not the worker's.
        document = translate_document(form.document, language) if language != "en" \
            else form.document
        pdf = render_forms(document, serials, language=language, size=size, large=large,
                           pdf=pdf, gettext=translator(language))
        issued += serials
    assert pdf is not None  # noqa: S101 (form_ids is never empty)
    return to_bytes(pdf), issued


def mark_entered(entered: Iterable[tuple[str, str]], now: datetime) -> None:
    """Record that (serial, envelope id) pairs were entered; called by sync on push, inside its
    transaction. A serial printed by this server is now entered; typed-in serials of forms
    printed elsewhere have no row, and that is fine. Only the first entry counts."""
    for serial, envelope_id in entered:
        db.session.execute(
            update(PaperSerial)
            .where(PaperSerial.serial == serial, PaperSerial.entered_at.is_(None))
            .values(entered_at=now, entered_envelope_id=envelope_id)
        )


def open_serials(team: Team) -> list[PaperSerial]:
    """Issued serials never entered: the lost-forms list a supervisor follows up."""
    return list(db.session.execute(
        db.select(PaperSerial)
        .where(PaperSerial.team_id == team.id, PaperSerial.entered_at.is_(None))
        .order_by(PaperSerial.issued_at, PaperSerial.serial)
    ).scalars())


__all__ = ["KIT", "PAPER_FORMS", "UnknownFormError", "blank_forms_pdf", "issue_serials",
           "mark_entered", "open_serials"]
