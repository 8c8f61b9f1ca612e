"""What the core asks of a project store, in domain objects (never rows or cursors).

:class:`CodingStore` is the part a coding :class:`~coder.coding.session.Session` writes through;
:class:`Store` is the whole backend a :class:`~coder.project.project.Project` fronts. The SQLite
file is the first backend; a shared PostgreSQL server for labs is meant to be the second, so no
caller may depend on SQLite.

Writes happen inside :meth:`CodingStore.transaction`: the outermost block commits durably
before it returns, or rolls back everything when it raises.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Protocol

from coder.model import Coder, CodingInfo, CodingStatus, Episode, Event, Media, Observation, Rating
from coder.scheme import Scheme
from coder.timebase import TimeBase


class StoreError(Exception):
    """A store that cannot be read or written; the message says which file and why."""


class DamagedFileError(StoreError):
    """A project whose stored content is damaged (it is never written to)."""


class CodingStore(Protocol):
    """The writes and reads of one coding pass."""

    def transaction(self) -> AbstractContextManager[None]:
        """A block of writes that commits as one, durably, when the outermost block exits."""
        ...

    def insert_event(self, coding_id: int, event: Event) -> int:
        """Store a new event and return its id; an event that has an id keeps it (redo)."""
        ...

    def insert_events(self, coding_id: int, events: Sequence[Event]) -> list[int]:
        """Store many new events at once (one batch); returns their ids in order."""
        ...

    def update_event(self, coding_id: int, event: Event) -> None: ...
    def delete_event(self, coding_id: int, event_id: int) -> None: ...
    def put_rating(self, coding_id: int, rating: Rating) -> None:
        """Insert or replace the rating of (scale, segment)."""
        ...

    def delete_rating(self, coding_id: int, scale: str, segment: str) -> None: ...
    def put_episode(self, coding_id: int, episode: Episode) -> None:
        """Insert or replace the episode with that code."""
        ...

    def delete_episode(self, coding_id: int, code: str) -> None: ...
    def set_status(self, coding_id: int, status: CodingStatus) -> None: ...

    def load_events(self, coding_id: int) -> list[Event]: ...
    def load_ratings(self, coding_id: int) -> list[Rating]: ...
    def load_episodes(self, coding_id: int) -> list[Episode]: ...
    def coding(self, coding_id: int) -> CodingInfo: ...
    def revision(self, coding_id: int) -> int:
        """A number every write to the pass raises (a copy of the pass that saw an older one
        is out of date)."""
        ...


class Store(CodingStore, Protocol):
    """A whole project's storage."""

    #: Whether a returned write survives the process (a file or a server; not memory).
    durable: bool
    #: Whether the store was opened for reading only (every write is refused).
    read_only: bool

    @property
    def location(self) -> str:
        """Where the project lives (a file path, or a server address)."""
        ...

    def close(self) -> None: ...

    # metadata
    def get_meta(self, key: str) -> str | None: ...
    def set_meta(self, key: str, value: str) -> None: ...

    # schemes
    def add_scheme(self, scheme: Scheme) -> int:
        """Store a scheme version (an equal one already stored is reused) and return its id."""
        ...

    def scheme(self, scheme_id: int) -> Scheme: ...
    def scheme_ids(self) -> list[int]: ...

    # observations and media
    def add_observation(
        self,
        name: str,
        media: Sequence[Media],
        timebases: Sequence[TimeBase | None],
        participant: str = "",
        visit: str = "",
        date: str = "",
        notes: str = "",
    ) -> Observation: ...

    def observations(self) -> list[Observation]: ...
    def observation(self, observation_id: int) -> Observation: ...
    def update_media(self, media: Media) -> None:
        """Change a medium's path, fingerprint or offset (relinking, camera sync)."""
        ...

    def timebase(self, media_id: int) -> TimeBase | None:
        """The per-frame times stored for a medium, if it was probed."""
        ...

    # coders and codings
    def ensure_coder(self, initials: str, name: str = "") -> Coder: ...
    def coders(self) -> list[Coder]: ...
    def find_coding(self, observation_id: int, coder_id: int) -> CodingInfo | None: ...
    def create_coding(self, observation_id: int, coder_id: int, scheme_id: int) -> CodingInfo: ...
    def codings(self, observation_id: int | None = None) -> list[CodingInfo]: ...
    def set_master(self, coding_id: int, is_master: bool) -> None: ...
    def set_coding_scheme(self, coding_id: int, scheme_id: int) -> None:
        """Move a coding pass to another stored scheme version."""
        ...

    # many passes at once (one query per table, for tables and reports)
    def events_by_pass(self, coding_ids: Collection[int] | None = None) -> dict[int, list[Event]]:
        """Events of the given passes (all when None), by pass; passes with none left out."""
        ...

    def ratings_by_pass(
        self, coding_ids: Collection[int] | None = None
    ) -> dict[int, list[Rating]]: ...
    def episodes_by_pass(
        self, coding_ids: Collection[int] | None = None
    ) -> dict[int, list[Episode]]: ...

    # counts (cheap summaries, without loading records)
    def event_counts(self) -> dict[int, int]:
        """Events per coding pass id (passes without events are left out)."""
        ...

    def rating_counts(self) -> dict[int, int]:
        """Ratings per coding pass id (passes without ratings are left out)."""
        ...

    # checks
    def storage_problems(self) -> Iterator[str]:
        """Problems the storage itself can see (corruption, rows that point nowhere)."""
        ...
