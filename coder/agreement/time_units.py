"""Time-unit agreement of two coders' micro-codes (Bakeman & Quera; GSEQ).

Both passes are cut into units of a fixed length (default 1 s, down to one video frame) over the
same span. In an **exclusive** group each unit gets the state that covers most of it, or
:data:`NONE` when uncovered time is larger (a state wins a tie); the (K+1)×(K+1) table gives
Cohen's kappa, percent agreement, kappa max and, collapsed per code, per-code agreement. In a
**non-exclusive** group each code is present in a unit when its states cover at least half of it
or one of its points falls in it, and codes are compared one by one (present/absent); the
summary is De Vries et al.'s (2008) pooled kappa. Tallies of units are not independent, so no
standard error is given.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from coder.agreement.categorical import (
    Confusion,
    kappa_from_table,
    kappa_max,
    proportion_agreeing,
)
from coder.agreement.durations import Duration, parse_duration
from coder.agreement.undefined import Undefined
from coder.model import Event
from coder.timebase import TimeBase

NONE = "(none)"
"""The label of a unit in which no code of an exclusive group is on."""


@dataclass(frozen=True, slots=True)
class CodeAgreement:
    """One code, present or absent per unit: how often each coder had it and how they agree."""

    code: str
    units_a: int
    units_b: int
    both: int
    units: int
    positive_agreement: float
    """2·both / (units_a + units_b): the share of the code's units the coders share."""
    kappa: float
    """Cohen's kappa of the 2×2 present/absent table."""


@dataclass(frozen=True, eq=False)
class TimeUnitAgreement:
    """Time-unit agreement of one group of codes between two passes."""

    unit: Duration
    exclusive: bool
    codes: tuple[str, ...]
    units: int
    kappa: float
    percent: float
    kappa_max: float
    per_code: tuple[CodeAgreement, ...]
    table: Confusion | None
    """Exclusive groups: the units table over ``codes`` + ``NONE`` (rows coder A)."""
    tables: tuple[Confusion, ...] = ()
    """Per code, the 2×2 present/absent table (categories ``("present", "absent")``)."""


@dataclass(frozen=True, eq=False)
class UnitGrid:
    """Unit boundaries on one axis (µs or frame indices): unit ``i`` is [edges[i], edges[i+1])."""

    edges: np.ndarray
    in_frames: bool

    @property
    def count(self) -> int:
        return int(self.edges.size - 1)


def unit_grid(
    unit: Duration | str | float,
    *,
    end_us: int | None = None,
    timebase: TimeBase | None = None,
    start_us: int = 0,
) -> UnitGrid:
    """The units of a pass: of ``unit`` µs from ``start_us`` to ``end_us``, or of frames."""
    step = parse_duration(unit, "unit")
    if step.in_frames:
        if timebase is None:
            raise ValueError("unit: units of frames need the pass's time base")
        total = timebase.frame_count
        edges = np.append(np.arange(0, total, step.frames, dtype=np.int64), total)
        return UnitGrid(edges, True)
    if end_us is None:
        if timebase is None:
            raise ValueError("time units need end_us or the pass's time base")
        end_us = timebase.duration_us
    if end_us <= start_us:
        raise ValueError(f"the span to cut into units is empty ({start_us} to {end_us} µs)")
    edges = np.append(np.arange(start_us, end_us, step.us, dtype=np.int64), end_us)
    return UnitGrid(edges, False)


def time_unit_kappa(
    a: Iterable[Event],
    b: Iterable[Event],
    codes: Sequence[str] | None = None,
    *,
    unit: Duration | str | float = "1s",
    exclusive: bool = True,
    end_us: int | None = None,
    timebase: TimeBase | None = None,
    start_us: int = 0,
) -> TimeUnitAgreement:
    """Time-unit agreement of coder A's and coder B's events of ``codes`` (default: all seen).

    ``unit`` is ``"1s"``, ``"500ms"``, ``"1f"`` (one frame; needs ``timebase``) etc. The span is
    ``start_us`` to ``end_us`` (default: the time base's duration); open states run to its end.
    """
    left, right = list(a), list(b)
    order = tuple(codes) if codes is not None else _codes_seen(left, right)
    if not order:
        raise ValueError("time-unit agreement needs at least one code")
    if exclusive and NONE in order:
        raise ValueError(f"{NONE!r} cannot be a code: it labels units with no code")
    grid = unit_grid(unit, end_us=end_us, timebase=timebase, start_us=start_us)
    step = parse_duration(unit, "unit")
    presence_a = _coverage(left, order, grid)
    presence_b = _coverage(right, order, grid)
    if exclusive:
        labels_a = exclusive_labels(presence_a, grid)
        labels_b = exclusive_labels(presence_b, grid)
        k = len(order) + 1
        counts = np.bincount(labels_a * k + labels_b, minlength=k * k).reshape(k, k)
        return from_table(step, order, Confusion((*order, NONE), counts))
    half = np.diff(grid.edges) / 2
    tables = tuple(
        _present_absent(
            (presence_a.states[i] >= half) | (presence_a.points[i] > 0),
            (presence_b.states[i] >= half) | (presence_b.points[i] > 0),
        )
        for i in range(len(order))
    )
    return pooled(step, order, grid.count, tables)


