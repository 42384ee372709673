"""Benchmark: the phone side of a big team (issue 18). Not a test: prints figures only.

Real Chromium (Debian's package, driven by Playwright) with its CPU throttled 4x through the
DevTools protocol (``Emulation.setCPUThrottlingRate``), a low-end phone's speed, against the
real gunicorn server holding a team of ``HOUSEHOLDS`` households sealed as the PWA seals them:

- first pull: from the home screen after login to the first sync done and every household
  listed (envelopes stored in IndexedDB as pulled, then each opened: HPKE, AES-GCM, JSON):
  wall time, and the CPU time of the page's main
  thread (``Performance.getMetrics`` TaskDuration) and of the whole renderer process
  (``SystemInfo.getProcessInfo``), WebCrypto's threads included;
- the household list opened from another screen: until the frame drawn with its first 10 rows
  and the one drawn with every household listed (a long list draws only the rows near the
  viewport and says its length in data-count);
- a search keystroke: from the input event to the list redrawn (the next animation frame).

Targets: first pull <= 10 s of CPU, the list open in <= 1 s, a keystroke answered in <= 100 ms.
Run: `.venv/bin/python bench/client.py` (after `make install`); `--households 500` for a quick
look; `--before DIR` measures another build of the PWA first (a copy of main's static/pwa
without node_modules and src) against the same data and prints the ratios. Takes a few minutes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

THROTTLE = 4
BATCH = 100


def seal_households(world: Any, count: int) -> None:
    """``count`` households of team east, pushed by another member, as the PWA makes them:
    a household's record id and case id are its first revision's id."""
    from outreach import crypto

    writer = world.login("worker2")
    for start in range(0, count, BATCH):
        batch = []
        for n in range(start, min(count, start + BATCH)):
            first = crypto.new_uuid7()
            batch.append(writer.seal(
                "household", "east", {"display_name": f"Familia {n:04} Rostaș",
                                      "household_language": "ro"},
                id=first, record_id=first, case_id=first,
                meta={"area": "EAST-01", "source": "app"}))
        response = writer.sync(push=batch)
        assert response.status_code == 200, response.get_json()
        statuses = {r["status"] for r in response.get_json()["results"]}
        assert statuses == {"accepted"}, statuses


def renderer_cpu(browser_cdp: Any) -> float:
    """CPU seconds of the renderer processes (the app's page and its workers)."""
    info = browser_cdp.send("SystemInfo.getProcessInfo")["processInfo"]
    return sum(p["cpuTime"] for p in info if p["type"] == "renderer")


def task_seconds(cdp: Any) -> float:
    metrics = cdp.send("Performance.getMetrics")["metrics"]
    return next(m["value"] for m in metrics if m["name"] == "TaskDuration")


def print_profile(profile: dict[str, Any], top: int = 15) -> None:
    """Self time by function (name, file, line) of a CDP CPU profile, largest first."""
    interval = {}
    samples, deltas = profile.get("samples", []), profile.get("timeDeltas", [])
    for node_id, delta in zip(samples, deltas, strict=False):
        interval[node_id] = interval.get(node_id, 0) + delta
    totals: dict[str, float] = {}
    for node in profile["nodes"]:
        frame = node["callFrame"]
        name = (f"{frame['functionName'] or '(anonymous)'} "
                f"{frame['url'].rsplit('/', 1)[-1]}:{frame['lineNumber'] + 1}")
        totals[name] = totals.get(name, 0) + interval.get(node["id"], 0) / 1e6
    whole = sum(totals.values()) or 1
    for name, seconds in sorted(totals.items(), key=lambda kv: -kv[1])[:top]:
        print(f"  {seconds:6.2f} s  {seconds / whole:5.1%}  {name}")


# How many households the list holds: a long list draws only the rows near the viewport and
# says its length in data-count (ui/long-list.js); an older build drew every row.
LISTED = """(() => {
  const list = document.querySelector('#households');
  if (!list) return 0;
  return list.dataset.count !== undefined && list.querySelector('li')
    ? Number(list.dataset.count) : list.querySelectorAll('li').length;
})()"""

# The next frame drawn: style, layout and paint of what the last task changed are done.
FRAME = "new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))"

KEYSTROKE = f"""async (text) => {{
  const search = document.querySelector('#search');
  const start = performance.now();
  search.value = text;
  search.dispatchEvent(new Event('input', {{ bubbles: true }}));
  await {FRAME};
  return {{ ms: performance.now() - start, shown: {LISTED} }};
}}"""

# The list opened from another screen, timed in the page: from the navigation to the first
# frame drawn with every household in the list (and with the first rows, for a long list the
# same frame), checked every animation frame.
LIST_OPEN = f"""async (households) => {{
  const start = performance.now();
  location.hash = '#/';
  const listed = () => {LISTED};
  let seen = false;
  let first = null;
  for (;;) {{
    await new Promise((resolve) => requestAnimationFrame(resolve));
    // A frame callback after the one that saw the first rows: that frame was drawn.
    if (seen && first === null) first = performance.now();
    const count = listed();
    seen = seen || count >= Math.min(households, 10);
    if (count >= households) break;
    if (performance.now() - start > 60000) throw new Error('the list did not open');
  }}
  await {FRAME};
  const end = performance.now();
  return {{ all: end - start, first: (first ?? end) - start }};
}}"""


def measure(playwright: Any, url: str, households: int, profile: bool) -> dict[str, float]:
    """One phone against the server at ``url``: first pull, list opens, keystrokes."""
    from tests.browser.pwa import log_in
    from tests.fixtures.browser import CHROMIUM, CHROMIUM_ARGS

    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    try:
        browser_cdp = browser.new_browser_cdp_session()
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        page.goto(url + "/")
        page.wait_for_selector("#username")
        page.evaluate("navigator.serviceWorker.ready")
        cdp = context.new_cdp_session(page)
        cdp.send("Performance.enable")
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE})

        # Login (PBKDF2, key unwrapping, the PIN vault) is not part of the pull: the sync
        # is held off the network until the home screen shows, then nudged as a returning
        # signal does.
        page.route("**/api/v1/sync", lambda route: route.abort("internetdisconnected"))
        start = time.perf_counter()
        log_in(page, "worker1")
        login_wall = time.perf_counter() - start
        page.unroute("**/api/v1/sync")
        if profile:
            cdp.send("Profiler.enable")
            cdp.send("Profiler.start")
        tasks0, cpu0, start = task_seconds(cdp), renderer_cpu(browser_cdp), time.perf_counter()
        page.evaluate("dispatchEvent(new Event('online'))")
        page.wait_for_function("document.querySelector('#status').dataset.lastSync",
                               timeout=600_000)
        page.wait_for_function(f"() => {LISTED} >= {households}", timeout=600_000)
        if profile:
            print("first pull, main thread by function:")
            print_profile(cdp.send("Profiler.stop")["profile"])
        pull_wall = time.perf_counter() - start
        pull_tasks = task_seconds(cdp) - tasks0
        pull_cpu = renderer_cpu(browser_cdp) - cpu0
        print(f"login (not counted below): {login_wall:.1f} s wall")
        print(f"first pull of {households} households, CPU x{THROTTLE} slower: "
              f"{pull_wall:.1f} s wall, main thread busy {pull_tasks:.1f} s, renderer CPU "
              f"{pull_cpu:.1f} s (target <= 10 s)", flush=True)

        opens, firsts = [], []
        if profile:
            cdp.send("Profiler.start")
        for _ in range(3):
            page.evaluate("location.hash = '#/settings'")
            page.wait_for_selector("#households", state="detached")
            # The first screen of rows (a phone shows ~10), then every household, each to the
            # frame drawn with it.
            opened = page.evaluate(LIST_OPEN, households)
            firsts.append(opened["first"] / 1000)
            opens.append(opened["all"] / 1000)
        if profile:
            print("household list opened 3 times (settings between), main thread by function:")
            print_profile(cdp.send("Profiler.stop")["profile"])
        print(f"household list opened with {households} households: median "
              f"{statistics.median(opens) * 1000:.0f} ms of {len(opens)} to every row listed "
              f"(target <= 1,000), {statistics.median(firsts) * 1000:.0f} ms to the first 10",
              flush=True)

        keystrokes = []
        for text in ("f", "fa", "fam", "fami", "famil", "familia 01", "familia 012", ""):
            answer = page.evaluate(KEYSTROKE, text)
            keystrokes.append(answer["ms"])
        print(f"search keystroke: median {statistics.median(keystrokes):.0f} ms, worst "
              f"{max(keystrokes):.0f} ms over {len(keystrokes)} (target <= 100 ms)", flush=True)
        context.close()
    finally:
        browser.close()
    return {"pull wall s": pull_wall, "pull main thread s": pull_tasks,
            "pull renderer CPU s": pull_cpu, "list open ms": statistics.median(opens) * 1000,
            "list first rows ms": statistics.median(firsts) * 1000,
            "keystroke median ms": statistics.median(keystrokes),
            "keystroke worst ms": max(keystrokes)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--households", type=int, default=2000)
    parser.add_argument("--profile", action="store_true",
                        help="print where the main thread's time goes (CDP profiler)")
    parser.add_argument("--before", type=Path, metavar="PWA_DIR",
                        help="also measure this copy of static/pwa (its index.html, app.css, "
                             "icons, manifest and build/, e.g. main's) first, against the same "
                             "server data, and print the ratios")
    parser.add_argument("--after", type=Path, metavar="PWA_DIR",
                        help="measure this copy of static/pwa instead of the checkout's own")
    args = parser.parse_args()

    from playwright.sync_api import Page, sync_playwright

    from outreach import create_app
    from tests.fixtures.browser import _wait_for_function
    from tests.fixtures.database import make_test_config, migrate_to_head
    from tests.fixtures.server import HttpClient, LiveServer
    from tests.fixtures.world import build_world

    workdir = Path(tempfile.mkdtemp(prefix="outreach-client-"))
    database = f"sqlite:///{workdir}/client.db"
    migrate_to_head(database)
    world = build_world(create_app(make_test_config(database)))
    # The app's CSP refuses eval(), which Playwright's own wait_for_function uses.
    Page.wait_for_function = _wait_for_function  # type: ignore[method-assign]
    runs: list[tuple[str, dict[str, str]]] = []
    if args.before:
        runs.append(("before", {"OUTREACH_PWA_DIR": str(args.before.resolve())}))
    runs.append(("this checkout",
                 {"OUTREACH_PWA_DIR": str(args.after.resolve())} if args.after else {}))
    figures: dict[str, dict[str, float]] = {}
    sealed = False
    with sync_playwright() as playwright:
        for label, env in runs:
            server = LiveServer(database, workdir / f"logs-{len(figures)}", log_level="warning",
                                extra_env=env).start()
            try:
                if not sealed:
                    world.client = HttpClient(server.url)
                    print(f"sealing {args.households} households…", flush=True)
                    seal_households(world, args.households)
                    sealed = True
                print(f"== {label}", flush=True)
                figures[label] = measure(playwright, server.url, args.households, args.profile)
            finally:
                server.kill()
    if "before" in figures:
        before, after = figures["before"], figures["this checkout"]
        print("== before -> this checkout (same run, same data)")
        for name, was in before.items():
            now = after[name]
            ratio = was / now if now else float("inf")
            print(f"  {name:22} {was:9.1f} -> {now:9.1f}  ({ratio:.2f}x)")


if __name__ == "__main__":
    main()
