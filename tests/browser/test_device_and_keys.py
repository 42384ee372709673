"""The phone as the place where data is most at risk: wipe on request, dead-man wipe after a
long silence, and team keys handed to a new member or rotated from the supervisor's phone."""

from __future__ import annotations

import pytest

from tests.browser.pwa import (
    PASSPHRASE,
    assert_nothing_left,
    home,
    household_names,
    log_in,
    new_household,
    settled,
    unlock,
    wait_until_synced,
)

pytestmark = pytest.mark.slow

SET_LAST_CONTACT = """(days) => new Promise((resolve) => {
  const open = indexedDB.open('outreach');
  open.onsuccess = () => {
    const store = open.result.transaction('session', 'readwrite').objectStore('session');
    const get = store.get('current');
    get.onsuccess = () => {
      const session = get.result;
      session.lastContact = new Date(Date.now() - days * 86400000).toISOString();
      store.put(session, 'current').onsuccess = () => { open.result.close(); resolve(); };
    };
  };
})"""


def test_a_phone_silent_for_too_long_wipes_itself_at_the_next_unlock(app_page):
    page, context, _world, _server = app_page
    log_in(page, "worker1")
    settled(page)
    context.set_offline(True)
    new_household(page, "Familia Offline")
    page.evaluate(SET_LAST_CONTACT, 29)
    page.reload()
    unlock(page)  # 29 days: still fine
    page.wait_for_selector("#household-name")
    page.evaluate(SET_LAST_CONTACT, 31)
    page.reload()  # never online again, and still it wipes
    page.wait_for_selector("#username")
    assert "wiped" in page.inner_text(".notice")
    assert_nothing_left(page, "Familia Offline")
    page.reload()
    page.wait_for_selector("#username")
    assert page.locator("#pin").count() == 0


def test_wipe_this_phone_needs_a_confirmation_and_leaves_nothing(app_page):
    page, _context, _world, _server = app_page
    log_in(page, "worker1")
    new_household(page, "Familia Wipe")
    home(page)
    page.click("#settings-link")
    page.click("#wipe")  # not confirmed: the confirmation is asked for, nothing is wiped
    page.wait_for_selector("#wipe-confirm:focus")
    assert page.locator("#wipe").count() == 1
    page.check("#wipe-confirm")
    page.click("#wipe")
    page.wait_for_selector("#username")
    assert_nothing_left(page, "Familia Wipe")
    page.reload()
    page.wait_for_selector("#username")
    assert page.locator("#pin").count() == 0


def test_the_supervisor_gives_a_new_member_access_and_rotates_the_team_key(
        app_page, chromium):
    from outreach import crypto
    from outreach.auth import service as auth
    from outreach.extensions import db
    from outreach.teams import service as teams
    from outreach.teams.models import Team

    page, _context, world, server = app_page
    east = world.login("worker2")
    east.sync(push=[east.seal("household", "east", {"display_name": "Familia Rostaș"},
                              meta={"area": "EAST-01"})])
    with world.app.app_context():  # what an admin does: a user and a membership, no key
        newcomer = auth.add_user(organisation_id=world.organisation_id, username="newcomer",
                                 role="worker", passphrase=PASSPHRASE)
        team = db.session.execute(db.select(Team).where(Team.slug == "east")).scalar_one()
        teams.add_member(team, newcomer)
        db.session.commit()

    log_in(page, "supervisor1")
    settled(page)
    page.evaluate("location.hash = '#/team/east'")
    page.wait_for_selector("#members li[data-user=newcomer][data-pending=true] button.grant")
    page.click("#members li[data-user=newcomer] button.grant")
    page.wait_for_selector("#members li[data-user=newcomer]:not([data-pending])")

    phone = chromium.new_context(viewport={"width": 360, "height": 740})
    newcomer_page = phone.new_page()
    newcomer_page.goto(server.url + "/")
    log_in(newcomer_page, "newcomer")
    newcomer_page.wait_for_selector("#households li")
    assert household_names(newcomer_page) == ["Familia Rostaș"]  # opened with the new grant

    page.click("#rotate-key")
    page.wait_for_function("document.querySelector('#team-version')?.dataset.version === '2'")
    new_household(page, "Familia Nouă")
    home(page)
    wait_until_synced(page)
    latest = [e for e in world.login("worker2").pull_all() if e["type"] == "household"][-1]
    assert next(k["kid"] for k in latest["keys"]) == "team:east:2"
    reader = world.login("worker1")  # every member got a grant for version 2
    key_v2 = reader.team_private_key("east", version=2)
    assert crypto.open_envelope(latest, "team:east:2", key_v2)["display_name"] == "Familia Nouă"

    # The newcomer's phone picks up version 2 with its next sync, and reads the new household.
    wait_until_synced(newcomer_page)
    newcomer_page.wait_for_function(
        "[...document.querySelectorAll('#households li .name')].length === 2", timeout=20000)
    phone.close()
