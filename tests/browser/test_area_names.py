"""An administrator names an area in the organisation's languages on the phone: the names are
what households read on their printouts (looked up along their chain)."""

from __future__ import annotations

import pytest

from tests.browser.pwa import log_in

pytestmark = pytest.mark.slow


def test_an_area_gets_its_names_in_other_languages_from_the_admin_screen(app_page):
    page, _context, world, _server = app_page
    log_in(page, "admin1")
    page.evaluate("location.hash = '#/admin/teams'")
    form = page.locator("section[data-team=east] form.add-area")
    form.wait_for()
    page.fill("#area-east-code", "EAST-08")
    page.fill("#area-east-name", "Dry Valley")
    form.locator(".area-names summary").click()
    # Each language by its own name, as in every language choice.
    assert page.inner_text("label[for=area-east-name-ro]").startswith("Română")
    page.fill("#area-east-name-ro", "Valea Seacă")
    page.fill("#area-east-name-ar", "الوادي الجاف")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("section[data-team=east] li[data-area=EAST-08]")
    teams = world.client.get("/api/v1/organisation/teams",
                             headers=world.login("admin1").headers).get_json()["teams"]
    area = next(a for t in teams for a in t["areas"] if a["code"] == "EAST-08")
    assert (area["name"], area["names"]) == ("Dry Valley",
                                             {"ro": "Valea Seacă", "ar": "الوادي الجاف"})


def test_an_admin_sets_a_teams_presence_schedule_from_the_admin_screen(app_page):
    page, _context, world, _server = app_page
    log_in(page, "admin1")  # no member of any team: not on "Team follow-up"
    page.evaluate("location.hash = '#/admin/teams'")
    form = page.locator("section[data-team=west] form.presence-schedule")
    form.wait_for()
    assert page.input_value("#presence-west-weeks") == "10"
    page.fill("#presence-west-weeks", "13")
    page.fill("#presence-west-months", "12")
    form.evaluate("(f) => { f.dataset.before = 'yes'; }")
    form.locator("button[type=submit]").click()
    # Saved, the screen is drawn again from the server's answer: the new schedule in it.
    page.wait_for_selector("section[data-team=west] form.presence-schedule:not([data-before])")
    assert page.input_value("#presence-west-weeks") == "13"
    assert page.input_value("#presence-west-months") == "12"
    (west,) = world.client.get("/api/v1/teams", headers=world.login("worker3").headers
                               ).get_json()["teams"]
    assert west["presence"] == {"interval_weeks": 13, "months": 12}
