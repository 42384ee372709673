"""What the household holds, in their language: data from the referral catalogue and areas
translated along their chain, hours by CLDR, the worker by name with the team's phone, and
contacts that keep their order in a right-to-left printout."""

from __future__ import annotations

import pytest

from tests.browser.pwa import log_in, new_household, record_visit, settled, submit
from tests.fixtures.world import DISPLAY_NAMES

pytestmark = pytest.mark.slow

# English that comes from data (the catalogue, the area list), never from a catalog.
ENGLISH_DATA = ["Energy advice desk", "Dry Valley", "walk-in", "Legal aid", "Mon", "Wed", "Thu",
                "Child benefit", "Energy allowance"]

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
    # Rights from the region's rights catalogue, being followed up with the team.
    for right in ("child-benefit", "energy-allowance"):
        page.click("#add-right")
        page.wait_for_selector("#form-right")
        page.select_option("#f-right", right)
        page.select_option("#f-status", "applied")
        submit(page)
        page.wait_for_selector("#household-name")
    page.click("#edit-plan")
    page.fill("#f-goals", "Warm home")
    page.fill("#action-0", "Call the energy desk")
    page.fill("#due-0", "2026-12-15")
    submit(page)
    page.wait_for_selector("article.print-plan")


def right_names(right_id: str) -> dict[str, str]:
    """A right's names per locale, from the region's rights catalogue (data, not a catalog)."""
    from outreach.config import ROOT
    from outreach.teams.catalogue import load_rights

    right = next(r for r in load_rights(ROOT / "outreach" / "teams" / "catalogues" / "default.json")
                 if r["id"] == right_id)
    return {code: text["name"] for code, text in right["translations"].items()}


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
    for right in ("child-benefit", "energy-allowance"):  # the rights, along the household's chain
        assert right_names(right)[language] in page.inner_text(f".rights li[data-right='{right}']")
    assert f"{worker_label}: {DISPLAY_NAMES['worker1']}" in text
    assert "worker1" not in text  # a name, never the login id
    assert "+32 0 000 10 01" in text  # the team's phone
    assert "+32 0 000 10 00" in text  # the organisation's
    assert "info@example.org" in text
    hours = page.inner_text(".service[data-service='energy-desk'] .hours")
    assert "09:00" in hours or "9:00" in hours
    page.click("#easy-read")  # the easy-read plan names them the same way
    page.wait_for_selector("article.easy-read .rights")
    easy = page.inner_text("article.easy-read")
    for english in ENGLISH_DATA:
        assert english not in easy, english
    assert all(right_names(r)[language] in easy for r in ("child-benefit", "energy-allowance"))


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


def household_strings(locale: str) -> dict[str, str]:
    """What the easy-read plan must say in this language, from the shipped catalogs along the
    locale's chain (Romani has some strings itself, the rest from its chain)."""
    from outreach.config import ROOT
    from outreach.i18n.negotiation import translator

    _ = translator(locale, ROOT / "translations")
    return {text: _(text) for text in ("Our plan", "What we want", "What we will do",
                                       "My notes", "Who to call", "Your worker")}


def test_easy_read_plan_prints_to_pdf_in_five_languages_offline(app_page):
    import io
    import unicodedata

    from pypdf import PdfReader

    page, context, _world, _server = app_page
    log_in(page, "worker1")
    settled(page)
    new_household(page, "Familia Dumitru", language="en")
    page.click("#edit-plan")
    page.fill("#f-goals", "Warm home before winter")
    page.fill("#action-0", "Call the energy desk")
    page.fill("#due-0", "2026-12-15")
    submit(page)
    page.wait_for_selector("article.print-plan")
    case = page.evaluate("location.hash.split('/')[2]")
    for locale in ("en", "rom", "ro", "bg", "ar"):
        context.set_offline(False)
        page.evaluate(f"location.hash = '#/h/{case}'")
        page.click("#household-name ~ a")  # edit the household: its one language
        page.select_option("#f-household_language", locale)
        submit(page)
        page.wait_for_selector("#household-name")
        context.set_offline(True)  # printing works offline, in every shipped language
        page.evaluate(f"location.hash = '#/h/{case}/plan/easy'")
        page.wait_for_selector(f"article.easy-read[lang='{locale}']")
        pdf = page.pdf(format="A4")
        text = unicodedata.normalize(
            "NFKC", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages))
        for source, shown in household_strings(locale).items():
            assert unicodedata.normalize("NFKC", shown) in text, (locale, source, shown)
        assert "Warm home before winter" in text
        assert DISPLAY_NAMES["worker1"] in text
        assert "+32 0 000 10 01" in text
        assert "\ufffd" not in text  # no character Chromium could not map
        if locale != "en":
            assert "Our plan" not in text
    context.set_offline(False)


