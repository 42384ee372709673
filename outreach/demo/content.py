"""Synthetic plaintexts and reportable meta for demo households (deterministic per seed)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

DOMAINS = (
    "income", "debt", "food", "housing", "energy", "mobility", "digital", "documents",
    "education", "language", "work", "childcare", "health", "mental", "social", "safety",
)
GIVEN = ("Ana", "Ion", "Maria", "Florin", "Elena", "Gabor", "Zsofia", "Milan", "Jana", "Petra",
         "Dimitar", "Vesela", "Olena", "Taras", "Amira", "Yusuf", "Rosa", "Marek", "Ilona", "Luca")
FAMILY = ("Lakatos", "Horvath", "Dinca", "Petrov", "Kovac", "Balog", "Stoica", "Oravec",
          "Ivanova", "Mostafa", "Rostas", "Farkas", "Novak", "Marin", "Sandor")
GOALS = (
    "Get the electricity back on before winter.",
    "Find a school place for the youngest child.",
    "Pay off the water bill in small parts.",
    "Get new identity papers for everyone.",
    "Find work close to home.",
    "See a doctor about the cough that does not go away.",
)
ACTIONS = (
    ("Call the energy supplier together about a payment plan", "worker"),
    ("Bring the last three bills to the next visit", "client"),
    ("Make an appointment at the town hall for ID cards", "client"),
    ("Refer to the debt counselling service", "service"),
    ("Visit the school with the mother", "worker"),
    ("Ask the GP about a free check-up", "client"),
)
# (catalogue id, service type) from the bundled regional catalogue (teams/catalogues/default.json)
SERVICES = (("debt-counselling", "debt"), ("housing-agency", "housing"),
            ("health-centre", "health"), ("job-centre", "employment"),
            ("child-consultation", "childcare_ecec"),
            ("welfare-office", "minimum_income"), ("energy-desk", "energy"))
NOTES = (
    "Family was welcoming. Grandmother looks after the children during the day.",
    "Roof leaks in the back room; they moved the beds to the kitchen.",
    "Father found seasonal work; income should improve for two months.",
    "Neighbours were present, so we did not talk about debts today.",
    "The eldest son turns 18 next month and will lose child benefit.",
)
AGE_BANDS = ("0-5", "6-11", "12-17", "18-24", "25-49", "50-64", "65+")


@dataclass
class Record:
    """One revision to seal: the plaintext, and in ``meta`` the area and the day (YYYY-MM-DD)
    from which the seed builds the clear meta (``outreach.forms.meta.clear_meta``)."""

    type: str
    record_id: str
    case_id: str
    meta: dict[str, Any]
    plaintext: dict[str, Any]
    parents: list[str] = field(default_factory=list)
    # The revision's own id, when a later revision names it as its parent.
    id: str | None = None


# Households read different languages, so a new user sees chains at once: a Romani household
# in Hungary reads Romani, then Hungarian, then Romanian (rom's chain), then English.
LANGUAGE_PROFILES = (
    ("ro", None), ("rom", "hu"), ("rom", "ro"), ("hu", None), ("rom", "sk"), ("bg", None),
    ("ar", "nl"),
)


def _languages(rng: random.Random) -> dict[str, Any]:
    first, second = rng.choice(LANGUAGE_PROFILES)
    spoken = sorted({first, *([second] if second else [])})
    data: dict[str, Any] = {"languages": spoken, "household_language": first}
    if second:
        data["second_language"] = second
    return data


def household_records(
    rng: random.Random, new_id: Any, area: str, today: date
) -> list[Record]:
    """A household with members, visits, assessments, notes, a plan, a referral and consent."""
    case_id = new_id()
    family = rng.choice(FAMILY)
    size = rng.randint(1, 7)
    first_visit = today - timedelta(days=rng.randint(30, 400))
    # What describes the household is in the plaintext only; `meta` is built from it by the
    # same rule as the phone's (`clear_meta`), in the seed.
    base = {"area": area}
    # Drawn in the order the demo always drew them, so a seed gives the same households.
    groups = sorted(rng.sample(["roma", "single_parent", "working_poor", "energy_poverty",
                                "migrant"], 2))
    records = [
        Record("household", case_id, case_id,
               {**base, "date": first_visit.isoformat()},
               {"display_name": f"{family} family", "location": f"house {rng.randint(1, 90)}",
                **_languages(rng), "size_band": _size_band(size), "target_groups": groups}),
    ]
    members = []
    for _ in range(min(size, 4)):
        band = rng.choice(AGE_BANDS)
        sex = rng.choice(["female", "male"])
        members.append(Record(
            "person", new_id(), case_id,
            {**base, "date": first_visit.isoformat()},
            {"name": f"{rng.choice(GIVEN)} {family}", "age_band": band, "sex": sex},
        ))
    records.extend(members)
    scores = {d: rng.randint(1, 4) for d in DOMAINS}
    visits = rng.randint(1, 3)
    for n in range(visits):
        visit_date = first_visit + timedelta(days=n * rng.randint(20, 60))
        day = {**base, "date": visit_date.isoformat()}
        contact = rng.choice(["home_visit", "home_visit", "street", "phone"])
        present = [m.record_id for m in members[: rng.randint(1, len(members))]]
        records.append(Record(
            "visit", new_id(), case_id,
            day,
            {"date": visit_date.isoformat(), "area": area, "contact_type": contact,
             "present": present,
             "signals": rng.sample(["unpaid_bills", "child_turning_18", "eviction_risk"], 1)},
        ))
        scores = {d: max(1, min(5, s + rng.choice((0, 0, 1)))) for d, s in scores.items()}
        assessed = {d: (None if rng.random() < 0.1 else s) for d, s in scores.items()}
        records.append(Record(
            "assessment", new_id(), case_id, day,
            {"date": visit_date.isoformat(), "scores": assessed,
             "barriers": {"energy": ["financial", "administrative"]}},
        ))
        records.append(Record("note", new_id(), case_id, day, {"text": rng.choice(NOTES)}))
    actions = rng.sample(ACTIONS, 2)
    records.append(Record(
        "plan", new_id(), case_id,
        {**base, "date": first_visit.isoformat()},
        {"goals": [rng.choice(GOALS)],
         "actions": [{"description": text, "owner": owner,
                      "due": (today + timedelta(days=rng.randint(7, 60))).isoformat()}
                     for text, owner in actions],
         "next_visit": (today + timedelta(days=14)).isoformat(), "status": "agreed"},
    ))
    service, service_type = rng.choice(SERVICES)
    status = rng.choice(["suggested", "agreed", "made", "attended", "not_taken_up"])
    records.append(Record(
        "referral", new_id(), case_id,
        {**base, "date": first_visit.isoformat()},
        {"service": service, "service_type": service_type, "status": status,
         **({"not_taken_up_reason": rng.choice(["cost", "distance", "documents"])}
            if status == "not_taken_up" else {})},
    ))
    records.append(Record(
        "consent", new_id(), case_id,
        {**base, "date": first_visit.isoformat()},
        {"method": "on_screen", "scope": ["data_processing"], "status": "given",
         "given_by": f"{rng.choice(GIVEN)} {family}", "date": first_visit.isoformat()},
    ))
    return records


def _size_band(size: int) -> str:
    if size <= 2:
        return str(size)
    if size <= 4:
        return "3-4"
    return "5-7" if size <= 7 else "8+"
