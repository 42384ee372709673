"""The suppression rule on its own: small figures withheld, and no withheld figure that the shown
ones determine, line by line or all lines solved together."""

from __future__ import annotations

import itertools
import random
from collections import defaultdict
from fractions import Fraction

import pytest

from outreach.reports.suppression import ALL, COMPLEMENTARY, SMALL, suppress

AREAS = ["a", "b", "c", None]


def test_nothing_small_means_nothing_withheld():
    figures, withheld = suppress({("a",): 7, ("b",): 5}, [AREAS], 5)
    assert withheld == {}
    assert figures[(ALL,)] == 12


def test_a_small_figure_takes_the_next_smallest_of_its_line_with_it():
    _, withheld = suppress({("a",): 3, ("b",): 9, ("c",): 6}, [AREAS], 5)
    # 18 in total: hiding only a's 3 would leave 18 - 9 - 6.
    assert withheld == {("a",): SMALL, ("c",): COMPLEMENTARY}


def test_two_ones_adding_up_to_two_are_not_left_on_their_own():
    _, withheld = suppress({("a",): 1, ("b",): 1, ("c",): 9}, [AREAS], 5)
    # Two withheld figures adding up to 11 - 9 = 2: each must be 1, since zeros are shown.
    assert withheld[("c",)] == COMPLEMENTARY


def test_a_sum_in_the_row_counts_as_a_cell_of_its_line():
    sums = {"made": ["waiting", "taken_up"]}
    cells = {("a", "waiting"): 2, ("a", "taken_up"): 9, ("a", "made"): 11}
    _, withheld = suppress(cells, [["a"], ["waiting", "taken_up", "made"]], 5, sums)
    assert ("a", "waiting") in withheld
    assert ("a", "taken_up") in withheld or ("a", "made") in withheld


def test_a_zero_is_never_withheld_where_a_line_through_it_adds_up_to_nothing():
    # Only area a has records: a zero in b would still be known to be 0 (b's total is 0).
    _, withheld = suppress({("a", "x"): 3, ("a", "y"): 8}, [AREAS, ["x", "y", None]], 5)
    assert all(key[0] in ("a", ALL) for key in withheld)


def solved(figures, withheld, domains, outer, sums):
    """Withheld figures that the shown ones determine: exact Gauss-Jordan over the rationals."""
    axes = [[*d, ALL] for d in domains[:outer]] + ([list(domains[outer])] if sums else [])
    keys = list(itertools.product(*axes))
    unknown = sorted(withheld, key=str)
    index = {key: i for i, key in enumerate(unknown)}
    rows = []

    def equation(members, total):
        row = [Fraction(0)] * (len(unknown) + 1)
        for key, sign in [*((m, 1) for m in members), (total, -1)]:
            if key in index:
                row[index[key]] += sign
            else:
                row[-1] -= sign * figures.get(key, 0)
        if any(row[:-1]):
            rows.append(row)

    for axis in range(outer):
        lines = defaultdict(list)
        for key in keys:
            if key[axis] is not ALL:
                lines[(*key[:axis], ALL, *key[axis + 1:])].append(key)
        for total, members in lines.items():
            equation(members, total)
    for rest in itertools.product(*axes[:outer]) if sums else ():
        for total, parts in sums.items():
            equation([(*rest, p) for p in parts], (*rest, total))
    pivot = 0
    for column in range(len(unknown)):
        found = next((r for r in range(pivot, len(rows)) if rows[r][column]), None)
        if found is None:
            continue
        rows[pivot], rows[found] = rows[found], rows[pivot]
        rows[pivot] = [v / rows[pivot][column] for v in rows[pivot]]
        for r, row in enumerate(rows):
            if r != pivot and row[column]:
                rows[r] = [a - row[column] * b for a, b in zip(row, rows[pivot], strict=True)]
        pivot += 1
    return [unknown[next(c for c, v in enumerate(row[:-1]) if v)] for row in rows[:pivot]
            if sum(1 for v in row[:-1] if v) == 1]


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize(("dims", "with_sums"), [(1, True), (2, False), (2, True), (3, False)])
def test_no_withheld_figure_is_determined_by_the_shown_ones(seed, dims, with_sums):
    rng = random.Random(seed * 10 + dims)  # noqa: S311 (reproducible test tables)
    counts = [1, 2, 3, 4, 5, 6, 8, 12, 20, 40]
    for _ in range(10):
        domains = [[f"{chr(97 + d)}{i}" for i in range(rng.randint(2, 3))] + [None]
                   for d in range(dims)]
        cells, sums = {}, None
        for key in itertools.product(*domains):
            if with_sums:
                for level in (1, 2, 3):
                    if rng.random() < 0.35:
                        count = rng.choice(counts)
                        cells[(*key, level)] = count
                        cells[(*key, "all")] = cells.get((*key, "all"), 0) + count
            elif rng.random() < 0.45:
                cells[key] = rng.choice(counts)
        if with_sums:
            sums = {"all": [1, 2, 3]}
            domains = [*domains, [1, 2, 3, "all"]]
        if not cells:
            continue
        figures, withheld = suppress(cells, domains, 5, sums)
        assert {key for key, why in withheld.items() if why == SMALL} == {
            key for key, count in figures.items() if 0 < count < 5}
        assert solved(figures, withheld, domains, dims, sums) == []
