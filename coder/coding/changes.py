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

    ``events`` holds the ids of events inserted, updated or deleted; ``ratings`` the
    (scale, segment) pairs; ``episodes`` the episode codes; ``status`` whether the pass's
    status changed. ``label`` names the command; ``kind`` is "do", "undo" or "redo".
    """

    label: str
    kind: str = "do"
    events: frozenset[int] = frozenset()
    ratings: frozenset[tuple[str, str]] = frozenset()
    episodes: frozenset[str] = frozenset()
    status: bool = False

    @classmethod
    def of(cls, label: str, kind: str, ops: tuple[Op, ...]) -> Change:
        events: set[int] = set()
        ratings: set[tuple[str, str]] = set()
        episodes: set[str] = set()
        status = False
        for op in ops:
            if isinstance(op, PutEvent):
                for event in (op.before, op.after):
                    if event is not None and event.id is not None:
                        events.add(event.id)
            elif isinstance(op, PutRating):
                ratings.add(op.key)
            elif isinstance(op, PutEpisode):
                episodes.add(op.code)
            else:
                status = True
        return cls(label, kind, frozenset(events), frozenset(ratings), frozenset(episodes), status)
