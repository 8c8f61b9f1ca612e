"""Read-only records of coding passes, for exports, reports and merges.

A :class:`PassRecord` is a frozen picture of one pass: its events, ratings and episodes, the
scheme version it was coded with, its observation and the media's time bases. Loading one
never writes, migrates or moves a pass to another scheme version; :func:`load_passes` reads
many passes with one query per table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coder.coding.segments import rating_segments
from coder.model import CodingInfo, CodingStatus, Episode, Event, Observation, Rating, Segment
from coder.scheme import Scheme
from coder.store.base import Store
from coder.timebase import TimeBase


@dataclass(frozen=True, slots=True)
class PassRecord:
    """One coder's pass over one observation, as stored (read-only)."""

    info: CodingInfo
    observation: Observation
    scheme: Scheme
    timebases: tuple[TimeBase, ...]
    events: tuple[Event, ...]
    ratings: tuple[Rating, ...]
    episodes: tuple[Episode, ...]

    @property
    def coding_id(self) -> int:
        return self.info.id

    @property
    def coder(self) -> str:
        """The coder's initials."""
        return self.info.coder.initials

    @property
    def status(self) -> CodingStatus:
        return self.info.status

    @property
    def timebase(self) -> TimeBase:
        """The time base of the first medium, which frames refer to."""
        return self.timebases[0]

    @property
    def duration_us(self) -> int:
        """The end of the media: where a state still open counts to."""
        return self.timebase.duration_us

    def segments(self, scale: str) -> list[Segment]:
        """The segments ``scale`` is rated on in this pass (session, intervals, episodes)."""
        episodes = {e.code: e for e in self.episodes}
        return rating_segments(self.scheme, self.scheme.scale(scale), self.duration_us, episodes)


def media_timebases(store: Store, observation: Observation) -> tuple[TimeBase, ...]:
    """The stored frame times of each medium (constant ones where none were stored)."""
    found = []
    for medium in observation.media:
        stored = store.timebase(medium.id or 0) if medium.id is not None else None
        found.append(stored or TimeBase.constant(medium.frame_count, medium.fps))
    return tuple(found)


def load_passes(store: Store, infos: Sequence[CodingInfo]) -> list[PassRecord]:
    """The records of ``infos``, in their order: one query per table, each scheme and time
    base read once."""
    ids = [info.id for info in infos]
    events = store.events_by_pass(ids)
    ratings = store.ratings_by_pass(ids)
    episodes = store.episodes_by_pass(ids)
    observations: dict[int, Observation] = {}
    timebases: dict[int, tuple[TimeBase, ...]] = {}
    schemes: dict[int, Scheme] = {}
    records = []
    for info in infos:
        obs_id = info.observation_id
        if obs_id not in observations:
            observations[obs_id] = store.observation(obs_id)
            timebases[obs_id] = media_timebases(store, observations[obs_id])
        if info.scheme_id not in schemes:
            schemes[info.scheme_id] = store.scheme(info.scheme_id)
        pass_events = sorted(events.get(info.id, ()), key=lambda e: (e.onset.frame, e.id or 0))
        records.append(
            PassRecord(
                info,
                observations[obs_id],
                schemes[info.scheme_id],
                timebases[obs_id] or (TimeBase.constant(0, 25.0),),
                tuple(pass_events),
                tuple(ratings.get(info.id, ())),
                tuple(episodes.get(info.id, ())),
            )
        )
    return records
