"""Benchmark: pages per second for blank paper forms, against a baseline of a one-line page.

Run: `.venv/bin/python bench/paper.py`. Not a test: prints figures only.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from outreach.forms.registry import load_registry
from outreach.forms.serials import make_paper_serial
from outreach.paper.pdf import FormPDF, render_forms, to_bytes

KIT = ("visit", "assessment", "consent", "plan")


def kit(copies: int) -> tuple[float, int, int]:
    registry = load_registry().latest()
    start = time.perf_counter()
    pdf = None
    for number, form_id in enumerate(KIT):
        serials = [make_paper_serial("BEN", number * 1000 + i) for i in range(copies)]
        pdf = render_forms(registry[form_id].document, serials, pdf=pdf)
    assert pdf is not None
    data = to_bytes(pdf)
    return time.perf_counter() - start, pdf.pages_count, len(data)


def baseline(pages: int) -> float:
    start = time.perf_counter()
    pdf = FormPDF("a4", large=False)
    pdf.set_font("body", "", 12)
    for n in range(pages):
        pdf.add_page()
        pdf.cell(0, 10, f"page {n}")
    to_bytes(pdf)
    return time.perf_counter() - start


def main() -> None:
    kit(1)  # warm-up: font parsing
    for copies in (1, 5, 20):
        seconds, pages, size = kit(copies)
        base = baseline(pages)
        print(f"kit x{copies:>2}: {pages:3} pages in {seconds * 1000:6.0f} ms = "
              f"{pages / seconds:6.1f} pages/s, {size / pages / 1024:5.1f} KiB/page; "
              f"one-line pages: {pages / base:7.1f} pages/s "
              f"(forms at {base / seconds:.0%} of that)")


if __name__ == "__main__":
    main()
