"""Benchmark: the app on a bad signal, in one run (issue 12). Not a test: prints figures only.

The whole browser, service worker included, reaches the real gunicorn server only through the
test-side proxy of tests/fixtures/netem.py, set to GPRS (500 ms round trip, 20 kbit/s up,
50 kbit/s down) or lie-fi (connections accepted, nothing answered). Figures:

- cold first load to the login form (GPRS);
- first tap (log in) to "Ready to work offline ✓" on screen (GPRS);
- warm open to the PIN screen from the service worker: GPRS, lie-fi, network off;
- 20 visits recorded offline, then synced on GPRS: seconds and requests;
- first pull of the team's history (500 envelopes) on a second phone: seconds, bytes, and
  whether "n of m" progress was shown.

Run: `.venv/bin/python bench/field.py [--profile]` (after `make install`). Takes a few minutes;
`--profile` adds, per phase, every request with its size and the new connections.
"""

from __future__ import annotations

import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PULL_ENVELOPES = 500
VISITS = 20


def main() -> None:
    from playwright.sync_api import Page, sync_playwright

    from outreach import create_app
    from tests.browser.pwa import PIN, home, log_in, new_household, record_visit, unlock
    from tests.fixtures.browser import CHROMIUM, CHROMIUM_ARGS, _wait_for_function
    from tests.fixtures.database import make_test_config, migrate_to_head
    from tests.fixtures.netem import GPRS, NetworkProxy
    from tests.fixtures.server import HttpClient, LiveServer
    from tests.fixtures.world import build_world

    workdir = Path(tempfile.mkdtemp())
    database = f"sqlite:///{workdir}/field.db"
    migrate_to_head(database)
    world = build_world(create_app(make_test_config(database)))
    # Served as `make run` serves it: threaded workers that keep a connection open (in production
    # nginx does that for the phone), so a page's requests do not each pay a new TCP handshake.
    server = LiveServer(database, workdir / "logs", extra_args=[
        "--worker-class", "gthread", "--threads", "4", "--keep-alive", "30"]).start()
    world.client = HttpClient(server.url)
    proxy = NetworkProxy(server.port)
    figures = Figures()
    # The app's CSP refuses eval(), which Playwright's own wait_for_function uses.
    Page.wait_for_function = _wait_for_function  # type: ignore[method-assign]

    def sync_requests() -> int:
        log = (server.log_dir / "access.log").read_text()
        return log.count('"POST /api/v1/sync ')

    profile = Profile(server.log_dir / "access.log", proxy)

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 360, "height": 740})
            page = context.new_page()
            proxy.throttle(GPRS)

            start = time.perf_counter()
            page.goto(proxy.url + "/", timeout=120_000)
            page.wait_for_selector("#username", timeout=120_000)
            figures.append(("cold first load to the login form, GPRS",
                            f"{time.perf_counter() - start:.1f} s"))
            profile.phase("cold first load")

            page.fill("#username", "worker1")
            page.fill("#passphrase", world_passphrase())
            start = time.perf_counter()
            page.click("button[type=submit]")
            page.wait_for_selector("#pin", timeout=120_000)
            page.fill("#pin", PIN)
            page.click("button[type=submit]")
            page.wait_for_selector("#offline-ready:not([hidden])", timeout=180_000)
            figures.append(("first tap to 'Ready to work offline' on screen, GPRS",
                            f"{time.perf_counter() - start:.1f} s"))
            profile.phase("login to ready offline")

            for label, switch in (("GPRS", lambda: proxy.throttle(GPRS)),
                                  ("lie-fi", proxy.stall),
                                  ("network off", lambda: context.set_offline(True))):
                switch()
                start = time.perf_counter()
                page.reload(wait_until="commit", timeout=60_000)
                page.wait_for_selector("#pin", timeout=60_000)
                figures.append((f"warm open to the PIN screen, {label}",
                                f"{time.perf_counter() - start:.2f} s"))
            context.set_offline(True)
            unlock(page)
            page.wait_for_selector("#new-household")
            new_household(page, "Familia Bench")
            for _ in range(VISITS):
                record_visit(page)
            home(page)
            page.wait_for_function(
                f"document.querySelector('#waiting-count')?.dataset.count === '{VISITS + 1}'")
            requests_before = sync_requests()
            profile.phase("warm opens and recording offline")
            proxy.throttle(GPRS)
            start = time.perf_counter()
            context.set_offline(False)  # the signal returns: the app syncs by itself
            page.wait_for_function(
                "document.querySelector('#waiting-count')?.dataset.count === '0'",
                timeout=120_000)
            figures.append((f"{VISITS} visits + their household synced, GPRS",
                            f"{time.perf_counter() - start:.1f} s, "
                            f"{sync_requests() - requests_before} request(s)"))
            profile.phase("20 visits synced")
            context.close()

            # The team's history: another member's phone pulls it all on its first login.
            writer = world.login("worker2")
            for start_at in range(0, PULL_ENVELOPES, 100):
                writer.sync(push=[writer.seal("visit", "east", {"date": "2026-11-20",
                                                                "notes": "x" * 200},
                                              meta={"area": "EAST-01"})
                                  for _ in range(min(100, PULL_ENVELOPES - start_at))])
            phone = browser.new_context(viewport={"width": 360, "height": 740})
            second = phone.new_page()
            proxy.forward()
            second.goto(proxy.url + "/")
            second.wait_for_selector("#username")
            second.evaluate("navigator.serviceWorker.ready")
            proxy.throttle(GPRS)
            profile.phase("second phone opened (good signal)")
            down_before = proxy.traffic()[1]
            second.evaluate("""() => {
              window.progressSeen = false;
              new MutationObserver(() => {
                if (/\\d+ (of|van) \\d+/.test(document.querySelector('#status').textContent))
                  window.progressSeen = true;
              }).observe(document.querySelector('#status'), {childList: true, subtree: true,
                                                             characterData: true});
            }""")
            start = time.perf_counter()
            log_in(second, "worker2")
            second.wait_for_function("document.querySelector('#status').dataset.lastSync",
                                     timeout=300_000)
            progress = second.evaluate("window.progressSeen")
            figures.append((f"first pull of the team's history ({PULL_ENVELOPES + VISITS + 1} "
                            "envelopes), GPRS, from the login tap",
                            f"{time.perf_counter() - start:.1f} s, "
                            f"{(proxy.traffic()[1] - down_before) / 1024:.0f} KiB down, "
                            f"progress shown: {'yes' if progress else 'no'}"))
            profile.phase("first pull")
            phone.close()
            browser.close()
            if "--profile" in sys.argv:
                profile.print()
    finally:
        proxy.close()
        server.kill()


