"""Benchmark: GET /api/v1/reports/indicators over a team of ~100k envelopes, against a baseline
of only reading and parsing the same meta rows (what any report must at least do).

Run: `.venv/bin/python bench/reports.py`. Not a test: prints figures only. Rows are inserted
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
from outreach.reports.facts import load_cases  # noqa: E402
from outreach.sync.models import Envelope, RecordHead  # noqa: E402
from outreach.teams.service import get_team  # noqa: E402
from tests.fixtures.database import make_test_config, migrate_to_head  # noqa: E402
from tests.fixtures.world import build_world  # noqa: E402

HOUSEHOLDS = 12_000
SEXES = ["female", "male", "other", "unknown"]
AGES = ["0-5", "6-11", "12-17", "18-24", "25-49", "50-64", "65+"]
DOMAINS = ["income", "debt", "housing", "energy", "health", "work", "social", "documents"]


def day(rng: random.Random) -> str:
    return f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"


def envelopes(rng: random.Random, areas: list[str]) -> list[tuple[str, str, dict]]:
    """(case_id, type, meta) for a team's households, members, visits, assessments …"""
    out = []
    for n in range(HOUSEHOLDS):
        case = f"{n:08d}-0000-4000-8000-000000000000"
        area = rng.choice(areas)
        out.append((case, "household", {"date": day(rng)}))
        out += [(case, "person", {"date": day(rng), "sex": rng.choice(SEXES),
                                  "age_band": rng.choice(AGES)})
                for _ in range(rng.randint(1, 4))]
        out += [(case, "visit", {"date": day(rng), "area": area, "contact_type": "home_visit"})
                for _ in range(rng.randint(1, 6))]
        out += [(case, "assessment", {"date": day(rng), "scores": {
            d: rng.randint(1, 5) for d in rng.sample(DOMAINS, 4)}})
            for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.6:
            out.append((case, "referral", {"date": day(rng), "service_type": "energy",
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
            for index, (case, type_, meta) in enumerate(envelopes(rng, areas)):
                env_id = f"{index:08d}-0000-7000-8000-000000000000"
                rows.append({"id": env_id, "record_id": env_id, "case_id": case,
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
            load_cases(east.id)
            base = time.perf_counter() - start
        print(f"{len(rows)} envelopes; reading and parsing their meta: {base * 1000:.0f} ms")
        for by in ("", "area", "sex,age_band", "area,sex,age_band"):
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


if __name__ == "__main__":
    main()
