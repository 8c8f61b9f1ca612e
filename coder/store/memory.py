"""A whole project store in memory: the reference behaviour of :class:`~coder.store.base.Store`.

It serves tests, scripts and notebooks that want a project or a session without a file, and it
runs the same contract suite as the file store. Transactions are all-or-nothing: a block that
raises leaves the store as it was (a journal of old values is replayed). Nothing survives the
process, so :attr:`MemoryStore.durable` is false.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from coder.model import Coder, CodingInfo, CodingStatus, Episode, Event, Media, Observation, Rating
from coder.scheme import Scheme
from coder.store.base import StoreError
from coder.timebase import TimeBase

_MISSING = object()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="microseconds")


_Table = dict[Any, Any]


class MemoryStore:
    """Schemes, observations, coders and coding passes in dictionaries."""

    durable = False
    read_only = False

    def __init__(self, name: str = "memory") -> None:
        self._name = name
        self._meta: dict[str, str] = {}
        self._schemes: dict[int, Scheme] = {}
        self._observations: dict[int, Observation] = {}
        self._timebases: dict[int, TimeBase | None] = {}
        self._coders: dict[int, Coder] = {}
        self._codings: dict[int, CodingInfo] = {}
        self._events: dict[int, dict[int, Event]] = {}
        self._ratings: dict[int, dict[tuple[str, str], Rating]] = {}
        self._episodes: dict[int, dict[str, Episode]] = {}
        self._revisions: dict[int, int] = {}
        self._counters: dict[str, int] = {}
        self._depth = 0
        self._journal: list[tuple[_Table, object, object]] = []
        self._closed = False
        #: Outermost transactions committed (tests count them).
        self.commits = 0

    @classmethod
    def for_codings(cls, codings: Sequence[CodingInfo]) -> MemoryStore:
        """A store that holds just these passes (a session without a project, for tests)."""
        store = cls()
        for info in codings:
            store._codings[info.id] = info
            store._coders.setdefault(info.coder.id or 0, info.coder)
            store._counters["coding"] = max(store._counters.get("coding", 0), info.id)
        return store

    # ------------------------------------------------------------ life cycle
    @property
    def location(self) -> str:
        return f"<{self._name}>"

    def close(self) -> None:
        self._closed = True

    @contextmanager
    def transaction(self) -> Iterator[None]:
        if self._closed:
            raise StoreError(f"{self.location}: the project is closed")
        if self._depth:
            mark = len(self._journal)
            self._depth += 1
            try:
                yield
            except BaseException:
                self._roll_back(mark)
                raise
            finally:
                self._depth -= 1
            return
        self._journal = []
        saved = dict(self._counters)
        self._depth = 1
        try:
            yield
        except BaseException:
            self._roll_back(0)
            self._counters = saved
            raise
        finally:
            self._depth = 0
        self.commits += 1

    def _roll_back(self, mark: int) -> None:
        for table, key, old in reversed(self._journal[mark:]):
            if old is _MISSING:
                table.pop(key, None)
            else:
                table[key] = old
        del self._journal[mark:]

    def _set(self, table: _Table, key: object, value: object) -> None:
        """Write ``table[key]`` (``_MISSING`` deletes), remembering the old value for rollback."""
        if not self._depth:
            raise RuntimeError("writes must happen inside transaction()")
        self._journal.append((table, key, table.get(key, _MISSING)))
        if value is _MISSING:
            del table[key]
        else:
            table[key] = value

    def _next(self, counter: str, wanted: int | None = None) -> int:
        current = self._counters.get(counter, 0)
        new = wanted if wanted is not None else current + 1
        self._counters[counter] = max(current, new)
        return new

    def _coding_or_fail(self, coding_id: int) -> CodingInfo:
        self._reading()
        info = self._codings.get(coding_id)
        if info is None:
            raise StoreError(f"{self.location}: there is no coding pass {coding_id}")
        return info

    def _bump(self, coding_id: int) -> None:
        """A write to a pass: its revision and update time move."""
        info = self._coding_or_fail(coding_id)
        self._set(self._revisions, coding_id, self.revision(coding_id) + 1)
        self._set(self._codings, coding_id, replace(info, updated_at=_now()))

    def _reading(self) -> None:
        if self._closed:
            raise StoreError(f"{self.location}: the project is closed")

    def revision(self, coding_id: int) -> int:
        self._coding_or_fail(coding_id)
        return self._revisions.get(coding_id, 0)

    # ------------------------------------------------------------ events
    def insert_event(self, coding_id: int, event: Event) -> int:
        with self.transaction():
            self._bump(coding_id)
            events = self._events.setdefault(coding_id, {})
            if event.id is not None and any(event.id in e for e in self._events.values()):
                raise StoreError(f"{self.location}: event {event.id} exists already")
            event_id = self._next("event", event.id)
            self._set(events, event_id, replace(event, id=event_id))
        return event_id

    def insert_events(self, coding_id: int, events: Sequence[Event]) -> list[int]:
        with self.transaction():
            return [self.insert_event(coding_id, event) for event in events]

    def update_event(self, coding_id: int, event: Event) -> None:
        if event.id is None:
            raise ValueError("an event without an id cannot be updated")
        with self.transaction():
            if event.id not in self._events.get(coding_id, {}):
                raise StoreError(f"{self.location}: coding {coding_id} has no event {event.id}")
            self._bump(coding_id)
            self._set(self._events[coding_id], event.id, event)

    def delete_event(self, coding_id: int, event_id: int) -> None:
        with self.transaction():
            if event_id not in self._events.get(coding_id, {}):
                raise StoreError(f"{self.location}: coding {coding_id} has no event {event_id}")
            self._bump(coding_id)
            self._set(self._events[coding_id], event_id, _MISSING)

    def load_events(self, coding_id: int) -> list[Event]:
        self._reading()
        return sorted(self._events.get(coding_id, {}).values(), key=lambda e: (e.onset.us, e.id))

    def events_by_pass(self, coding_ids: Collection[int] | None = None) -> dict[int, list[Event]]:
        return {c: self.load_events(c) for c in self._selected(coding_ids, self._events)}

    def event_counts(self) -> dict[int, int]:
        return {c: len(e) for c, e in self._events.items() if e}

    # ------------------------------------------------------------ ratings and episodes
    def put_rating(self, coding_id: int, rating: Rating) -> None:
        with self.transaction():
            self._bump(coding_id)
            key = (rating.scale, rating.segment)
            self._set(self._ratings.setdefault(coding_id, {}), key, rating)

    def delete_rating(self, coding_id: int, scale: str, segment: str) -> None:
        with self.transaction():
            self._bump(coding_id)
            if (scale, segment) in self._ratings.get(coding_id, {}):
                self._set(self._ratings[coding_id], (scale, segment), _MISSING)

    def load_ratings(self, coding_id: int) -> list[Rating]:
        self._reading()
        return list(self._ratings.get(coding_id, {}).values())

    def ratings_by_pass(self, coding_ids: Collection[int] | None = None) -> dict[int, list[Rating]]:
        return {c: self.load_ratings(c) for c in self._selected(coding_ids, self._ratings)}

    def rating_counts(self) -> dict[int, int]:
        return {c: len(r) for c, r in self._ratings.items() if r}

    def put_episode(self, coding_id: int, episode: Episode) -> None:
        with self.transaction():
            self._bump(coding_id)
            self._set(self._episodes.setdefault(coding_id, {}), episode.code, episode)

    def delete_episode(self, coding_id: int, code: str) -> None:
        with self.transaction():
            self._bump(coding_id)
            if code in self._episodes.get(coding_id, {}):
                self._set(self._episodes[coding_id], code, _MISSING)

    def load_episodes(self, coding_id: int) -> list[Episode]:
        self._reading()
        return sorted(self._episodes.get(coding_id, {}).values(), key=lambda e: e.start.us)

    def episodes_by_pass(
        self, coding_ids: Collection[int] | None = None
    ) -> dict[int, list[Episode]]:
        return {c: self.load_episodes(c) for c in self._selected(coding_ids, self._episodes)}

    def _selected(self, coding_ids: Collection[int] | None, table: _Table) -> list[int]:
        wanted = table if coding_ids is None else [c for c in coding_ids if c in table]
        return [c for c in wanted if table[c]]

    # ------------------------------------------------------------ codings and coders
    def set_status(self, coding_id: int, status: CodingStatus) -> None:
        with self.transaction():
            info = self._coding_or_fail(coding_id)
            self._bump(coding_id)
            self._set(self._codings, coding_id, replace(info, status=CodingStatus(status)))

    def coding(self, coding_id: int) -> CodingInfo:
        return self._coding_or_fail(coding_id)

    def codings(self, observation_id: int | None = None) -> list[CodingInfo]:
        found = [
            c
            for c in self._codings.values()
            if observation_id is None or c.observation_id == observation_id
        ]
        return sorted(found, key=lambda c: (c.observation_id, c.id))

    def find_coding(self, observation_id: int, coder_id: int) -> CodingInfo | None:
        for info in self._codings.values():
            if info.observation_id == observation_id and info.coder.id == coder_id:
                return info
        return None

    def create_coding(self, observation_id: int, coder_id: int, scheme_id: int) -> CodingInfo:
        self._reading()
        if observation_id not in self._observations:
            raise StoreError(f"{self.location}: there is no observation {observation_id}")
        if coder_id not in self._coders or scheme_id not in self._schemes:
            raise StoreError(f"{self.location}: no coder {coder_id} or scheme {scheme_id}")
        if self.find_coding(observation_id, coder_id) is not None:
            raise StoreError(
                f"{self.location}: coder {self._coders[coder_id].initials} already has a pass "
                f"over observation {observation_id}"
            )
        with self.transaction():
            coding_id = self._next("coding")
            now = _now()
            coder = self._coders[coder_id]
            info = CodingInfo(
                coding_id, observation_id, coder, scheme_id, started_at=now, updated_at=now
            )
            self._set(self._codings, coding_id, info)
        return info

    def set_coding_scheme(self, coding_id: int, scheme_id: int) -> None:
        with self.transaction():
            info = self._coding_or_fail(coding_id)
            self._bump(coding_id)
            self._set(self._codings, coding_id, replace(info, scheme_id=scheme_id))

    def set_master(self, coding_id: int, is_master: bool) -> None:
        with self.transaction():
            info = self._coding_or_fail(coding_id)
            if is_master:
                for other in self.codings(info.observation_id):
                    if other.is_master:
                        self._set(self._codings, other.id, replace(other, is_master=False))
            self._set(self._codings, coding_id, replace(info, is_master=is_master))

    def ensure_coder(self, initials: str, name: str = "") -> Coder:
        initials = initials.strip()
        if not initials:
            raise ValueError("a coder needs initials")
        with self.transaction():
            for coder in self._coders.values():
                if coder.initials == initials:
                    if name and name != coder.name:
                        coder = replace(coder, name=name)
                        self._set(self._coders, coder.id, coder)
                    return coder
            coder = Coder(initials, name, self._next("coder"))
            self._set(self._coders, coder.id, coder)
        return coder

    def coders(self) -> list[Coder]:
        return sorted(self._coders.values(), key=lambda c: c.initials)

    # ------------------------------------------------------------ metadata and schemes
    def get_meta(self, key: str) -> str | None:
        return self._meta.get(key)

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._set(self._meta, key, value)

    def add_scheme(self, scheme: Scheme) -> int:
        for scheme_id, stored in self._schemes.items():
            if stored.content_hash == scheme.content_hash:
                return scheme_id
        with self.transaction():
            scheme_id = self._next("scheme")
            self._set(self._schemes, scheme_id, scheme)
        return scheme_id

    def scheme(self, scheme_id: int) -> Scheme:
        try:
            return self._schemes[scheme_id]
        except KeyError:
            raise StoreError(f"{self.location}: there is no stored scheme {scheme_id}") from None

    def scheme_ids(self) -> list[int]:
        return sorted(self._schemes)

    # ------------------------------------------------------------ observations and media
    def add_observation(
        self,
        name: str,
        media: Sequence[Media],
        timebases: Sequence[TimeBase | None],
        participant: str = "",
        visit: str = "",
        date: str = "",
        notes: str = "",
    ) -> Observation:
        if len(timebases) != len(media):
            raise ValueError("one time base (or None) per medium is needed")
        with self.transaction():
            observation_id = self._next("observation")
            stored: list[Media] = []
            for position, (medium, timebase) in enumerate(zip(media, timebases, strict=True)):
                media_id = self._next("media")
                stored.append(replace(medium, id=media_id, position=position))
                self._set(self._timebases, media_id, timebase)
            observation = Observation(
                observation_id, name, participant, visit, date, notes, tuple(stored)
            )
            self._set(self._observations, observation_id, observation)
        return observation

    def observations(self) -> list[Observation]:
        self._reading()
        return [self._observations[k] for k in sorted(self._observations)]

    def observation(self, observation_id: int) -> Observation:
        try:
            return self._observations[observation_id]
        except KeyError:
            raise StoreError(f"{self.location}: there is no observation {observation_id}") from None

    def update_media(self, media: Media) -> None:
        if media.id is None:
            raise ValueError("a medium without an id cannot be updated")
        for observation in self._observations.values():
            for old in observation.media:
                if old.id == media.id:
                    new = replace(
                        old,
                        path=media.path,
                        fingerprint=media.fingerprint,
                        size_bytes=media.size_bytes,
                        offset_us=media.offset_us,
                    )
                    others = tuple(new if m.id == media.id else m for m in observation.media)
                    with self.transaction():
                        self._set(
                            self._observations, observation.id, replace(observation, media=others)
                        )
                    return
        raise StoreError(f"{self.location}: there is no medium {media.id}")

    def timebase(self, media_id: int) -> TimeBase | None:
        if media_id not in self._timebases:
            raise StoreError(f"{self.location}: there is no medium {media_id}")
        return self._timebases[media_id]

    # ------------------------------------------------------------ checks
    def storage_problems(self) -> Iterator[str]:
        for info in self._codings.values():
            if info.observation_id not in self._observations:
                yield f"coding pass {info.id} points to no observation"