def test_consent_on_screen_shows_the_households_arabic_beside_the_workers_english(app_page):
    from outreach.config import ROOT
    from outreach.i18n.negotiation import translator

    page, _context, _world, _server = app_page
    log_in(page, "worker1")  # the worker reads English
    settled(page)
    new_household(page, "Familia Haddad", language="ar")
    page.click("#add-consent")
    page.wait_for_selector("#consent-text")
    description = "What you agree to"
    arabic = translator("ar", ROOT / "translations")(description)
    assert arabic != description
    household = page.locator("#consent-household")
    worker = page.locator("#consent-worker")
    assert (household.get_attribute("lang"), household.get_attribute("dir")) == ("ar", "rtl")
    assert (worker.get_attribute("lang"), worker.get_attribute("dir")) == ("en", "ltr")
    assert arabic in household.inner_text()
    assert description in worker.inner_text()
    # Side by side, the household's first in reading order.
    left, right = household.bounding_box(), worker.bounding_box()
    assert abs(left["y"] - right["y"]) < 2
    assert left["x"] != right["x"]


def catalog_of(locale: str) -> dict[str, str]:
    from outreach.config import ROOT
    from outreach.i18n import catalogs

    return {m.id: m.string for m in catalogs.load(locale, ROOT / "translations")
            if isinstance(m.id, str) and m.string}


def test_language_choice_by_own_names_on_login_and_every_string_switches_at_once(app_page):
    page, _context, _world, _server = app_page
    page.wait_for_selector("#login-language-choice")
    names = page.locator("#login-language-choice option").all_inner_texts()
    for own in ("English", "Български", "العربية", "Română", "Magyar", "Romani"):
        assert any(name.startswith(own) for name in names), own
    bulgarian, romanian = catalog_of("bg"), catalog_of("ro")
    page.select_option("#login-language-choice", "bg")
    page.wait_for_function("document.documentElement.lang === 'bg'")
    assert page.inner_text("#login-title") == bulgarian["Log in"]
    assert page.input_value("#login-language-choice") == "bg"
    log_in(page, "worker1")
    settled(page)
    page.evaluate("location.hash = '#/settings'")
    page.wait_for_selector("#interface-language")
    status_before = page.inner_text("#status")
    page.select_option("#interface-language", "ro")
    page.wait_for_function("document.documentElement.lang === 'ro'")
    # Everything on screen, the header's status line too, is Romanian at once: no line is
    # left in Bulgarian, and none is English where Romanian has a translation.
    page.wait_for_function("(before) => document.querySelector('#status').innerText !== before",
                           arg=status_before)
    lines = [line.strip() for line in page.inner_text("body").splitlines() if line.strip()]
    leftovers = [line for line in lines
                 if line in set(bulgarian.values()) - set(romanian.values())
                 or (line in romanian and romanian[line] != line)]
    assert not leftovers
    assert page.title() == romanian.get("Outreach", "Outreach")


def test_back_arrows_mirror_and_validation_speaks_the_apps_language_right_to_left(app_page):
    page, _context, _world, _server = app_page
    page.select_option("#login-language-choice", "ar")
    # The Arabic catalog arrives from the network (only the worker's own is precached): the
    # login form is drawn again in Arabic, and only then typed into.
    page.wait_for_function("document.documentElement.lang === 'ar'")
    page.locator("#login-title", has_text=catalog_of("ar")["Log in"]).wait_for()
    log_in(page, "worker1")
    settled(page)
    page.click("#new-household")
    page.wait_for_selector("#form-household")
    transform = page.eval_on_selector(".back .arrow", "a => getComputedStyle(a).transform")
    assert transform.startswith("matrix(-1")  # the arrow points right, back in Arabic
    submit(page)  # the name is required: the app says so, in Arabic
    page.wait_for_selector("#f-display_name-error")
    expected = catalog_of("ar")["Please fill in this field."]
    assert page.inner_text("#f-display_name-error") == expected
