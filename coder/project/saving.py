"""What a coding session writes through: the project's store, with every failed write made a
:class:`NotSavedError` and told to whoever watches the project's saves.

A session writes first and changes what it shows only after the store committed
(:meth:`coder.coding.pass_base.PassBase._write`), so a refused write leaves screen and disk
alike. :class:`SavingStore` makes such a refusal a :class:`~coder.coding.errors.SessionError`
(every view already reports those) and tells the :class:`SaveWatchers` of the project, so the app
can say at once that nothing was saved and keep saying it until a write succeeds again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager

from coder.coding.errors import SessionError
from coder.model import CodingInfo, CodingStatus, Episode, Event, Rating
from coder.store.base import CodingStore, StoreError

#: Called after each outermost write: with None when it was saved, else with what failed.
SaveListener = Callable[["NotSavedError | None"], None]


class NotSavedError(SessionError, StoreError):
    """A command that could not be written to the project (nothing of it was applied).

    A :class:`SessionError` for the views, which report those, and a :class:`StoreError` for
    callers that tell a store's failures from a refused command."""


class SaveWatchers:
    """The listeners of one project's saves."""

    def __init__(self) -> None:
        self._listeners: list[SaveListener] = []
        #: The failure of the last write, or None when it was saved.
        self.last_failure: NotSavedError | None = None

    def add(self, listener: SaveListener) -> Callable[[], None]:
        """Call ``listener`` after every write; returns a function that stops it."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener) if listener in self._listeners else None

    def tell(self, failure: NotSavedError | None) -> None:
        self.last_failure = failure
        for listener in list(self._listeners):
            listener(failure)


class SavingStore:
    """A :class:`CodingStore` whose failed writes raise :class:`NotSavedError` and are told."""

    def __init__(self, store: CodingStore, watchers: SaveWatchers) -> None:
        self._store = store
        self._watchers = watchers
        self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        self._depth += 1
        outermost = self._depth == 1
        try:
            with self._store.transaction():
                yield
        except NotSavedError as refused:
            if outermost:
                self._watchers.tell(refused)
            raise
        except StoreError as exc:
            failure = NotSavedError(f"not saved: {exc}")
            if outermost:
                self._watchers.tell(failure)
            raise failure from exc
        finally:
            self._depth -= 1
        if outermost:
            self._watchers.tell(None)

    def _guard(self, action: Callable[[], object]) -> object:
        try:
            return action()
        except StoreError as exc:
            raise NotSavedError(f"not saved: {exc}") from exc

    # writes (inside transaction(), whose failure is told once)
    def insert_event(self, coding_id: int, event: Event) -> int:
        return _int(self._guard(lambda: self._store.insert_event(coding_id, event)))

    def insert_events(self, coding_id: int, events: Sequence[Event]) -> list[int]:
        found = self._guard(lambda: self._store.insert_events(coding_id, events))
        assert isinstance(found, list)
        return [int(i) for i in found]

    def update_event(self, coding_id: int, event: Event) -> None:
        self._guard(lambda: self._store.update_event(coding_id, event))

    def delete_event(self, coding_id: int, event_id: int) -> None:
        self._guard(lambda: self._store.delete_event(coding_id, event_id))

    def put_rating(self, coding_id: int, rating: Rating) -> None:
        self._guard(lambda: self._store.put_rating(coding_id, rating))

    def delete_rating(self, coding_id: int, scale: str, segment: str) -> None:
        self._guard(lambda: self._store.delete_rating(coding_id, scale, segment))

    def put_episode(self, coding_id: int, episode: Episode) -> None:
        self._guard(lambda: self._store.put_episode(coding_id, episode))

    def delete_episode(self, coding_id: int, code: str) -> None:
        self._guard(lambda: self._store.delete_episode(coding_id, code))

    def set_status(self, coding_id: int, status: CodingStatus) -> None:
        self._guard(lambda: self._store.set_status(coding_id, status))

    # reads
    def load_events(self, coding_id: int) -> list[Event]:
        return self._store.load_events(coding_id)

    def load_ratings(self, coding_id: int) -> list[Rating]:
        return self._store.load_ratings(coding_id)

    def load_episodes(self, coding_id: int) -> list[Episode]:
        return self._store.load_episodes(coding_id)

    def coding(self, coding_id: int) -> CodingInfo:
        return self._store.coding(coding_id)

    def revision(self, coding_id: int) -> int:
        return _int(self._guard(lambda: self._store.revision(coding_id)))


def _int(value: object) -> int:
    assert isinstance(value, int)
    return value
