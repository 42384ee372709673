"""Benchmark: does a sync cost more as the database grows? (issue 18)

Run: `.venv/bin/python bench/scale.py` (sizes 10k, 100k, 1M on SQLite and PostgreSQL; long)
or `--sizes 10000,100000 --db sqlite` for a quick look. Not a test: it asserts nothing.

The database is filled to each size by direct inserts of signed, structurally valid rows spread
over 50 teams (one revision per record, its head row, the team digests kept right), so filling
is fast; the ciphertexts are copies of one sealed visit and do not decrypt under another id.
At each size, against the real server (gunicorn, the bench's settings):

- push: p50 of 30 requests of 20 new visits by one worker of team ``east`` (a 2/50 share);
- pull: p50 of the full 100-envelope pages (the PWA's page) of the catch-up pull of what was
  added since;
- up to date: p50 of a sync with nothing to push or pull (the commonest request);
- the resident memory of each gunicorn worker after the run (growth = a leak).

The figure that matters is the ratio of p50 at the largest size to p50 at the smallest: a cost
that does not grow with the database is within 1.25x. PostgreSQL runs with the test fixture's
settings (fsync off: a throwaway server), so its figures compare sizes, not durability.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.sync import typical_visit  # noqa: E402
from outreach import crypto  # noqa: E402
from tests.fixtures.database import make_test_config, migrate_to_head  # noqa: E402
from tests.fixtures.postgres import running_postgres  # noqa: E402
from tests.fixtures.server import HttpClient, LiveServer  # noqa: E402
from tests.fixtures.world import build_world, client_login  # noqa: E402

TEAMS = 50
PULL_PAGE = 100  # the PWA's page (static/pwa/src/sync/engine.js)
CHUNK = 5000
WORKERS = 4


@contextmanager
def database(kind: str, tmp: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp / 'scale.db'}"
        return
    with running_postgres() as admin_url:
        engine = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            conn.execute(sa.text("CREATE DATABASE scale"))
        engine.dispose()
        yield admin_url.rsplit("/", 1)[0] + "/scale"


def add_teams(app: Any) -> dict[str, int]:
    """48 more teams beside the world's east and west, each with areas and a team key."""
    from outreach.extensions import db
    from outreach.keys import service as keys
    from outreach.teams import service as teams
    from outreach.teams.models import Organisation, Team

    with app.app_context():
        org = db.session.execute(db.select(Organisation)).scalar_one()
        recovery_public = crypto.generate_private_key().public_key()
        for n in range(3, TEAMS + 1):
            team = teams.add_team(org, f"t{n:02}", f"Team {n}")
            teams.add_area(team, f"T{n:02}-01", f"Area {n}")
            private = crypto.generate_private_key()
            keys.create_team_key(team, version=1,
                                 public_key=crypto.public_key_to_b64u(private.public_key()),
                                 grants={}, recovery_grant=crypto.grant_team_key(
                                     private, recovery_public), recovery_kid="recovery:1")
        db.session.commit()
        return {slug: pk for slug, pk in db.session.execute(db.select(Team.slug, Team.id))}


class Filler:
    """Signed rows cloned from one sealed visit per team, inserted with Core executemany."""

    def __init__(self, app: Any, session: Any, team_pks: dict[str, int]) -> None:
        self.app, self.session, self.team_pks = app, session, team_pks
        self.slugs = sorted(team_pks)
        template = typical_visit(session, 0)
        self.templates = {}
        for slug in self.slugs:
            env = json.loads(json.dumps(template))
            env["team_id"] = slug
            env["keys"][0]["kid"] = f"team:{slug}:1"
            env["meta"]["area"] = "EAST-01" if slug == "east" else (
                "WEST-01" if slug == "west" else f"T{slug[1:]}-01")
            self.templates[slug] = env
        self.filled = 0

    def rows(self, count: int) -> tuple[list[dict[str, Any]], list[dict[str, Any]],
                                         dict[int, list[str]]]:
        now = datetime.now(UTC)
        envelopes, heads, by_team = [], [], {}
        for n in range(count):
            slug = self.slugs[(self.filled + n) % TEAMS]
            env = dict(self.templates[slug])
            env["id"], env["record_id"] = crypto.new_uuid7(), crypto.new_uuid7()
            if "case_id" in env:
                env["case_id"] = crypto.new_uuid7()
            env.pop("sig")
            env["sig"] = crypto.b64u_encode(crypto.sign(crypto.envelope_signing_bytes(env),
                                                        self.session.device_key))
            body = crypto.canonical_json(env)
            team_pk = self.team_pks[slug]
            envelopes.append(stored_row(env, body, team_pk, self.session, now))
            heads.append({"record_id": env["record_id"], "envelope_id": env["id"],
                          "team_id": team_pk})
            by_team.setdefault(team_pk, []).append(env["id"])
        return envelopes, heads, by_team

    def fill_to(self, target: int) -> float:
        from outreach.extensions import db
        from outreach.sync import digest
        from outreach.sync.models import Envelope, RecordHead

        start = time.perf_counter()
        with self.app.app_context():
            while self.filled < target:
                envelopes, heads, by_team = self.rows(min(CHUNK, target - self.filled))
                db.session.execute(Envelope.__table__.insert(), envelopes)
                db.session.execute(RecordHead.__table__.insert(), heads)
                digest.apply(by_team, 1)
                db.session.commit()
                self.filled += len(envelopes)
                print(f"  filled {self.filled:>9,}", end="\r", flush=True)
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                    c.execute(sa.text("ANALYZE"))
        return time.perf_counter() - start


