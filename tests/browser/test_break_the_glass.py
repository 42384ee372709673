"""Break-the-glass from the phones, in real Chromium against the real server: a supervisor of
another team asks with a reason (too short is refused on the phone), the team's supervisor
sees it and approves on the phone holding the team key, the requester reads the household,
every step is in the audit log without the reason or any content, and the access expires."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.admin.helpers import add_supervisor
from tests.browser.pwa import home, log_in, new_household, settled, wait_until_synced

pytestmark = pytest.mark.slow

REASON = "Child reported alone at the house tonight; east team unreachable"


def test_emergency_access_asked_with_a_reason_approved_on_the_teams_phone_read_and_expired(
        app_page, second_phone):
    page, _context, world, _server = app_page
    requester, _ = second_phone
    log_in(page, "supervisor1")
    settled(page)
    new_household(page, "Familia Urgentă")
    home(page)
    wait_until_synced(page)
    add_supervisor(world)  # supervisor2, of the west team

    log_in(requester, "supervisor2")
    requester.evaluate("location.hash = '#/admin/access'")
    requester.fill("#access-team", "east")
    requester.fill("#access-reference", "paper P-0042")
    requester.fill("#access-reason", "urgent")
    requester.click("#access-ask button[type=submit]")
    requester.wait_for_selector("#access-message [role=alert]")  # no reason, no request
    admin = world.login("admin1")

    def requests() -> list[dict]:
        return world.client.get("/api/v1/access-requests",
                                headers=admin.headers).get_json()["requests"]

    assert requests() == []
    requester.fill("#access-reason", REASON)
    requester.click("#access-ask button[type=submit]")
    requester.wait_for_selector("#access-requests li[data-status=requested]")
    mine = requester.get_attribute("#access-requests li .fingerprint", "data-fingerprint")

    # The team's supervisor sees it waiting, with its reason, and gives access on the phone.
    page.evaluate("location.hash = '#/admin'")
    page.wait_for_selector("#open-access #access-waiting")
    page.click("#open-access")
    row = page.locator("#access-requests li[data-status=requested]")
    row.locator(".reason", has_text=REASON).wait_for()
    assert row.locator(".fingerprint").get_attribute("data-fingerprint") == mine
    row.locator("select.household").select_option(label="Familia Urgentă")
    row.locator("button.approve").click()
    page.wait_for_selector("#access-requests li[data-status=approved]")

    requester.evaluate("location.hash = '#/admin'")
    requester.click("#open-access")
    requester.click("#access-requests li[data-status=approved] a.read")
    requester.wait_for_selector(".access-record[data-type=household]:has-text('Familia Urgentă')")
    assert requester.locator("#access-until").count() == 1

    (request,) = requests()
    logged = {e["action"]: e for e in world.client.get(
        "/api/v1/audit?team=east&limit=1000", headers=admin.headers).get_json()["events"]}
    assert logged["access_requested"]["actor"] == "supervisor2"
    assert logged["access_approved"]["actor"] == "supervisor1"
    assert logged["access_approved"]["details"]["revisions"] == request["records"] >= 1
    assert logged["access_read"]["actor"] == "supervisor2"
    log_text = world.client.get("/api/v1/audit.csv", headers=admin.headers).get_data(as_text=True)
    assert "Child reported" not in log_text
    assert "Urgentă" not in log_text

    with world.app.app_context():  # the hours have passed
        from outreach.admin.models import AccessRequest
        from outreach.extensions import db

        db.session.get(AccessRequest, request["id"]).expires_at = \
            datetime.now(UTC) - timedelta(seconds=1)
        db.session.commit()
    requester.evaluate("location.hash = '#/admin/access'")
    requester.wait_for_selector("#access-requests li[data-status=expired]")
    requester.evaluate(f"location.hash = '#/admin/access/{request['id']}'")
    requester.wait_for_selector("#access-ended")
    assert requester.locator(".access-record").count() == 0
