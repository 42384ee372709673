"""The phone at rest: a locked or seized phone gives nothing away (docs/threat-model.md).

What a thief, a border guard or a child can do with a locked phone, tried from the page itself:
no token refreshes, no key signs, nothing decrypts; wrong PINs warn, then wipe; the idle lock
and the low-storage warning appear when they should."""

from __future__ import annotations

import pytest

from tests.browser.pwa import (
    PIN,
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

# An intruder in the page of a locked app: everything the stores hold, tried as credentials.
# Strings that could be tokens are sent to /auth/refresh and as a bearer to /sync; every
# CryptoKey is tried for signing, for opening each stored envelope (with the page's own crypto
# module) and for decrypting every {iv, ct} it finds.
ATTACK = """async () => {
  const oc = await import('/static/pwa/build/crypto.js');
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const values = [];
  const envelopes = [];
  for (const { name } of await indexedDB.databases()) {
    const db = await request(indexedDB.open(name));
    for (const store of db.objectStoreNames) {
      const rows = await request(db.transaction(store).objectStore(store).getAll());
      values.push(...rows);
      if (store === 'records' || store === 'outbox') envelopes.push(...rows);
    }
    db.close();
  }
  const strings = new Set();
  const keys = [];
  const sealed = [];
  const walk = (value) => {
    if (typeof value === 'string') {
      if (/^[\x21-\x7e]{20,200}$/.test(value)) strings.add(value);  // could be a token
    } else if (value instanceof CryptoKey) {
      keys.push(value);
    } else if (value instanceof Uint8Array || value instanceof ArrayBuffer) {
      // bytes are looked at through the object that holds them
    } else if (value && typeof value === 'object') {
      if (value.ct && (value.iv || value.iv1 || value.iv2)) sealed.push(value);
      Object.values(value).forEach(walk);
    }
  };
  values.forEach(walk);
  const result = { strings: strings.size, keys: keys.length, envelopes: envelopes.length,
                   sealed: sealed.length, refreshed: 0, synced: 0, signed: 0, opened: 0,
                   decrypted: 0 };
  for (const token of strings) {
    const refresh = await fetch('/api/v1/auth/refresh', { method: 'POST', body: JSON.stringify(
      { refresh_token: token }), headers: { 'Content-Type': 'application/json' } });
    if (refresh.ok) result.refreshed += 1;
    const sync = await fetch('/api/v1/sync', { method: 'POST', body: '{"push": []}', headers: {
      'Content-Type': 'application/json', Authorization: `Bearer ${token}` } });
    if (sync.ok) result.synced += 1;
  }
  const data = new TextEncoder().encode('a record in the worker\\'s name');
  for (const key of keys) {
    try {
      await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, data);
      result.signed += 1;
    } catch {}
    for (const envelope of envelopes) {
      for (const { kid } of envelope.keys ?? []) {
        try {
          await oc.openEnvelope(envelope, kid, key);
          result.opened += 1;
        } catch {}
      }
    }
    for (const box of sealed) {
      for (const iv of [box.iv, box.iv1, box.iv2].filter(Boolean)) {
        try {
          await crypto.subtle.decrypt({ name: 'AES-GCM', iv }, key, box.ct);
          result.decrypted += 1;
        } catch {}
      }
    }
  }
  return result;
}"""


def test_a_locked_phone_cannot_refresh_sign_or_decrypt_and_can_after_the_pin(app_page):
    page, _context, world, _server = app_page
    log_in(page, "worker1")
    settled(page)
    new_household(page, "Familia Sigilată")
    home(page)
    wait_until_synced(page)
    page.reload()  # locked: the PIN screen, nothing in memory
    page.wait_for_selector("#pin")
    locked = page.evaluate(ATTACK)
    assert locked["keys"] >= 1, locked  # the device key of the vault, at least
    assert locked["envelopes"] >= 1, locked
    assert locked["sealed"] >= 2, locked  # the vault's two slots, and the drafts if any
    assert {k: locked[k] for k in ("refreshed", "synced", "signed", "opened", "decrypted")} == {
        "refreshed": 0, "synced": 0, "signed": 0, "opened": 0, "decrypted": 0}
    assert "Familia Sigilată" not in page.content()

    unlock(page)
    # After the PIN: a sync succeeds with the tokens out of the vault, the household is
    # decrypted and a new record signed and accepted.
    settled(page)
    page.wait_for_selector("#households li")
    assert household_names(page) == ["Familia Sigilată"]
    new_household(page, "Familia După")
    home(page)
    wait_until_synced(page)
    names = {e["plaintext"]["display_name"] for e in _pulled_households(world)}
    assert names == {"Familia Sigilată", "Familia După"}
    # Unlocked or not, what is at rest stays sealed.
    after = page.evaluate(ATTACK)
    assert (after["refreshed"], after["synced"], after["signed"], after["opened"]) == (0, 0, 0, 0)


def _pulled_households(world):  # type: ignore[no-untyped-def]
    from tests.browser.pwa import pulled

    return pulled(world, "household")


def pin_warning(page) -> str:  # type: ignore[no-untyped-def]
    return page.inner_text("#pin-warning") if page.is_visible("#pin-warning") else ""


def wrong_pin(page, left: int) -> None:  # type: ignore[no-untyped-def]
    unlock(page, "1357")
    page.wait_for_selector(f"#pin-warning[data-left='{left}']", state="attached")


@pytest.mark.server_env(OUTREACH_PIN_ATTEMPTS="5")
def test_wrong_pins_say_whose_phone_warn_and_then_wipe_everything(app_page):
    page, context, _world, _server = app_page
    log_in(page, "worker1")
    settled(page)
    page.evaluate("navigator.serviceWorker.ready")  # the shell opens offline from its cache
    context.set_offline(True)
    new_household(page, "Familia Neîntreruptă")  # one record not yet sent
    page.reload()
    page.wait_for_selector("#pin")
    assert "worker1" in page.inner_text("#pin-owner")
    assert pin_warning(page) == ""
    wrong_pin(page, 4)
    assert page.inner_text(".error") == "Wrong PIN"
    assert pin_warning(page) == ""  # 4 of 5 left: no warning yet
    wrong_pin(page, 3)
    assert pin_warning(page) == ("3 tries left before this phone is wiped. "
                                 "1 record not yet sent would be lost.")
    page.reload()  # the count is kept on the phone, not in the page
    page.wait_for_selector("#pin-warning:not([hidden])")
    assert pin_warning(page).startswith("3 tries left")
    wrong_pin(page, 2)
    wrong_pin(page, 1)
    assert pin_warning(page).startswith("1 try left")
    unlock(page, "1357")
    page.wait_for_selector("#username")  # the fifth: wiped, back to login
    assert_nothing_left(page, "Familia Neîntreruptă")
    page.reload()
    page.wait_for_selector("#username")
    assert page.locator("#pin").count() == 0


def test_a_right_pin_resets_the_count(app_page):
    page, *_ = app_page
    log_in(page, "worker1")
    page.reload()
    page.wait_for_selector("#pin-warning[data-left='10']", state="attached")  # the default
    for left in (9, 8):
        wrong_pin(page, left)
    unlock(page, PIN)
    page.wait_for_selector("#new-household")
    page.reload()
    page.wait_for_selector("#pin-warning[data-left='10']", state="attached")
    assert pin_warning(page) == ""


def test_an_easy_pin_is_refused_when_chosen(app_page):
    page, *_ = app_page
    page.wait_for_selector("#username")
    page.fill("#username", "worker1")
    from tests.browser.pwa import PASSPHRASE

    page.fill("#passphrase", PASSPHRASE)
    page.click("button[type=submit]")
    page.wait_for_selector("#pin")
    for easy in ("1111", "1234", "9876"):
        page.fill("#pin", easy)
        page.click("button[type=submit]")
        page.wait_for_selector(".error:not([hidden])")
        assert page.locator("#teams").count() == 0
    page.fill("#pin", PIN)
    page.click("button[type=submit]")
    page.wait_for_selector("#teams")


@pytest.mark.server_env(OUTREACH_IDLE_LOCK_SECONDS="5")
def test_the_idle_lock_fires_after_the_organisations_time(app_page):
    page, *_ = app_page
    log_in(page, "worker1")
    new_household(page, "Familia Inactivă")
    page.wait_for_selector("#pin", timeout=20000)  # no touch for 5 s: locked
    assert "Familia Inactivă" not in page.content()
    assert "worker1" in page.inner_text("#pin-owner")


def test_the_low_storage_warning_appears_when_the_quota_is_nearly_used(app_page):
    page, context, *_ = app_page
    # The browser's own API answers "almost full" (a stub in the page, not of our code).
    context.add_init_script("""navigator.storage.estimate = async () =>
        ({ quota: 2_000_000_000, usage: 1_950_000_000 });""")
    log_in(page, "worker1")
    page.reload()
    unlock(page)
    page.wait_for_selector("#low-storage")
    assert "running out of space" in page.inner_text("#low-storage")


def hold_quick_exit(page) -> None:  # type: ignore[no-untyped-def]
    """The deliberate gesture: press and hold the fixed Exit control until the question shows."""
    page.hover("#quick-exit")
    page.mouse.down()
    page.wait_for_selector("#exit-dialog")
    page.mouse.up()


def test_a_short_press_on_exit_only_says_how_to_use_it(app_page):
    page, *_ = app_page
    page.wait_for_selector("#quick-exit")
    page.click("#quick-exit")  # a tap, not a hold
    page.wait_for_selector("#exit-hint:not([hidden])")
    assert page.locator("#exit-dialog").count() == 0
    hold_quick_exit(page)
    page.click("#exit-cancel")
    page.wait_for_selector("#exit-dialog", state="detached")
    page.wait_for_selector("#username")  # nothing happened


def test_quick_exit_pushes_the_outbox_first_then_leaves_nothing(app_page):
    page, context, world, _server = app_page
    log_in(page, "worker1")
    settled(page)
    context.set_offline(True)
    new_household(page, "Familia Plecată")  # waits in the outbox
    hold_quick_exit(page)
    assert page.get_attribute("#exit-about", "data-unsent") == "1"
    assert "1 record has not been sent" in page.inner_text("#exit-about")
    context.set_offline(False)  # a signal: the exit sends the outbox before it wipes
    page.click("#exit-confirm")
    page.wait_for_selector("#neutral", state="attached")
    assert page.title() == ""
    assert page.locator("#app, #status, #quick-exit").count() == 0
    assert_nothing_left(page, "Familia Plecată")
    assert page.evaluate("caches.keys()") == []
    assert page.evaluate("navigator.serviceWorker.getRegistrations().then((r) => r.length)") == 0
    names = [e["plaintext"]["display_name"] for e in _pulled_households(world)]
    assert names == ["Familia Plecată"]  # sent before the wipe


def test_quick_exit_on_a_stalled_network_still_wipes_within_five_seconds(
        chromium, pwa_build, live_world, network):
    from tests.fixtures.browser import watch_csp

    world, _server = live_world
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    violations = watch_csp(context)
    page = context.new_page()
    page.goto(network.url + "/")
    log_in(page, "worker1")
    settled(page)
    network.stall()  # connections accepted, nothing ever answered: the push can only hang
    new_household(page, "Familia Blocată")
    hold_quick_exit(page)
    assert page.get_attribute("#exit-about", "data-unsent") == "1"
    page.click("#exit-confirm")
    page.wait_for_selector("#neutral", state="attached", timeout=5000)
    assert_nothing_left(page, "Familia Blocată")
    assert page.evaluate("caches.keys()") == []
    context.close()
    assert violations == []
    assert _pulled_households(world) == []  # never sent: lost, as the question said