def stored_row(env: dict[str, Any], body: bytes, team_pk: int, session: Any,
               now: datetime) -> dict[str, Any]:
    """The row the push stores for an accepted first revision (sync.decide)."""
    from outreach.sync.models import Envelope

    row = {
        "id": env["id"], "record_id": env["record_id"], "team_id": team_pk,
        "type": env["type"], "schema": env["schema"], "parents": json.dumps(env["parents"]),
        "meta": json.dumps(env["meta"], sort_keys=True, separators=(",", ":")),
        "paper_serial": None, "body": body, "content_hash": hashlib.sha256(body).digest(),
        "author_id": session.user_id, "device_id": session.device_id, "received_at": now,
    }
    if "case_id" in Envelope.__table__.c:
        row["case_id"] = env.get("case_id")
    return row


def p50(values: list[float]) -> float:
    return statistics.median(values) * 1000


def measure(url: str, session: Any, cursor: str | None) -> tuple[dict[str, float], str]:
    http = requests.Session()
    headers = {**session.headers, "Accept-Encoding": "gzip"}
    for _ in range(2 * WORKERS):  # every worker warm before the clock starts
        http.post(url, json={"push": [], "since": None, "limit": 1}, headers=headers,
                  timeout=60)
    pages, cursor_now = [], cursor
    while True:
        start = time.perf_counter()
        answer = http.post(url, json={"push": [], "since": cursor_now, "limit": PULL_PAGE},
                           headers=headers, timeout=120).json()
        pages.append(time.perf_counter() - start)
        cursor_now = answer["cursor"]
        if not answer["more"]:
            break
    idle = []
    for _ in range(30):
        start = time.perf_counter()
        answer = http.post(url, json={"push": [], "since": cursor_now}, headers=headers,
                           timeout=60).json()
        idle.append(time.perf_counter() - start)
    pushes = []
    for n in range(30):
        batch = [typical_visit(session, n * 20 + i) for i in range(20)]
        start = time.perf_counter()
        response = http.post(url, json={"push": batch, "since": cursor_now},
                             headers=headers, timeout=60)
        pushes.append(time.perf_counter() - start)
        answer = response.json()
        assert all(r["status"] == "accepted" for r in answer["results"]), answer["results"][:1]
        cursor_now = answer["cursor"]
    return {"push": p50(pushes), "pull page": p50(pages[:-1] or pages),
            "up to date": p50(idle), "pages": len(pages)}, cursor_now


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run(kind: str, sizes: list[int]) -> None:
    from outreach import create_app

    tmp = Path(tempfile.mkdtemp(prefix="outreach-scale-"))
    with database(kind, tmp) as db_url:
        migrate_to_head(db_url)
        app = create_app(make_test_config(db_url))
        world = build_world(app)
        team_pks = add_teams(app)
        server = LiveServer(db_url, tmp / "logs", workers=WORKERS, log_level="warning").start()
        try:
            world.client = HttpClient(server.url)
            session = client_login(world, "worker1")
            filler = Filler(app, session, team_pks)
            cursor, table = None, []
            for size in sizes:
                took = filler.fill_to(size)
                print(f"{kind}: {size:,} envelopes ({took:.0f} s to fill)" + " " * 10)
                figures, cursor = measure(server.url + "/api/v1/sync", session, cursor)
                table.append((size, figures))
                print(f"  push 20 p50 {figures['push']:6.1f} ms   pull page p50 "
                      f"{figures['pull page']:6.1f} ms ({figures['pages']} pages)   "
                      f"up to date p50 {figures['up to date']:5.1f} ms", flush=True)
            workers = [pid for pid in server.worker_pids() if pid != server.process.pid]
            memory = ", ".join(f"{rss_mib(pid):.0f}" for pid in workers)
            print(f"  gunicorn worker RSS after the run (MiB): {memory}")
        finally:
            server.kill()
    first, last = table[0], table[-1]
    print(f"{kind}: p50 at {last[0]:,} / p50 at {first[0]:,} (target <= 1.25x): " + ", ".join(
        f"{name} {last[1][name] / first[1][name]:.2f}x"
        for name in ("push", "pull page", "up to date")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    args = parser.parse_args()
    sizes = sorted(int(s) for s in args.sizes.split(","))
    for kind in (["sqlite", "postgres"] if args.db == "both" else [args.db]):
        run(kind, sizes)


if __name__ == "__main__":
    main()
