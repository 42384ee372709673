"""From the database alone, without keys, nothing ties the records of one household together
(envelope format 2) and no sensitive category is in the clear (docs/threat-model.md).

36 households, as the demo has them, are pushed the way a phone syncs after a day's work:
several households per request. Then every clear value the server holds for a record (each
column, each top-level field of the stored envelope, each `meta` field) is tried as a key: none
groups exactly the records of one household. The uniqueness measure of issue 13 (households
unique on area, size band, target groups and members' age band × sex) needs those fields by
household; none of them is stored."""

from __future__ import annotations

import json
import random
from collections import defaultdict

import sqlalchemy as sa

from outreach.extensions import db
from tests.fixtures.reports import Household, push_all, seal_household

AGES = ("0-5", "6-11", "12-17", "18-24", "25-49", "50-64", "65+")
GROUPS = ("roma", "migrant", "refugee", "homeless", "single_parent")
# Values of the categories that must never be in the clear, as the forms spell them.
SENSITIVE = (*GROUPS, *AGES, "female", "male", "target_groups", "age_band", "size_band",
             "not_taken_up_reason", "documents", "scores", "sex")


def households(rng: random.Random) -> list[Household]:
    out = []
    for n in range(36):
        day = f"2026-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"
        out.append(Household(
            rng.choice(["EAST-01", "EAST-07"]), date=day,
            people=[(rng.choice(["female", "male"]), rng.choice(AGES))
                    for _ in range(rng.randint(1, 5))],
            visits=[(day, rng.choice(["home_visit", "street"]))],
            assessments=[(day, {"documents": rng.randint(1, 3), "health": 2})],
            referrals=[(day, "not_taken_up", "documents")] if n % 3 == 0 else [],
            consent=(day, "given"),
            target_groups=rng.sample(GROUPS, 2)))
    return out


def clear_values(row) -> dict[str, str]:
    """Every value the server keeps in the clear about one stored revision."""
    body = json.loads(bytes(row.body))
    values = {f"column.{name}": str(value) for name, value in row._mapping.items()
              if name not in ("body", "meta")}
    values.update({f"body.{k}": json.dumps(v, sort_keys=True) for k, v in body.items()
                   if k not in ("meta", "payload", "keys", "sig")})
    values.update({f"meta.{k}": json.dumps(v, sort_keys=True)
                   for k, v in json.loads(row.meta).items()})
    return values


def test_no_clear_field_links_the_records_of_one_household(world):
    worker = world.login("worker1")
    specs = households(random.Random(13))  # noqa: S311 (synthetic test data)
    by_case: dict[str, set[str]] = {}
    envelopes = []
    for spec in specs:
        sealed = seal_household(worker, spec)
        by_case[spec.case_id] = {e["id"] for e in sealed}
        envelopes += sealed
    push_all(worker, envelopes)  # 200 envelopes a request: many households each

    with world.app.app_context():
        rows = db.session.execute(sa.text("SELECT * FROM envelope")).all()
    assert len(rows) == len(envelopes)
    records: dict[str, set[str]] = defaultdict(set)  # "field=value" → envelope ids
    for row in rows:
        for field, value in clear_values(row).items():
            records[f"{field}={value}"].add(row.id)
    linking = {key for key, ids in records.items() if ids in by_case.values()}
    assert linking == set()

    everything = "\n".join(records)
    assert not [word for word in SENSITIVE if f'"{word}"' in everything]
    # A household is its own case (its record id): no other record shows that id in the clear.
    others = "\n".join(f"{k}={v}" for row in rows if row.type != "household"
                       for k, v in clear_values(row).items())
    assert not [case for case in by_case if case in others]
    # The uniqueness measure cannot be computed: none of its fields is stored.
    fields = {key.split("=", 1)[0] for key in records}
    assert not fields & {"meta.size_band", "meta.target_groups", "meta.age_band", "meta.sex",
                         "body.case_id"}
    assert {row.case_id for row in rows} == {None}


def test_the_check_would_see_the_format_1_case_id(world):
    """The same scan over rows as the first server stored them finds the household link."""
    from tests.fixtures.legacy import legacy_households, store_format_1

    worker = world.login("worker1")
    legacy = legacy_households(worker, 3)
    store_format_1(world.app, worker, [env for _, env in legacy])
    with world.app.app_context():
        rows = db.session.execute(sa.text("SELECT * FROM envelope")).all()
    records: dict[str, set[str]] = defaultdict(set)
    for row in rows:
        for field, value in clear_values(row).items():
            records[f"{field}={value}"].add(row.id)
    by_case: dict[str, set[str]] = defaultdict(set)
    for case_id, env in legacy:
        by_case[case_id].add(env["id"])
    linking = {key.split("=", 1)[0] for key, ids in records.items() if ids in by_case.values()}
    assert {"column.case_id", "body.case_id"} <= linking
