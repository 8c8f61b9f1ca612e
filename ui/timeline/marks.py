"""Plain marks for the timeline: its rows, and where each event lies on them.

:class:`MarkIndex` keeps, for every behaviour row, the events' first frames, ids and end frames
as sorted NumPy arrays. A ``Change`` updates only the rows of the events it touched, and a paint
asks for the marks of a frame range with two binary searches per row. No Qt here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from coder.coding.changes import PutEvent
from coder.model import Event
from coder.scheme import Scheme

OPEN = 1 << 62
"""End frame of a state that is still on (it is drawn up to the playhead)."""
_ID_BITS = 32
_ID_MASK = (1 << _ID_BITS) - 1


@dataclass(frozen=True, slots=True)
class TimelineRow:
    """One line of the timeline: a subject heading (``code`` is None) or a behaviour."""

    code: str | None
    label: str
    subject: str
    colour: str = ""
    key: str = ""
    is_point: bool = False


@dataclass(frozen=True, slots=True)
class Mark:
    """An event as the timeline draws it: frames ``start`` up to ``end`` (exclusive) on ``row``.

    ``end`` is :data:`OPEN` while a state is on; a point ends one frame after it starts.
    """

    event_id: int
    row: int
    start: int
    end: int
    colour: str
    is_point: bool

    @property
    def is_open(self) -> bool:
        return self.end == OPEN


def timeline_rows(scheme: Scheme, extra_codes: Iterable[str] = ()) -> list[TimelineRow]:
    """Rows of ``scheme``'s behaviours grouped under their subjects, in the scheme's order.

    ``extra_codes`` are codes found in the data that the scheme does not know; they get rows
    under an "Other codes" heading so that nothing coded is hidden.
    """
    names = {s.code: s.name for s in scheme.subjects}
    order = [s.code for s in scheme.subjects]
    order += [b.subject for b in scheme.behaviours if b.subject not in order]
    rows: list[TimelineRow] = []
    for subject in dict.fromkeys(order):
        members = [b for b in scheme.behaviours if b.subject == subject]
        if not members:
            continue
        rows.append(TimelineRow(None, names.get(subject, subject), subject))
        rows.extend(
            TimelineRow(b.code, b.name, subject, b.colour, b.key, not b.is_state) for b in members
        )
    unknown = sorted({c for c in extra_codes if not scheme.has_behaviour(c)})
    if unknown:
        rows.append(TimelineRow(None, "Other codes", ""))
        rows.extend(TimelineRow(code, code, "", "#808080") for code in unknown)
    return rows


class _RowMarks:
    """Sorted arrays of one row: keys (start << 32 | id), starts, ids and ends."""

    __slots__ = ("ends", "ids", "keys", "ordered", "starts")

    def __init__(self, keys: np.ndarray, ends: np.ndarray) -> None:
        order = np.argsort(keys, kind="stable")
        self.keys = keys[order]
        self.ends = ends[order]
        self._derive()

    def _derive(self) -> None:
        self.starts = self.keys >> _ID_BITS
        self.ids = self.keys & _ID_MASK
        # Within a behaviour of a valid pass states never overlap, so ends rise with starts;
        # data imported from elsewhere may break that, and is then searched linearly.
        self.ordered = bool(np.all(self.ends[1:] >= self.ends[:-1]))

    def put(self, key: int, end: int) -> None:
        at = int(np.searchsorted(self.keys, key))
        self.keys = np.insert(self.keys, at, key)
        self.ends = np.insert(self.ends, at, end)
        self._derive()

    def drop(self, key: int) -> None:
        at = int(np.searchsorted(self.keys, key))
        if at < self.keys.size and self.keys[at] == key:
            self.keys = np.delete(self.keys, at)
            self.ends = np.delete(self.ends, at)
            self._derive()

    def span(self, first: int, last: int) -> slice:
        """Positions of marks that may overlap frames ``first`` .. ``last`` (exclusive)."""
        stop = int(np.searchsorted(self.starts, last, side="left"))
        start = int(np.searchsorted(self.ends, first, side="right")) if self.ordered else 0
        return slice(start, max(start, stop))


def _key(event: Event) -> int:
    assert event.id is not None
    if not 0 <= event.id <= _ID_MASK:
        raise ValueError(f"event id {event.id} is too large for the timeline index")
    return (event.onset.frame << _ID_BITS) | event.id


def _end(event: Event) -> int:
    if not event.is_state:
        return event.onset.frame + 1
    return OPEN if event.offset is None else event.offset.frame


class MarkIndex:
    """Where every event of a pass is drawn, by row, kept in step with ``Change``s."""

    def __init__(self, rows: list[TimelineRow], events: Iterable[Event] = ()) -> None:
        self._rows = rows
        self._row_of = {r.code: i for i, r in enumerate(rows) if r.code is not None}
        self._marks: dict[int, _RowMarks] = {}
        self._placed: dict[int, tuple[int, int, int]] = {}
        self._open: dict[int, int] = {}
        self.rebuild(events)

    @property
    def rows(self) -> list[TimelineRow]:
        return self._rows

    def row_of(self, code: str) -> int | None:
        """The row of behaviour ``code`` (None when it has none)."""
        return self._row_of.get(code)

    def rebuild(self, events: Iterable[Event]) -> None:
        """Index ``events`` from scratch."""
        keys: dict[int, list[int]] = {}
        ends: dict[int, list[int]] = {}
        self._placed.clear()
        self._open.clear()
        for event in events:
            row = self._row_of.get(event.behaviour)
            if row is None or event.id is None:
                continue
            key, end = _key(event), _end(event)
            keys.setdefault(row, []).append(key)
            ends.setdefault(row, []).append(end)
            self._placed[event.id] = (row, key, end)
            if end == OPEN:
                self._open[event.id] = row
        self._marks = {
            row: _RowMarks(
                np.array(keys.get(row, ()), np.int64), np.array(ends.get(row, ()), np.int64)
            )
            for row in self._row_of.values()
        }

    def update(self, records: Iterable[PutEvent]) -> set[int]:
        """Re-place the events of a change's ``records`` (``after`` None: deleted); returns
        the rows that changed."""
        touched: set[int] = set()
        for record in records:
            changed = record.after or record.before
            assert changed is not None
            event_id = changed.id or 0
            before = self._placed.pop(event_id, None)
            self._open.pop(event_id, None)
            if before is not None:
                row, key, _ = before
                self._marks[row].drop(key)
                touched.add(row)
            event = record.after
            row = None if event is None else self._row_of.get(event.behaviour)
            if event is None or row is None:
                continue
            key, end = _key(event), _end(event)
            self._marks[row].put(key, end)
            self._placed[event_id] = (row, key, end)
            if end == OPEN:
                self._open[event_id] = row
            touched.add(row)
        return touched

    def arrays(self, row: int, first: int, last: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(starts, ends, ids) of the marks of ``row`` overlapping frames ``first``..``last``."""
        marks = self._marks.get(row)
        if marks is None:
            empty = np.empty(0, np.int64)
            return empty, empty, empty
        span = marks.span(first, last)
        starts, ends, ids = marks.starts[span], marks.ends[span], marks.ids[span]
        if not marks.ordered:
            keep = (ends > first) & (starts < last)
            starts, ends, ids = starts[keep], ends[keep], ids[keep]
        return starts, ends, ids

    def mark(self, event_id: int) -> Mark | None:
        """The mark of one event, or None when it is not on the timeline."""
        placed = self._placed.get(event_id)
        if placed is None:
            return None
        row, key, end = placed
        info = self._rows[row]
        return Mark(event_id, row, key >> _ID_BITS, end, info.colour, info.is_point)

    def marks(self, first: int, last: int) -> list[Mark]:
        """Every mark overlapping frames ``first``..``last`` (exclusive), row by row."""
        found: list[Mark] = []
        for row in sorted(self._marks):
            info = self._rows[row]
            starts, ends, ids = self.arrays(row, first, last)
            found.extend(
                Mark(i, row, s, e, info.colour, info.is_point)
                for s, e, i in zip(starts.tolist(), ends.tolist(), ids.tolist(), strict=True)
            )
        return found

    def open_marks(self) -> list[Mark]:
        """The states that are still on."""
        marks = (self.mark(event_id) for event_id in self._open)
        return [m for m in marks if m is not None]

    def __len__(self) -> int:
        return len(self._placed)
