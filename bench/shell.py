"""Benchmark: what a phone downloads to start the app, and how fast it opens.

Sizes: every asset the app needs to start (the shell the service worker precaches, the form
definitions and the largest interface catalog), raw and gzip-compressed (level 6, what a proxy
sends), against the 150 KB budget. Time: the real server and Debian's Chromium, from navigation
to the login form, first with a cold cache and then offline from the service worker, against a
baseline of a one-line static page from the same server in the same run.

Run: `.venv/bin/python bench/shell.py` (after `make pwa`). Not a test: prints figures only.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
BUDGET = 150 * 1024
LOCALES = ("nl", "ro", "bg", "hu", "sk", "cs", "uk", "ar", "rom")


def shell() -> tuple[str, ...]:
    """What the service worker precaches to start (its manifest's core: the shell, app.js and
    every chunk it loads, build-sw.mjs), plus the worker itself and the form definitions."""
    text = (ROOT / "static/pwa/build/sw.js").read_text()
    match = re.search(r'\{"version":"[0-9a-f]+","core":(\[.*?\]),"catalogs"', text)
    if match is None:
        raise SystemExit("build/sw.js carries no precache manifest: run `make pwa`")
    core = [entry["url"] for entry in json.loads(match[1])]
    return (*core, "/static/pwa/sw.js", "/api/v1/forms")


def sizes() -> list[tuple[str, int, int]]:
    os.environ.setdefault("OUTREACH_SECRET_KEY", "bench")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/bench.db")
    from outreach import create_app

    client = create_app().test_client()
    catalogs = ROOT / "static/pwa/build/i18n"
    biggest = max(LOCALES, key=lambda loc: (catalogs / f"{loc}.json").stat().st_size)
    rows = []
    for path in (*shell(), f"/static/pwa/build/i18n/{biggest}.json"):
        body = client.get("/sw.js" if path.endswith("sw.js") else path).get_data()
        rows.append((path, len(body), len(gzip.compress(body, 6))))
    return rows


def open_times(runs: int = 7) -> tuple[list[float], list[float], list[float]]:
    from playwright.sync_api import sync_playwright

    from tests.fixtures.browser import CHROMIUM, CHROMIUM_ARGS
    from tests.fixtures.server import LiveServer

    workdir = Path(tempfile.mkdtemp())
    database = f"sqlite:///{workdir}/bench.db"
    os.environ["DATABASE_URL"] = database
    from outreach import create_app
    from outreach.extensions import db

    app = create_app()
    with app.app_context():
        from flask_migrate import upgrade

        upgrade(directory=str(ROOT / "migrations"))
        db.session.commit()
    server = LiveServer(database, workdir / "logs").start()
    (ROOT / "static/pwa/build/bench-baseline.html").write_text("<!doctype html><p id=x>hi</p>")
    cold, offline, baseline = [], [], []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for _ in range(runs):
                context = browser.new_context(viewport={"width": 360, "height": 740})
                page = context.new_page()
                start = time.perf_counter()
                page.goto(server.url + "/static/pwa/build/bench-baseline.html")
                page.wait_for_selector("#x")
                baseline.append(time.perf_counter() - start)
                start = time.perf_counter()
                page.goto(server.url + "/")
                page.wait_for_selector("#username")
                cold.append(time.perf_counter() - start)
                page.evaluate("navigator.serviceWorker.ready")
                page.wait_for_timeout(300)  # the precache fills
                context.set_offline(True)
                start = time.perf_counter()
                page.reload()
                page.wait_for_selector("#username")
                offline.append(time.perf_counter() - start)
                context.close()
            browser.close()
    finally:
        server.kill()
        (ROOT / "static/pwa/build/bench-baseline.html").unlink(missing_ok=True)
    return cold, offline, baseline


def main() -> None:
    rows = sizes()
    print(f"{'asset':48} {'raw':>9} {'gzip':>9}")
    for path, raw, packed in rows:
        print(f"{path:48} {raw:9,} {packed:9,}")
    raw_total = sum(r for _, r, _ in rows)
    packed_total = sum(p for _, _, p in rows)
    print(f"{'total to start':48} {raw_total:9,} {packed_total:9,}")
    print(f"budget {BUDGET:,} bytes compressed: used {packed_total / BUDGET:.1%}")
    cold, offline, baseline = open_times()
    med = statistics.median
    print(f"open to login form, cold (network):   {med(cold) * 1000:7.1f} ms median of {len(cold)}")
    print(f"open to login form, offline (SW):      {med(offline) * 1000:7.1f} ms median")
    print(f"baseline, one-line static page:        {med(baseline) * 1000:7.1f} ms median")
    print(f"ratios: cold / baseline {med(cold) / med(baseline):.1f}x, "
          f"offline / baseline {med(offline) / med(baseline):.1f}x")


if __name__ == "__main__":
    main()
