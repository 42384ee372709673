"""The installable app shell: log in once online, then open and work in airplane mode."""

from __future__ import annotations

import pytest

from tests.browser.pwa import (
    assert_nothing_left,
    household_names,
    log_in,
    new_household,
    unlock,
    wait_until_synced,
    waiting_count,
)

pytestmark = pytest.mark.slow


def test_login_then_offline_reload_unlocks_with_the_pin_and_shows_the_records(app_page):
    page, context, world, _server = app_page
    east = world.login("worker2")
    east.sync(push=[east.seal("household", "east", {"display_name": "Familia Rostaș"},
                              meta={"area": "EAST-01"})])
    log_in(page, "worker1")
    assert "east" in page.inner_text("#teams")
    page.evaluate("navigator.serviceWorker.ready")
    page.reload()  # now controlled by the service worker, which fills its cache
    unlock(page)
    page.wait_for_selector("#households li")
    context.set_offline(True)
    page.reload()
    unlock(page, "0000")
    page.wait_for_selector(".error:not([hidden])")
    assert page.inner_text(".error") == "Wrong PIN"
    unlock(page)
    page.wait_for_selector("#households li")
    assert household_names(page) == ["Familia Rostaș"]
    assert page.get_attribute("#status", "data-state") == "offline"
    assert "No network" in page.inner_text("#status")


def test_wrong_passphrase_shows_the_servers_problem_title(app_page):
    page, *_ = app_page
    page.wait_for_selector("#username")
    page.fill("#username", "worker1")
    page.fill("#passphrase", "not the passphrase")
    page.click("button[type=submit]")
    page.wait_for_selector(".error:not([hidden])")
    assert page.inner_text(".error") == "Wrong username or passphrase"


def test_the_interface_follows_the_workers_language_and_arabic_is_rtl(app_page):
    page, *_ = app_page
    page.evaluate("localStorage.setItem('outreach.locale', 'ar')")
    page.reload()
    page.wait_for_selector("#username")
    assert page.get_attribute("html", "dir") == "rtl"
    page.evaluate("localStorage.setItem('outreach.locale', 'bg')")
    page.reload()
    page.wait_for_selector("#username")
    assert page.get_attribute("html", "dir") == "ltr"
    assert page.inner_text("label[for=passphrase]") != "Passphrase"


def test_a_worker_sees_the_teams_households_decrypted_on_the_device(app_page):
    page, _context, world, _server = app_page
    east = world.login("worker2")
    west = world.login("worker3")
    east.sync(push=[east.seal("household", "east", {"display_name": "Familia Stoica"},
                              meta={"area": "EAST-01"}),
                    east.seal("household", "east", {"display_name": "Лакатош"},
                              meta={"area": "EAST-07"}),
                    east.seal("note", "east", {"text": "not a household"})])
    west.sync(push=[west.seal("household", "west", {"display_name": "West family"},
                              meta={"area": "WEST-01"})])
    log_in(page, "worker1")
    page.wait_for_selector("#households")
    names = sorted(household_names(page))
    assert names == ["Familia Stoica", "Лакатош"]


def test_a_household_recorded_offline_survives_a_reload_and_syncs_when_back_online(app_page):
    from outreach import crypto

    page, context, world, _server = app_page
    log_in(page, "worker1")
    context.set_offline(True)
    new_household(page, "Familia Nouă")
    page.click("a.back")
    page.wait_for_selector("#households li[data-waiting=true]")
    assert waiting_count(page) == 1
    page.reload()  # battery dies, app closed: the outbox is in IndexedDB
    unlock(page)
    page.wait_for_selector("#households li[data-waiting=true]")
    context.set_offline(False)
    wait_until_synced(page)
    page.wait_for_selector("#households li:not([data-waiting])")
    (envelope,) = [e for e in world.login("worker2").pull_all() if e["type"] == "household"]
    assert crypto.open_envelope(envelope, "team:east:1", world.team_private["east"]) == \
        {"display_name": "Familia Nouă", "anonymous": False}


def test_a_revoked_device_wipes_itself_on_its_next_contact(app_page):
    from outreach.auth import service as auth
    from outreach.auth.models import Device
    from outreach.extensions import db

    page, _context, world, _server = app_page
    log_in(page, "worker1")
    new_household(page, "Familia Revocată")
    with world.app.app_context():
        devices = db.session.execute(db.select(Device).where(
            Device.user_id == world.user_ids["worker1"])).scalars().all()
        for device in devices:
            auth.revoke_device(device.id)
        db.session.commit()
    page.evaluate("dispatchEvent(new Event('online'))")  # the next contact
    page.wait_for_selector("#username")
    assert_nothing_left(page, "Familia Revocată")  # looked at inside every store
    page.reload()
    page.wait_for_selector("#username")  # no session, no PIN, no records left


