"""The small-group rule of the feedback report and the pulse (intranet.feedback_suppression).

The property test builds random reports the way the report does (responses classified along several
dimensions; shown: the total and each dimension's counts) and checks, with exact linear algebra over the
individual cells, that no sum or difference of shown numbers equals a hidden non-zero group under 5.
"""

import itertools
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from intranet.feedback_suppression import suppress_small_groups

K = 5


def test_a_group_under_five_is_hidden_and_a_group_of_five_shows():
    shown = suppress_small_groups(20, {"topic": {"tools": 5, "culture": 9, "growth": 3, "other": 3}}, min_group=K)
    assert shown.total == 20
    # the two 3s cover each other: 6 between them could be 2 + 4, 3 + 3 or 4 + 2
    assert shown.partitions["topic"] == {"tools": 5, "culture": 9, "growth": None, "other": None}


def test_a_lone_small_group_takes_the_next_smallest_with_it():
    shown = suppress_small_groups(16, {"topic": {"tools": 5, "culture": 7, "growth": 4}}, min_group=K)
    # 4 alone would be 16 − 5 − 7: the 5 is hidden too, and the 7 stays
    assert shown.partitions["topic"] == {"tools": None, "culture": 7, "growth": None}


def test_a_cover_that_the_rule_pins_down_is_no_cover():
    # hiding one of two 5s: the hidden one is at least 5 (it was shown-sized) and at most 5 (the smallest
    # still shown), so the 4 would show through; all three go, the total stays
    shown = suppress_small_groups(14, {"topic": {"tools": 5, "culture": 5, "growth": 4}}, min_group=K)
    assert shown.total == 14
    assert shown.partitions["topic"] == {"tools": None, "culture": None, "growth": None}


def test_a_total_under_five_hides_everything():
    shown = suppress_small_groups(4, {"topic": {"tools": 4, "culture": 0}}, min_group=K)
    assert shown.total is None
    assert shown.partitions == {"topic": {"tools": None, "culture": None}}


def test_two_small_groups_cover_each_other():
    shown = suppress_small_groups(26, {"department": {"a": 3, "b": 2, "c": 21}}, min_group=K)
    assert shown.partitions["department"] == {"a": None, "b": None, "c": 21}


def test_an_empty_group_is_hidden_but_is_no_cover():
    # 0 and 3 hidden: the reader may know department "b" has nobody, so 3 would show through
    shown = suppress_small_groups(18, {"department": {"a": 3, "b": 0, "c": 7, "d": 8}}, min_group=K)
    assert shown.partitions["department"] == {"a": None, "b": None, "c": None, "d": 8}


def test_two_fours_adding_up_to_eight_are_not_left_alone():
    # hidden 4 and 4 with 8 left over: each must be 4 (a small group is 1–4), so a third cell is hidden
    shown = suppress_small_groups(28, {"topic": {"a": 4, "b": 4, "c": 20}}, min_group=K)
    assert shown.total == 28
    assert shown.partitions["topic"] == {"a": None, "b": None, "c": None}


def test_a_total_that_alone_gives_a_group_away_is_hidden():
    # two departments of 4 make 8: with both hidden, 8 can only be 4 + 4, so the total goes, and all with it
    shown = suppress_small_groups(8, {"topic": {"a": 8}, "department": {"x": 4, "y": 4}}, min_group=K)
    assert shown.total is None
    assert shown.partitions == {"topic": {"a": None}, "department": {"x": None, "y": None}}


def test_cells_that_do_not_add_up_are_refused():
    with pytest.raises(ValueError, match="adding up to the total"):
        suppress_small_groups(10, {"topic": {"a": 3}}, min_group=K)


# --- The property -----------------------------------------------------------------------------------


def _rank(rows: list[list[Fraction]]) -> int:
    """The rank of a matrix, by exact Gaussian elimination."""
    rows = [list(row) for row in rows]
    rank, columns = 0, len(rows[0]) if rows else 0
    for column in range(columns):
        pivot = next((i for i in range(rank, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        for i in range(len(rows)):
            if i != rank and rows[i][column] != 0:
                factor = rows[i][column] / rows[rank][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank], strict=True)]
        rank += 1
    return rank


def _determined(vector: list[Fraction], shown: list[list[Fraction]]) -> bool:
    """Whether `vector` (a group, as the cells it counts) is a sum/difference of the shown groups."""
    if not shown:
        return False
    return _rank([*shown, vector]) == _rank(shown)


small = st.one_of(st.integers(0, 3), st.integers(0, 12))


@st.composite
def reports(draw):
    """Responses classified along 1–3 dimensions of 1–4 values each, as counts per combination."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=1, max_size=3))
    cells = list(itertools.product(*[range(size) for size in sizes]))
    counts = {cell: draw(small) for cell in cells}
    return sizes, cells, counts


@settings(max_examples=400, deadline=None)
@given(reports())
def test_no_sum_or_difference_of_shown_groups_reveals_a_hidden_group_under_five(report):
    sizes, cells, counts = report
    total = sum(counts.values())
    partitions = {
        f"d{d}": {value: sum(n for cell, n in counts.items() if cell[d] == value) for value in range(size)}
        for d, size in enumerate(sizes)
    }
    shown = suppress_small_groups(total, partitions, min_group=K)

    def group(d, value):  # the group as a 0/1 vector over the individual cells
        return [Fraction(int(cell[d] == value)) for cell in cells]

    visible = [[Fraction(1)] * len(cells)] if shown.total is not None else []
    for d, size in enumerate(sizes):
        for value in range(size):
            count = shown.partitions[f"d{d}"][value]
            if count is not None:
                assert count >= K  # nothing small is ever shown
                assert count == partitions[f"d{d}"][value]
                visible.append(group(d, value))
    assert shown.total is None or shown.total >= K
    for d, size in enumerate(sizes):
        for value in range(size):
            count = partitions[f"d{d}"][value]
            if shown.partitions[f"d{d}"][value] is None and 0 < count < K:
                assert not _determined(group(d, value), visible), (partitions, shown)
