"""Published team figures (issue 13, part 3; docs/protocol.md, "Published team figures").

The server cannot count households or people any more (envelope format 2 seals the case id),
so a supervisor's phone counts them from the decrypted records, suppresses small cells by the
server's own rule (static/pwa/src/figures/, tested against ``suppression``) and publishes the
result for a period as a signed record. Here the server checks the record, keeps it, and
combines published sets: the admin's organisation-wide view and ``GET /reports/indicators``.

What keeps a withheld cell withheld once figures leave the phone:

- on receipt, every shown count is 0 or at least k, and ``suppression.exposed`` finds no
  withheld figure that the shown ones give away (a phone that is wrong or lies is refused);
- a team's published periods never overlap (409): January–June next to January–July would
  give July by subtraction, and no republishing a period with late records (the same
  subtraction). Periods are whole months;
- a combined figure (teams of one period) is withheld when any part is: so it is a sum of
  shown numbers only, and tells nothing the parts did not. Periods are never added up: a
  household reached in two periods is one household, which no sum of periods can say.
The caller commits."""

from __future__ import annotations

import calendar
import json
from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import date
from itertools import combinations
from typing import Any

from outreach import crypto
from outreach.audit import service as audit
from outreach.auth.models import Device
from outreach.auth.principal import Principal
from outreach.errors import Conflict, Forbidden, ValidationProblem
from outreach.extensions import db
from outreach.reports.models import PublishedFigures
from outreach.reports.suppression import ALL, Key, exposed
from outreach.teams.models import Team
from outreach.teams.service import supervised_team

# The dimensions the phone counts by (static/pwa/src/figures/count.js, DIMENSIONS).
DIMENSIONS = ("area", "urbanisation", "sex", "age_band", "service_type", "month")

# Tables whose figures the server also counts from the clear meta (referral stages and reasons
# per area and month). What the server shows is public, so a figure the phone withheld only to
# protect another could come out of the server's months added up, and give the other away:
# such tables stay on the phone (static/pwa/src/figures/count.js, SERVER_COUNTED).
SERVER_COUNTED = frozenset({"referral"})


class PeriodPublished(Conflict):
    type = "/problems/period-published"


def signed_bytes(record: Mapping[str, Any]) -> bytes:
    """What the phone signed: JCS of the record without ``sig`` (as for envelopes)."""
    return crypto.canonical_json({name: value for name, value in record.items() if name != "sig"})


def publish(principal: Principal, record: dict[str, Any], k_min: int
            ) -> tuple[PublishedFigures, bool]:
    """Check and store one published set; (row, created). The same record again is the
    row already stored (a retry after a lost answer); another record under its id is 409."""
    team = supervised_team(principal, record["team_id"],
                           "Only the team's supervisors publish its figures.")
    if principal.role != "supervisor":
        # An admin who is not a member reads no records, so has no figures of its own.
        raise Forbidden("Only the team's supervisors publish its figures.")
    body = signed_bytes(record) + b"|" + record["sig"].encode()
    existing = db.session.get(PublishedFigures, record["id"])
    if existing is not None:
        stored = json.loads(existing.record)
        if signed_bytes(stored) + b"|" + stored["sig"].encode() == body:
            return existing, False
        raise Conflict("Another record was published under this id.", type="/problems/id-reuse")
    _check_signature(principal, record)
    errors = check_figures(record["tables"], record["k"], k_min)
    if record["from"] > record["to"]:
        errors["from"] = ["Must be on or before `to`."]
    if errors:
        raise ValidationProblem(errors=errors)
    overlap = db.session.execute(
        db.select(PublishedFigures.period_start, PublishedFigures.period_end)
        .where(PublishedFigures.team_id == team.id,
               PublishedFigures.period_start <= record["to"],
               PublishedFigures.period_end >= record["from"])
    ).first()
    if overlap is not None:
        raise PeriodPublished(
            f"The team already published {overlap[0]} to {overlap[1]}: published periods "
            "never overlap, or one could be subtracted from the other.")
    row = PublishedFigures(
        id=record["id"], organisation_id=team.organisation_id, team_id=team.id,
        period_start=record["from"], period_end=record["to"], k=record["k"],
        record=json.dumps(record, ensure_ascii=False, sort_keys=True),
        author_id=principal.user_id, device_id=principal.device_id)
    db.session.add(row)
    db.session.flush()
    audit.record("figures_published", actor_id=principal.user_id, device_id=principal.device_id,
                 organisation_id=principal.organisation_id, target_type="team",
                 target_id=team.slug, start=row.period_start, end=row.period_end, k=row.k)
    return row, True


