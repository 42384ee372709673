"""The indicators of DOMAIN.md ("What supervisors and policy makers want to see") as families of
counts over record heads, suppressed, then laid out as rows for the requested grouping.

Every count is of records or households, and each lands in exactly one group of every
dimension, so cells add up along any dimension: what suppression relies on. Counts are kept by
all dimensions whatever the request asks for, so that each figure is suppressed the same way in
every request of the same period (``suppression``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from outreach.reports.facts import Head
from outreach.reports.suppression import ALL, Key, suppress

# Where a referral stands once it was made (referral@1 status → reported stage).
STAGES = {"made": "waiting", "attended": "taken_up", "outcome_recorded": "taken_up",
          "not_taken_up": "not_taken_up"}
CONSENT = ("given", "refused", "withdrawn")
# Made = waiting + taken up + not taken up (the reasons are sealed: counted on the phone).
REFERRAL_COLUMNS = ("made", "waiting", "taken_up", "not_taken_up")
# Rights and benefits (right@1): where each stands, and the coarse group of why one was not
# claimed (the exact reason is sealed); recorded = every status, not claimed = every group.
RIGHT_STATUS = ("eligible", "informed", "applied", "granted", "refused", "not_claimed")
NON_TAKE_UP_GROUPS = ("information", "administrative", "digital", "trust", "cost", "other")
NONE = object()  # a column without an inner category


@dataclass
class Grouping:
    """The dimensions, and how a record's group is read from its ``meta``."""

    dims: tuple[str, ...]
    urbanisation: Mapping[str, str | None]
    domains: Mapping[str, Sequence[Hashable]]

    def key(self, head_meta: Mapping[str, Any], area: str | None) -> Key:
        """A record without the field (a household has no sex) falls in the ``None`` group."""
        known = {"area": area, "urbanisation": self.urbanisation.get(area) if area else None}
        return tuple(known[dim] if dim in known else _text(head_meta.get(dim))
                     for dim in self.dims)

    def possible(self, values: Mapping[str, Hashable]) -> bool:
        """An area has one degree of urbanisation: other pairs are zeros anybody can tell."""
        if "area" not in values or "urbanisation" not in values:
            return True
        area = values["area"]
        return values["urbanisation"] == (self.urbanisation.get(cast(str, area)) if area else None)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


@dataclass
class Table:
    """One family of counts by every dimension, then an inner category whose ``sums`` are
    cells too (each sum listed after any sum it contains)."""

    grouping: Grouping
    inner: Sequence[Hashable] = ()
    sums: Mapping[Hashable, Sequence[Hashable]] = field(default_factory=dict)
    cells: Counter[Key] = field(default_factory=Counter)
    constant: dict[str, Hashable] = field(default_factory=dict)
    varying: tuple[str, ...] = ()
    figures: Counter[Key] = field(default_factory=Counter)
    withheld: dict[Key, str] = field(default_factory=dict)

    def add(self, key: Key) -> None:
        self.cells[key] += 1
        counted = {key[-1]} if self.inner else set()
        for total, parts in self.sums.items():
            if counted.intersection(parts):
                self.cells[(*key[:-1], total)] += 1
                counted.add(total)

    def settle(self, k: int) -> None:
        """Suppress, over the dimensions the records vary in: one that no record varies in
        (sex, for households) repeats the figures without it, so it is left out."""
        dims = self.grouping.dims
        first = next(iter(self.cells), None)
        self.constant = {dim: first[i] if first else None for i, dim in enumerate(dims)
                         if first is None or all(key[i] == first[i] for key in self.cells)}
        self.varying = tuple(dim for dim in dims if dim not in self.constant)
        keep = [dims.index(dim) for dim in self.varying] + ([len(dims)] if self.inner else [])
        cells = Counter({tuple(key[i] for i in keep): count for key, count in self.cells.items()})
        domains = [self.grouping.domains[dim] for dim in self.varying]
        domains += [self.inner] if self.inner else []

        def possible(key: Key) -> bool:
            values = dict(zip(self.varying, key[:len(self.varying)], strict=True))
            return self.grouping.possible({**self.constant, **values})

        self.figures, self.withheld = suppress(cells, domains, k, self.sums, possible)

    def _key(self, group: Mapping[str, Hashable], inner: Hashable) -> Key | None:
        if any(group[dim] != value for dim, value in self.constant.items() if dim in group):
            return None  # a group these records are never in
        key = tuple(group.get(dim, ALL) for dim in self.varying)
        return key if inner is NONE else (*key, inner)

    def figure(self, group: Mapping[str, Hashable], inner: Hashable = NONE
               ) -> tuple[int | None, bool]:
        """(count, or None if withheld; withheld)."""
        key = self._key(group, inner)
        if key is None:
            return 0, False
        if key in self.withheld:
            return None, True
        return self.figures.get(key, 0), False

    def groups(self, by: Sequence[str]) -> set[tuple[Key, Hashable]]:
        """(group values in ``by`` order, inner value) of every figure shown or withheld."""
        width = len(self.varying)
        found = set()
        for key in (*self.figures, *self.withheld):
            values = dict(zip(self.varying, key[:width], strict=True))
            if any((values[dim] is ALL) == (dim in by) for dim in self.varying):
                continue
            group = tuple(values[dim] if dim in values else self.constant[dim] for dim in by)
            found.add((group, key[width] if self.inner else NONE))
        return found


