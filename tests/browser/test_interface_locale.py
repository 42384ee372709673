"""The interface's language on the phone, whatever the browser's: a language chosen on the login
screen never costs the worker what they typed, and dates are entered and shown in the app's
locale, not the browser's."""

from __future__ import annotations

from datetime import date

import pytest

from tests.browser.pwa import (
    PASSPHRASE,
    home,
    log_in,
    new_household,
    pulled,
    settled,
    submit,
    wait_until_synced,
)
from tests.fixtures.browser import close_phone, serve_sources, watch_csp

pytestmark = pytest.mark.slow


def test_typed_login_fields_survive_the_catalog_arriving(app_page):
    page, context, _world, _server = app_page
    page.wait_for_selector("#login-language-choice")
    # The Arabic catalog is not on the phone yet: it is held on its way from the network until
    # the worker has typed, as on a slow line where they do not wait for the screen to change.
    held: list = []
    context.route("**/static/pwa/build/i18n/ar.json", lambda route: held.append(route))
    with context.expect_event("request", predicate=lambda r: r.url.endswith("/i18n/ar.json")):
        page.select_option("#login-language-choice", "ar")
    page.click("#username")
    page.keyboard.type("worker1")
    page.click("#passphrase")
    page.keyboard.type(PASSPHRASE[:5])
    assert held, "the catalog request was not held"
    assert page.evaluate("document.documentElement.lang") == "en"  # still waiting for Arabic
    held[0].fallback()
    page.wait_for_function("document.documentElement.lang === 'ar'")
    page.wait_for_function("document.querySelector('#login-title').textContent !== 'Log in'")
    # Re-labelled in Arabic, nothing lost: the typing goes on where it was.
    page.keyboard.type(PASSPHRASE[5:])
    assert page.input_value("#username") == "worker1"
    assert page.input_value("#passphrase") == PASSPHRASE
    assert page.evaluate("document.activeElement.id") == "passphrase"
    assert page.input_value("#login-language-choice") == "ar"


def catalog_of(locale: str) -> dict[str, str]:
    from outreach.config import ROOT
    from outreach.i18n import catalogs

    return {m.id: m.string for m in catalogs.load(locale, ROOT / "translations")
            if isinstance(m.id, str) and m.string}


@pytest.fixture
def american_phone(chromium, pwa_build, live_world):
    """A phone whose browser speaks American English (dates mm/dd/yyyy in a native date input)."""
    world, server = live_world
    context = chromium.new_context(viewport={"width": 360, "height": 740}, locale="en-US")
    violations = watch_csp(context)
    page = context.new_page()
    page.goto(server.url + "/")
    yield page, context, world
    close_phone(context)
    assert violations == []


def test_dates_are_entered_and_shown_in_the_apps_locale_not_the_browsers(american_phone):
    page, context, world = american_phone
    bg = catalog_of("bg")
    page.select_option("#login-language-choice", "bg")
    page.locator("#login-title", has_text=bg["Log in"]).wait_for()
    log_in(page, "worker1")
    settled(page)
    new_household(page, "Семейство Петрови")
    # A form of the data files (the visit): today's date as Bulgarian writes it, not 12/02/2026.
    page.click("#add-visit")
    page.wait_for_selector("#form-visit")
    assert page.input_value("#f-date") == date.today().strftime("%d.%m.%Y")
    page.evaluate("history.back()")
    page.wait_for_selector("#edit-plan")
    page.click("#edit-plan")
    page.wait_for_selector("#form-plan")
    due = page.locator("#due-0")
    assert due.get_attribute("type") == "text"  # never the browser's own date picker
    pattern = f"{bg['DD']}.{bg['MM']}.{bg['YYYY']}"
    assert due.get_attribute("placeholder") == pattern
    hint = page.locator(f"#{due.get_attribute('aria-describedby')}")
    example = f"24.12.{date.today().year}"
    assert hint.inner_text() == bg["For example {date}"].replace("{date}", example)
    assert page.inner_text("label[for=due-0]") == bg["By when"]
    page.fill("#f-goals", "Топъл дом")
    page.fill("#action-0", "Обаждане")
    page.fill("#due-0", "31.02.2027")  # no such day
    submit(page)
    page.wait_for_selector("#due-0-error")
    message = bg["Enter a date as {pattern}, for example {example}."]
    assert page.inner_text("#due-0-error") == message.replace("{pattern}", pattern).replace(
        "{example}", example)
    assert page.get_attribute("#due-0", "aria-invalid") == "true"
    assert page.evaluate("document.activeElement.id") == "due-0"
    page.fill("#due-0", "15012027")  # a numeric keypad without separators, day first
    page.fill("#f-next_visit", "3.2.2027")
    submit(page)
    page.wait_for_selector("article.print-plan")
    home(page)
    wait_until_synced(page)
    [plan] = [p for p in pulled(world, "plan") if p["plaintext"]["goals"] == ["Топъл дом"]]
    assert plan["plaintext"]["actions"][0]["due"] == "2027-01-15"  # records keep ISO dates
    assert plan["plaintext"]["next_visit"] == "2027-02-03"
    # The same reading in Chromium's CLDR for other orders and digits: Arabic (its own digits,
    # right-to-left marks), Hungarian (year first), American (month first), and ISO anywhere.
    serve_sources(context)
    answer = page.evaluate("""async () => {
        const d = await import('/static/pwa/src/ui/date-input.js');
        return {
          arShown: d.showDate('2027-01-15', 'ar'),
          arTyped: d.parseDate('١٥/١/٢٠٢٧', 'ar'),
          arAscii: d.parseDate('15/1/2027', 'ar'),
          arRound: d.parseDate(d.showDate('2027-01-15', 'ar'), 'ar'),
          hu: d.parseDate(d.showDate('2027-01-15', 'hu'), 'hu'),
          huShown: d.showDate('2027-01-15', 'hu'),
          us: d.parseDate('1/15/2027', 'en-US'),
          iso: d.parseDate('2027-01-15', 'bg'),
          wrong: ['30.02.2027', '15.13.2027', '15.1.27', '15.1', 'abc']
            .map((t) => d.parseDate(t, 'bg')),
          empty: d.parseDate('  ', 'bg'),
        };
    }""")
    # Day first, with right-to-left marks (Chromium's CLDR writes Arabic dates in Latin digits;
    # the Arabic digits an Arabic keyboard types are read as well).
    assert answer["arShown"].replace("\u200f", "") == "15/01/2027"
    assert answer["arRound"] == "2027-01-15"
    assert answer["arTyped"] == answer["arAscii"] == "2027-01-15"
    assert answer["huShown"].startswith("2027")
    assert answer["hu"] == answer["us"] == answer["iso"] == "2027-01-15"
    assert answer["wrong"] == [None] * 5
    assert answer["empty"] == ""
