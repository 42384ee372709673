"""Small-cell suppression (PROTOCOL §4: counts under k are withheld), decided once for a whole
family of tables so that no request can undo what another withheld.

A family is one kind of count (people, visits, a domain's score levels …) cross-classified by
every dimension its records vary in, and perhaps an inner category (score level, referral stage,
consent status). Every request reads one member of the family: grouped by some dimensions,
aggregated over the others (``ALL``). Suppression is decided over all members together, so each
figure is withheld or shown the same way whichever request shows it.

Every dimension partitions the records, so a reader can check two kinds of sums, *lines*:

- along a dimension, the cells add up to the cell one level up (where that dimension is ``ALL``);
- along the inner category, parts add up to a sum shown in the same row (``sums``: referrals
  made = waiting + taken up + not taken up, not taken up = the reasons; households = the consent
  statuses; households assessed = the five levels).

The rule:

1. *Small*: a count from 1 to k - 1 is withheld.
2. *Line by line*: a line exposes a withheld figure when it is its only unknown (the total
   minus the rest, or the rest added up), or, the total being shown, when its withheld figures
   add up to exactly their number (zeros are shown, so each must be 1) or to nothing. Such a line
   gets its smallest shown non-zero figure withheld too, its total included; when none is left, a
   zero that could have held records and that no line pins to 0.
3. *All lines at once*: once no single line exposes anything, every line is solved together
   (Gauss-Jordan elimination); a withheld figure that the shown ones determine gets the smallest
   shown figure on the nearest line around it withheld too, and the rule starts again at 2.

What this does not cover, said plainly: bounds beyond rule 2 (a reader who combines sums with
"a figure is 0 or more" narrows a withheld figure to a range, and in rare patterns of several
lines to one value) and differences between two periods that overlap. Responses do not say
which withheld figures are small and which complementary: knowing that a figure is 1..k-1 or
else 0 or k and more would let a reader combine the ranges.
docs/protocol.md says who may ask, and every request is audited.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Mapping, Sequence
from itertools import product

Key = tuple[Hashable, ...]
SMALL = "small"
COMPLEMENTARY = "complementary"


class _All:
    """The value of a dimension a figure is aggregated over."""

    def __repr__(self) -> str:
        return "ALL"


ALL = _All()


def lattice(cells: Mapping[Key, int], outer: int) -> Counter[Key]:
    """Every aggregate of the finest ``cells`` over any set of the first ``outer`` axes."""
    totals: Counter[Key] = Counter()
    for key, count in cells.items():
        for mask in product((False, True), repeat=outer):
            totals[tuple(ALL if axis < outer and mask[axis] else value
                         for axis, value in enumerate(key))] += count
    return totals


def suppress(cells: Mapping[Key, int], domains: Sequence[Sequence[Hashable]], k: int,
             sums: Mapping[Hashable, Sequence[Hashable]] | None = None,
             possible: Callable[[Key], bool] | None = None) -> tuple[Counter[Key], dict[Key, str]]:
    """The family's figures and which to withhold (``SMALL`` or ``COMPLEMENTARY``).

    ``cells`` holds the finest non-zero counts, sum cells included; ``domains`` the values of each
    axis, the last being the inner category when ``sums`` are given (each listed after any sum it
    contains); ``possible`` says whether a finest key could hold records at all (an area has one
    degree of urbanisation). A withheld key may be a zero absent from the figures."""
    sums = sums or {}
    outer = len(domains) - (1 if sums else 0)
    figures = lattice(cells, outer)
    withheld = {key: SMALL for key, count in figures.items() if 0 < count < k}
    usable = _zero_usable(figures, outer, sums, possible or (lambda _key: True))
    lines = _lines(figures, withheld, domains, outer, sums)
    while withheld:
        lines = _by_line(figures, withheld, lines, usable,
                         lambda: _lines(figures, withheld, domains, outer, sums))
        solvable = _solvable(figures, withheld, lines)
        if not solvable:
            break
        through: dict[Key, list[_Line]] = defaultdict(list)
        for line in lines:
            for key in (*line.members, line.total):
                through[key].append(line)
        added = [_nearest_shown(figures, withheld, key, through)
                 for key in sorted(solvable, key=_order)]
        if not any(added):
            break  # nothing shown is left to hide behind
    return figures, withheld


def _nearest_shown(figures: Mapping[Key, int], withheld: dict[Key, str], start: Key,
                   through: Mapping[Key, list[_Line]]) -> bool:
    """Withhold the smallest shown figure on the nearest line, reached from ``start`` through
    withheld figures, that still shows one."""
    seen = {start}
    frontier = [start]
    while frontier:
        following = []
        for key in frontier:
            for line in through[key]:
                extra = _complement(figures, withheld, line, lambda _key: False)
                if extra is not None:
                    withheld[extra] = COMPLEMENTARY
                    return True
                for other in (*line.members, line.total):
                    if other in withheld and other not in seen:
                        seen.add(other)
                        following.append(other)
        frontier = following
    return False


def _by_line(figures: Mapping[Key, int], withheld: dict[Key, str], lines: list[_Line],
             usable: Callable[[Key], bool], relist: Callable[[], list[_Line]]) -> list[_Line]:
    """Rule 2, line by line, until no line changes; returns the lines (new zeros add some)."""
    changed = True
    while changed:
        changed = False
        for line in lines:
            if not _exposes(figures, withheld, line):
                continue
            extra = _complement(figures, withheld, line, usable)
            if extra is None:
                continue
            withheld[extra] = COMPLEMENTARY
            changed = True
            if extra not in figures:  # a new zero cell: it sits on lines nobody listed yet
                lines = relist()
                break
    return lines


# Arithmetic modulo a large prime stands in for the rationals: it may, very rarely, call a
# figure solvable that is not (one more cell withheld), never the reverse.
PRIME = 2**61 - 1


def _solvable(figures: Mapping[Key, int], withheld: Mapping[Key, str], lines: list[_Line]
              ) -> set[Key]:
    """Withheld figures that every line together determines (Gauss-Jordan, sparse rows)."""
    unknown = {key: index for index, key in enumerate(sorted(withheld, key=_order))}
    pivots: dict[int, dict[int, int]] = {}
    for line in lines:
        row: dict[int, int] = {}
        for key, sign in (*((m, 1) for m in line.members), (line.total, -1)):
            if key in unknown:
                column = unknown[key]
                row[column] = (row.get(column, 0) + sign) % PRIME
                if not row[column]:
                    del row[column]
        while row:
            column = min(row)
            if column not in pivots:
                inverse = pow(row[column], PRIME - 2, PRIME)
                pivots[column] = {c: v * inverse % PRIME for c, v in row.items()}
                break
            _subtract(row, pivots[column], row[column])
    for column in sorted(pivots, reverse=True):  # back-substitution: a reduced echelon form
        row = pivots[column]
        for other in sorted(c for c in row if c != column and c in pivots):
            if other in row:
                _subtract(row, pivots[other], row[other])
    keys = list(unknown)
    return {keys[column] for column, row in pivots.items() if len(row) == 1}


def _subtract(row: dict[int, int], pivot: Mapping[int, int], factor: int) -> None:
    for column, value in pivot.items():
        updated = (row.get(column, 0) - factor * value) % PRIME
        if updated:
            row[column] = updated
        else:
            row.pop(column, None)


class _Line:
    """Cells that add up to ``total``, another cell."""

    def __init__(self, members: list[Key], total: Key, candidates: list[Key]) -> None:
        self.members = members
        self.total = total
        self.candidates = candidates  # where a zero complementary cell may be found


def _lines(figures: Mapping[Key, int], withheld: Mapping[Key, str],
           domains: Sequence[Sequence[Hashable]], outer: int,
           sums: Mapping[Hashable, Sequence[Hashable]]) -> list[_Line]:
    keys = sorted({*figures, *withheld}, key=_order)
    lines = []
    for axis in range(outer):
        grouped: dict[Key, list[Key]] = defaultdict(list)
        for key in keys:
            if key[axis] is not ALL:
                grouped[(*key[:axis], ALL, *key[axis + 1:])].append(key)
        for total, members in grouped.items():
            candidates = [(*total[:axis], value, *total[axis + 1:]) for value in domains[axis]]
            lines.append(_Line(members, total, candidates))
    for value, parts in sums.items():
        for rest in sorted({key[:outer] for key in keys}, key=_order):
            members = [(*rest, part) for part in parts]
            lines.append(_Line(members, (*rest, value), members))
    return lines


def _exposes(figures: Mapping[Key, int], withheld: Mapping[Key, str], line: _Line) -> bool:
    hidden = [m for m in line.members if m in withheld]
    known = line.total not in withheld
    unknowns = len(hidden) + (0 if known else 1)
    if unknowns == 0:
        return False
    if unknowns == 1:
        return True  # the total minus the rest, or the rest added up
    # Zeros are shown, so a reader takes withheld cells for 1 or more: withheld cells that add
    # up to their number are all 1 (and cells that add up to nothing are all 0).
    remainder = sum(figures.get(m, 0) for m in hidden)
    return known and remainder in (0, len(hidden))


def _complement(figures: Mapping[Key, int], withheld: Mapping[Key, str], line: _Line,
                usable: Callable[[Key], bool]) -> Key | None:
    shown = [m for m in (*line.members, line.total)
             if m not in withheld and figures.get(m, 0) > 0]
    if shown:
        return min(shown, key=lambda m: (figures[m], _order(m)))
    for key in line.candidates:
        if key not in withheld and figures.get(key, 0) == 0 and usable(key):
            return key
    return None  # nothing left on the line to hide behind


def _zero_usable(figures: Mapping[Key, int], outer: int,
                 sums: Mapping[Hashable, Sequence[Hashable]],
                 possible: Callable[[Key], bool]) -> Callable[[Key], bool]:
    """Whether withholding a zero hides anything. Not if it is an aggregate or a sum (its parts
    are shown zeros), nor if a line through it adds up to 0, nor if it cannot hold records."""

    def usable(key: Key) -> bool:
        if any(value is ALL for value in key) or (sums and key[outer] in sums):
            return False
        if not possible(key):
            return False
        for axis in range(outer):
            if figures.get((*key[:axis], ALL, *key[axis + 1:]), 0) == 0:
                return False
        if sums:
            containing = [total for total, parts in sums.items() if key[outer] in parts]
            if any(figures.get((*key[:outer], total), 0) == 0 for total in containing):
                return False
        return True

    return usable


def _order(key: Key) -> tuple[tuple[int, str], ...]:
    return tuple((2 if value is ALL else 1 if value is None else 0, str(value)) for value in key)


def exposed(figures: Mapping[Key, int], withheld: Mapping[Key, str], outer: int,
            sums: Mapping[Hashable, Sequence[Hashable]] | None = None) -> set[Key]:
    """Withheld figures that the shown ones give away, judged from the figures alone (no
    record behind them): a line with one unknown left, or anything that solving every line
    together determines. What the server checks in figures a phone publishes
    (``outreach/reports/published.py``); the phone ran ``suppress``, so this finds nothing
    unless the phone is wrong or lies."""
    sums = sums or {}
    axes: list[list[Hashable]] = [[] for _ in range(outer)] + ([[*sums]] if sums else [])
    lines = _lines(figures, withheld, axes, outer, sums)
    found = set()
    for line in lines:
        unknown = [m for m in (*line.members, line.total) if m in withheld]
        if len(unknown) == 1:
            found.add(unknown[0])
    return found | _solvable(figures, withheld, lines)
