"""The interface's language on the phone, whatever the browser's: a language chosen on the login
screen never costs the worker what they typed, and dates are entered and shown in the app's
locale, not the browser's."""

from __future__ import annotations

import pytest

from tests.browser.pwa import PASSPHRASE

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
