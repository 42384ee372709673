"""Demo cases that show the life of a case at once (issue 15): a case in each phase with its
history, street contacts (one linked with consent), a household registered twice under two
spellings (a likely duplicate to merge) and rights in several states."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta
from typing import Any

from outreach.demo.content import Record
from outreach.forms.registry import load_registry
from outreach.forms.validation import COMMON

NewId = Callable[[], str]


def _meta(form_id: str, plaintext: Mapping[str, Any], area: str, day: date) -> dict[str, Any]:
    """The clear meta the phone would write: common fields and the form's reportable ones. The
    date goes to the precision the server accepts (a day, or a month where it asks for one)."""
    reportable = load_registry().latest()[form_id].reportable
    when = day.isoformat()
    meta: dict[str, Any] = {"area": area, "source": "app",
                            "date": when[:7] if COMMON["date"]["type"] == "month" else when}
    meta.update({k: v for k, v in plaintext.items() if k in reportable and v not in (None, "")})
    return meta


class _Case:
    def __init__(self, new_id: NewId, area: str, out: list[Record]) -> None:
        self.new_id, self.area, self.out = new_id, area, out
        self.case_id = new_id()

    def add(self, form_id: str, plaintext: dict[str, Any], day: date, *,
            record_id: str | None = None, parents: list[str] | None = None,
            case_id: str | None = None) -> Record:
        record = Record(form_id, record_id or self.new_id(), case_id or self.case_id,
                        _meta(form_id, plaintext, self.area, day), plaintext, parents or [],
                        id=self.new_id())
        self.out.append(record)
        return record

    def revise(self, previous: Record, plaintext: dict[str, Any], day: date) -> Record:
        return self.add(previous.type, plaintext, day, record_id=previous.record_id,
                        parents=[str(previous.id)], case_id=previous.case_id)

    def household(self, name: str, day: date, **extra: Any) -> Record:
        return self.add("household", {"display_name": name, **extra}, day,
                        record_id=self.case_id)

    def visit(self, day: date, next_contact: date | None = None) -> Record:
        data: dict[str, Any] = {"date": day.isoformat(), "area": self.area,
                                "contact_type": "home_visit"}
        if next_contact:
            data["next_contact"] = next_contact.isoformat()
        return self.add("visit", data, day)

    def phases(self, *steps: tuple[str, date, dict[str, Any]]) -> None:
        previous: Record | None = None
        for phase, day, extra in steps:
            data = {"phase": phase, "date": day.isoformat(), **extra}
            previous = (self.revise(previous, data, day) if previous
                        else self.add("phase", data, day))

    def right(self, right: str, *steps: tuple[str, date], **extra: Any) -> None:
        previous: Record | None = None
        dates: dict[str, str] = {}
        for status, day in steps:
            dates.setdefault(status, day.isoformat())
            data = {"right": right, "status": status, "status_dates": dict(dates), **extra}
            if status != "not_claimed":
                data.pop("non_take_up_reason", None)
            elif data.get("non_take_up_reason"):
                data["non_take_up_group"] = {"no_documents": "administrative",
                                             "did_not_know": "information",
                                             "shame": "trust"}.get(data["non_take_up_reason"],
                                                                   "other")
            previous = (self.revise(previous, data, day) if previous
                        else self.add("right", data, day))


def lifecycle_records(new_id: NewId, area: str, today: date) -> list[Record]:
    out: list[Record] = []
    ago = lambda days: today - timedelta(days=days)  # noqa: E731 (reads like the field notes)

    engaged = _Case(new_id, area, out)
    engaged.household("Stoica family (engaged)", ago(40))
    engaged.visit(ago(40), ago(3))  # overdue: shows on the home screen
    engaged.phases(("engaged", ago(40), {}))
    engaged.right("child-benefit", ("eligible", ago(40)), ("applied", ago(20)),
                  due=ago(-5).isoformat())
    engaged.right("energy-allowance", ("informed", ago(40)), ("not_claimed", ago(20)),
                  non_take_up_reason="no_documents")

    active = _Case(new_id, area, out)
    active.household("Petrov family (active plan)", ago(120))
    active.visit(ago(30), ago(-4))
    active.phases(("engaged", ago(120), {}), ("active_plan", ago(90), {}))
    active.add("plan", {"goals": ["A warm home before winter"], "status": "in_progress",
                        "satisfaction": 3,
                        "actions": [{"description": "Apply for the energy allowance",
                                     "owner": "worker", "status": "open"}]}, ago(90))
    active.right("minimum-income", ("eligible", ago(110)), ("applied", ago(100)),
                 ("granted", ago(60)))
    active.right("housing-allowance", ("applied", ago(80)), ("refused", ago(30)))

    presence = _Case(new_id, area, out)
    presence.household("Marin family (presence phase)", ago(400))
    presence.phases(("engaged", ago(400), {}), ("active_plan", ago(360), {}),
                    ("presence", ago(150), {}))
    presence.visit(ago(75))  # a contact every 10 weeks: the next one is due now

    closed = _Case(new_id, area, out)
    closed.household("Novak family (closed)", ago(800))
    closed.phases(("engaged", ago(800), {}), ("presence", ago(700), {}),
                  ("closed", ago(10), {"closure_reason": "goals_reached",
                                       "note": "Stable work and housing for a year."}))

    # One household met by two workers and written two ways: offered for a merge.
    for spelling, days in (("Ștefan Bălan", 60), ("Stefan Balan", 12)):
        twin = _Case(new_id, area, out)
        twin.household(spelling, ago(days))
        twin.add("person", {"name": spelling, "birth_year": 1984}, ago(days))
        twin.visit(ago(days))

    # Street contacts: two still anonymous, one linked to the engaged household with consent.
    for description, place, days in (
        ("Young man selling newspapers, asked about a night shelter", "Station square", 3),
        ("Woman with two small children, no coat", "Market, by the bakery", 9),
    ):
        street = _Case(new_id, area, out)
        street.add("contact", {"description": description, "place": place,
                               "date": ago(days).isoformat(), "time": "08:30"}, ago(days))
    linked = _Case(new_id, area, out)
    contact = linked.add("contact", {"description": "Mother asking about electricity cut off",
                                     "place": "Church steps", "date": ago(50).isoformat()},
                         ago(50))
    consent = engaged.add("consent", {"method": "verbal_witnessed", "status": "given",
                                      "scope": ["data_processing"], "date": ago(40).isoformat(),
                                      "linked_contact": contact.record_id}, ago(40))
    linked.revise(contact, {**contact.plaintext, "linked_case": engaged.case_id,
                            "linked_on": ago(40).isoformat(), "consent_id": consent.record_id},
                  ago(40))
    return out
