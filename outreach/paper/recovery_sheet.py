"""The organisation's recovery key on paper: QR code, 24 words and what to do with them."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from outreach.paper.pdf import FormPDF, _qr_png, to_bytes

INSTRUCTIONS = (
    "This sheet can decrypt every record of the organisation. Keep it locked away, offline, "
    "and never photograph it or type it into a phone.",
    "Use it only when every supervisor of a team has lost access, or for a recovery drill: "
    "on an offline computer, run `flask --app outreach recover --export <file> --words "
    "\"<the 24 words>\" --out <folder>` (see docs/recovery.md).",
    "Destroy the folder of recovered records when the recovery is done.",
)


def recovery_sheet_pdf(organisation: str, words: Sequence[str], public_key: str) -> bytes:
    pdf = FormPDF("a4", large=False)
    pdf.add_page()
    pdf.set_font("body", "B", 18)
    pdf.multi_cell(0, 10, f"Recovery key: {organisation}", new_x="LMARGIN", new_y="NEXT")
    fingerprint = hashlib.sha256(public_key.encode()).hexdigest()[:16]
    pdf.set_font("body", "", 10)
    pdf.multi_cell(0, 6, f"Public key fingerprint {fingerprint}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    top = pdf.get_y()
    pdf.image(_qr_png(" ".join(words)), x=pdf.l_margin, y=top, w=60, h=60)
    pdf.set_font("body", "B", 13)
    for index, word in enumerate(words):
        column, row = divmod(index, 12)
        pdf.set_xy(pdf.l_margin + 70 + column * 55, top + row * 7)
        pdf.cell(55, 7, f"{index + 1:>2}. {word}")
    pdf.set_xy(pdf.l_margin, top + 12 * 7 + 8)
    pdf.set_font("body", "", 11)
    for paragraph in INSTRUCTIONS:
        pdf.multi_cell(0, 6, paragraph, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    return to_bytes(pdf)
