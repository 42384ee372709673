"""Rights and benefits on the server's figures: where each right stands and, for those not
claimed, the coarse group of why (the exact reason stays sealed), with small cells withheld
as everywhere else."""

from __future__ import annotations

from typing import Any

import pytest

from outreach.forms.meta import clear_meta
from outreach.forms.registry import load_registry
from tests.fixtures.reports import CANARY, Household, seal_household

GROUP = {"no_documents": "administrative", "did_not_know": "information", "costs": "cost"}


@pytest.fixture
def app(make_app):
    return make_app(area_min_households=1)


def right(session: Any, area: str, status: str, reason: str | None = None) -> dict[str, Any]:
    plaintext: dict[str, Any] = {"right": "energy_allowance", "status": status,
                                 "note": f"{CANARY} asked twice"}
    if reason:
        plaintext |= {"non_take_up_reason": reason, "non_take_up_group": GROUP[reason]}
    meta = clear_meta(load_registry().latest()["right"], plaintext, area=area, day="2026-03-04")
    return session.seal("right", "east", plaintext, meta=meta, case_id=None)


def test_rights_are_reported_by_status_and_not_claimed_by_reason_group(world):
    worker = world.login("worker1")
    # EAST-01: 6 applied, then 5 refused and 1 granted; 7 not claimed for lack of documents,
    # 2 because they did not know. EAST-07: 3 not claimed because of the costs.
    # The households they belong to: an area is named only where the team knows households.
    envelopes = [*seal_household(worker, Household("EAST-01")),
                 *seal_household(worker, Household("EAST-07"))]
    envelopes += [right(worker, "EAST-01", "applied") for _ in range(6)]
    envelopes += [right(worker, "EAST-01", "refused") for _ in range(5)]
    envelopes += [right(worker, "EAST-01", "granted")]
    envelopes += [right(worker, "EAST-01", "not_claimed", "no_documents") for _ in range(7)]
    envelopes += [right(worker, "EAST-01", "not_claimed", "did_not_know") for _ in range(2)]
    envelopes += [right(worker, "EAST-07", "not_claimed", "costs") for _ in range(3)]
    response = worker.sync(push=envelopes)
    assert {r["status"] for r in response.get_json()["results"]} == {"accepted"}
    for envelope in envelopes:  # the sealed reason never travels in the clear
        assert "non_take_up_reason" not in envelope["meta"]

    supervisor = world.login("supervisor1")
    response = world.client.get("/api/v1/reports/indicators", headers=supervisor.headers,
                                query_string={"team": "east", "from": "2026-01-01",
                                              "to": "2026-06-30", "by": "area"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["k"] == 5
    assert CANARY not in str(body)
    totals = body["totals"]["rights"][0]
    assert totals["applied"] == 6
    assert totals["not_claimed"] == 12
    assert totals["recorded"] == 24
    assert totals["granted"] is None  # 1 < k
    # ... and, with the total shown, the smallest other figure of its line too (5 refused),
    # or the 1 granted would be 24 - 6 - 12 - 5.
    assert totals["refused"] is None
    assert set(totals["suppressed"]) == {"granted", "refused"}
    not_claimed = body["totals"]["rights_not_claimed"][0]
    assert not_claimed["administrative"] == 7
    assert not_claimed["information"] is None  # 2 < k
    assert not_claimed["cost"] is None  # 3 < k
    # By area: EAST-07's three are withheld everywhere they stand.
    by_area = {row["group"]["area"]: row for row in body["rights_not_claimed"]}
    assert by_area["EAST-01"]["administrative"] == 7
    assert by_area["EAST-07"]["cost"] is None
