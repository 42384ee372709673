"""What a person does in the PWA, as Playwright steps: the tests read like the field work."""

from __future__ import annotations

from typing import Any

from tests.fixtures.world import PASSPHRASE

PIN = "2468"


def log_in(page: Any, username: str, pin: str = PIN) -> None:
    page.wait_for_selector("#username")
    page.fill("#username", username)
    page.fill("#passphrase", PASSPHRASE)
    page.click("button[type=submit]")
    page.wait_for_selector("#pin")  # choose a PIN for offline unlock
    page.fill("#pin", pin)
    page.click("button[type=submit]")
    page.wait_for_selector("#teams")


def settled(page: Any) -> None:
    """Wait for the first sync after login or unlock (team areas and catalogue are then kept)."""
    page.wait_for_function("document.querySelector('#status').dataset.lastSync", timeout=20000)


def unlock(page: Any, pin: str = PIN) -> None:
    page.wait_for_selector("#pin")
    page.wait_for_selector("button[type=submit]:not([disabled])")
    page.fill("#pin", pin)
    page.click("button[type=submit]")


def home(page: Any) -> None:
    page.evaluate("location.hash = '#/'")
    page.wait_for_selector("#new-household")


def household_names(page: Any) -> list[str]:
    return page.locator("#households li .name").all_inner_texts()


def waiting_count(page: Any) -> int:
    return int(page.get_attribute("#waiting-count", "data-count"))


def wait_until_synced(page: Any) -> None:
    """Nudge the sync loop as a returning signal does; wait for a newer sync and an empty outbox."""
    before = page.evaluate("document.querySelector('#status').dataset.lastSync || ''")
    page.evaluate("dispatchEvent(new Event('online'))")
    page.wait_for_function(
        """(before) => document.querySelector('#status').dataset.lastSync > before
             && document.querySelector('#waiting-count')?.dataset.count === '0'""",
        arg=before, timeout=20000)


def submit(page: Any) -> None:
    page.click("form button[type=submit]")


def new_household(page: Any, name: str, language: str | None = None) -> None:
    home(page)
    page.click("#new-household")
    page.fill("#f-display_name", name)
    if language:
        page.select_option("#f-household_language", language)
    submit(page)
    page.wait_for_selector("#household-name")


def open_household(page: Any, name: str) -> None:
    home(page)
    page.click(f"#households li a:has-text('{name}')")
    page.wait_for_selector("#household-name")


def record_visit(page: Any, area: str = "EAST-01", contact: str = "home_visit",
                 present: list[str] = (), next_contact: str | None = None) -> None:
    page.click("#add-visit")
    page.wait_for_selector("#form-visit")
    page.select_option("#f-area", area)
    page.select_option("#f-contact_type", contact)
    for name in present:
        page.check(f"#f-present label:has-text('{name}') input")
    if next_contact:
        page.fill("#f-next_contact", next_contact)
    submit(page)
    page.wait_for_selector("#household-name")


def write_note(page: Any, text: str) -> None:
    page.click("#add-note")
    page.fill("#f-text", text)
    submit(page)
    page.wait_for_selector("#household-name")


# A thumb that keeps tapping Save until the next screen is there: any moment in which the
# button can be tapped again while the form is still on screen shows up as a second save.
_TAP_UNTIL_GONE = """async (selector) => {
  const button = document.querySelector(selector);
  let taps = 0;
  while (button.isConnected && taps < 300) {
    button.click();
    taps += 1;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return taps;
}"""



def tap_until_gone(page: Any, selector: str) -> int:
    """Tap `selector` every few milliseconds for as long as it is on screen; returns the taps."""
    return int(page.evaluate(_TAP_UNTIL_GONE, selector))


def pulled(world: Any, type_: str, team: str = "east") -> list[dict[str, Any]]:
    from outreach import crypto

    reader = world.login("worker2" if team == "east" else "worker3")
    private = world.team_private[team]
    opened = [(e, crypto.open_record(e, e["keys"][0]["kid"], private))
              for e in reader.pull_all() if e["type"] == type_]
    # The case id is sealed (envelope format 2): tests read it from inside, as a phone does.
    return [dict(e, plaintext=o.plaintext, case_id=o.case_id) for e, o in opened]


__all__ = ["PASSPHRASE"]


LOCAL_DATA = """async (canary) => {
  const request = (r) => new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  const out = { databases: {}, caches: {}, localStorage: Object.keys(localStorage), canaryIn: [] };
  for (const { name } of await indexedDB.databases()) {
    const db = await request(indexedDB.open(name));
    out.databases[name] = {};
    for (const store of db.objectStoreNames) {
      const rows = await request(db.transaction(store).objectStore(store).getAll());
      out.databases[name][store] = rows.length;
      if (canary && JSON.stringify(rows).includes(canary)) out.canaryIn.push(`${name}/${store}`);
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    out.caches[name] = [];
    for (const key of await cache.keys()) {
      const path = new URL(key.url).pathname;
      out.caches[name].push(path);
      const body = await (await cache.match(key)).text();
      if (canary && body.includes(canary)) out.canaryIn.push(`cache ${name} ${path}`);
    }
  }
  return out;
}"""


def local_data(page: Any, canary: str | None = None) -> dict[str, Any]:
    """What the phone keeps, looked at from inside: rows per IndexedDB store, cached paths,
    localStorage keys, and where (if anywhere) `canary` appears in clear."""
    return page.evaluate(LOCAL_DATA, canary)


def assert_nothing_left(page: Any, canary: str | None = None) -> None:
    """No row in any database, no case data in any cache, nothing in localStorage."""
    found = local_data(page, canary)
    rows = {f"{db}/{store}": n for db, stores in found["databases"].items()
            for store, n in stores.items() if n}
    assert rows == {}, rows
    assert found["canaryIn"] == [], found["canaryIn"]
    personal = [path for paths in found["caches"].values() for path in paths
                if (path.startswith("/api/") and path != "/api/v1/forms")
                or path.startswith("/paper/")]
    assert personal == [], personal
    assert found["localStorage"] == [], found["localStorage"]


def rendered(page: Any) -> None:
    """Wait until the fonts are loaded and the current layout has been painted (two animation
    frames): the state an accessibility or overflow check must judge, with no fixed delay."""
    page.evaluate("""document.fonts.ready.then(() => new Promise((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(resolve))))""")
