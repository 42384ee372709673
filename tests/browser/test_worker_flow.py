"""A worker's day without signal: household, member, visit, assessment, note and plan recorded
offline, kept through a reload, synced when the signal returns, only ciphertext on the server."""

from __future__ import annotations

import io
import unicodedata
import uuid
from pathlib import Path

import pytest

from tests.browser.pwa import (
    home,
    log_in,
    new_household,
    open_household,
    pulled,
    record_visit,
    settled,
    submit,
    unlock,
    wait_until_synced,
    waiting_count,
    write_note,
)

pytestmark = pytest.mark.slow


def fill_plan(page, goals: str, actions: list[tuple[str, str, str | None]]) -> None:
    page.click("#edit-plan")
    page.wait_for_selector("#form-plan")
    page.fill("#f-goals", goals)
    for index, (what, owner, due) in enumerate(actions):
        if not page.locator(f"#action-{index}").count():
            page.click("#add-action")
        page.fill(f"#action-{index}", what)
        page.select_option(f"#owner-{index}", owner)
        if due:
            page.fill(f"#due-{index}", due)


def test_a_whole_visit_recorded_offline_survives_a_reload_and_reaches_the_server_sealed(
        app_page, database_url):
    page, context, world, _server = app_page
    token = uuid.uuid4().hex[:12]
    family, member, note = f"Ștefănescu-{token}", f"Ana-{token}", f"Heating broke-{token}"
    log_in(page, "worker1")
    settled(page)
    context.set_offline(True)

    new_household(page, family, language="ro")
    page.click("#add-person")
    page.fill("#f-name", member)
    page.select_option("#f-age_band", "25-49")
    page.select_option("#f-sex", "female")
    submit(page)
    page.wait_for_selector(f"#members li:has-text('{member}')")
    record_visit(page, area="EAST-07", present=[member], next_contact="2026-12-10")
    page.click("#add-assessment")
    page.check("#domain-energy input[value='1']")
    page.click("#member-scores summary")  # a member whose situation differs
    page.select_option("#member-scores select[data-domain=education]", "2")
    submit(page)
    page.wait_for_selector("#progress tr[data-domain=energy]")
    write_note(page, note)
    fill_plan(page, "Warm home before winter",
              [("Call the energy supplier", "worker", "2026-12-01")])
    submit(page)
    page.wait_for_selector("article.print-plan")
    page.click("#close-print")
    page.wait_for_selector("#household-name")
    home(page)
    assert waiting_count(page) == 6

    page.reload()  # the battery dies; the app opens again, still without signal
    unlock(page)
    open_household(page, family)
    assert member in page.inner_text("#members")
    assert note in page.inner_text("#notes")
    assert "Call the energy supplier" in page.inner_text("#plan")
    assert page.locator("#visits li").count() == 1
    assert page.inner_text("#progress tr[data-domain=energy] td") == "1"

    context.set_offline(False)
    home(page)
    wait_until_synced(page)
    (person,) = pulled(world, "person")
    (visit,) = pulled(world, "visit")
    assert visit["plaintext"]["present"] == [person["record_id"]]
    # Minimal clear meta: the month, the area, the contact type; the rest is sealed.
    assert visit["meta"] == {"area": "EAST-07", "contact_type": "home_visit",
                             "date": visit["plaintext"]["date"][:7], "source": "app"}
    assert visit["created_at"].endswith("-01T00:00:00Z")
    assert set(person["meta"]) == {"date", "source"}
    assert person["plaintext"]["age_band"] == "25-49"
    (assessment,) = pulled(world, "assessment")
    assert assessment["plaintext"]["member_scores"] == {person["record_id"]: {"education": 2}}
    assert set(assessment["meta"]) == {"date", "source"}
    assert "name" not in person["meta"]
    (plan,) = pulled(world, "plan")
    assert plan["plaintext"]["actions"][0]["due"] == "2026-12-01"
    # One household language, the household's own; the plan names the worker for the household.
    assert "household_language" not in plan["plaintext"]
    assert pulled(world, "household")[0]["plaintext"]["household_language"] == "ro"
    assert plan["plaintext"]["worker_name"] == "Ana Lungu"
    assert {e["case_id"] for t in ("household", "person", "visit", "assessment", "note", "plan")
            for e in pulled(world, t)} == {person["case_id"]}

    # The server keeps bytes in the database and its WAL: none of them is the plaintext.
    db_path = Path(database_url.removeprefix("sqlite:///"))
    stored = b"".join(p.read_bytes() for p in db_path.parent.glob(db_path.name + "*"))
    assert token.encode() not in stored
    assert b"Warm home before winter" not in stored
    assert b"EAST-07" in stored  # control: the scan sees what is meant to be in the clear


