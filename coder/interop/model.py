"""What an importer reads from another tool's file, before anything is written.

Readers turn a file into an :class:`Interchange`: the scheme the file brings (or None), and one
:class:`PassData` per coding pass with exact times in µs. Frames are not known here: they come
from the observation's video when the import is applied (:mod:`coder.interop.importer`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from coder.scheme import Scheme


@dataclass(frozen=True, slots=True)
class MediaRef:
    """A video the file names, with what the file says of it (``None`` where it says nothing)."""

    path: str
    fps: float | None = None
    duration_us: int | None = None
    offset_us: int = 0


@dataclass(frozen=True, slots=True)
class TimedEvent:
    """One event with exact times; ``code`` is a behaviour of the file's scheme and
    ``source_code`` the file's own name for it (what a ``--map`` file names)."""

    code: str
    onset_us: int
    offset_us: int | None
    is_state: bool
    modifiers: tuple[str, ...] = ()
    comment: str = ""
    source_code: str = ""
    place: str = ""


@dataclass(frozen=True, slots=True)
class TimedRating:
    scale: str
    segment: str
    value: float
    place: str = ""


@dataclass(frozen=True, slots=True)
class PassData:
    """One coder's pass over one observation, as the file holds it."""

    observation: str
    coder: str
    media: tuple[MediaRef, ...]
    events: tuple[TimedEvent, ...]
    ratings: tuple[TimedRating, ...] = ()
    participant: str = ""
    date: str = ""
    notes: str = ""
    place: str = ""


@dataclass(frozen=True)
class Interchange:
    """A whole file read and checked: its scheme, its passes, and notes for the user
    (remapped keys, exclusions Attune cannot keep)."""

    kind: str
    source: Path
    digest: str
    scheme: Scheme | None
    passes: tuple[PassData, ...]
    notes: tuple[str, ...] = ()
    #: The file's own code (and subject-qualified ``code@subject``) → the scheme's code.
    aliases: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TidyOptions:
    """How a tidy CSV/XLSX file is read: ``columns`` maps our field names (observation, coder,
    code, onset, offset, subject, modifiers, status, comment, media) to the file's headers;
    ``time_unit`` is ``"s"`` or ``"frames"`` (frames need ``fps``)."""

    columns: Mapping[str, str] = field(default_factory=dict)
    time_unit: str = "s"
    fps: float | None = None
