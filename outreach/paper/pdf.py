"""Blank, numbered paper forms rendered from the same definitions the app uses (fpdf2).

Why fpdf2: pure Python from PyPI (no system libraries beyond a font), fast (a 10-page kit in
well under a second, see bench/paper.py), embeds TrueType subsets, and shapes complex scripts
through HarfBuzz (uharfbuzz) when Arabic arrives with the translations."""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import segno
from fpdf import FPDF

from outreach.i18n import language_name, languages, text_direction
from outreach.paper.fonts import BOLD, REGULAR, font_path

PAGE_SIZES = {"a4": "A4", "letter": "Letter"}


def qr_payload(schema: str, language: str, serial: str) -> str:
    """What the QR code on a form says: enough for the app to open the right form version."""
    return f"outreach:1:{schema}:{language}:{serial}"


class FormPDF(FPDF):
    def __init__(self, size: str, large: bool, language: str = "en",
                 gettext: Callable[[str], str] = str) -> None:
        super().__init__(format=PAGE_SIZES[size])
        self.large = large
        self.language = language
        self.gettext = gettext
        self.set_lang(language)
        # Right-to-left languages: HarfBuzz shapes the script, and the page is mirrored (text
        # aligned right, tick boxes on the right, the QR code on the left).
        self.rtl = text_direction(language) == "rtl"
        self.align = "R" if self.rtl else "L"
        if self.rtl:
            self.set_text_shaping(use_shaping_engine=True, direction="rtl")
        self.add_font("body", "", str(font_path(REGULAR)))
        self.add_font("body", "B", str(font_path(BOLD)))
        self.set_auto_page_break(auto=True, margin=15)
        self.set_margins(15, 15, 15)

    def size(self, normal: float) -> float:
        return normal * (1.4 if self.large else 1.0)


def _qr_png(text: str) -> io.BytesIO:
    buffer = io.BytesIO()
    segno.make(text, error="m").save(buffer, kind="png", scale=6, border=2)
    buffer.seek(0)
    return buffer


def _header(pdf: FormPDF, form: Mapping[str, Any], serial: str, language: str) -> None:
    pdf.add_page()
    top = pdf.get_y()
    qr_x = pdf.l_margin if pdf.rtl else pdf.w - pdf.r_margin - 32
    pdf.image(_qr_png(qr_payload(form["schema"], language, serial)), x=qr_x, y=top, w=32, h=32)
    width = pdf.w - 30 - 36  # leave room for the QR code
    text_x = pdf.l_margin + 36 if pdf.rtl else pdf.l_margin
    pdf.set_x(text_x)
    pdf.set_font("body", "B", pdf.size(18))
    pdf.multi_cell(width, pdf.size(9), form["title"], align=pdf.align, new_x="LMARGIN",
                   new_y="NEXT")
    pdf.set_x(text_x)
    pdf.set_font("body", "", pdf.size(11))
    pdf.multi_cell(width, pdf.size(5.5), form.get("description", ""), align=pdf.align,
                   new_x="LMARGIN", new_y="NEXT")
    pdf.set_x(text_x)
    pdf.set_font("body", "B", pdf.size(12))
    number = pdf.gettext("No.")
    pdf.cell(width, pdf.size(8), f"{number} {serial}", align=pdf.align, new_x="LMARGIN",
             new_y="NEXT")
    pdf.set_y(max(pdf.get_y(), top + 36))


def _tick_row(pdf: FormPDF, text: str, tick: float, line: float) -> None:
    """A tick box and its text; the box is on the reading side (right for RTL)."""
    y = pdf.get_y()
    text_width = pdf.w - pdf.l_margin - pdf.r_margin - tick - 6
    if pdf.rtl:
        pdf.rect(pdf.w - pdf.r_margin - 2 - tick, y + 1, tick, tick)
        pdf.set_xy(pdf.l_margin, y)
    else:
        pdf.rect(pdf.l_margin + 2, y + 1, tick, tick)
        pdf.set_xy(pdf.l_margin + 4 + tick, y)
    pdf.multi_cell(text_width, line, text, align=pdf.align, new_x="LMARGIN", new_y="NEXT")
    pdf.set_y(max(pdf.get_y() + 1, y + tick + 2))


def _label(pdf: FormPDF, label: str) -> None:
    pdf.set_font("body", "B", pdf.size(11))
    pdf.multi_cell(0, pdf.size(6), label, align=pdf.align, new_x="LMARGIN", new_y="NEXT")


def _box(pdf: FormPDF, label: str, height: float) -> None:
    _label(pdf, label)
    if pdf.get_y() + height > pdf.h - 15:
        pdf.add_page()
    pdf.rect(pdf.l_margin, pdf.get_y(), pdf.w - 30, height)
    pdf.set_y(pdf.get_y() + height + 3)