def from_table(unit: Duration, codes: Sequence[str], table: Confusion) -> TimeUnitAgreement:
    """The agreement an exclusive group's units table (over ``codes`` + ``NONE``) shows."""
    tables = tuple(_collapse(table, i) for i in range(len(codes)))
    per_code = tuple(_code_agreement(c, t) for c, t in zip(codes, tables, strict=True))
    return TimeUnitAgreement(
        unit=unit,
        exclusive=True,
        codes=tuple(codes),
        units=table.n,
        kappa=kappa_from_table(table),
        percent=proportion_agreeing(table),
        kappa_max=kappa_max(table),
        per_code=per_code,
        table=table,
        tables=tables,
    )


def combine(results: Sequence[TimeUnitAgreement]) -> TimeUnitAgreement:
    """Several observations' agreement of one group pooled: their tables summed."""
    if not results:
        raise ValueError("nothing to pool")
    first = results[0]
    for other in results[1:]:
        if other.codes != first.codes or other.exclusive != first.exclusive:
            raise ValueError("only results over the same codes can be pooled")
    if first.exclusive:
        tables = [r.table for r in results if r.table is not None]
        return from_table(first.unit, first.codes, _sum(tables))
    per_code = [_sum([r.tables[i] for r in results]) for i in range(len(first.codes))]
    return pooled(first.unit, first.codes, sum(r.units for r in results), per_code)


def _sum(tables: Sequence[Confusion]) -> Confusion:
    total = tables[0]
    for table in tables[1:]:
        total = total + table
    return total


def pooled(
    unit: Duration, codes: Sequence[str], units: int, tables: Sequence[Confusion]
) -> TimeUnitAgreement:
    """Codes compared one by one; De Vries et al.'s pooled kappa over their 2×2 tables."""
    per_code = tuple(_code_agreement(c, t) for c, t in zip(codes, tables, strict=True))
    observed, expected, best = [], [], []
    for table in tables:
        p = table.counts / table.n
        rows, cols = p.sum(axis=1), p.sum(axis=0)
        observed.append(float(np.trace(p)))
        expected.append(float(rows @ cols))
        best.append(float(np.minimum(rows, cols).sum()))
    mean_o, mean_e, mean_max = (float(np.mean(v)) for v in (observed, expected, best))
    if 1 - mean_e <= 1e-12:
        kappa: float = Undefined("every code is present in every unit or in none; kappa undefined")
        top: float = kappa
    else:
        kappa = (mean_o - mean_e) / (1 - mean_e)
        top = (mean_max - mean_e) / (1 - mean_e)
    return TimeUnitAgreement(
        unit=unit,
        exclusive=False,
        codes=tuple(codes),
        units=units,
        kappa=kappa,
        percent=mean_o,
        kappa_max=top,
        per_code=per_code,
        table=None,
        tables=tuple(tables),
    )


@dataclass(frozen=True, eq=False)
class Coverage:
    """Per code and unit: time (or frames) its states cover, and how many of its points fall in."""

    states: np.ndarray
    points: np.ndarray


def coverage(events: Iterable[Event], codes: Sequence[str], grid: UnitGrid) -> Coverage:
    """How much of each unit each code covers (public for views that draw units)."""
    return _coverage(list(events), tuple(codes), grid)


def exclusive_labels(cover: Coverage, grid: UnitGrid) -> np.ndarray:
    """Each unit's code position: the state covering most of it, or ``len(codes)`` for none."""
    lengths = np.diff(grid.edges)
    uncovered = np.clip(lengths - cover.states.sum(axis=0), 0, None)
    stacked = np.vstack([cover.states, uncovered[None, :]])
    return np.asarray(np.argmax(stacked, axis=0), dtype=np.int64)


