"""Typed user settings over ``QSettings``: who codes, recent projects, keys, layout, places.

Nothing is read or written when this module is imported. The app makes one
:class:`AppSettings` over the platform's settings store (after it has set the application's
name and organisation); tests make a fresh one over a temporary file with
:meth:`AppSettings.in_file`. Values are stored as plain text or JSON, so an INI file on any
platform reads the same, and a value that cannot be read falls back to its default.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

from coder.keys import ACTIONS_BY_ID, default_keymap, normalize_key
from coder.store.factory import is_server

VERSION = 1
"""Layout of the stored settings (for migrations of later versions)."""
MAX_RECENT = 10


@dataclass(frozen=True, slots=True)
class Place:
    """Where a coder left a project: the observation and the frame on screen."""

    observation_id: int
    frame: int = 0


@dataclass(frozen=True, slots=True)
class Preference:
    """A simple setting the preferences dialog shows: key, default and a description."""

    key: str
    default: bool
    label: str
    description: str


PREFERENCES: tuple[Preference, ...] = (
    Preference(
        "start/open_last_project",
        True,
        "Open the last project at start",
        "Started without a project, Attune opens the last one (where you left it) instead of "
        "the demo; the demo opens on the very first start.",
    ),
    Preference(
        "coding/confirm_stop_all",
        True,
        "Ask before Escape stops several states",
        "Escape stops every open state at the frame on screen; ask first when more than one is on.",
    ),
    Preference(
        "coding/pause_for_modifiers",
        False,
        "Pause while choosing a modifier",
        "When a behaviour with modifiers is coded, the video pauses until the modifier is "
        "chosen (or Enter says none) and then plays on. Off: it plays on while you choose.",
    ),
    Preference(
        "player/deinterlace",
        True,
        "Deinterlace interlaced video for display",
        "Interlaced video (camcorders, DV, broadcast) is shown with one field interpolated "
        "instead of two fields woven into combs. Only the picture on screen changes: codes "
        "stay on whole frames. Takes effect for the next video opened.",
    ),
    Preference(
        "player/clock_time",
        True,
        "Show clock time beside media time",
        "When an observation knows the clock time its recording started (its date with a time "
        "of day), the player shows the time of day of the frame on screen beside its media time.",
    ),
)
PREFERENCES_BY_KEY = {p.key: p for p in PREFERENCES}
DEINTERLACE = "player/deinterlace"
FRAME_CACHE_MB = "player/frame_cache_mb"
"""Memory (MB) each open video keeps decoded frames in, for stepping back without waiting."""
FRAME_CACHE_DEFAULT_MB = 512
FRAME_CACHE_RANGE_MB = (32, 16384)
FRAME_CACHE_LABEL = "Memory for decoded frames, per video (MB)"
FRAME_CACHE_DESCRIPTION = (
    "Frames around the playhead are kept decoded so that stepping back and forth shows them at "
    "once; while paused, the group of frames behind the playhead is decoded ahead. 512 MB holds "
    "about 170 frames of 1080p video (5.7 s at 30 fps). Takes effect for the next video opened."
)
CLOCK_TIME = "player/clock_time"


def frame_cache_mb(value: object) -> int:
    """A stored frame-cache size as whole MB within :data:`FRAME_CACHE_RANGE_MB` (the default
    when it is not a number)."""
    try:
        number = int(str(value).strip())
    except ValueError:
        return FRAME_CACHE_DEFAULT_MB
    low, high = FRAME_CACHE_RANGE_MB
    return min(max(number, low), high)


def stored_frame_cache_mb() -> int:
    """The preference ``player/frame_cache_mb`` read from the app's default store."""
    value = QSettings().value(FRAME_CACHE_MB)
    return FRAME_CACHE_DEFAULT_MB if value is None else frame_cache_mb(value)


def stored_flag(key: str) -> bool:
    """A preference of :data:`PREFERENCES` read from the app's default store, writing nothing
    (for widgets that are not handed the app's :class:`AppSettings`)."""
    default = PREFERENCES_BY_KEY[key].default
    value = QSettings().value(key)
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    return default


