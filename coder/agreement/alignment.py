"""Event agreement: two coders' timed events aligned with an onset tolerance.

The alignment is the Needleman-Wunsch kind that Quera, Bakeman & Gnisci (2007) use for timed
events: two events may be paired only when their onsets are within the tolerance; a pair of
equal codes costs 0 (a match), of different codes 1 (a mismatch), and an event left unpaired
costs 1 (an **omission** when coder B lacks coder A's event, a **commission** when coder B has
an event coder A lacks). Among alignments of least cost the one with the smallest total onset
distance is chosen. Kappa, kappa max and percent agreement come from the (K+1)×(K+1) table whose
extra category :data:`NIL` stands for "no event"; its nil-nil cell is structurally zero.

The dynamic programme visits only pairs within the tolerance (a band), so two 5,000-event
passes align in a fraction of a second.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from coder.agreement.categorical import Confusion, kappa_from_table, kappa_max
from coder.agreement.durations import Duration, parse_duration
from coder.agreement.undefined import Undefined
from coder.model import Event

NIL = "(nil)"
"""The category of the missing side of an omission or a commission."""

PairKind = Literal["match", "mismatch", "omission", "commission"]


@dataclass(frozen=True, slots=True)
class AlignedPair:
    """One line of the alignment: coder A's event, coder B's, or both."""

    kind: PairKind
    a: Event | None
    b: Event | None

    @property
    def onset_difference_us(self) -> int | None:
        """B's onset minus A's (µs), for pairs."""
        if self.a is None or self.b is None:
            return None
        return self.b.onset.us - self.a.onset.us

    @property
    def onset(self) -> int:
        """The earlier onset of the pair (µs), to place it on a time axis."""
        ons = [e.onset.us for e in (self.a, self.b) if e is not None]
        return min(ons)


@dataclass(frozen=True, eq=False)
class EventAlignment:
    """The aligned event sequences of two coders and the agreement they show."""

    tolerance: Duration
    pairs: tuple[AlignedPair, ...]
    table: Confusion
    kappa: float
    kappa_max: float
    percent: float
    """Matches over all lines of the alignment (pairs, omissions and commissions)."""

    def count(self, kind: PairKind) -> int:
        return sum(p.kind == kind for p in self.pairs)

    @property
    def matches(self) -> int:
        return self.count("match")

    @property
    def mismatches(self) -> int:
        return self.count("mismatch")

    @property
    def omissions(self) -> int:
        return self.count("omission")

    @property
    def commissions(self) -> int:
        return self.count("commission")


def align_events(
    a: Iterable[Event],
    b: Iterable[Event],
    tolerance: Duration | str | float = "2s",
    codes: Sequence[str] | None = None,
) -> EventAlignment:
    """Align coder A's events with coder B's (onsets within ``tolerance``; ``"1f"`` in frames).

    ``codes`` limits both passes to those behaviours and fixes the table's categories
    (default: every code seen, in order of first onset).
    """
    window = parse_duration(tolerance, "tolerance")
    left = _sorted(a, codes, "coder A")
    right = _sorted(b, codes, "coder B")
    order = tuple(codes) if codes is not None else _codes_seen(left, right)
    if NIL in order:
        raise ValueError(f"{NIL!r} cannot be a code: it marks a missing event")
    pairs = _align(left, right, window)
    table = _table(pairs, order)
    if not pairs:
        empty = Undefined("neither coder coded any event to align")
        return EventAlignment(window, (), table, empty, empty, empty)
    matches = sum(p.kind == "match" for p in pairs)
    return EventAlignment(
        tolerance=window,
        pairs=tuple(pairs),
        table=table,
        kappa=kappa_from_table(table),
        kappa_max=kappa_max(table),
        percent=matches / len(pairs),
    )


def combine_alignments(results: Sequence[EventAlignment]) -> EventAlignment:
    """Several observations' alignments of one group pooled: lines and tables summed."""
    if not results:
        raise ValueError("nothing to pool")
    table = results[0].table
    for other in results[1:]:
        table = table + other.table
    pairs = tuple(p for r in results for p in r.pairs)
    if not pairs:
        empty = Undefined("neither coder coded any event to align")
        return EventAlignment(results[0].tolerance, (), table, empty, empty, empty)
    return EventAlignment(
        tolerance=results[0].tolerance,
        pairs=pairs,
        table=table,
        kappa=kappa_from_table(table),
        kappa_max=kappa_max(table),
        percent=sum(p.kind == "match" for p in pairs) / len(pairs),
    )


def _sorted(events: Iterable[Event], codes: Sequence[str] | None, who: str) -> list[Event]:
    keep = None if codes is None else set(codes)
    out = []
    for event in events:
        if not isinstance(event, Event):
            raise ValueError(f"{who}: expected coded events, got {type(event).__name__}")
        if keep is None or event.behaviour in keep:
            out.append(event)
    return sorted(out, key=lambda e: (e.onset.us, e.onset.frame))


def _codes_seen(a: Sequence[Event], b: Sequence[Event]) -> tuple[str, ...]:
    merged = sorted((*a, *b), key=lambda e: e.onset.us)
    return tuple(dict.fromkeys(e.behaviour for e in merged))


def _table(pairs: Sequence[AlignedPair], order: tuple[str, ...]) -> Confusion:
    categories = (*order, NIL)
    index = {c: i for i, c in enumerate(categories)}
    counts = np.zeros((len(categories), len(categories)), dtype=np.int64)
    for pair in pairs:
        i = index[pair.a.behaviour] if pair.a is not None else index[NIL]
        j = index[pair.b.behaviour] if pair.b is not None else index[NIL]
        counts[i, j] += 1
    return Confusion(categories, counts)


