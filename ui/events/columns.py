"""The event table's sort and filter values as NumPy columns, kept in step by each change.

Every event of a pass has a slot: its onset, id, end, duration and the codes of its behaviour
and subject sit at that slot in NumPy arrays, so that sorting the whole pass is one
``np.lexsort`` and filtering it one vectorised mask. The few events with a comment or modifiers
keep those texts in dictionaries. Nothing here is a copy of an event: :attr:`EventColumns.events`
holds references to the session's own (immutable) records. No Qt here.
"""

from __future__ import annotations

import enum
from bisect import bisect_left
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from coder.model import Event


class Column(enum.IntEnum):
    NUMBER = 0
    BEHAVIOUR = 1
    SUBJECT = 2
    ONSET = 3
    OFFSET = 4
    DURATION = 5
    MODIFIERS = 6
    COMMENT = 7


LAST = 1 << 62
"""Sort value of an offset or duration that is not known yet (open states sort last)."""
_ID_BITS = 32
_ID_LIMIT = 1 << _ID_BITS
_FRAME_LIMIT = 1 << 30


def onset_key(event: Event) -> tuple[int, int]:
    """The order of ``session.events``: onset frame, then id."""
    return event.onset.frame, event.id or 0


def end_frame(event: Event) -> int:
    """The offset frame; an open state's is :data:`LAST`, a point's its onset."""
    if event.offset is not None:
        return event.offset.frame
    return LAST if event.is_state else event.onset.frame


def duration(event: Event) -> int:
    """The duration in µs; -1 for a point, :data:`LAST` for an open state."""
    if not event.is_state:
        return -1
    return LAST if event.duration_us is None else event.duration_us


def modifiers_text(event: Event) -> str:
    return ", ".join(event.modifiers)


SORT_KEYS: dict[Column, Callable[[Event], tuple[Any, ...]]] = {
    Column.NUMBER: onset_key,
    Column.ONSET: onset_key,
    Column.BEHAVIOUR: lambda e: (e.behaviour, *onset_key(e)),
    Column.SUBJECT: lambda e: (e.subject, *onset_key(e)),
    Column.OFFSET: lambda e: (end_frame(e), *onset_key(e)),
    Column.DURATION: lambda e: (duration(e), *onset_key(e)),
    Column.MODIFIERS: lambda e: (modifiers_text(e), *onset_key(e)),
    Column.COMMENT: lambda e: (e.comment.casefold(), *onset_key(e)),
}
"""The order of each column as a Python key (ties by onset, then id); :meth:`sorted_slots`
gives the same order with NumPy."""


def _composite(event: Event) -> int:
    """Onset and id in one integer that sorts as :func:`onset_key` does."""
    event_id = event.id
    if event_id is None or not 0 <= event_id < _ID_LIMIT:
        raise ValueError(f"event id {event_id} cannot be listed (ids run from 0 to 2**32 - 1)")
    if not 0 <= event.onset.frame < _FRAME_LIMIT:
        raise ValueError(f"event {event_id} starts at frame {event.onset.frame}, out of range")
    return (event.onset.frame << _ID_BITS) | event_id


