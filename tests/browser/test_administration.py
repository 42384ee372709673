"""Administration from the app, in real Chromium: a lost phone revoked in two taps wipes at
its next contact, and a household erased from the supervisor's phone while a worker's phone
was offline is gone from that phone's stores after it syncs; an access export printed offline
(and an outbox saved as a file) reaches the audit log once the signal returns, once; a new
phone joins with an enrolment code."""

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

    def exports(action: str = "access_export") -> list[dict]:
        return world.client.get(f"/api/v1/audit?action={action}",
                                headers=admin.headers).get_json()["events"]

    context.set_offline(True)  # printed in a house with no signal
    new_household(page, "Familia Nesincronizată")  # waits in the outbox
    home(page)
    page.click("#settings-link")
    with page.expect_download():
        page.click("#export-outbox")  # the outbox saved as a file: also reported
    open_household(page, "Familia Tipărită")
    page.click("#access-export")
    page.wait_for_selector("#access-sheet .access-record")
    shown = page.locator("#access-sheet .access-record").count()
    page.click("#print-access")
    page.wait_for_function(f"async () => (await ({REPORTS})()).length === 2")
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
    (saved,) = exports("outbox_export")
    assert saved["details"]["records"] == 1
    assert "Familia" not in str(logged)


def test_a_new_phone_enrols_with_a_code_gets_its_device_and_syncs(app_page):
    from outreach import crypto

    page, _context, world, _server = app_page
    admin = world.login("admin1")
    invited = world.client.post("/api/v1/enrolments", headers=admin.headers, json={
        "username": "nora", "display_name": "Nora Új", "role": "worker", "teams": ["east"]})
    assert invited.status_code == 201, invited.get_json()
    code = invited.get_json()["code"]
    page.evaluate(f"location.hash = '#/enrol/{code.lower()}'; location.reload()")
    page.wait_for_selector("#enrol-who:has-text('nora')")  # whom the code enrols, before joining
    page.fill("#enrol-passphrase", "a river runs under the old bridge")
    page.fill("#enrol-again", "a river runs under the old bridge")
    page.click("#enrol button[type=submit]")
    page.wait_for_selector("#pin")  # logged in: a PIN for offline unlock, as after a login
    page.fill("#pin", "2468")
    page.click("button[type=submit]")
    page.wait_for_selector("#teams")
    settled(page)  # the new device's tokens sync

    devices = [d for d in world.client.get("/api/v1/devices", headers=admin.headers)
               .get_json()["devices"] if d["username"] == "nora"]
    assert len(devices) == 1
    assert devices[0]["revoked_at"] is None
    assert devices[0]["last_seen_at"] is not None
    used = world.client.post("/api/v1/auth/enrolment", json={"code": code})
    assert used.get_json()["type"] == "/problems/enrolment-invalid"  # once only

    # What the supervisor's phone does for a pending member: the team key, sealed to her.
    supervisor = world.login("supervisor1")
    members = world.client.get("/api/v1/teams/east/members",
                               headers=supervisor.headers).get_json()["members"]
    nora = next(m for m in members if m["username"] == "nora")
    assert nora["pending"]
    grant = crypto.grant_team_key(supervisor.team_private_key("east"),
                                  crypto.load_public_key(nora["public_key"]))
    granted = world.client.post("/api/v1/teams/east/grants", headers=supervisor.headers, json={
        "version": 1, "grants": [supervisor.sign_grant("east", 1, nora["user_id"],
                                                       nora["public_key"], grant)]})
    assert granted.get_json() == {"written": 1}

    wait_until_synced(page)  # the grant arrives with the next sync
    new_household(page, "Familia Norei")
    home(page)
    wait_until_synced(page)
    (sealed,) = [e for e in pulled(world, "household")
                 if e["plaintext"]["display_name"] == "Familia Norei"]
    assert sealed["device_id"] == devices[0]["id"]  # signed by the enrolled phone