def test_a_draft_survives_a_reload_encrypted(app_page):
    page, _context, _world, _server = app_page
    log_in(page, "worker1")
    new_household(page, "Familia Draft")
    page.click("#add-note")
    page.fill("#f-text", "half a sentence")
    # Autosave runs a moment after typing stops: wait for its encrypted draft to be stored.
    page.wait_for_function("""() => new Promise((resolve) => {
        const open = indexedDB.open('outreach');
        open.onsuccess = () => {
          const count = open.result.transaction('drafts').objectStore('drafts').count();
          count.onsuccess = () => { open.result.close(); resolve(count.result > 0); };
        };
      })""")
    stored = page.evaluate("""new Promise((resolve) => {
        const open = indexedDB.open('outreach');
        open.onsuccess = () => {
          const all = open.result.transaction('drafts').objectStore('drafts').getAll();
          all.onsuccess = () => resolve(JSON.stringify(all.result.map((d) => Array.from(d.ct))));
        };
      })""")
    assert "half a sentence" not in stored
    assert stored != "[]"
    page.reload()
    unlock(page)
    page.wait_for_selector("#f-text")  # the same screen, after the PIN
    assert page.input_value("#f-text") == "half a sentence"


def test_the_printed_plan_follows_the_households_language_right_to_left(app_page):
    from pypdf import PdfReader

    page, context, world, _server = app_page
    log_in(page, "worker1")  # the worker's interface stays English
    settled(page)
    new_household(page, "Familia Haddad", language="ar")
    page.click("#add-referral")
    page.select_option("#f-status", "agreed")
    service_id = "welfare-office"
    page.select_option("#f-service", service_id)
    submit(page)
    page.wait_for_selector("#referrals li")
    context.set_offline(True)  # printing works offline
    fill_plan(page, "Heating before winter\nA school place for Amal",
              [("Call the energy supplier", "worker", "2026-12-15"),
               ("Bring the last three bills", "client", None)])
    page.fill("#f-next_visit", "2027-01-05")
    submit(page)
    page.wait_for_selector("article.print-plan")
    assert page.get_attribute("article.print-plan", "dir") == "rtl"
    assert page.get_attribute("html", "dir") == "ltr"  # the app around it stays the worker's
    assert page.inner_text("#close-print") == "Close"
    pdf = page.pdf(format="A4")
    pages = PdfReader(io.BytesIO(pdf)).pages
    # Chromium embeds shaped Arabic (presentation forms); NFKC maps them back to letters.
    text = unicodedata.normalize("NFKC", " ".join(p.extract_text() for p in pages))
    assert "خطة العمل" in text
    assert "Call the energy supplier" in text
    assert "Bring the last three bills" in text
    assert "A school place for Amal" in text
    from outreach.config import PACKAGE
    from outreach.teams.catalogue import load_catalogue

    (service,) = [s for s in load_catalogue(PACKAGE / "teams" / "catalogues" / "default.json")
                  if s["id"] == service_id]
    # The referred service, named in Arabic from the catalogue's data, with how to reach it.
    # (its Arabic words: a PDF's text runs of mixed direction come out in visual order)
    assert service["translations"]["ar"]["name"].split(" (")[0] in text
    assert service["phone"] in text
    assert "Close" not in text  # buttons are not printed
    assert len(pages) == 1
    context.set_offline(False)
    page.click("#close-print")
    home(page)
    wait_until_synced(page)
    assert [len(p["plaintext"]["actions"]) for p in pulled(world, "plan")] == [2]
    assert [set(p["meta"]) for p in pulled(world, "plan")] == [{"date", "source"}]