class AppSettings:
    """The user's settings; every property reads and writes through to the store."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else QSettings()
        if self._store.value("version") is None:
            self._store.setValue("version", VERSION)

    @classmethod
    def in_file(cls, path: str | Path) -> AppSettings:
        """Settings kept in the INI file ``path`` (tests, portable installs)."""
        return cls(QSettings(str(Path(path)), QSettings.Format.IniFormat))

    @property
    def store(self) -> QSettings:
        return self._store

    def sync(self) -> None:
        """Write pending changes to disk now."""
        self._store.sync()

    # -- plain values ----------------------------------------------------------------------

    def _text(self, key: str, default: str = "") -> str:
        value = self._store.value(key)
        return value if isinstance(value, str) else default

    def _json(self, key: str, default: Any) -> Any:
        text = self._text(key)
        if not text:
            return default
        try:
            return json.loads(text)
        except ValueError:
            return default

    def flag(self, key: str) -> bool:
        """A boolean preference of :data:`PREFERENCES`."""
        default = PREFERENCES_BY_KEY[key].default
        value = self._store.value(key)
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        return default

    def set_flag(self, key: str, value: bool) -> None:
        if key not in PREFERENCES_BY_KEY:
            raise KeyError(f"unknown preference {key!r}")
        self._store.setValue(key, "true" if value else "false")

    @property
    def frame_cache_mb(self) -> int:
        """MB of decoded frames each open video keeps (:data:`FRAME_CACHE_MB`)."""
        value = self._store.value(FRAME_CACHE_MB)
        return FRAME_CACHE_DEFAULT_MB if value is None else frame_cache_mb(value)

    @frame_cache_mb.setter
    def frame_cache_mb(self, value: int) -> None:
        low, high = FRAME_CACHE_RANGE_MB
        if not low <= int(value) <= high:
            raise ValueError(f"the frame memory must be {low}–{high} MB, not {value}")
        self._store.setValue(FRAME_CACHE_MB, str(int(value)))

    # -- who codes -------------------------------------------------------------------------

    @property
    def coder_initials(self) -> str:
        """The initials the user last coded under ("" before the first time)."""
        return self._text("coder/initials")

    @coder_initials.setter
    def coder_initials(self, value: str) -> None:
        self._store.setValue("coder/initials", value.strip())

    @property
    def coder_name(self) -> str:
        return self._text("coder/name")

    @coder_name.setter
    def coder_name(self, value: str) -> None:
        self._store.setValue("coder/name", value.strip())

    # -- projects --------------------------------------------------------------------------

    @property
    def recent_projects(self) -> list[Path | str]:
        """Projects opened lately, newest first: files as paths, lab servers as addresses."""
        items = self._json("projects/recent", [])
        if not isinstance(items, list):
            return []
        found: list[Path | str] = [
            p if is_server(p) else Path(p) for p in items if isinstance(p, str) and p
        ]
        return found[:MAX_RECENT]

    def add_recent(self, location: str | Path) -> None:
        text = _location_text(location)
        items = [str(p) for p in self.recent_projects if str(p) != text]
        self._store.setValue("projects/recent", json.dumps([text, *items][:MAX_RECENT]))

    def remove_recent(self, location: str | Path) -> None:
        text = _location_text(location)
        items = [str(p) for p in self.recent_projects if str(p) != text]
        self._store.setValue("projects/recent", json.dumps(items))

    def place(self, project: str | Path, initials: str) -> Place | None:
        """Where ``initials`` left ``project`` (``None`` if never opened)."""
        data = self._json(_place_key(project, initials), None)
        if not isinstance(data, dict):
            return None
        obs, frame = data.get("observation"), data.get("frame", 0)
        if not isinstance(obs, int) or not isinstance(frame, int):
            return None
        return Place(obs, max(frame, 0))

    def set_place(self, project: str | Path, initials: str, place: Place) -> None:
        data = {
            "project": _location_text(project),
            "observation": place.observation_id,
            "frame": place.frame,
        }
        self._store.setValue(_place_key(project, initials), json.dumps(data))

    # -- keys ------------------------------------------------------------------------------

    @property
    def keymap(self) -> dict[str, tuple[str, ...]]:
        """Every action id -> its keys: the shipped ones with the user's changes applied."""
        merged = default_keymap()
        merged.update(self.keymap_overrides)
        return merged

    @property
    def keymap_overrides(self) -> dict[str, tuple[str, ...]]:
        """Only the actions the user rebound (unknown ids and unreadable keys are skipped)."""
        data = self._json("keys/overrides", {})
        if not isinstance(data, dict):
            return {}
        result: dict[str, tuple[str, ...]] = {}
        for action_id, keys in data.items():
            if action_id not in ACTIONS_BY_ID or not isinstance(keys, list):
                continue
            try:
                result[action_id] = tuple(normalize_key(k) for k in keys if isinstance(k, str))
            except ValueError:
                continue
        return result

    def set_keymap(self, keymap: Mapping[str, Iterable[str]]) -> None:
        """Store ``keymap``; only what differs from the shipped keys is kept."""
        shipped = default_keymap()
        changed = {}
        for action_id, keys in keymap.items():
            if action_id not in ACTIONS_BY_ID:
                raise KeyError(f"unknown action {action_id!r}")
            norm = [normalize_key(k) for k in keys]
            if tuple(norm) != tuple(normalize_key(k) for k in shipped[action_id]):
                changed[action_id] = norm
        self._store.setValue("keys/overrides", json.dumps(changed, sort_keys=True))

    # -- window ----------------------------------------------------------------------------

    def window_layout(self) -> tuple[QByteArray | None, QByteArray | None]:
        """The saved window geometry and dock state (``None`` when never saved)."""
        geometry = self._store.value("window/geometry")
        state = self._store.value("window/state")
        return (
            geometry if isinstance(geometry, QByteArray) else None,
            state if isinstance(state, QByteArray) else None,
        )

    def set_window_layout(self, geometry: QByteArray, state: QByteArray) -> None:
        self._store.setValue("window/geometry", geometry)
        self._store.setValue("window/state", state)


def _location_text(location: str | Path) -> str:
    """A project's location as kept in the settings: a file's absolute path, or a server's
    address (never with a password: the caller passes the project's own ``location``)."""
    text = str(location)
    return text if is_server(text) else str(Path(location).resolve())


def _place_key(project: str | Path, initials: str) -> str:
    digest = hashlib.sha1(_location_text(project).encode("utf-8")).hexdigest()[:16]
    who = "".join(ch for ch in initials.upper() if ch.isalnum()) or "_"
    return f"places/{digest}_{who}"
