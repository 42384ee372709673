"""What the household holds, in their language: data from the referral catalogue and areas
translated along their chain, hours by CLDR, the worker by name with the team's phone, and
contacts that keep their order in a right-to-left printout."""

from __future__ import annotations

import pytest

from tests.browser.pwa import log_in, new_household, record_visit, settled, submit
from tests.fixtures.world import DISPLAY_NAMES

pytestmark = pytest.mark.slow

# English that comes from data (the catalogue, the area list), never from a catalog.
ENGLISH_DATA = ["Energy advice desk", "Dry Valley", "walk-in", "Legal aid", "Mon", "Wed", "Thu"]

# Where, on screen, each visible character of an element starts: its visual order in Chromium.
LEFTS = """(selector) => {  // [[line top, left], …] per character
  const element = document.querySelector(selector);
  const node = element.firstChild;
  const lefts = [];
  for (let i = 0; i < node.data.length; i += 1) {
    if (node.data[i] === " ") continue;
    const range = document.createRange();
    range.setStart(node, i);
    range.setEnd(node, i + 1);
    const box = range.getBoundingClientRect();
    lefts.push([Math.round(box.top), box.left]);
  }
  return lefts;
}"""


def add_area_with_names(world) -> None:
    from outreach.extensions import db
    from outreach.teams import service as teams

    with world.app.app_context():
        teams.add_area(teams.get_team("east"), "EAST-08", "Dry Valley",
                       names={"ro": "Valea Seacă", "ar": "الوادي الجاف"})
        db.session.commit()


def print_plan_for(page, name: str, language: str) -> None:
    new_household(page, name, language=language)
    record_visit(page, area="EAST-08")
    for service in ("energy-desk", "legal-aid"):
        page.click("#add-referral")
        page.select_option("#f-service", service)
        page.select_option("#f-status", "agreed")
        submit(page)
    page.wait_for_selector("#referrals li >> nth=1")
    page.click("#edit-plan")
    page.fill("#f-goals", "Warm home")
    page.fill("#action-0", "Call the energy desk")
    page.fill("#due-0", "2026-12-15")
    submit(page)
    page.wait_for_selector("article.print-plan")


@pytest.mark.parametrize(("language", "service", "area", "worker_label"), [
    ("ro", "Ghișeu de consiliere pentru energie", "Valea Seacă", "Lucrătorul dumneavoastră"),
    ("ar", "مكتب الاستشارات في مجال الطاقة", "الوادي الجاف", "العامل المسؤول عنكم"),
])
def test_printout_has_no_english_from_data_and_names_who_to_call(
        app_page, language, service, area, worker_label):
    page, _context, world, _server = app_page
    add_area_with_names(world)
    log_in(page, "worker1")
    settled(page)
    print_plan_for(page, f"Household {language}", language)
    text = page.inner_text("article.print-plan")
    for english in ENGLISH_DATA:
        assert english not in text, english
    assert service in text
    assert area in text
    assert f"{worker_label}: {DISPLAY_NAMES['worker1']}" in text
    assert "worker1" not in text  # a name, never the login id
    assert "+32 0 000 10 01" in text  # the team's phone
    assert "+32 0 000 10 00" in text  # the organisation's
    assert "info@example.org" in text
    hours = page.inner_text(".service[data-service='energy-desk'] .hours")
    assert "09:00" in hours or "9:00" in hours


def test_arabic_printout_keeps_phone_numbers_and_house_numbers_in_their_order(app_page):
    page, _context, world, _server = app_page
    add_area_with_names(world)
    log_in(page, "worker1")
    settled(page)
    print_plan_for(page, "Familia Haddad", "ar")
    assert page.get_attribute("article.print-plan", "dir") == "rtl"
    block = ".service[data-service='energy-desk']"
    assert page.inner_text(f"{block} .phone") == "+32 0 000 00 02"
    assert page.inner_text(f"{block} .address") == "12 Sample Street, 9999 Demo-ville"
    for selector in (f"{block} .phone", f"{block} .address", ".team-phone .phone",
                     ".organisation .phone"):
        boxes = [tuple(box) for box in page.evaluate(LEFTS, selector)]
        # Left to right as written, line by line: "+32 0 000 00 02", "12 Sample Street"
        # (not "02 00 000 0 32+", not "Street … 12").
        assert boxes == sorted(boxes), selector
