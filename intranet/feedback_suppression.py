"""Small-group suppression for the feedback report and the eNPS pulse: one pure function, no database.

The rule (DESIGN.md, "Anonymous means anonymous"): a report shows a group's count only when at least
`min_group` people are in it, and never shows counts from which a hidden group under `min_group`
could be worked out, e.g. by subtracting the shown groups of a partition from its shown total.

A report here is a *total* and one or more *partitions* of it: the same responses split by topic, by
department, by quarter… Each partition's cells add up to the total. Only the total and the cells are
shown (never a cross-table of two partitions), so the only sums that tie the numbers together are
"the cells of one partition add up to the total". What someone can learn about a hidden cell of a
partition is then what its shown cells and the total say about the hidden cells together: their sum
S = total − (shown cells). Suppression in three steps:

1. Primary: every cell under `min_group` is hidden, zeros included (a zero is a group under 5 too).
2. Secondary, per partition: while some hidden non-zero cell under `min_group` can be pinned down from
   S and what its neighbours could be, the smallest shown cell is hidden as well (the next-smallest,
   so that as little as possible is lost). "Pinned down" is judged against a well-informed reader who
   knows the rule and which hidden cells are empty (a department with nobody in it is no cover), i.e.
   who knows each hidden cell lies in

       0                         for an empty cell,
       1 … min_group − 1         for a small one,
       min_group … m             for one hidden as cover (m: the smallest cell still shown, or S);

   a small cell is pinned down when the interval those bounds leave it is a single number. That covers
   the plain case (the only hidden cell of a partition: S is its count) and the subtle ones (two hidden
   cells adding up to 8 are 4 and 4).
3. When a partition cannot be made safe even with all its cells hidden (its total alone pins a cell
   down), the total goes too, and with it every partition: nothing of the report is shown.

The hypothesis test in intranet/tests/test_feedback_suppression.py checks the promise over random data:
no sum or difference of shown numbers (totals included) equals a hidden non-zero group under the limit.
"""

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Suppressed:
    """What a report may show: the total (None: hidden) and, per partition, each cell (None: hidden)."""

    total: int | None
    partitions: dict[str, dict[Hashable, int | None]] = field(default_factory=dict)

    def cell(self, partition: str, key: Hashable) -> int | None:
        return self.partitions[partition][key]


def suppress_small_groups(
    total: int, partitions: Mapping[str, Mapping[Hashable, int]], *, min_group: int
) -> Suppressed:
    """Hide the groups under `min_group` of a report, and whatever would give them away (see the module).

    `partitions` maps a partition's name to its cells (key → count); each partition's counts must add up
    to `total`. Returns the same shape with hidden numbers as None. Pure: same input, same answer.
    """
    if min_group < 1:
        raise ValueError("min_group must be at least 1.")
    for name, cells in partitions.items():
        if sum(cells.values()) != total or any(count < 0 for count in cells.values()):
            raise ValueError(f"The cells of partition {name!r} must be counts adding up to the total ({total}).")
    nothing = Suppressed(None, {name: dict.fromkeys(cells) for name, cells in partitions.items()})
    if total < min_group:
        return nothing
    shown_partitions = {}
    for name, cells in partitions.items():
        hidden = {key for key, count in cells.items() if count < min_group}
        while _gives_away(cells, hidden, total, min_group):
            shown = [key for key in cells if key not in hidden]
            if not shown:
                return nothing  # the total alone pins a small cell down
            hidden.add(min(shown, key=lambda key: (cells[key], repr(key))))
        shown_partitions[name] = {key: None if key in hidden else count for key, count in cells.items()}
    return Suppressed(total, shown_partitions)


def _gives_away(cells: Mapping[Hashable, int], hidden: set, total: int, min_group: int) -> bool:
    """True when the shown cells and `total` pin down some hidden non-zero cell under `min_group`."""
    shown = [count for key, count in cells.items() if key not in hidden]
    rest = total - sum(shown)  # what the hidden cells add up to: anyone can work it out
    cover_max = min([rest, *shown])
    bounds = {}
    for key in hidden:
        count = cells[key]
        if count == 0:
            bounds[key] = (0, 0)
        elif count < min_group:
            bounds[key] = (1, min_group - 1)
        else:
            bounds[key] = (min_group, cover_max)
    low_sum = sum(low for low, _ in bounds.values())
    high_sum = sum(high for _, high in bounds.values())
    for key in hidden:
        count = cells[key]
        if not 0 < count < min_group:
            continue
        low, high = bounds[key]
        # The others hold between (low_sum − low) and (high_sum − high): what is left for this cell.
        least = max(low, rest - (high_sum - high))
        most = min(high, rest - (low_sum - low))
        if least == most:
            return True
    return False
