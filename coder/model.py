"""The records of a project, as frozen dataclasses.

Times are integers: microseconds of media presentation time plus the index of the frame that
was on screen. Seconds are a presentation detail of exporters and widgets.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


class CodingStatus(enum.StrEnum):
    IN_PROGRESS = "in_progress"
    DONE = "done"


@dataclass(frozen=True, slots=True)
class Stamp:
    """One instant of a video: the frame on screen and its presentation time."""

    frame: int
    us: int

    @property
    def seconds(self) -> float:
        return self.us / 1e6


@dataclass(frozen=True, slots=True)
class Event:
    """A coded behaviour: a state (onset and offset) or a point (onset only).

    A state is on from its onset frame up to, not including, its offset frame; ``offset`` is
    ``None`` while the state is open. ``id`` is ``None`` until the store assigns one.
    """

    behaviour: str
    subject: str
    onset: Stamp
    offset: Stamp | None = None
    is_state: bool = True
    modifiers: tuple[str, ...] = ()
    comment: str = ""
    id: int | None = None

    @property
    def is_open(self) -> bool:
        return self.is_state and self.offset is None

    def with_id(self, event_id: int | None) -> Event:
        """The same event under ``event_id`` (cheaper than ``dataclasses.replace``)."""
        return Event(
            self.behaviour, self.subject, self.onset, self.offset, self.is_state,
            self.modifiers, self.comment, event_id,
        )  # fmt: skip

    @property
    def duration_us(self) -> int | None:
        return None if self.offset is None else self.offset.us - self.onset.us

    def covers(self, frame: int) -> bool:
        """Whether a state is on at ``frame`` (open states extend to the end)."""
        if not self.is_state:
            return frame == self.onset.frame
        end = self.offset.frame if self.offset is not None else None
        return self.onset.frame <= frame and (end is None or frame < end)


@dataclass(frozen=True, slots=True)
class Rating:
    """A value of one rating scale for one segment, in one coding pass."""

    scale: str
    segment: str
    value: float
    comment: str = ""


@dataclass(frozen=True, slots=True)
class Episode:
    """A named span of an observation marked by a coder (e.g. a Strange Situation episode).

    ``end`` is exclusive and ``None`` while the episode is still running.
    """

    code: str
    start: Stamp
    end: Stamp | None = None

    @property
    def is_open(self) -> bool:
        return self.end is None


@dataclass(frozen=True, slots=True)
class Segment:
    """A span that ratings refer to: the whole session, a fixed interval, or an episode."""

    code: str
    label: str
    start_us: int
    end_us: int | None


@dataclass(frozen=True, slots=True)
class Coder:
    initials: str
    name: str = ""
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Media:
    """One video file of an observation.

    ``path`` is relative to the project file where possible; ``fingerprint`` identifies the
    content so that a moved file can be found again; ``offset_us`` aligns cameras.
    """

    path: str
    fingerprint: str
    size_bytes: int
    duration_us: int
    frame_count: int
    fps: float
    width: int = 0
    height: int = 0
    has_audio: bool = False
    variable_frame_rate: bool = False
    offset_us: int = 0
    position: int = 0
    id: int | None = None


@dataclass(frozen=True, slots=True)
class Observation:
    """One recorded session with its media (the first medium is the time reference)."""

    id: int
    name: str
    participant: str = ""
    visit: str = ""
    date: str = ""
    """When it was recorded: an ISO date, or date and clock time of the recording's start
    (``2026-03-04T10:15:30.250``, as cameras write it), which gives clock times."""
    notes: str = ""
    media: tuple[Media, ...] = ()

    @property
    def recording_start(self) -> datetime | None:
        """The clock time at which the first medium's time 0 was recorded, if ``date`` has one."""
        return recording_start(self.date)


def recording_start(date: str) -> datetime | None:
    """``date`` as a clock time when it holds a time of day (ISO 8601), else None."""
    text = date.strip()
    if "T" not in text and " " not in text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


@dataclass(frozen=True, slots=True)
class CodingInfo:
    """One coder's pass over one observation with one scheme version."""

    id: int
    observation_id: int
    coder: Coder
    scheme_id: int
    status: CodingStatus = CodingStatus.IN_PROGRESS
    is_master: bool = False
    started_at: str = ""
    updated_at: str = ""
