"""The next contact comes from the case's latest decisions, and the presence phase schedules the
rest (static/pwa/src/cases/followup.js, run under node as the phone runs it)."""

from __future__ import annotations

from tests.fixtures.pwa_js import run_js


def visit(day: str, next_contact: str | None = None, at: str | None = None) -> dict:
    data = {"date": day, **({"next_contact": next_contact} if next_contact else {})}
    return {"data": data, "envelope": {"created_at": at or f"{day}T10:00:00Z"}}


def plan(*revisions: tuple[str, str | None]) -> dict:
    """A plan record whose revisions were saved at the given times with the given next visit."""
    history = [
        {"plaintext": {"next_visit": n} if n else {}, "envelope": {"created_at": at}}
        for at, n in revisions
    ]
    return {
        "data": history[-1]["plaintext"],
        "envelope": history[-1]["envelope"],
        "history": history,
    }


def phase(name: str, day: str, **data: object) -> dict:
    return {
        "data": {"phase": name, "date": day, **data},
        "envelope": {"created_at": f"{day}T09:00:00Z"},
    }


def next_contact(**case: object) -> dict | None:
    return run_js("cases/followup.js", "m.nextContact(c)", c=case)


def test_a_later_visit_with_a_new_date_replaces_a_date_that_passed():
    visits = [visit("2026-01-05", "2026-01-20"), visit("2026-02-03", "2026-03-10")]
    assert next_contact(visits=visits) == {"date": "2026-03-10", "source": "visit"}
    due = run_js(
        "cases/followup.js",
        "m.dueContacts(cases, '2026-02-04')",
        cases=[{"caseId": "a", "name": "A", "visits": visits}],
    )
    assert due == []  # not overdue: the date that passed was replaced


def test_a_near_date_set_after_a_far_one_shows():
    visits = [visit("2026-01-05", "2026-06-01"), visit("2026-01-12", "2026-01-26")]
    assert next_contact(visits=visits)["date"] == "2026-01-26"


def test_a_visit_on_or_after_the_date_meets_it_and_an_earlier_one_does_not():
    first = visit("2026-01-05", "2026-01-20")
    assert next_contact(visits=[first, visit("2026-01-10")])["date"] == "2026-01-20"
    assert next_contact(visits=[first, visit("2026-01-21")]) is None


def test_the_plan_date_counts_from_when_it_was_set_not_from_every_later_edit():
    # Set in the plan on 1 March, the plan edited again on 20 March (same date kept);
    # a visit on 10 March set a nearer date, which was decided after the plan's date.
    p = plan(("2026-03-01T08:00:00Z", "2026-06-01"), ("2026-03-20T08:00:00Z", "2026-06-01"))
    assert next_contact(visits=[visit("2026-03-10", "2026-04-01")], plans=[p]) == {
        "date": "2026-04-01",
        "source": "visit",
    }
    changed = plan(("2026-03-01T08:00:00Z", "2026-06-01"), ("2026-03-20T08:00:00Z", "2026-03-25"))
    assert next_contact(visits=[visit("2026-03-10", "2026-04-01")], plans=[changed]) == {
        "date": "2026-03-25",
        "source": "plan",
    }


def test_the_presence_schedule_is_every_ten_weeks_for_two_years_by_default():
    schedule = run_js("cases/followup.js", "m.presenceSchedule('2026-01-01')")
    assert schedule["end"] == "2028-01-01"
    assert schedule["dates"][:3] == ["2026-03-12", "2026-05-21", "2026-07-30"]
    assert len(schedule["dates"]) == 10  # about five contacts a year
    team = run_js(
        "cases/followup.js",
        "m.presenceSchedule('2026-01-01', m.presenceSettings({}, t))",
        t={"presence": {"interval_weeks": 13, "months": 12}},
    )
    assert team["dates"] == ["2026-04-02", "2026-07-02", "2026-10-01", "2026-12-31"]


def test_in_the_presence_phase_the_next_contact_follows_the_last_one():
    start = phase("presence", "2026-01-01")
    assert next_contact(phase=start) == {"date": "2026-03-12", "source": "presence"}
    assert next_contact(phase=start, visits=[visit("2026-03-15")])["date"] == "2026-05-24"
    # A date the worker set after the phase began wins over the schedule.
    assert next_contact(phase=start, visits=[visit("2026-02-01", "2026-02-10")]) == {
        "date": "2026-02-10",
        "source": "visit",
    }
    # The case's own interval wins over the default.
    own = phase("presence", "2026-01-01", presence_interval_weeks=4, presence_months=24)
    assert next_contact(phase=own)["date"] == "2026-01-29"


def test_when_the_presence_period_ends_a_person_is_asked_and_nothing_closes():
    start = phase("presence", "2024-01-01")
    late = [visit("2025-12-20")]
    assert next_contact(phase=start, visits=late) == {
        "date": "2026-01-01",
        "source": "presence_end",
    }


def test_a_closed_case_has_no_next_contact():
    visits = [visit("2026-01-05", "2026-01-20")]
    assert (
        next_contact(visits=visits, phase=phase("closed", "2026-01-06", closure_reason="moved"))
        is None
    )


def test_due_and_overdue_come_overdue_first():
    cases = [
        {"caseId": "a", "name": "A", "visits": [visit("2026-01-05", "2026-02-06")]},
        {"caseId": "b", "name": "B", "visits": [visit("2026-01-05", "2026-01-30")]},
        {"caseId": "c", "name": "C", "visits": [visit("2026-01-05", "2026-03-30")]},
    ]
    due = run_js("cases/followup.js", "m.dueContacts(cases, '2026-02-02')", cases=cases)
    assert [(d["caseId"], d["urgency"]) for d in due] == [("b", "overdue"), ("a", "due")]