@dataclass
class Counts:
    """Every table of one report, filled in one pass over the record heads."""

    grouping: Grouping
    start: str  # months, YYYY-MM
    end: str
    tables: dict[str, Table] = field(default_factory=dict)

    def table(self, name: str, inner: Sequence[Hashable] = (),
              sums: Mapping[Hashable, Sequence[Hashable]] | None = None) -> Table:
        if name not in self.tables:
            self.tables[name] = Table(self.grouping, inner, sums or {})
        return self.tables[name]

    def add(self, head: Head, area: str | None) -> None:
        """One record, counted in the month on its form (records without one count nowhere),
        in ``area``: its own, or the one a small area is rolled up into."""
        month = head.month
        if month is None or not self.start <= month <= self.end:
            return
        key = self.grouping.key(head.meta, area)
        if head.type == "household":
            self.table("households").add(key)
        elif head.type == "person":
            self.table("people").add(key)
        elif head.type == "visit":
            self.table("visits").add(key)
        elif head.type == "referral":
            stage = STAGES.get(head.meta.get("status", ""))
            if stage is not None:  # suggested or agreed: not made yet
                self.table("referral", (*REFERRAL_COLUMNS[1:], "made"),
                           {"made": REFERRAL_COLUMNS[1:]}).add((*key, stage))
        elif head.type == "right":
            status = head.meta.get("status")
            if status in RIGHT_STATUS:
                self.table("right", (*RIGHT_STATUS, "recorded"),
                           {"recorded": RIGHT_STATUS}).add((*key, status))
            group = head.meta.get("non_take_up_group")
            if status == "not_claimed" and group in NON_TAKE_UP_GROUPS:
                self.table("right_not_claimed", NON_TAKE_UP_GROUPS).add((*key, group))
        elif head.type == "consent":
            status = head.meta.get("status")
            if status in CONSENT:
                self.table("consent", (*CONSENT, "recorded"), {"recorded": CONSENT}).add(
                    (*key, status))

    def settle(self, k: int) -> None:
        for table in self.tables.values():
            table.settle(k)


Column = tuple[str, str, Hashable]  # (field in the row, table name, inner value or NONE)


def rows(counts: Counts, by: Sequence[str], columns: Sequence[Column],
         extra: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
    """One row per group that any of the columns has a figure for."""
    groups = {group for _, name, _ in columns if name in counts.tables
              for group, _ in counts.tables[name].groups(by)}
    return [_row(counts, by, group, columns, extra or {}) for group in _sorted(groups)]


def _row(counts: Counts, by: Sequence[str], group: Key, columns: Sequence[Column],
         extra: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(zip(by, group, strict=True))
    row: dict[str, Any] = {"group": values, **extra}
    suppressed: list[str] = []
    for name, table_name, inner in columns:
        table = counts.tables.get(table_name)
        row[name], hidden = table.figure(values, inner) if table else (0, False)
        if hidden:
            suppressed.append(name)
    row["suppressed"] = suppressed
    return row


def _sorted(keys: Iterable[Key]) -> list[Key]:
    return sorted(keys, key=lambda key: tuple((v is None, str(v)) for v in key))
