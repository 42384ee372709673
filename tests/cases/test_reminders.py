"""What a reminder on the phone says (static/pwa/src/cases/reminders.js, under node as the phone
runs it): counts of what is overdue or due today, never who; once per day and count."""

from __future__ import annotations

from tests.cases.test_followup import phase, visit
from tests.fixtures.pwa_js import run_js

TODAY = "2026-03-10"


def summary(cases: list[dict]) -> dict:
    return run_js("cases/reminders.js", "m.reminderSummary(c, t)", c=cases, t=TODAY)


def case(name: str, **facts: object) -> dict:
    return {"caseId": name, "name": name, "visits": [], "plans": [], "rights": [], **facts}


def right(status: str, due: str) -> dict:
    return {"data": {"status": status, "due": due, "right": "child-benefit"},
            "envelope": {"created_at": "2026-01-01T10:00:00Z"}}


def test_a_reminder_counts_what_is_overdue_or_due_today_and_names_nobody():
    cases = [
        case("Familia Dinu", visits=[visit("2026-02-01", "2026-03-01")]),      # overdue
        case("Familia Pop", visits=[visit("2026-03-01", TODAY)]),              # due today
        case("Familia Lungu", visits=[visit("2026-03-01", "2026-03-12")]),     # later this week
        case("Familia Roman", rights=[right("applied", "2026-03-09")]),        # a right overdue
        case("Familia Oláh", visits=[visit("2026-02-01", "2026-03-01")],       # closed: nothing
             phase=phase("closed", "2026-02-02", closure_reason="moved"),
             rights=[right("applied", "2026-03-09")]),
    ]
    answer = summary(cases)
    assert answer == {"overdue": 2, "due": 1, "total": 3, "key": f"{TODAY}:2:1"}
    assert "Familia" not in str(answer)


def test_nothing_due_means_no_reminder_and_a_new_day_a_new_key():
    assert summary([case("Familia Lungu", visits=[visit("2026-03-01", "2026-03-12")])])[
        "total"] == 0
    later = run_js("cases/reminders.js", "m.reminderSummary(c, '2026-03-12')",
                   c=[case("Familia Lungu", visits=[visit("2026-03-01", "2026-03-12")])])
    assert later == {"overdue": 0, "due": 1, "total": 1, "key": "2026-03-12:0:1"}
