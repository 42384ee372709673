"""Review by a native speaker: export what is unreviewed, confirm two entries, import; status
counts them, per locale, for the interface and household outputs separately."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

from babel.messages.pofile import read_po, write_po

from outreach.i18n import catalogs, review

SHIPPED = Path(__file__).resolve().parents[2] / "translations"


def test_review_round_trip_marks_confirmed_entries_and_status_shows_them(app, tmp_path):
    directory = tmp_path / "translations"
    shutil.copytree(SHIPPED, directory)
    before = {row.locale: row for row in review.review_status(directory)}["ro"]

    exported = io.BytesIO()
    count = review.export_unreviewed("ro", directory, exported)
    assert count == before.interface.total + before.households.total - (
        before.interface.reviewed + before.households.reviewed)
    exported.seek(0)
    sheet = read_po(exported, locale="ro")
    assert all(m.fuzzy for m in sheet if m.id)  # every entry asks for review
    # The reviewer confirms one household string as it is, corrects another, leaves the rest.
    confirmed = sheet.get("Action plan")
    corrected = sheet.get("Who to call")
    confirmed.flags.discard("fuzzy")
    corrected.flags.discard("fuzzy")
    corrected.string = "Pe cine sunați"
    back = io.BytesIO()
    write_po(back, sheet)
    back.seek(0)
    result = review.import_reviewed("ro", directory, back)
    assert (result.reviewed, result.changed) == (2, 1)

    after = {row.locale: row for row in review.review_status(directory)}["ro"]
    assert after.households.reviewed == before.households.reviewed + 2
    assert after.interface.reviewed == before.interface.reviewed
    assert catalogs.load("ro", directory).get("Who to call").string == "Pe cine sunați"
    assert "Action plan" in review.reviewed_keys("ro", directory)
    # Exported again, only what is still unreviewed goes out.
    again = io.BytesIO()
    assert review.export_unreviewed("ro", directory, again) == count - 2
    # A translation changed after the review is unreviewed again.
    catalog = catalogs.load("ro", directory)
    catalog.get("Action plan").string = "Plan"
    with catalogs.po_path("ro", directory).open("wb") as handle:
        write_po(handle, catalog)
    assert "Action plan" not in review.reviewed_keys("ro", directory)


def test_cli_review_and_status(app, tmp_path):
    directory = tmp_path / "translations"
    shutil.copytree(SHIPPED, directory)
    from outreach import create_app
    from outreach.config import Config

    cli_app = create_app(Config.from_env({}, testing=True, translations_dir=directory,
                                         database_url=app.config["SQLALCHEMY_DATABASE_URI"]))
    runner = cli_app.test_cli_runner()
    out = tmp_path / "bg.po"
    result = runner.invoke(args=["i18n", "review", "bg", "--out", str(out), "--households"])
    assert result.exit_code == 0, result.output
    with out.open("rb") as handle:
        sheet = read_po(handle, locale="bg")
    first, second = [m for m in sheet if m.id][:2]
    for message in (first, second):
        message.flags.discard("fuzzy")
    with out.open("wb") as handle:
        write_po(handle, sheet)
    result = runner.invoke(args=["i18n", "review", "bg", "--import", str(out)])
    assert "2 entries marked reviewed" in result.output, result.output
    status = runner.invoke(args=["i18n", "status", "--locale", "bg"]).output
    row = next(line for line in status.splitlines() if line.startswith("bg"))
    interface, households = row.split()[1:4], row.split()[4:7]
    assert households[1] == "2"
    assert interface[1] == "0"