def _check_signature(principal: Principal, record: Mapping[str, Any]) -> None:
    if record["device_id"] != principal.device_id:
        raise ValidationProblem(errors={"device_id": ["Must be the device that publishes."]})
    device = db.session.get(Device, principal.device_id)
    try:
        signature = crypto.b64u_decode(record["sig"])
        key = crypto.load_public_key(device.signing_public_key if device else "")
        crypto.verify(signed_bytes(record), signature, key)
    except crypto.CryptoError:
        raise ValidationProblem(
            errors={"sig": ["Does not verify with this device's signing key."]}) from None


def cell_key(table: Mapping[str, Any], cell: Mapping[str, Any]) -> Key:
    key = tuple(cell["group"].get(dim, ALL) for dim in table["dims"])
    return (*key, cell.get("inner")) if table["inner"] else key


def check_figures(tables: Mapping[str, Any], k: int, k_min: int) -> dict[str, list[str]]:
    """Errors by field path; none when the set may be published."""
    if k < k_min:
        return {"k": [f"Must be at least {k_min}, the organisation's minimum."]}
    errors: dict[str, list[str]] = {}
    for name, table in tables.items():
        where = f"tables.{name}"
        if name.split(":")[0] in SERVER_COUNTED:
            errors[where] = ["The server counts these itself; published beside its counts, "
                             "a withheld figure could be worked out."]
            continue
        dims, inner = table["dims"], table["inner"]
        if set(dims) & set(table["constant"]) or not set(dims) | set(table["constant"]) <= set(
                DIMENSIONS) or len(set(dims)) != len(dims):
            errors[where] = [f"Dimensions must be distinct, from {', '.join(DIMENSIONS)}."]
            continue
        figures: dict[Key, int] = {}
        withheld: dict[Key, str] = {}
        for index, cell in enumerate(table["cells"]):
            problem = _cell_problem(cell, dims, inner, k)
            key = cell_key(table, cell) if problem is None else None
            if key is not None and (key in figures or key in withheld):
                problem = "Named twice."
            if problem is not None:
                errors[f"{where}.cells.{index}"] = [problem]
                continue
            if cell["count"] is None:
                withheld[key] = "withheld"  # type: ignore[index]
            elif cell["count"]:
                figures[key] = cell["count"]  # type: ignore[index]
        sums = {total: parts for total, parts in table["sums"].items()}
        if where not in errors and withheld and exposed(figures, withheld, len(dims), sums):
            errors[where] = ["A withheld figure can be worked out from the shown ones."]
    return errors


def _cell_problem(cell: Mapping[str, Any], dims: Sequence[str], inner: Sequence[Hashable],
                  k: int) -> str | None:
    count = cell["count"]
    if not set(cell["group"]) <= set(dims):
        return "A group may only name the table's dimensions."
    if (inner and cell.get("inner") not in inner) or (not inner and "inner" in cell):
        return "Not a category of this table."
    if count is not None and 0 < count < k:
        return f"A count from 1 to {k - 1} must be withheld."
    if "mean_change" in cell and count is None and cell["mean_change"] is not None:
        return "A mean goes with its count: withheld together."
    return None


def as_dict(row: PublishedFigures, slug: str) -> dict[str, Any]:
    record = json.loads(row.record)
    return {"id": row.id, "team": slug, "from": row.period_start, "to": row.period_end,
            "k": row.k, "received_at": row.received_at, "tables": record["tables"],
            "record": record}


def within(teams: Iterable[Team], start: str, end: str) -> list[dict[str, Any]]:
    """Published sets of ``teams`` whose period lies inside the months ``start``..``end``."""
    slugs = {team.id: team.slug for team in teams}
    if not slugs:
        return []
    rows = db.session.execute(
        db.select(PublishedFigures)
        .where(PublishedFigures.team_id.in_(slugs), PublishedFigures.period_start >= start,
               PublishedFigures.period_end <= end)
        .order_by(PublishedFigures.period_start, PublishedFigures.team_id)
    ).scalars()
    return [as_dict(row, slugs[row.team_id]) for row in rows]