def _codes_seen(a: Sequence[Event], b: Sequence[Event]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(e.behaviour for e in (*a, *b)))


def _coverage(events: Sequence[Event], codes: tuple[str, ...], grid: UnitGrid) -> Coverage:
    edges = grid.edges
    start, end = int(edges[0]), int(edges[-1])
    index = {c: i for i, c in enumerate(codes)}
    onsets: list[list[int]] = [[] for _ in codes]
    offsets: list[list[int]] = [[] for _ in codes]
    points: list[list[int]] = [[] for _ in codes]
    for event in events:
        if not isinstance(event, Event):
            raise ValueError(f"expected coded events, got {type(event).__name__}")
        i = index.get(event.behaviour)
        if i is None:
            continue
        on = event.onset.frame if grid.in_frames else event.onset.us
        if not event.is_state:
            points[i].append(on)
            continue
        stop = event.offset
        off = end if stop is None else (stop.frame if grid.in_frames else stop.us)
        if off < on:
            raise ValueError(f"{event.behaviour}: an event ends before it starts (at {on})")
        onsets[i].append(on)
        offsets[i].append(off)
    states = np.zeros((len(codes), grid.count), dtype=np.float64)
    hits = np.zeros((len(codes), grid.count), dtype=np.int64)
    for i in range(len(codes)):
        if onsets[i]:
            on_arr = np.clip(np.asarray(onsets[i], dtype=np.int64), start, end)
            off_arr = np.clip(np.asarray(offsets[i], dtype=np.int64), start, end)
            states[i] = _unit_cover(on_arr, off_arr, edges)
        if points[i]:
            at = np.asarray(points[i], dtype=np.int64)
            at = at[(at >= start) & (at < end)]
            unit = np.searchsorted(edges, at, side="right") - 1
            hits[i] = np.bincount(unit, minlength=grid.count)
    return Coverage(states, hits)


def _unit_cover(on: np.ndarray, off: np.ndarray, edges: np.ndarray) -> np.ndarray:
    """How much of each unit the intervals [on, off) cover, in O(n log units + units)."""
    units = edges.size - 1
    keep = off > on
    on, off = on[keep], off[keep]
    first = np.searchsorted(edges, on, side="right") - 1
    last = np.searchsorted(edges, off, side="left") - 1  # the unit holding off's last instant
    same = first == last
    cover = np.zeros(units, dtype=np.float64)
    cover += np.bincount(first[same], weights=(off - on)[same], minlength=units)
    p, q = first[~same], last[~same]
    cover += np.bincount(p, weights=edges[p + 1] - on[~same], minlength=units)
    cover += np.bincount(q, weights=off[~same] - edges[q], minlength=units)
    inside = np.bincount(p + 1, minlength=units + 1) - np.bincount(q, minlength=units + 1)
    cover += np.cumsum(inside)[:units] * np.diff(edges)
    return cover


def _collapse(table: Confusion, i: int) -> Confusion:
    """The 2×2 table of category ``i`` against all others (present first)."""
    c = table.counts
    both = c[i, i]
    only_a = c[i].sum() - both
    only_b = c[:, i].sum() - both
    neither = table.n - both - only_a - only_b
    return Confusion(("present", "absent"), np.array([[both, only_a], [only_b, neither]]))


def _present_absent(a: np.ndarray, b: np.ndarray) -> Confusion:
    both = int(np.sum(a & b))
    only_a = int(np.sum(a & ~b))
    only_b = int(np.sum(~a & b))
    neither = int(a.size) - both - only_a - only_b
    return Confusion(("present", "absent"), np.array([[both, only_a], [only_b, neither]]))


def _code_agreement(code: str, table: Confusion) -> CodeAgreement:
    c = table.counts
    both, units_a, units_b = int(c[0, 0]), int(c[0].sum()), int(c[:, 0].sum())
    shared: float
    if units_a + units_b == 0:
        shared = Undefined(f"neither coder coded {code} in any unit")
    else:
        shared = 2 * both / (units_a + units_b)
    return CodeAgreement(
        code=code,
        units_a=units_a,
        units_b=units_b,
        both=both,
        units=table.n,
        positive_agreement=shared,
        kappa=kappa_from_table(table),
    )
