"""The events of a coding pass, indexed so that a command costs the same late in a pass."""

from __future__ import annotations

import math
from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator

from coder.model import Event


class EventIndex:
    """Events by id, in onset order, per behaviour (a lane), and the open state of each code."""

    def __init__(self, events: Iterable[Event] = ()) -> None:
        self._by_id: dict[int, Event] = {}
        self._order: list[tuple[int, int]] = []
        self._lanes: dict[str, list[tuple[int, int]]] = {}
        self._open: dict[str, int] = {}
        self._ordered: tuple[Event, ...] | None = None
        for event in events:
            self.add(event)

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, event_id: object) -> bool:
        return event_id in self._by_id

    def __iter__(self) -> Iterator[Event]:
        return iter(self.ordered())

    def get(self, event_id: int) -> Event:
        """The event with ``event_id``; KeyError when there is none."""
        return self._by_id[event_id]

    def add(self, event: Event) -> None:
        if event.id is None:
            raise ValueError("only stored events (with an id) can be indexed")
        key = (event.onset.frame, event.id)
        self._by_id[event.id] = event
        insort(self._order, key)
        insort(self._lanes.setdefault(event.behaviour, []), key)
        if event.is_open:
            self._open[event.behaviour] = event.id
        self._ordered = None

    def remove(self, event: Event) -> None:
        assert event.id is not None
        stored = self._by_id.pop(event.id)
        key = (stored.onset.frame, stored.id)
        del self._order[bisect_left(self._order, key)]
        lane = self._lanes[stored.behaviour]
        del lane[bisect_left(lane, key)]
        if self._open.get(stored.behaviour) == stored.id:
            del self._open[stored.behaviour]
        self._ordered = None

    def ordered(self) -> tuple[Event, ...]:
        """All events by onset frame, then id (cached until the next change)."""
        if self._ordered is None:
            by_id = self._by_id
            self._ordered = tuple(by_id[i] for _, i in self._order)
        return self._ordered

    def open_event(self, code: str) -> Event | None:
        event_id = self._open.get(code)
        return None if event_id is None else self._by_id[event_id]

    def open_events(self) -> tuple[Event, ...]:
        found = [self._by_id[i] for i in self._open.values()]
        return tuple(sorted(found, key=lambda e: (e.onset.frame, e.id or 0)))

    def overlapping(self, code: str, onset: int, end: float, ignore: set[int]) -> Event | None:
        """An event of ``code`` whose span meets ``[onset, end)``, if any.

        Spans of one code never overlap each other, so among the events starting before
        ``end`` only the latest (that is not ignored) can reach past ``onset``.
        """
        lane = self._lanes.get(code, [])
        position = bisect_left(lane, (math.ceil(end), -1))
        for place in range(position - 1, -1, -1):  # no slice: a copy would cost O(n)
            event_id = lane[place][1]
            if event_id in ignore:
                continue
            other = self._by_id[event_id]
            other_end = other.offset.frame if other.offset else math.inf
            if not other.is_state:
                continue
            return other if other_end > onset else None
        return None
