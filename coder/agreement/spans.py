"""Where two coders differ on the time axis: runs of the time units they coded differently.

The units are the very ones a group's :class:`~coder.agreement.time_units.TimeUnitAgreement`
tallied (same unit, codes, span and rule for what a unit holds), so the spans add up to the
off-diagonal cells of its table. In an exclusive group a span covers the whole group (coder A
had one code or none, coder B another); in a non-exclusive group each code is compared on its
own (present for one coder, absent for the other). Views draw these as tinted bands.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from coder.agreement.time_units import (
    NONE,
    TimeUnitAgreement,
    UnitGrid,
    coverage,
    exclusive_labels,
    unit_grid,
)
from coder.model import Event, Stamp
from coder.timebase import TimeBase

PRESENT, ABSENT = "present", "absent"


@dataclass(frozen=True, slots=True)
class DifferingSpan:
    """Consecutive units in which coder A's label is ``a`` and coder B's is ``b`` (a ≠ b)."""

    start: Stamp
    end: Stamp
    """Exclusive: the instant the span's last unit ends (frame ``frame_count`` at the end)."""
    units: int
    code: str | None
    """The code compared, in a non-exclusive group; None when the span is the whole group's."""
    a: str
    b: str
    """A code, :data:`~coder.agreement.time_units.NONE`, or ``"present"``/``"absent"``."""


def differing_spans(
    a: Iterable[Event],
    b: Iterable[Event],
    result: TimeUnitAgreement,
    timebase: TimeBase,
    *,
    end_us: int | None = None,
    start_us: int = 0,
) -> tuple[DifferingSpan, ...]:
    """The spans of units where coder A's and coder B's events of ``result``'s codes differ.

    ``timebase``, ``end_us`` and ``start_us`` must be those the agreement was computed with
    (the report uses the reference pass's time base and duration).
    """
    left, right = list(a), list(b)
    stop = timebase.duration_us if end_us is None else end_us
    grid = unit_grid(result.unit, end_us=stop, timebase=timebase, start_us=start_us)
    codes = result.codes
    cover_a, cover_b = coverage(left, codes, grid), coverage(right, codes, grid)
    if result.exclusive:
        labels = (*codes, NONE)
        la, lb = exclusive_labels(cover_a, grid), exclusive_labels(cover_b, grid)
        return tuple(
            DifferingSpan(start, end, units, None, labels[x], labels[y])
            for start, end, units, x, y in _runs(la, lb, grid, timebase)
        )
    half = np.diff(grid.edges) / 2
    out: list[DifferingSpan] = []
    for i, code in enumerate(codes):
        pa = ((cover_a.states[i] >= half) | (cover_a.points[i] > 0)).astype(np.int64)
        pb = ((cover_b.states[i] >= half) | (cover_b.points[i] > 0)).astype(np.int64)
        names = (ABSENT, PRESENT)
        out.extend(
            DifferingSpan(start, end, units, code, names[x], names[y])
            for start, end, units, x, y in _runs(pa, pb, grid, timebase)
        )
    out.sort(key=lambda s: (s.start.us, codes.index(s.code) if s.code else -1))
    return tuple(out)


def _runs(
    la: np.ndarray, lb: np.ndarray, grid: UnitGrid, timebase: TimeBase
) -> list[tuple[Stamp, Stamp, int, int, int]]:
    """(start, end, units, label A, label B) of each run of differing units with one label pair."""
    differ = np.flatnonzero(la != lb)
    if differ.size == 0:
        return []
    pair_a, pair_b = la[differ], lb[differ]
    new = np.ones(differ.size, dtype=bool)
    new[1:] = (np.diff(differ) != 1) | (pair_a[1:] != pair_a[:-1]) | (pair_b[1:] != pair_b[:-1])
    first = np.flatnonzero(new)
    last = np.append(first[1:] - 1, differ.size - 1)
    out = []
    for f, g in zip(first.tolist(), last.tolist(), strict=True):
        lo, hi = int(differ[f]), int(differ[g]) + 1
        start = _stamp(int(grid.edges[lo]), grid, timebase)
        end = _stamp(int(grid.edges[hi]), grid, timebase)
        out.append((start, end, hi - lo, int(pair_a[f]), int(pair_b[f])))
    return out


def _stamp(edge: int, grid: UnitGrid, timebase: TimeBase) -> Stamp:
    """A unit edge (a frame index or µs) as frame and time."""
    count = timebase.frame_count
    if grid.in_frames:
        if edge >= count:
            return Stamp(count, timebase.duration_us)
        return Stamp(edge, timebase.pts_us(edge))
    if edge >= timebase.duration_us:
        return Stamp(count, edge)
    return Stamp(timebase.index_at(edge), edge)
