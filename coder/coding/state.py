"""What a coding pass holds in memory, and how a command's ops reach the store and that memory.

:func:`write_ops` commits a command's :data:`~coder.coding.changes.Op` values to a
:class:`~coder.store.base.CodingStore` in one transaction; :meth:`PassState.apply` then applies
them to the records a :class:`~coder.coding.session.Session` shows. Writing first means that memory
only ever shows what is on disk.
"""

from __future__ import annotations

from coder.coding.changes import Op, PutEpisode, PutEvent, PutRating
from coder.coding.event_index import EventIndex
from coder.model import CodingInfo, CodingStatus, Episode, Rating
from coder.store.base import CodingStore


class PassState:
    """The events (indexed), ratings, episodes and status of one pass."""

    __slots__ = ("episodes", "events", "ratings", "status")

    def __init__(
        self,
        events: EventIndex,
        ratings: dict[tuple[str, str], Rating],
        episodes: dict[str, Episode],
        status: CodingStatus,
    ) -> None:
        self.events = events
        self.ratings = ratings
        self.episodes = episodes
        self.status = status

    @classmethod
    def load(cls, store: CodingStore, coding: CodingInfo) -> PassState:
        """The stored records of ``coding``."""
        return cls(
            EventIndex(store.load_events(coding.id)),
            {(r.scale, r.segment): r for r in store.load_ratings(coding.id)},
            {e.code: e for e in store.load_episodes(coding.id)},
            coding.status,
        )

    def apply(self, op: Op) -> None:
        """Make memory match ``op`` (already written to the store)."""
        if isinstance(op, PutEvent):
            if op.before is not None:
                self.events.remove(op.before)
            if op.after is not None:
                self.events.add(op.after)
        elif isinstance(op, PutRating):
            if op.after is None:
                del self.ratings[op.key]
            else:
                self.ratings[op.key] = op.after
        elif isinstance(op, PutEpisode):
            if op.after is None:
                del self.episodes[op.code]
            else:
                self.episodes[op.code] = op.after
        else:
            self.status = op.after


def write_ops(store: CodingStore, coding_id: int, ops: tuple[Op, ...]) -> tuple[Op, ...]:
    """Commit ``ops`` to ``store`` in one transaction; returns them, new events with their ids.

    A run of new events is stored in one batch. When a write raises, the transaction rolls
    back and nothing of ``ops`` is stored.
    """
    done: list[Op] = []
    with store.transaction():
        start = 0
        while start < len(ops):
            end = start
            while end < len(ops) and _is_insert(ops[end]):
                end += 1
            if end > start:
                news = [op.after for op in ops[start:end] if isinstance(op, PutEvent) and op.after]
                ids = store.insert_events(coding_id, news)
                stored = zip(news, ids, strict=True)
                done.extend(PutEvent(None, event.with_id(i)) for event, i in stored)
                start = end
                continue
            done.append(_write_one(store, coding_id, ops[start]))
            start += 1
    return tuple(done)


def _is_insert(op: Op) -> bool:
    return isinstance(op, PutEvent) and op.before is None and op.after is not None


def _write_one(store: CodingStore, coding_id: int, op: Op) -> Op:
    if isinstance(op, PutEvent):
        if op.after is None:
            assert op.before is not None
            assert op.before.id is not None
            store.delete_event(coding_id, op.before.id)
        else:
            store.update_event(coding_id, op.after)
    elif isinstance(op, PutRating):
        if op.after is None:
            store.delete_rating(coding_id, *op.key)
        else:
            store.put_rating(coding_id, op.after)
    elif isinstance(op, PutEpisode):
        if op.after is None:
            store.delete_episode(coding_id, op.code)
        else:
            store.put_episode(coding_id, op.after)
    else:
        store.set_status(coding_id, op.after)
    return op