def by_period(sets: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """One entry per published period: the teams that published it, their figures combined."""
    periods: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for item in sets:
        periods.setdefault((item["from"], item["to"]), []).append(item)
    return [{"from": start, "to": end, "teams": [item["team"] for item in parts],
             "k": max(item["k"] for item in parts),
             "tables": combine([item["tables"] for item in parts])}
            for (start, end), parts in sorted(periods.items())]


def team_view(principal: Principal, slug: str, start: str, end: str) -> list[dict[str, Any]]:
    team = supervised_team(principal, slug, "Only the team's supervisors and admins see its "
                                            "figures.")
    return within([team], start, end)


def combine(parts: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """Figures of several teams for one period added up, a sum withheld when any part is."""
    names = sorted({name for tables in parts for name in tables})
    return {name: _combine_table([tables[name] for tables in parts if name in tables])
            for name in names}


def _combine_table(tables: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    constant = dict(tables[0]["constant"])
    for table in tables[1:]:
        constant = {dim: value for dim, value in constant.items()
                    if dim in table["constant"] and table["constant"][dim] == value}
    named = {dim for table in tables for dim in (*table["dims"], *table["constant"])}
    dims = [dim for dim in DIMENSIONS if dim in named and dim not in constant]
    inner = list(dict.fromkeys(v for table in tables for v in table["inner"]))
    sums: dict[str, Any] = {}
    for table in tables:
        sums.update(table["sums"])
    expanded = [_expand(table, dims) for table in tables]
    identities = sorted({key for cells in expanded for key in cells}, key=_order)
    cells = []
    for identity in identities:
        group, category = dict(identity[0]), identity[1]
        found = [cells_of.get(identity, _ZERO) for cells_of in expanded]
        known = [c for c in found if c["count"] is not None]
        cell: dict[str, Any] = {"group": group}
        if inner:
            cell["inner"] = category
        cell["count"] = sum(c["count"] for c in known) if len(known) == len(found) else None
        if any("mean_change" in c for c in found):
            cell["mean_change"] = _mean(found, cell["count"])
        cells.append(cell)
    return {"dims": dims, "constant": constant, "inner": inner, "sums": sums, "cells": cells}


_ZERO: Mapping[str, Any] = {"count": 0}
Identity = tuple[tuple[tuple[str, Any], ...], Any]


def _expand(table: Mapping[str, Any], dims: Sequence[str]) -> dict[Identity, Mapping[str, Any]]:
    """Each cell under every name it has in the combination: a dimension the table holds
    constant (all its households' sex is not recorded) may be named or left out."""
    fixed = [dim for dim in table["constant"] if dim in dims]
    found: dict[Identity, Mapping[str, Any]] = {}
    for cell in table["cells"]:
        for size in range(len(fixed) + 1):
            for named in combinations(fixed, size):
                group = {**cell["group"], **{dim: table["constant"][dim] for dim in named}}
                found[(tuple(sorted(group.items(), key=lambda item: item[0])),
                       cell.get("inner"))] = cell
    return found


def _mean(parts: Sequence[Mapping[str, Any]], count: int | None) -> float | None:
    if not count:
        return None
    total = sum((c.get("mean_change") or 0) * c["count"] for c in parts if c["count"])
    return round(total / count, 2)


def _order(identity: Identity) -> tuple[Any, ...]:
    group, category = identity
    return (len(group), tuple((name, value is None, str(value)) for name, value in group),
            str(category))


def organisation_teams(principal: Principal) -> list[Team]:
    if principal.role != "admin":
        raise Forbidden("Only the organisation's admins see figures of every team.")
    return list(db.session.execute(
        db.select(Team).where(Team.organisation_id == principal.organisation_id)
        .order_by(Team.slug)).scalars())


def visible_teams(principal: Principal, slug: str | None) -> list[Team]:
    """One team (its supervisors, or an admin), or every team of the organisation (admins)."""
    if slug is None:
        return organisation_teams(principal)
    return [supervised_team(principal, slug, "Only the team's supervisors and admins see its "
                                             "figures.")]


_NOT_ADDED = ("group", "suppressed", "domain", "reason", "mean_change")


def add_rows(reports: Sequence[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The ``totals`` of several teams' server figures added up: a sum is withheld (null,
    named in ``suppressed``) when any team's figure is."""
    sections: dict[str, dict[tuple[str, str], list[Mapping[str, Any]]]] = {}
    for report in reports:
        for section, rows in report["totals"].items():
            sections.setdefault(section, {})
            for row in rows:
                identity = (str(row.get("domain", "")), str(row.get("reason", "")))
                sections.setdefault(section, {}).setdefault(identity, []).append(row)
    added: dict[str, list[dict[str, Any]]] = {}
    for section, rows_by in sections.items():
        added[section] = []
        for parts in rows_by.values():
            line: dict[str, Any] = {name: parts[0][name] for name in ("domain", "reason")
                                    if name in parts[0]}
            line["group"], line["suppressed"] = {}, []
            for name in parts[0]:
                if name in _NOT_ADDED:
                    continue
                values = [part.get(name) for part in parts]
                if any(value is None for value in values) and any(
                        name in part["suppressed"] for part in parts):
                    line[name] = None
                    line["suppressed"].append(name)
                else:
                    line[name] = sum(value or 0 for value in values)
            added[section].append(line)
    return added


def days_of(start: str, end: str) -> tuple[date, date]:
    """The days the months ``start``..``end`` (YYYY-MM) cover."""
    year, month = (int(part) for part in end.split("-"))
    first = date(int(start[:4]), int(start[5:7]), 1)
    return first, date(year, month, calendar.monthrange(year, month)[1])