class Figures(list[tuple[str, str]]):
    """Printed as they come: a run that stops half-way still shows what it measured."""

    def append(self, item: tuple[str, str]) -> None:
        super().append(item)
        print(f"{item[0]:70}  {item[1]}", flush=True)


class Profile:
    """Where the bytes and round trips of each phase go: the server's access log (requests and
    body sizes as sent) and the proxy (bytes on the wire, new connections). `--profile`."""

    LINE = re.compile(r'"(?P<method>[A-Z]+) (?P<path>\S+) [^"]*" (?P<status>\d+) (?P<size>\d+|-)')

    def __init__(self, log: Path, proxy: object) -> None:
        self.log, self.proxy = log, proxy
        self.phases: list[tuple[str, list[tuple[str, int, int]], int, int, int]] = []
        self._mark = self._now()

    def _now(self) -> tuple[int, int, int, int]:
        up, down = self.proxy.traffic()  # type: ignore[attr-defined]
        return len(self.log.read_text().splitlines()), up, down, \
            self.proxy.connections  # type: ignore[attr-defined]

    def phase(self, name: str) -> None:
        now = self._now()
        lines = self.log.read_text().splitlines()[self._mark[0]:now[0]]
        requests = []
        for line in lines:
            match = self.LINE.search(line)
            if match and match["path"] != "/healthz":
                size = 0 if match["size"] == "-" else int(match["size"])
                requests.append((f"{match['method']} {match['path']}", int(match["status"]),
                                 size))
        self.phases.append((name, requests, now[1] - self._mark[1], now[2] - self._mark[2],
                            now[3] - self._mark[3]))
        self._mark = now

    def print(self) -> None:
        for name, requests, up, down, connections in self.phases:
            print(f"\n{name}: {len(requests)} requests, {connections} new connections, "
                  f"{up / 1024:.1f} KiB up, {down / 1024:.1f} KiB down")
            for request, status, size in requests:
                print(f"  {status} {size:>8} B  {request}")


def world_passphrase() -> str:
    from tests.fixtures.world import PASSPHRASE

    return PASSPHRASE


if __name__ == "__main__":
    main()