def test_a_needs_assessment_is_recorded_offline_in_the_workers_language(app_page):
    from outreach import crypto

    page, context, world, _server = app_page
    page.evaluate("localStorage.setItem('outreach.locale', 'ro')")
    page.reload()
    log_in(page, "worker1")
    new_household(page, "Familia Lakatos")
    context.set_offline(True)
    page.click("#add-assessment")
    page.wait_for_selector("#domain-income")
    assert "Venituri și ajutoare sociale" in page.inner_text("#domain-income legend")
    assert len(page.locator("fieldset.domain").all()) == 16
    page.check("#domain-income input[value='2']")
    page.check("#domain-housing input[value='1']")
    page.click("#domain-housing summary")
    page.check("#domain-housing input[value='financial']")
    page.click("form button[type=submit]")
    page.wait_for_selector("#progress tr[data-domain=income]")
    assert page.inner_text("#progress tr[data-domain=income] td") == "2"
    assert page.locator("#progress tr[data-domain=debt]").count() == 0  # skipped, not a zero
    context.set_offline(False)
    page.click("a.back")
    wait_until_synced(page)
    pulled = world.login("worker2").pull_all()
    (household,) = [e for e in pulled if e["type"] == "household"]
    (assessment,) = [e for e in pulled if e["type"] == "assessment"]
    key = world.team_private["east"]
    opened = crypto.open_record(assessment, "team:east:1", key)
    assert opened.case_id == crypto.open_record(household, "team:east:1", key).case_id
    assert opened.plaintext["scores"]["income"] == 2
    assert opened.plaintext["scores"]["housing"] == 1
    assert "debt" not in opened.plaintext["scores"] or opened.plaintext["scores"]["debt"] is None
    assert opened.plaintext["barriers"] == {"housing": ["financial"]}
    # Scores are sealed: the needs profile is computed on the supervisor's phone.
    assert set(assessment["meta"]) == {"date", "source"}


def test_chromium_finds_the_app_installable(app_page):
    page, context, *_ = app_page
    page.wait_for_selector("#username")
    page.evaluate("navigator.serviceWorker.ready")
    cdp = context.new_cdp_session(page)
    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # Playwright's contexts are incognito, where nothing installs: that one is about the test.
    assert [e["errorId"] for e in errors if e["errorId"] != "in-incognito"] == []
    manifest = page.evaluate("fetch('/static/pwa/manifest.webmanifest').then(r => r.json())")
    assert {icon["sizes"] for icon in manifest["icons"]} >= {"192x192", "512x512"}


def test_home_reminds_of_due_contacts_and_finds_households_by_member_name(app_page):
    import datetime as dt

    from outreach import crypto

    page, _context, world, _server = app_page
    east = world.login("worker2")
    yesterday = (dt.date.today() - dt.timedelta(days=1)).isoformat()
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    area = {"area": "EAST-01"}
    due_case, calm_case = crypto.new_uuid7(), crypto.new_uuid7()
    due = east.seal("household", "east", {"display_name": "Familia Balog"}, meta=area,
                    case_id=due_case, record_id=due_case)
    calm = east.seal("household", "east", {"display_name": "Familia Novak"}, meta=area,
                     case_id=calm_case, record_id=calm_case)
    east.sync(push=[
        due, calm,
        east.seal("visit", "east", {"date": yesterday, "next_contact": yesterday},
                  case_id=due_case, meta={"area": "EAST-01"}),
        east.seal("visit", "east", {"date": yesterday, "next_contact": later},
                  case_id=calm_case, meta={"area": "EAST-01"}),
        east.seal("person", "east", {"name": "Ilona Novak"}, case_id=calm_case),
    ])
    log_in(page, "worker1")
    page.wait_for_selector("#due li")
    assert page.locator("#due li .name").all_inner_texts() == ["Familia Balog"]
    assert "overdue" in page.inner_text("#due li")
    page.fill("#search", "ilona")
    page.wait_for_function("document.querySelectorAll('#households li').length === 1")
    assert household_names(page) == ["Familia Novak"]
    assert page.locator("#low-storage").count() == 0  # a test browser has room


def test_the_app_runs_under_its_csp_and_an_injected_script_is_refused(chromium, pwa_build,
                                                                       live_world):
    from tests.fixtures.browser import watch_csp

    _world, server = live_world
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    violations = watch_csp(context)
    page = context.new_page()
    shell = page.goto(server.url + "/")
    assert "script-src 'self'" in shell.headers["content-security-policy"]
    log_in(page, "worker1")
    new_household(page, "Familia CSP")
    assert violations == []  # the app itself does nothing the policy refuses
    # What an injected script would try (a stored note rendered as HTML, say): refused.
    page.evaluate("""() => {
        const tag = document.createElement('script');
        tag.textContent = 'window.injected = true';
        document.body.append(tag);
        const img = document.createElement('img');
        img.src = 'http://evil.invalid/x.png';
        document.body.append(img);
    }""")
    page.wait_for_function("() => window.cspViolations.length >= 2")
    assert page.evaluate("window.injected === undefined")
    refused = page.evaluate("window.cspViolations")
    assert any("script-src" in v for v in refused), refused
    assert any("img-src" in v for v in refused), refused
    context.close()



def test_the_household_list_keeps_name_order_through_a_search_and_back(app_page):
    """Rows are drawn once per screen and a keystroke only chooses among them (views/home.js):
    the list is in name order, a search narrows it, a letter that narrows nothing changes
    nothing, and clearing the search brings every household back in the same order."""
    import random

    from outreach import crypto

    page, _context, world, _server = app_page
    east = world.login("worker2")
    names = [f"Familia {n:02}" for n in range(40)]
    batch = []
    for name in random.sample(names, len(names)):
        first = crypto.new_uuid7()
        batch.append(east.seal("household", "east", {"display_name": name},
                               meta={"area": "EAST-01"}, case_id=first, record_id=first,
                               id=first))
    assert east.sync(push=batch).status_code == 200
    log_in(page, "worker1")
    page.wait_for_function("document.querySelectorAll('#households li').length === 40")
    assert household_names(page) == names
    page.fill("#search", "fam")  # every household matches
    assert household_names(page) == names
    page.fill("#search", "familia 2")
    page.wait_for_function("document.querySelectorAll('#households li').length === 10")
    assert household_names(page) == names[20:30]
    page.fill("#search", "")
    page.wait_for_function("document.querySelectorAll('#households li').length === 40")
    assert household_names(page) == names