class EventColumns:
    """Per-slot arrays of a pass's events; ``label`` and ``subject_name`` give the texts the
    free-text filter looks in (already casefolded ones are cached)."""

    def __init__(
        self, label: Callable[[str], str], subject_name: Callable[[str], str], capacity: int = 64
    ) -> None:
        self._label = label
        self._subject_name = subject_name
        self._reset(capacity)

    def _reset(self, capacity: int) -> None:
        self.events: list[Event | None] = []
        self._slots: dict[int, int] = {}
        self._free: list[int] = []
        self.onset = np.zeros(capacity, np.int64)
        self.ident = np.zeros(capacity, np.int64)
        self.end = np.zeros(capacity, np.int64)
        self.duration = np.zeros(capacity, np.int64)
        self.behaviour = np.zeros(capacity, np.int32)
        self.subject = np.zeros(capacity, np.int32)
        self.alive = np.zeros(capacity, bool)
        self._codes: dict[str, int] = {}
        self._subjects: dict[str, int] = {}
        self._comments: dict[int, str] = {}
        self._modifiers: dict[int, tuple[str, ...]] = {}
        self._by_onset = np.empty(0, np.int64)

    def __len__(self) -> int:
        return len(self._slots)

    # ------------------------------------------------------------------ slots
    def slot_of(self, event_id: int | None) -> int | None:
        """The slot of event ``event_id``, or None when it is not listed."""
        return None if event_id is None else self._slots.get(event_id)

    def event(self, slot: int) -> Event:
        event = self.events[slot]
        assert event is not None
        return event

    def load(self, events: Iterable[Event]) -> None:
        """List ``events`` (in any order) in place of what was listed."""
        listed = list(events)
        capacity = max(64, len(listed) * 5 // 4)
        self._reset(capacity)
        for event in listed:
            self._write(self._new_slot(event), event)
        self._by_onset = np.sort(
            (self.onset[: len(listed)] << _ID_BITS) | self.ident[: len(listed)]
        )

    def add(self, event: Event) -> int:
        """List a new event; returns its slot."""
        if event.id in self._slots:
            raise ValueError(f"event {event.id} is listed already")
        slot = self._new_slot(event)
        self._write(slot, event)
        key = _composite(event)
        self._by_onset = np.insert(self._by_onset, np.searchsorted(self._by_onset, key), key)
        return slot

    def replace(self, slot: int, event: Event) -> None:
        """Put the new version of the event of ``slot`` there."""
        old = self._composite_at(slot)
        new = _composite(event)
        self._write(slot, event)
        if new != old:
            self._by_onset = np.delete(self._by_onset, np.searchsorted(self._by_onset, old))
            self._by_onset = np.insert(self._by_onset, np.searchsorted(self._by_onset, new), new)

    def drop(self, slot: int) -> None:
        """Forget the event of ``slot``."""
        event = self.event(slot)
        self._by_onset = np.delete(
            self._by_onset, np.searchsorted(self._by_onset, self._composite_at(slot))
        )
        del self._slots[event.id or 0]
        self.events[slot] = None
        self.alive[slot] = False
        self._comments.pop(slot, None)
        self._modifiers.pop(slot, None)
        self._free.append(slot)

    def ordinal(self, event: Event) -> int:
        """1 + how many listed events come before ``event`` by onset."""
        key = (event.onset.frame << _ID_BITS) | (event.id or 0)
        return int(self._by_onset.searchsorted(key)) + 1

    def _composite_at(self, slot: int) -> int:
        return (int(self.onset[slot]) << _ID_BITS) | int(self.ident[slot])

    def _new_slot(self, event: Event) -> int:
        _composite(event)  # refuse what cannot be listed before anything is written
        if self._free:
            slot = self._free.pop()
        else:
            slot = len(self.events)
            self.events.append(None)
            if slot >= self.alive.size:
                self._grow(max(64, slot * 2))
        assert event.id is not None
        self._slots[event.id] = slot
        return slot

    def _grow(self, capacity: int) -> None:
        for name in ("onset", "ident", "end", "duration", "behaviour", "subject", "alive"):
            old = getattr(self, name)
            new = np.zeros(capacity, old.dtype)
            new[: old.size] = old
            setattr(self, name, new)

    def _write(self, slot: int, event: Event) -> None:
        self.events[slot] = event
        self.onset[slot] = event.onset.frame
        self.ident[slot] = event.id or 0
        self.end[slot] = end_frame(event)
        self.duration[slot] = duration(event)
        self.behaviour[slot] = self._codes.setdefault(event.behaviour, len(self._codes))
        self.subject[slot] = self._subjects.setdefault(event.subject, len(self._subjects))
        self.alive[slot] = True
        if event.comment:
            self._comments[slot] = event.comment.casefold()
        else:
            self._comments.pop(slot, None)
        if event.modifiers:
            self._modifiers[slot] = tuple(m.casefold() for m in event.modifiers)
        else:
            self._modifiers.pop(slot, None)

    # ------------------------------------------------------------------ order
    def key(self, column: Column) -> Callable[[int], tuple[Any, ...]]:
        """The Python sort key of a slot by ``column`` (what :meth:`position` bisects with)."""
        by_event = SORT_KEYS[column]
        return lambda slot: by_event(self.events[slot])  # type: ignore[arg-type]

    def sorted_slots(self, column: Column) -> np.ndarray:
        """Every listed slot in the order of ``column`` (ascending)."""
        size = len(self.events)
        slots = np.flatnonzero(self.alive[:size])
        primary = self._primary(column, slots)
        keys = [self.ident[slots], self.onset[slots]]
        if primary is not None:
            keys.append(primary)
        return slots[np.lexsort(keys)]

    def _primary(self, column: Column, slots: np.ndarray) -> np.ndarray | None:
        if column in (Column.NUMBER, Column.ONSET):
            return None
        if column == Column.OFFSET:
            return self.end[slots]
        if column == Column.DURATION:
            return self.duration[slots]
        if column in (Column.BEHAVIOUR, Column.SUBJECT):
            codes = self._codes if column == Column.BEHAVIOUR else self._subjects
            rank = np.zeros(max(1, len(codes)), np.int64)
            for order, code in enumerate(sorted(codes)):
                rank[codes[code]] = order
            values = self.behaviour if column == Column.BEHAVIOUR else self.subject
            return rank[values[slots]]
        texts: dict[int, str]
        if column == Column.COMMENT:
            texts = self._comments
        else:
            texts = {s: modifiers_text(self.event(s)) for s in self._modifiers}
        ranks = {text: order + 1 for order, text in enumerate(sorted(set(texts.values())))}
        whole = np.zeros(self.alive.size, np.int64)  # no text: rank 0, before any text
        if texts:
            whole[np.fromiter(texts, np.int64, len(texts))] = np.fromiter(
                (ranks[t] for t in texts.values()), np.int64, len(texts)
            )
        return whole[slots]

    @staticmethod
    def position(slots: np.ndarray, key: tuple[Any, ...], by: Callable[[int], Any]) -> int:
        """Where ``key`` goes in ``slots`` sorted by ``by``."""
        return bisect_left(slots, key, key=by)  # type: ignore[arg-type]

    # ------------------------------------------------------------------ filter
    def mask(self, behaviour: str | None, subject: str | None, text: str) -> np.ndarray:
        """Which slots show under the filter (``text`` casefolded; empty: any)."""
        keep = self.alive.copy()
        if behaviour is not None:
            code = self._codes.get(behaviour)
            keep &= False if code is None else self.behaviour == code
        if subject is not None:
            code = self._subjects.get(subject)
            keep &= False if code is None else self.subject == code
        if text:
            keep &= self._text_mask(text)
        return keep

    def _text_mask(self, text: str) -> np.ndarray:
        codes = [i for code, i in self._codes.items() if text in self._label(code)]
        subjects = [i for code, i in self._subjects.items() if text in self._subject_name(code)]
        found = np.isin(self.behaviour, codes) | np.isin(self.subject, subjects)
        hits = [s for s, comment in self._comments.items() if text in comment]
        hits += [s for s, mods in self._modifiers.items() if any(text in m for m in mods)]
        if hits:
            found[np.array(hits, np.int64)] = True
        return found

    def accepts(self, event: Event, behaviour: str | None, subject: str | None, text: str) -> bool:
        """Whether ``event`` shows under the filter (as :meth:`mask` judges)."""
        if behaviour is not None and event.behaviour != behaviour:
            return False
        if subject is not None and event.subject != subject:
            return False
        return not text or self.matches_text(event, text)

    def matches_text(self, event: Event, text: str) -> bool:
        """Whether casefolded ``text`` is in the event's code and name, subject, comment or
        modifiers."""
        return (
            text in self._label(event.behaviour)
            or text in self._subject_name(event.subject)
            or (bool(event.comment) and text in event.comment.casefold())
            or any(text in m.casefold() for m in event.modifiers)
        )
