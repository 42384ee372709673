"""Referrals and rights followed over time (static/pwa/src/cases/lifecycle.js under node)."""

from __future__ import annotations

from tests.fixtures.pwa_js import run_js


def test_each_status_keeps_the_date_it_was_first_reached():
    saved = run_js(
        "cases/lifecycle.js",
        "[m.withStatusDates(null, {status: 'eligible'}, '2026-01-05'),"
        " m.withStatusDates(before, {status: 'applied'}, '2026-02-01'),"
        " m.withStatusDates(before, {status: 'eligible'}, '2026-03-01')]",
        before={"status_dates": {"eligible": "2026-01-05"}},
    )
    assert [s["status_dates"] for s in saved] == [
        {"eligible": "2026-01-05"},
        {"eligible": "2026-01-05", "applied": "2026-02-01"},
        {"eligible": "2026-01-05"},
    ]


def test_days_pending_counts_from_the_current_status_and_only_while_waiting():
    days = run_js(
        "cases/lifecycle.js",
        "cases.map(([kind, data, since]) => m.daysPending(kind, data, since, '2026-02-15'))",
        cases=[
            ["referral", {"status": "made", "status_dates": {"made": "2026-01-01"}}, None],
            ["referral", {"status": "attended", "status_dates": {"attended": "2026-01-01"}}, None],
            ["referral", {"status": "agreed"}, "2026-02-10"],
            ["right", {"status": "applied", "status_dates": {"applied": "2026-02-14"}}, None],
        ],
    )
    assert days == [45, None, 5, 1]


def test_a_right_not_claimed_keeps_its_reason_and_reports_only_its_group():
    saved = run_js(
        "cases/lifecycle.js",
        "rights.map((r) => m.rightToSave(null, r, '2026-03-01'))",
        rights=[
            {
                "right": "child-benefit",
                "status": "not_claimed",
                "non_take_up_reason": "no_documents",
            },
            {"right": "energy", "status": "refused", "non_take_up_reason": "shame"},
        ],
    )
    assert saved[0]["non_take_up_reason"] == "no_documents"
    assert saved[0]["non_take_up_group"] == "administrative"
    assert "non_take_up_group" not in saved[1]  # refused by the service: not a non-take-up


def test_pending_rights_with_a_due_date_remind_like_contacts():
    rights = [
        {"id": "a", "data": {"status": "applied", "due": "2026-03-01"}},
        {"id": "b", "data": {"status": "granted", "due": "2026-03-01"}},
        {"id": "c", "data": {"status": "informed", "due": "2026-03-06"}},
        {"id": "d", "data": {"status": "eligible", "due": "2026-04-01"}},
    ]
    due = run_js("cases/lifecycle.js", "m.dueRights(r, '2026-03-02')", r=rights)
    assert [(d["record"]["id"], d["urgency"]) for d in due] == [("a", "overdue"), ("c", "due")]