def _choices(pdf: FormPDF, label: str, choices: Sequence[Mapping[str, str]]) -> None:
    _label(pdf, label)
    pdf.set_font("body", "", pdf.size(10))
    tick = pdf.size(4.5)
    for choice in choices:
        if pdf.get_y() + tick > pdf.h - 15:
            pdf.add_page()
        _tick_row(pdf, choice["label"], tick, pdf.size(6.5))
    pdf.ln(2)


def _fields(pdf: FormPDF, fields: Sequence[Mapping[str, Any]]) -> None:
    for field in fields:
        kind = field["type"]
        if kind in ("choice", "multichoice", "rights") and field.get("choices"):
            _choices(pdf, field["label"], field["choices"])
        elif kind == "boolean":
            _choices(pdf, field["label"], [{"label": pdf.gettext("Yes")},
                                           {"label": pdf.gettext("No")}])
        elif kind == "languages":
            _choices(pdf, field["label"], [{"label": language_name(code, pdf.language)}
                                           for code in field.get("values") or languages().codes])
        elif kind in ("textarea", "text_list", "action_list", "person_list"):
            _box(pdf, field["label"], pdf.size(30 if kind != "action_list" else 60))
        elif kind == "number" and "min" in field and "max" in field \
                and field["max"] - field["min"] <= 10:
            _scale(pdf, field["label"], field["min"], field["max"])  # a level, ticked
        elif kind in ("domain_scores", "domain_barriers", "member_domain_scores",
                      "empowerment"):
            continue  # drawn by _assessment
        else:
            _box(pdf, field["label"], pdf.size(10))


def _assessment(pdf: FormPDF, form: Mapping[str, Any]) -> None:
    """One block per domain: five tick boxes, each beside its anchored description."""
    tick = pdf.size(5)
    for domain in form["domains"]:
        needed = pdf.size(8) + 5 * pdf.size(9)
        if pdf.get_y() + needed > pdf.h - 15:
            pdf.add_page()
        pdf.set_font("body", "B", pdf.size(12))
        pdf.cell(0, pdf.size(8), domain["label"], align=pdf.align, new_x="LMARGIN",
                 new_y="NEXT")
        pdf.set_font("body", "", pdf.size(9))
        for anchor in domain["anchors"]:
            _tick_row(pdf, f"{anchor['level']}  {anchor['label']}: {anchor['description']}",
                      tick, pdf.size(4.5))
        pdf.ln(2)


def _scale(pdf: FormPDF, label: str, low: int, high: int) -> None:
    """A question answered on a scale: its label, then one numbered tick box per level in a
    row (from the reading side)."""
    tick = pdf.size(5)
    if pdf.get_y() + pdf.size(6) + tick + 6 > pdf.h - 15:
        pdf.add_page()
    pdf.set_font("body", "", pdf.size(10))
    pdf.multi_cell(0, pdf.size(5.5), label, align=pdf.align, new_x="LMARGIN", new_y="NEXT")
    y = pdf.get_y() + 1
    step = tick + pdf.size(9)
    for index, level in enumerate(range(low, high + 1)):
        x = (pdf.w - pdf.r_margin - 2 - tick - index * step) if pdf.rtl \
            else pdf.l_margin + 2 + index * step
        pdf.rect(x, y, tick, tick)
        pdf.set_xy(x + tick + 1 if not pdf.rtl else x - pdf.size(6), y)
        pdf.cell(pdf.size(5), tick, str(level))
    pdf.set_y(y + tick + 3)


def _empowerment(pdf: FormPDF, form: Mapping[str, Any]) -> None:
    """The household's own view (confidence, coping), on the sheet as in the app: one scale per
    question, under the empowerment field's label."""
    field = next((f for f in form["fields"] if f["type"] == "empowerment"), None)
    label = field["label"] if field else form.get("empowerment_label")
    if label is None or not form.get("empowerment"):
        return
    if pdf.get_y() + pdf.size(30) > pdf.h - 15:
        pdf.add_page()
    _label(pdf, label)
    for question in form["empowerment"]:
        _scale(pdf, question["label"], question["min"], question["max"])
    pdf.ln(2)


def render_forms(
    form: Mapping[str, Any],
    serials: Sequence[str],
    *,
    language: str = "en",
    size: str = "a4",
    large: bool = False,
    pdf: FormPDF | None = None,
    gettext: Callable[[str], str] = str,
) -> FormPDF:
    """Add one copy of ``form`` per serial to ``pdf`` (a new document if None). ``form`` is
    already in the household's language; ``gettext`` translates the sheet's own words."""
    pdf = pdf or FormPDF(size, large, language, gettext)
    for serial in serials:
        _header(pdf, form, serial, language)
        _fields(pdf, form["fields"])
        if "domains" in form:
            _assessment(pdf, form)
        _empowerment(pdf, form)
    return pdf


def to_bytes(pdf: FPDF) -> bytes:
    return bytes(pdf.output())
