"""Build the demo organisation through the same services the API and CLI use."""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from outreach import crypto
from outreach.audit import service as audit
from outreach.auth import service as auth
from outreach.auth.models import User
from outreach.auth.principal import Principal
from outreach.demo.content import Record, household_records
from outreach.demo.lifecycle import lifecycle_records
from outreach.forms.meta import clear_meta, reported_area
from outreach.forms.registry import load_registry
from outreach.keys import service as keys
from outreach.schema_fields import recovery_kid, team_kid
from outreach.sync import push as sync
from outreach.teams import service as teams

TEAMS = {
    "east": ("East team", ["EAST-01", "EAST-02", "EAST-07"], "+32 0 000 10 01"),
    "west": ("West team", ["WEST-01", "WEST-03"], "+32 0 000 10 02"),
}
# Area names as households read them, with their translations per locale: data (areas.json),
# looked up along the household's language chain on printouts.
AREAS_FILE = Path(__file__).with_name("areas.json")


def area_names() -> dict[str, dict[str, Any]]:
    return dict(json.loads(AREAS_FILE.read_text(encoding="utf-8"))["areas"])


# The region each team's settlements lie in: a settlement with few households reports as it.
REGIONS = {"east": "EAST", "west": "WEST"}
USERS = (
    ("worker1", "worker", "east", "Ana Lungu"),
    ("worker2", "worker", "east", "Mihai Rostaș"),
    ("supervisor1", "supervisor", "east", "Elena Vass"),
    ("worker3", "worker", "west", "Jan Horváth"),
    ("admin1", "admin", None, "Admin"),
)


@dataclass
class DemoResult:
    usernames: list[str]
    records: int
    # The recovery private key (PEM); the caller decides where it goes (the CLI writes a file).
    recovery_key_pem: bytes
    rejected: list[str] = field(default_factory=list)


def load_demo(
    passphrase: str,
    *,
    households_per_team: int = 18,
    seed: int = 2026,
    area_minimum: int = 10,
) -> DemoResult:
    """Create the demo organisation; the caller commits. Refuses to run twice."""
    if teams.get_organisation() is not None:
        raise RuntimeError("the database already holds an organisation")
    rng = random.Random(seed)  # noqa: S311 (synthetic demo content, not secrets)
    org = teams.create_organisation("demo", "Demo outreach organisation",
                                    contact_phone="+32 0 000 10 00",
                                    contact_email="contact@outreach.example")
    recovery = crypto.generate_private_key()
    keys.add_recovery_key(org.id, crypto.public_key_to_b64u(recovery.public_key()))

    users: dict[str, User] = {}
    for username, role, _, display_name in USERS:
        users[username] = auth.add_user(organisation_id=org.id, username=username, role=role,
                                        passphrase=passphrase, display_name=display_name)
    team_keys = {}
    names_of = area_names()
    for slug, (name, areas, phone) in TEAMS.items():
        team = teams.add_team(org, slug, name, phone=phone)
        region = teams.add_area(team, REGIONS[slug], f"{name} region", level="region",
                                urbanisation="rural")
        for code in areas:
            named = names_of.get(code, {"name": code.replace("-", " ").title()})
            teams.add_area(team, code, named["name"], urbanisation="rural", deprived=True,
                           names=named.get("names"), parent=region)
        members = [users[u] for u, _, t, _ in USERS if t == slug]
        for user in members:
            teams.add_member(team, user)
        private = crypto.generate_private_key()
        team_keys[slug] = private
        keys.create_team_key(
            team,
            version=1,
            public_key=crypto.public_key_to_b64u(private.public_key()),
            grants={
                u.id: crypto.grant_team_key(private, crypto.load_public_key(u.public_key or ""))
                for u in members
            },
            recovery_grant=crypto.grant_team_key(private, recovery.public_key()),
            recovery_kid=recovery_kid(1),
        )

    today = datetime.now(UTC).date()
    forms = load_registry().latest()
    known: dict[str, Counter[str]] = {slug: Counter() for slug in TEAMS}
    total, rejected = 0, []
    for slug, (_, areas, _) in TEAMS.items():
        workers = [users[u] for u, role, t, _ in USERS if t == slug and role == "worker"]
        for worker in workers:
            signing = crypto.generate_private_key()
            device = auth.register_device(worker, "demo seed",
                                          crypto.public_key_to_b64u(signing.public_key()))
            principal = Principal(
                user_id=worker.id, username=worker.username, role=worker.role,
                organisation_id=org.id, device_id=device.id, family_id="demo",
                teams=teams.team_ids_for(worker.id),
            )
            envelopes = []
            cases = [household_records(rng, crypto.new_uuid7, rng.choice(areas), today)
                     for _ in range(households_per_team // len(workers))]
            known[slug].update(records[0].meta["area"] for records in cases)
            records: list[Record] = [r for records in cases for r in records]
            if worker is workers[0]:  # the case lifecycle, once per team
                records += lifecycle_records(crypto.new_uuid7, areas[0], today)
            for record in records:
                area = reported_area(record.meta.get("area"), known[slug],
                                     {code: REGIONS[slug] for code in areas},
                                     area_minimum)
                envelopes.append(crypto.seal_envelope(
                    record.plaintext, id=record.id or crypto.new_uuid7(),
                    record_id=record.record_id,
                    type=record.type, case_id=record.case_id, team_id=slug,
                    schema=forms[record.type].schema,
                    recipients=[(team_kid(slug, 1), team_keys[slug].public_key()),
                                (recovery_kid(1), recovery.public_key())],
                    device_id=device.id, signing_key=signing, parents=record.parents,
                    meta=clear_meta(forms[record.type], record.plaintext,
                                    area=area, day=record.meta["date"]),
                ))
            for result in sync.push(principal, envelopes).results:
                if result["status"] == "rejected":
                    rejected.append(f"{result['id']}: {result['problem']}")
                else:
                    total += 1
    audit.record("demo_loaded", organisation_id=org.id, records=total)
    return DemoResult([u for u, *_ in USERS], total, crypto.private_key_to_pem(recovery),
                      rejected)
