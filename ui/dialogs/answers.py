"""The plain answers the app's dialogs give back (made and read without any widget)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal


@dataclass(frozen=True, slots=True)
class ObservationRow:
    """One line of the observation picker (plain data, made by the caller)."""

    observation_id: int
    name: str
    participant: str
    videos: str
    duration: str
    status: str


@dataclass(frozen=True, slots=True)
class RelinkAnswer:
    """How the user wants a missing video found: search a folder, or this file."""

    kind: Literal["search", "file"]
    path: Path


@dataclass(frozen=True, slots=True)
class NewProjectAnswer:
    path: Path
    scheme: str | Path


@dataclass(frozen=True, slots=True)
class CoderAnswer:
    initials: str
    name: str = ""


@dataclass(frozen=True, slots=True)
class ObservationDraft:
    """What a lab lead says of an observation being added: its name, participant, visit,
    when it was recorded (ISO date, or date and clock time) and, for camera views, each
    view's offset in seconds against the first."""

    videos: tuple[Path, ...]
    name: str
    participant: str = ""
    visit: str = ""
    date: str = ""
    offsets_s: tuple[float, ...] = ()