def _align(a: list[Event], b: list[Event], window: Duration) -> list[AlignedPair]:
    """Least-cost alignment by a banded dynamic programme (see the module docstring).

    It maximises Σ weights over non-crossing pairs, weight = 2·S − |Δ| for a match and
    S − |Δ| for a mismatch (Δ the onset distance, S larger than any sum of distances): the
    Quera cost is (n + m) − (2·matches + mismatches), and distances only break ties.
    """
    n, m = len(a), len(b)
    if n == 0 or m == 0:
        return [AlignedPair("omission", e, None) for e in a] + [
            AlignedPair("commission", None, e) for e in b
        ]
    frames = window.in_frames
    reach = window.frames if frames else window.us
    ta = np.array([e.onset.frame if frames else e.onset.us for e in a], dtype=np.int64)
    tb = np.array([e.onset.frame if frames else e.onset.us for e in b], dtype=np.int64)
    codes = {c: i for i, c in enumerate(dict.fromkeys(e.behaviour for e in (*a, *b)))}
    ca = np.array([codes[e.behaviour] for e in a], dtype=np.int64)
    cb = np.array([codes[e.behaviour] for e in b], dtype=np.int64)
    lo = np.searchsorted(tb, ta - reach, side="left")
    hi = np.searchsorted(tb, ta + reach, side="right")
    big = (n + m + 1) * (reach + 1)
    rows = _Rows(n)
    for i in range(n):
        r = i + 1
        if lo[i] >= hi[i]:
            rows.alias(r)
            continue
        s, e = int(lo[i]) + 1, int(hi[i])  # prefix lengths J = j + 1 of the allowed b's
        js = np.arange(s, e + 1)
        up = rows.values(r - 1, js)
        weight = np.where(cb[js - 1] == ca[i], 2 * big, big) - np.abs(tb[js - 1] - ta[i])
        diag = rows.values(r - 1, js - 1) + weight
        left = rows.values(r - 1, np.array([s - 1]))
        rows.store(r, s, np.maximum.accumulate(np.concatenate([left, np.maximum(up, diag)])))
    out: list[AlignedPair] = []
    r, j = n, m
    while r > 0 and j > 0:
        band = rows.band(r)
        if band is None or j < band[0]:
            out.append(AlignedPair("omission", a[r - 1], None))
            r -= 1
            continue
        if j > band[1]:
            out.append(AlignedPair("commission", None, b[j - 1]))
            j -= 1
            continue
        here = rows.value(r, j)
        same = ca[r - 1] == cb[j - 1]
        weight = (2 * big if same else big) - abs(int(tb[j - 1]) - int(ta[r - 1]))
        if here == rows.value(r - 1, j - 1) + weight:
            kind: PairKind = "match" if same else "mismatch"
            out.append(AlignedPair(kind, a[r - 1], b[j - 1]))
            r, j = r - 1, j - 1
        elif here == rows.value(r - 1, j):
            out.append(AlignedPair("omission", a[r - 1], None))
            r -= 1
        else:
            out.append(AlignedPair("commission", None, b[j - 1]))
            j -= 1
    out.extend(AlignedPair("omission", a[i], None) for i in range(r - 1, -1, -1))
    out.extend(AlignedPair("commission", None, b[k]) for k in range(j - 1, -1, -1))
    out.reverse()
    return _chronological_gaps(out)


def _chronological_gaps(pairs: list[AlignedPair]) -> list[AlignedPair]:
    """Runs of omissions and commissions between two pairs, in order of onset."""
    out: list[AlignedPair] = []
    run: list[AlignedPair] = []
    for pair in pairs:
        if pair.a is not None and pair.b is not None:
            out.extend(sorted(run, key=lambda p: p.onset))
            run = []
            out.append(pair)
        else:
            run.append(pair)
    out.extend(sorted(run, key=lambda p: p.onset))
    return out


class _Rows:
    """The DP's rows, each kept only over its band of allowed pairs.

    Row ``r`` (coder A's first r events) holds best scores for prefix lengths J of coder B in
    [start − 1, end]; beyond ``end`` no more pairs with those events exist, so the score stays
    at its last value; before ``start − 1`` it equals the previous row's. A row with no allowed
    pair is the previous row (an alias).
    """

    def __init__(self, n: int) -> None:
        self._start = [1] * (n + 1)
        self._data: list[np.ndarray | None] = [np.zeros(1, dtype=np.int64)] + [None] * n
        self._source = list(range(n + 1))

    def alias(self, r: int) -> None:
        self._source[r] = self._source[r - 1]

    def store(self, r: int, start: int, data: np.ndarray) -> None:
        self._start[r] = start
        self._data[r] = data

    def band(self, r: int) -> tuple[int, int] | None:
        if self._source[r] != r:
            return None
        data = self._data[r]
        assert data is not None
        return self._start[r], self._start[r] + data.size - 2

    def values(self, r: int, js: np.ndarray) -> np.ndarray:
        """Scores of row ``r`` at prefix lengths ``js`` (at or after the row's band start − 1)."""
        out = np.empty(js.size, dtype=np.int64)
        pending = np.arange(js.size)
        row = self._source[r]
        while pending.size:
            data = self._data[row]
            assert data is not None
            offset = js[pending] - (self._start[row] - 1)
            inside = offset >= 0
            out[pending[inside]] = data[np.minimum(offset[inside], data.size - 1)]
            pending = pending[~inside]
            if pending.size and row == 0:
                out[pending] = 0
                break
            row = self._source[row - 1] if pending.size else row
        return out

    def value(self, r: int, j: int) -> int:
        return int(self.values(r, np.array([j]))[0])
