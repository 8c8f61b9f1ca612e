"""The atomic, invertible writes that coding commands are made of, and the change they report.

A command is planned against the current state into a tuple of :data:`Op` values. Applying the
ops writes them to the store in one transaction and then to the session's memory; undo applies
their inverses in reverse order. Each op holds the record before and after, so it is its own
undo information and nothing is deep-copied.
"""

from __future__ import annotations

from dataclasses import dataclass

from coder.model import CodingStatus, Episode, Event, Rating


@dataclass(frozen=True, slots=True)
class PutEvent:
    """Insert (``before`` is None), update, or delete (``after`` is None) one event."""

    before: Event | None
    after: Event | None

    def inverse(self) -> PutEvent:
        return PutEvent(self.after, self.before)


@dataclass(frozen=True, slots=True)
class PutRating:
    """Set, change or clear the rating of one (scale, segment)."""

    before: Rating | None
    after: Rating | None

    def inverse(self) -> PutRating:
        return PutRating(self.after, self.before)

    @property
    def key(self) -> tuple[str, str]:
        rating = self.after or self.before
        assert rating is not None
        return rating.scale, rating.segment


@dataclass(frozen=True, slots=True)
class PutEpisode:
    """Mark, move or remove one episode."""

    before: Episode | None
    after: Episode | None

    def inverse(self) -> PutEpisode:
        return PutEpisode(self.after, self.before)

    @property
    def code(self) -> str:
        episode = self.after or self.before
        assert episode is not None
        return episode.code


@dataclass(frozen=True, slots=True)
class SetStatus:
    before: CodingStatus
    after: CodingStatus

    def inverse(self) -> SetStatus:
        return SetStatus(self.after, self.before)


Op = PutEvent | PutRating | PutEpisode | SetStatus


@dataclass(frozen=True, slots=True)
class Change:
    """What one command (or its undo/redo) changed, for views to update only what they show.

    ``records`` holds each touched event once, as it was before the command and as it is
    after it (``before`` None: inserted; ``after`` None: deleted), so a view can update
    itself without asking the session or keeping its own copy. ``events`` is the set of
    their ids; ``ratings`` the (scale, segment) pairs; ``episodes`` the episode codes;
    ``status`` whether the pass's status changed. ``label`` names the command; ``kind`` is
    "do", "undo" or "redo".
    """

    label: str
    kind: str = "do"
    records: tuple[PutEvent, ...] = ()
    ratings: frozenset[tuple[str, str]] = frozenset()
    episodes: frozenset[str] = frozenset()
    status: bool = False

    @property
    def events(self) -> frozenset[int]:
        """Ids of the events inserted, updated or deleted."""
        return frozenset(_event_id(record) for record in self.records)

    @classmethod
    def of(cls, label: str, kind: str, ops: tuple[Op, ...]) -> Change:
        """The change made by ``ops`` as they were applied (an undo passes the inverses)."""
        first: dict[int, Event | None] = {}
        last: dict[int, Event | None] = {}
        ratings: set[tuple[str, str]] = set()
        episodes: set[str] = set()
        status = False
        for op in ops:
            if isinstance(op, PutEvent):
                event_id = _event_id(op)
                first.setdefault(event_id, op.before)
                last[event_id] = op.after
            elif isinstance(op, PutRating):
                ratings.add(op.key)
            elif isinstance(op, PutEpisode):
                episodes.add(op.code)
            else:
                status = True
        records = tuple(
            PutEvent(first[i], last[i])
            for i in first
            if first[i] is not None or last[i] is not None
        )
        return cls(label, kind, records, frozenset(ratings), frozenset(episodes), status)


def _event_id(op: PutEvent) -> int:
    event = op.after or op.before
    if event is None or event.id is None:
        raise ValueError("a change is made of stored events (with ids)")
    return event.id
