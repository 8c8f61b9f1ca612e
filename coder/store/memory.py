"""A coding store held in memory: the reference behaviour of :class:`CodingStore`.

It serves tests and scripts that want a session without a file. Transactions are all-or-nothing:
a block that raises leaves the store as it was (a journal of old values is replayed).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace

from coder.model import CodingInfo, CodingStatus, Episode, Event, Rating

_MISSING = object()


class MemoryCodingStore:
    """Events, ratings and episodes of any number of codings, in dictionaries."""

    def __init__(self, codings: list[CodingInfo] | None = None) -> None:
        self._codings = {c.id: c for c in codings or []}
        self._events: dict[int, dict[int, Event]] = {}
        self._ratings: dict[int, dict[tuple[str, str], Rating]] = {}
        self._episodes: dict[int, dict[str, Episode]] = {}
        self._revisions: dict[int, int] = {}
        self._next_id = 1
        self._depth = 0
        self._journal: list[tuple[dict, object, object]] = []
        self.commits = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        self._journal = []
        saved_id = self._next_id
        self._depth = 1
        try:
            yield
        except BaseException:
            for table, key, old in reversed(self._journal):
                if old is _MISSING:
                    table.pop(key, None)
                else:
                    table[key] = old
            self._next_id = saved_id
            raise
        finally:
            self._depth = 0
        self.commits += 1

    def _set(self, table: dict, key: object, value: object) -> None:
        """Write ``table[key]`` (``_MISSING`` deletes), remembering the old value for rollback."""
        if not self._depth:
            raise RuntimeError("writes must happen inside transaction()")
        self._journal.append((table, key, table.get(key, _MISSING)))
        if value is _MISSING:
            del table[key]
        else:
            table[key] = value

    def _bump(self, coding_id: int) -> None:
        self._set(self._revisions, coding_id, self.revision(coding_id) + 1)

    def revision(self, coding_id: int) -> int:
        return self._revisions.get(coding_id, 0)

    def insert_event(self, coding_id: int, event: Event) -> int:
        events = self._events.setdefault(coding_id, {})
        event_id = event.id if event.id is not None else self._next_id
        if event_id in events:
            raise KeyError(f"event {event_id} exists already")
        self._set(events, event_id, replace(event, id=event_id))
        self._next_id = max(self._next_id, event_id + 1)
        self._bump(coding_id)
        return event_id

    def update_event(self, coding_id: int, event: Event) -> None:
        assert event.id is not None
        if event.id not in self._events.get(coding_id, {}):
            raise KeyError(f"no event {event.id}")
        self._set(self._events[coding_id], event.id, event)
        self._bump(coding_id)

    def delete_event(self, coding_id: int, event_id: int) -> None:
        self._set(self._events[coding_id], event_id, _MISSING)
        self._bump(coding_id)

    def put_rating(self, coding_id: int, rating: Rating) -> None:
        self._set(self._ratings.setdefault(coding_id, {}), (rating.scale, rating.segment), rating)
        self._bump(coding_id)

    def delete_rating(self, coding_id: int, scale: str, segment: str) -> None:
        self._set(self._ratings[coding_id], (scale, segment), _MISSING)
        self._bump(coding_id)

    def put_episode(self, coding_id: int, episode: Episode) -> None:
        self._set(self._episodes.setdefault(coding_id, {}), episode.code, episode)
        self._bump(coding_id)

    def delete_episode(self, coding_id: int, code: str) -> None:
        self._set(self._episodes[coding_id], code, _MISSING)
        self._bump(coding_id)

    def set_status(self, coding_id: int, status: CodingStatus) -> None:
        self._set(self._codings, coding_id, replace(self._codings[coding_id], status=status))
        self._bump(coding_id)

    def load_events(self, coding_id: int) -> list[Event]:
        return sorted(self._events.get(coding_id, {}).values(), key=lambda e: e.id or 0)

    def load_ratings(self, coding_id: int) -> list[Rating]:
        return list(self._ratings.get(coding_id, {}).values())

    def load_episodes(self, coding_id: int) -> list[Episode]:
        return list(self._episodes.get(coding_id, {}).values())

    def coding(self, coding_id: int) -> CodingInfo:
        return self._codings[coding_id]
