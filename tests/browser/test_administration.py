"""Administration from the app, in real Chromium: a lost phone revoked in two taps wipes at
its next contact, and a household erased from the supervisor's phone while a worker's phone
was offline is gone from that phone's stores after it syncs."""

from __future__ import annotations

import pytest

from tests.browser.pwa import (
    assert_nothing_left,
    home,
    household_names,
    log_in,
    new_household,
    open_household,
    pulled,
    settled,
    wait_until_synced,
)

RECORD_IDS = """async () => {
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const db = await request(indexedDB.open("outreach"));
  const ids = [];
  for (const store of ["records", "outbox"]) {
    const rows = await request(db.transaction(store).objectStore(store).getAll());
    ids.push(...rows.map((e) => e.record_id));
  }
  db.close();
  return ids;
}"""

pytestmark = pytest.mark.slow


def test_a_lost_phone_is_revoked_in_two_taps_and_wipes_at_its_next_contact(app_page,
                                                                            second_phone):
    page, _context, world, _server = app_page
    supervisor, _ = second_phone
    log_in(page, "worker1")
    settled(page)
    new_household(page, "Familia Pierdută")
    home(page)
    wait_until_synced(page)
    log_in(supervisor, "supervisor1")
    supervisor.evaluate("location.hash = '#/admin/devices'")
    row = supervisor.locator("#devices li", has_text="worker1").first
    row.locator("button.revoke").click()  # tap one
    row.locator("select").select_option("lost")
    row.locator("button.confirm-revoke").click()  # tap two
    supervisor.wait_for_selector("a.rotate-offer[data-team=east]")  # the offer to rotate
    audit = world.client.get("/api/v1/audit?action=device_revoked",
                             headers=world.login("admin1").headers).get_json()["events"]
    assert audit[0]["actor"] == "supervisor1"
    assert audit[0]["details"]["reason"] == "lost"
    page.evaluate("dispatchEvent(new Event('online'))")  # the lost phone's next contact
    page.wait_for_selector("#username")
    assert_nothing_left(page, "Familia Pierdută")  # looked at inside every store
    supervisor.click("a.rotate-offer[data-team=east]")
    supervisor.wait_for_selector("#rotate-key")


def test_a_household_erased_while_a_phone_is_offline_is_gone_from_it_after_it_syncs(
        app_page, second_phone):
    page, context, world, _server = app_page
    supervisor, _ = second_phone
    log_in(page, "worker1")
    settled(page)
    new_household(page, "Familia Ștearsă")
    home(page)
    new_household(page, "Familia Rămasă")
    home(page)
    wait_until_synced(page)
    erased = {e["record_id"] for e in pulled(world, "household")
              if e["plaintext"]["display_name"] == "Familia Ștearsă"}
    kept = {e["record_id"] for e in pulled(world, "household")
            if e["plaintext"]["display_name"] == "Familia Rămasă"}
    assert erased <= set(page.evaluate(RECORD_IDS))
    context.set_offline(True)  # the worker's phone is out of signal during the erasure
    log_in(supervisor, "supervisor1")
    settled(supervisor)
    open_household(supervisor, "Familia Ștearsă")
    supervisor.click("#erase-household")
    supervisor.select_option("#erase-reason", "subject_request")
    supervisor.check("#erase-confirm")
    supervisor.click("#erase-now")
    supervisor.wait_for_selector("#new-household")
    assert "Familia Ștearsă" not in household_names(supervisor)
    assert not erased & set(supervisor.evaluate(RECORD_IDS))
    assert pulled(world, "household")
    assert all(
        e["record_id"] not in erased for e in pulled(world, "household"))
    context.set_offline(False)
    home(page)
    wait_until_synced(page)
    page.wait_for_function("!document.body.innerText.includes('Familia Ștearsă')")
    held = set(page.evaluate(RECORD_IDS))
    assert not erased & held  # inside the phone's stores, not only off the screen
    assert kept <= held
    assert "Familia Rămasă" in household_names(page)


REPORTS = """async () => {
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const db = await request(indexedDB.open("outreach"));
  const rows = await request(db.transaction("session").objectStore("session").get("reports"));
  db.close();
  return rows ?? [];
}"""


def test_an_access_export_done_offline_reaches_the_audit_log_once(app_page):
    page, context, world, _server = app_page
    log_in(page, "worker1")
    settled(page)
    new_household(page, "Familia Tipărită")
    home(page)
    wait_until_synced(page)
    admin = world.login("admin1")

    def exports() -> list[dict]:
        return world.client.get("/api/v1/audit?action=access_export",
                                headers=admin.headers).get_json()["events"]

    context.set_offline(True)  # printed in a house with no signal
    open_household(page, "Familia Tipărită")
    page.click("#access-export")
    page.wait_for_selector("#access-sheet .access-record")
    shown = page.locator("#access-sheet .access-record").count()
    page.click("#print-access")
    page.wait_for_function(f"async () => (await ({REPORTS})()).length === 1")
    assert exports() == []
    # The first report reaches the server but its answer is lost: the phone sends it again.
    answered: list[int] = []

    def lose_first_answer(route):  # type: ignore[no-untyped-def]
        if answered:
            route.continue_()
            return
        answered.append(route.fetch().status)
        route.abort()

    page.route("**/api/v1/audit/events", lose_first_answer)
    context.set_offline(False)
    page.evaluate("dispatchEvent(new Event('online'))")
    page.wait_for_function(f"async () => (await ({REPORTS})()).length === 0",
                           timeout=60_000)
    assert answered == [204]
    logged = exports()
    assert len(logged) == 1  # once, not once per try
    assert logged[0]["actor"] == "worker1"
    assert logged[0]["details"]["records"] == shown
    assert "done_at" in logged[0]["details"]
    assert "Familia" not in str(logged)
