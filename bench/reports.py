"""Benchmark: GET /api/v1/reports/indicators over a team of ~100k envelopes, against a baseline
of only reading and parsing the same meta rows (what any report must at least do).

Run: `.venv/bin/python bench/reports.py` (`--device-only`: only the phone's figures beside the
server's, `device_main`). Not a test: prints figures only. Rows are inserted
directly (a report reads `meta` and the heads, never signatures or payloads).
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from outreach.extensions import db  # noqa: E402
from outreach.reports.facts import load_heads  # noqa: E402
from outreach.sync.models import Envelope, RecordHead  # noqa: E402
from outreach.teams.service import get_team  # noqa: E402
from tests.fixtures.database import make_test_config, migrate_to_head  # noqa: E402
from tests.fixtures.world import build_world  # noqa: E402

HOUSEHOLDS = 12_000


def day(rng: random.Random) -> str:
    return f"2026-{rng.randint(1, 11):02d}"  # meta holds the month (envelope format 2)


def envelopes(rng: random.Random, areas: list[str]) -> list[tuple[str, str, dict]]:
    """(case_id, type, meta) for a team's households, members, visits, assessments …"""
    out = []
    for n in range(HOUSEHOLDS):
        case = f"{n:08d}-0000-4000-8000-000000000000"
        area = rng.choice(areas)
        out.append((case, "household", {"date": day(rng), "area": area}))
        out += [(case, "person", {"date": day(rng), "area": area})
                for _ in range(rng.randint(1, 4))]
        out += [(case, "visit", {"date": day(rng), "area": area, "contact_type": "home_visit"})
                for _ in range(rng.randint(1, 6))]
        out += [(case, "assessment", {"date": day(rng)}) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.6:
            out.append((case, "referral", {"date": day(rng), "area": area,
                                           "status": rng.choice(["made", "attended",
                                                                 "not_taken_up"])}))
        if rng.random() < 0.5:
            out.append((case, "consent", {"date": day(rng), "status": "given"}))
    return out


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        migrate_to_head(url)
        from outreach import create_app

        app = create_app(make_test_config(url))
        world = build_world(app)
        session = world.login("supervisor1")
        rng = random.Random(7)
        with app.app_context():
            from outreach.teams import service as teams

            east = get_team("east")
            areas = [f"EAST-{i:02d}" for i in range(10, 40)]
            for code in areas:
                teams.add_area(east, code, code, urbanisation=rng.choice(
                    ["cities", "towns_suburbs", "rural"]))
            rows = []
            for index, (_case, type_, meta) in enumerate(envelopes(rng, areas)):
                env_id = f"{index:08d}-0000-7000-8000-000000000000"
                rows.append({"id": env_id, "record_id": env_id, "case_id": None, "format": 2,
                             "team_id": east.id, "type": type_, "schema": f"{type_}@1",
                             "parents": "[]", "meta": json.dumps(meta, sort_keys=True),
                             "body": b"{}", "content_hash": hashlib.sha256(env_id.encode())
                             .digest(), "author_id": world.user_ids["worker1"],
                             "device_id": session.device_id})
            db.session.execute(Envelope.__table__.insert(), rows)
            db.session.execute(RecordHead.__table__.insert(), [
                {"record_id": r["id"], "envelope_id": r["id"], "team_id": east.id}
                for r in rows])
            db.session.commit()
            start = time.perf_counter()
            load_heads(east.id)
            base = time.perf_counter() - start
        print(f"{len(rows)} envelopes; reading and parsing their meta: {base * 1000:.0f} ms")
        for by in ("", "area", "contact_type", "area,contact_type,urbanisation"):
            start = time.perf_counter()
            response = world.client.get("/api/v1/reports/indicators", headers=session.headers,
                                        query_string={"team": "east", "by": by,
                                                      "from": "2026-01-01", "to": "2026-12-31"})
            seconds = time.perf_counter() - start
            assert response.status_code == 200, response.get_json()
            body = response.get_json()
            shown = sum(1 for row in body["reach"] for f in ("households", "people", "visits")
                        if row[f] is not None)
            print(f"by={by or '(none)':18} {seconds * 1000:6.0f} ms = {seconds / base:4.1f}x "
                  f"the baseline; {len(body['reach'])} reach rows, {shown} figures shown")


DEVICE_RECORDS = 10_000


def device_main() -> None:
    """The figures a supervisor's phone computes (static/pwa/src/figures/) over 10,000 records
    of demo households, in Chromium with the CPU throttled 4x through CDP (a low-end phone),
    beside today's server-side figure: GET /reports/indicators over the same demo generator
    and size, sealed and pushed through the real sync service."""
    import subprocess

    from playwright.sync_api import sync_playwright

    from outreach import create_app
    from outreach.demo.seed import load_demo
    from tests.fixtures.browser import CHROMIUM, CHROMIUM_ARGS
    from tests.fixtures.figures import demo_input

    per_household = len(_records(demo_input(households=50)["cases"])) / 50
    households = round(DEVICE_RECORDS / per_household)
    data = demo_input(households=households)
    records = len(_records(data["cases"]))
    bundle = subprocess.run(
        [str(ROOT / "static/pwa/node_modules/.bin/esbuild"), "src/figures/count.js", "--bundle",
         "--format=iife", "--global-name=figures", "--target=es2022"],
        cwd=ROOT / "static/pwa", capture_output=True, text=True, check=True).stdout
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.add_script_tag(content=bundle)
        page.evaluate("(input) => { window.input = input; figures.teamFigures(input); }", data)
        cdp = page.context.new_cdp_session(page)
        timings = {}
        for rate in (1, 4):
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
            runs = [page.evaluate("""() => { const t = performance.now();
                figures.teamFigures(window.input); return performance.now() - t; }""")
                    for _ in range(5)]
            timings[rate] = sorted(runs)[2]  # the median; the JIT warmed up before
        browser.close()
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/device.db"
        migrate_to_head(url)
        app = create_app(make_test_config(url))
        with app.app_context():
            load_demo("bench passphrase 2026", households_per_team=households)
            db.session.commit()
            east = db.session.execute(db.select(db.func.count()).select_from(Envelope).where(
                Envelope.team_id == get_team("east").id)).scalar_one()
        client = app.test_client()
        session = _demo_login(client)
        start = time.perf_counter()
        response = client.get("/api/v1/reports/indicators", headers=session,
                              query_string={"team": "east", "from": f"{data['from']}-01",
                                            "to": f"{data['to']}-28"})
        server = (time.perf_counter() - start) * 1000
        assert response.status_code == 200, response.get_json()
    print(f"on the phone: {records} records of {households} households (demo generator)")
    print(f"  figures in Chromium:            {timings[1]:7.0f} ms")
    print(f"  figures, CPU throttled 4x:      {timings[4]:7.0f} ms")
    print(f"server: GET /reports/indicators, the same team ({east} envelopes, notes and "
          f"plans included): {server:6.0f} ms")
    print(f"  phone at 4x / server:           {timings[4] / server:7.1f}x")


def _records(cases: list[dict]) -> list[dict]:
    return [r for c in cases for r in (c["household"], *c["people"], *c["visits"],
                                       *c["assessments"], *c["referrals"], *c["consents"]) if r]


def _demo_login(client) -> dict[str, str]:
    from outreach import crypto

    pre = client.post("/api/v1/auth/prelogin", json={"username": "supervisor1"}).get_json()
    keys = crypto.derive_login_keys("bench passphrase 2026", crypto.b64u_decode(
        pre["kdf"]["salt"]), pre["kdf"]["iterations"])
    device = crypto.generate_private_key()
    tokens = client.post("/api/v1/auth/login", json={
        "username": "supervisor1", "auth_key": crypto.b64u_encode(keys.auth_key),
        "device": {"name": "bench", "signing_public_key": crypto.public_key_to_b64u(
            device.public_key())}}).get_json()
    return {"Authorization": f"Bearer {tokens['access_token']}"}


if __name__ == "__main__":
    if "--device-only" not in sys.argv:
        main()
    device_main()
