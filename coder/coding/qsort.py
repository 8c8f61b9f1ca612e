"""Q-sort placements in a coding pass: durable, undoable commands over per-item ratings.

An item's pile is the session rating of the scale ``<qsort>.<item>``; during the first of two
steps its rough pile (1 unlike, 2 neither, 3 like) is the rating of ``<qsort>.rough.<item>``
(see :class:`coder.scheme.QSort`). An item is in at most one of the two: placing it in a pile
takes it out of its rough pile and back. A pass with a Q-sort is marked done only when every
item lies in a pile and every pile holds the number the forced distribution gives it
(:func:`distribution_problems`).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence

from coder.coding.changes import Op, PutRating
from coder.coding.errors import SessionError
from coder.coding.pass_base import PassBase
from coder.coding.segments import SESSION
from coder.model import Rating
from coder.scheme import QSort
from coder.scheme.model import ROUGH_NAMES

SHOWN = 5
"""How many unplaced items a refusal names."""


def pile_counts(qsort: QSort, placements: Mapping[str, int]) -> list[int]:
    """How many items lie in each pile (index 0 is pile 1)."""
    counts = [0] * qsort.piles
    for pile in placements.values():
        counts[pile - 1] += 1
    return counts


def distribution_problems(qsort: QSort, placements: Mapping[str, int]) -> list[str]:
    """What keeps ``placements`` from the forced distribution, in words (empty: complete)."""
    problems: list[str] = []
    for pile, (count, wanted) in enumerate(
        zip(pile_counts(qsort, placements), qsort.distribution, strict=True), 1
    ):
        if count > wanted:
            problems.append(f"pile {pile} holds {count} of {wanted} ({count - wanted} over)")
        elif count < wanted and len(placements) == len(qsort.items):
            problems.append(f"pile {pile} holds {count} of {wanted} ({wanted - count} under)")
    missing = [i for i in qsort.item_ids if i not in placements]
    if missing:
        listed = ", ".join(missing[:SHOWN]) + (
            f" and {len(missing) - SHOWN} more" if len(missing) > SHOWN else ""
        )
        count = len(missing)
        problems.append(f"{count} item{'s' * (count != 1)} in no pile yet ({listed})")
    return problems


def placements_in(qsort: QSort, ratings: Sequence[Rating]) -> dict[str, int]:
    """Item → pile of a pass's ``ratings`` (items in no pile are left out)."""
    found: dict[str, int] = {}
    for rating in ratings:
        if rating.segment == SESSION and rating.scale.startswith(f"{qsort.code}."):
            place = qsort.placement_of(rating.scale)
            if place is not None and not place[1]:
                found[place[0]] = round(rating.value)
    return {i: found[i] for i in qsort.item_ids if i in found}


class QSortCommands(PassBase):
    """Placing Q-sort items in piles, reading the sort back, and the done check."""

    def qsort(self, code: str) -> QSort:
        try:
            return self.scheme.qsort(code)
        except KeyError:
            raise SessionError(
                f"{code!r} is not a Q-sort of the scheme {self.scheme.name!r}"
            ) from None

    def placements(self, qsort: str) -> dict[str, int]:
        """Item → pile of every item in a pile, in the Q-sort's item order."""
        q = self.qsort(qsort)
        found = {i: self._ratings.get((q.scale_code(i), SESSION)) for i in q.item_ids}
        return {i: round(r.value) for i, r in found.items() if r is not None}

    def rough_placements(self, qsort: str) -> dict[str, int]:
        """Item → rough pile (1 unlike, 2 neither, 3 like) of items sorted roughly only."""
        q = self.qsort(qsort)
        found = {i: self._ratings.get((q.rough_code(i), SESSION)) for i in q.item_ids}
        return {i: round(r.value) for i, r in found.items() if r is not None}

    def qsort_problems(self, qsort: str) -> list[str]:
        """What keeps the sort from its forced distribution (empty: complete)."""
        return distribution_problems(self.qsort(qsort), self.placements(qsort))

    def place(self, qsort: str, item: str, pile: int) -> Rating:
        """Put ``item`` into ``pile`` (1 = most unlike), out of its rough pile if it has one."""
        q = self.qsort(qsort)
        self._item(q, item)
        number = _whole(pile, 1, q.piles, "pile")
        after = Rating(q.scale_code(item), SESSION, float(number))
        before = self._ratings.get((after.scale, SESSION))
        ops: list[Op] = []
        if before != after:
            ops.append(PutRating(before, after))
        rough = self._ratings.get((q.rough_code(item), SESSION))
        if rough is not None:
            ops.append(PutRating(rough, None))
        if ops:
            self._run(f"Place {item} in pile {number} ({q.pile_name(number)})", ops)
        return after

    def place_rough(self, qsort: str, item: str, rough: int) -> Rating:
        """Put ``item`` into rough pile 1 (unlike), 2 (neither) or 3 (like), out of its pile."""
        q = self.qsort(qsort)
        self._item(q, item)
        number = _whole(rough, 1, 3, "rough pile")
        after = Rating(q.rough_code(item), SESSION, float(number))
        before = self._ratings.get((after.scale, SESSION))
        ops: list[Op] = []
        if before != after:
            ops.append(PutRating(before, after))
        final = self._ratings.get((q.scale_code(item), SESSION))
        if final is not None:
            ops.append(PutRating(final, None))
        if ops:
            self._run(f"Put {item} with the {ROUGH_NAMES[number - 1].lower()} items", ops)
        return after

    def unplace(self, qsort: str, item: str) -> None:
        """Take ``item`` out of its pile or rough pile (back among the unsorted items)."""
        q = self.qsort(qsort)
        self._item(q, item)
        keys = ((q.scale_code(item), SESSION), (q.rough_code(item), SESSION))
        ops: list[Op] = [PutRating(self._ratings[k], None) for k in keys if k in self._ratings]
        if not ops:
            raise SessionError(f"{item} is not placed yet")
        self._run(f"Take {item} back", ops)

    def qsort_refusal(self) -> str | None:
        """Why the pass's Q-sorts keep it from being done, in words, or None."""
        for q in self.scheme.qsorts:
            problems = self.qsort_problems(q.code)
            if problems:
                return (
                    f"the Q-sort {q.name} is not complete: {'; '.join(problems)}. Every pile "
                    f"must hold its number of items ({', '.join(map(str, q.distribution))})"
                )
        return None

    def _item(self, qsort: QSort, item: str) -> None:
        if item not in qsort.item_ids:
            raise SessionError(f"{item!r} is not an item of the Q-sort {qsort.name}")


def _whole(value: object, low: int, high: int, what: str) -> int:
    """``value`` as a whole number from ``low`` to ``high``; anything else is refused."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise SessionError(f"{what} {value!r} is not a number from {low} to {high}")
    number = float(value)
    if not math.isfinite(number) or not number.is_integer() or not low <= number <= high:
        raise SessionError(f"there is no {what} {number:g}: use {low} to {high}")
    return int(number)
