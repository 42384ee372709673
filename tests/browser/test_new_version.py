"""A new version of the app reaches a phone (issue 12): the new service worker installs in the
background and waits; the worker is told "A new version is ready" and chooses when to reload;
nothing reloads under their typing; the new version then opens offline, and the outbox comes
through the update whole and syncs once."""

from __future__ import annotations

import hashlib
import re
import shutil
from pathlib import Path

import pytest

from tests.browser.pwa import home, log_in, record_visit, settled, submit, unlock, waiting_count
from tests.fixtures.browser import PWA

pytestmark = pytest.mark.slow

RELEASE_NOTE = "/* the next release */"


def deployed_copy(target: Path) -> Path:
    """The built app as a deployment holds it, in a directory this test may change."""
    shutil.copytree(PWA, target, ignore=shutil.ignore_patterns("node_modules", "src"))
    return target


def deploy_new_version(pwa: Path) -> str:
    """What a new build does to a phone's view of the server: a changed file (app.css), its new
    hash in the precache manifest of build/sw.js, so a new manifest version. Returns it."""
    css = pwa / "app.css"
    css.write_text(css.read_text() + "\n" + RELEASE_NOTE + "\n")
    revision = hashlib.sha256(css.read_bytes()).hexdigest()[:16]
    worker = pwa / "build" / "sw.js"
    text = worker.read_text()
    old = re.search(r'"version":"([0-9a-f]+)"', text)
    assert old, "build/sw.js carries no precache version"
    text, changed = re.subn(r'("url":"/static/pwa/app\.css","revision":")[0-9a-f]+',
                            lambda m: m[1] + revision, text)
    assert changed == 1
    version = hashlib.sha256(text.encode()).hexdigest()[:12]
    worker.write_text(text.replace(old[0], f'"version":"{version}"'))
    return version


SHELL_CACHES = """caches.keys()
  .then((names) => names.filter((name) => name.startsWith('outreach-shell-')))"""


def test_a_new_version_waits_for_the_workers_reload_and_keeps_the_outbox(
        chromium, pwa_build, make_live_world, tmp_path):
    pwa = deployed_copy(tmp_path / "pwa")
    world, server = make_live_world(pwa_dir=str(pwa))
    context = chromium.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(server.url + "/")
        log_in(page, "worker1")
        settled(page)
        page.wait_for_selector("#offline-ready:not([hidden])")
        [first] = page.evaluate(SHELL_CACHES)

        # Half-way through typing a new household, a new version is deployed and the phone's
        # browser checks for it (as it does on its own after a navigation or a day).
        home(page)
        page.click("#new-household")
        page.fill("#f-display_name", "Familia Rad")
        page.evaluate("window.sameDocument = true")
        version = deploy_new_version(pwa)
        page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
        page.wait_for_selector("#update:not([hidden])")
        assert "A new version is ready" in page.inner_text("#update")
        # Offered, not forced: same document, the typed name still there, the old version in
        # charge and the new one waiting with its own precache already complete.
        assert page.evaluate("window.sameDocument") is True
        assert page.input_value("#f-display_name") == "Familia Rad"
        page.wait_for_function(
            "() => navigator.serviceWorker.getRegistration().then((r) => r.waiting !== null)")
        assert sorted(page.evaluate(SHELL_CACHES)) == sorted([first, f"outreach-shell-{version}"])

        # The signal goes; the worker finishes the household and a visit, then taps Reload.
        context.set_offline(True)
        submit(page)
        page.wait_for_selector("#household-name")
        record_visit(page)
        home(page)
        page.wait_for_function("document.querySelector('#waiting-count')?.dataset.count === '2'")
        page.click("#reload-update")
        unlock(page)  # the new version, opened with no network at all
        page.wait_for_selector("#new-household")
        assert page.evaluate("window.sameDocument") is None
        assert page.evaluate(SHELL_CACHES) == [f"outreach-shell-{version}"]
        css = page.evaluate("fetch('/static/pwa/app.css').then((r) => r.text())")
        assert RELEASE_NOTE in css
        assert waiting_count(page) == 2  # the outbox came through the update whole
        assert "Familia Rad" in page.inner_text("#households")

        context.set_offline(False)
        page.wait_for_function("document.querySelector('#waiting-count')?.dataset.count === '0'",
                               timeout=30000)
    finally:
        context.close()
    on_server = world.login("worker2").pull_all()
    assert sorted(e["type"] for e in on_server) == ["household", "visit"]  # once each
