"""What the player shows for the window's state, and camera offsets saved as they are nudged.

With no project, or no observation, the video area and the empty panels say what to do next.
An observation with a recording time gives the player its clock time (shown when the preference
``player/clock_time`` is on, or the Playback menu's check). A camera nudged against the first
while coding (:meth:`ui.player.player.Player.nudge_camera`) has its new offset saved in the
project at once, so the project reopens with it; if it cannot be saved, the camera goes back.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel

from coder.model import Media, Observation
from coder.project import Project
from ui.settings import CLOCK_TIME
from ui.window.project_flow import OPEN_ERRORS, naming_message

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDockWidget

    from coder.coding.session import Session
    from ui.player.player import Player
    from ui.settings import AppSettings
    from ui.window.status import StatusPanel


class ViewingHost(Protocol):
    """What the player's messages and the camera offsets need of the coding window."""

    project: Project | None
    observation: Observation | None
    session: Session | None
    player: Player
    settings: AppSettings
    status: StatusPanel
    docks: dict[str, QDockWidget]

    def refuse(self, text: str) -> None: ...

    def save_place(self) -> None: ...


NO_PROJECT = "Open a project: File → Open project… or File → New project…"
NO_OBSERVATION = "Choose an observation: File → Choose observation…"
NO_VIDEOS = "Add the videos to code: File → Add videos…"
VIDEO_MISSING = (
    "The video is missing: choose the observation again (File → Choose observation…) to find it."
)


def idle_text(project: Project | None, observation: Observation | None) -> str:
    """What to do next when no video is on screen."""
    if project is None:
        return NO_PROJECT
    if observation is not None:
        return VIDEO_MISSING
    try:
        has_observations = bool(project.observations)
    except OPEN_ERRORS:
        has_observations = True
    return NO_OBSERVATION if has_observations else NO_VIDEOS


class Viewing:
    """Keeps the player's messages, clock time and camera offsets in step with the window."""

    def __init__(self, window: ViewingHost) -> None:
        self._window = window
        self._media: dict[int, Media] = {}  # the player's camera number -> the stored medium
        self._toggle: QAction | None = None
        player = window.player
        player.set_show_clock(window.settings.flag(CLOCK_TIME))
        player.offsetNudged.connect(self._save_offset)

    def show_idle(self) -> None:
        """Tell the player and the empty panels what to do next."""
        window = self._window
        text = idle_text(window.project, window.observation)
        window.player.set_idle_message(text)
        if window.session is None:
            panel_text = text if window.project is None or window.observation is None else ""
            for dock in window.docks.values():
                label = dock.widget()
                if isinstance(label, QLabel) and panel_text:
                    label.setText(panel_text)

    def show_videos(
        self,
        stored: Observation,
        observation: Observation,
        session: Session,
        paths: list[Path],
        frame: int,
    ) -> None:
        """Put the observation's videos that are on this machine in the player (the first is
        the reference: missing, the coding is shown without a picture and says so)."""
        window = self._window
        project = window.project
        assert project is not None
        present = [p for p in paths if p.is_file()]
        if not paths or not paths[0].is_file():
            window.player.close_media()
            window.status.error(
                f"The video {paths[0] if paths else ''} is missing: the coding is shown, but "
                "codes need a frame on screen. Choose the observation again to relink it."
            )
        else:
            offsets = [
                m.offset_us for m, p in zip(observation.media, paths, strict=True) if p in present
            ]
            window.player.open(present, offsets_us=offsets)
            shown = [m for m, p in zip(observation.media, paths, strict=True) if p in present]
            self.follow(observation, shown)
            found = [
                project.media_path(new)
                for old, new in zip(stored.media, observation.media, strict=True)
                if new.path != old.path
            ]
            if found:
                where = ", ".join(str(p) for p in found)
                window.status.note(f"Video found again and linked to the project: {where}")
            if frame > 0:
                window.player.seek(frame)
            if (
                window.player.media_count
                and window.player.frame_count != session.timebase.frame_count
            ):
                window.status.error(
                    f"{paths[0].name} has {window.player.frame_count} frames, but the project "
                    f"knows {session.timebase.frame_count}: is it the same video?"
                )
        window.save_place()

    def follow(self, observation: Observation, shown: list[Media]) -> None:
        """The player now shows ``shown`` (in order) of ``observation``."""
        self._media = dict(enumerate(shown))
        self._window.player.set_recording_start(observation.recording_start)

    def forget(self) -> None:
        self._media = {}

    def bind_toggle(self, action: QAction) -> None:
        """Let the checkable ``action`` (Playback → Show clock time) show and hide it."""
        self._toggle = action
        action.setChecked(self._window.settings.flag(CLOCK_TIME))
        action.toggled.connect(self.set_clock_shown)

    def set_clock_shown(self, on: bool) -> None:
        """Show the clock time or not, and remember the choice."""
        self._window.settings.set_flag(CLOCK_TIME, on)
        self._window.player.set_show_clock(on)

    def apply_preferences(self) -> None:
        """Show the clock time as the preferences now say."""
        on = self._window.settings.flag(CLOCK_TIME)
        self._window.player.set_show_clock(on)
        if self._toggle is not None:
            self._toggle.setChecked(on)

    def _save_offset(self, number: int, offset_us: int) -> None:
        window = self._window
        media = self._media.get(number)
        project, observation = window.project, window.observation
        if media is None or project is None or observation is None:
            return
        problem = "the project is open for reading only" if project.read_only else ""
        if not problem:
            try:
                saved = project.set_camera_offset(media, offset_us)
            except OPEN_ERRORS as exc:
                problem = naming_message(exc, project.location)
        if problem:
            window.player.set_offset(number, media.offset_us)
            window.refuse(f"Offset of {media.path} not saved: {problem}")
            return
        self._media[number] = saved
        window.observation = _with_media(observation, saved)
        shift = f"{offset_us / 1e6:+.3f} s"
        where = f"{saved.path} now starts at {shift} on the first camera's clock"
        window.status.note(f"Offset saved: {where}")


def _with_media(observation: Observation, media: Media) -> Observation:
    """``observation`` with ``media`` in place of its stored self."""
    items = tuple(media if m.id == media.id else m for m in observation.media)
    return replace(observation, media=items)
