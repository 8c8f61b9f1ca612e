"""Camera offsets in the player: how far a nudge by a frame moves a camera against the first.

``offset_us`` is the first camera's time at which a camera's own time 0 falls (see
:mod:`ui.player.player`). A nudge changes only that offset: the first camera, and so every code,
stays where it is. :class:`CameraControls` is the player's part that does it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import SignalInstance

from coder.timebase import TimeBase
from ui.player.media import Medium
from ui.player.playback import FrameWorker, PlayClock
from ui.player.video_view import VideoView

if TYPE_CHECKING:
    from ui.player.audio import AudioTrack


def nudged_offset(
    timebase: TimeBase, fps: float, offset_us: int, reference_us: int, frames: int
) -> int:
    """The offset at which a camera shows, at reference time ``reference_us``, the frame
    ``frames`` frames after (negative: before) the one it shows with ``offset_us``.

    Within the video the camera keeps its place within the frame (so a constant-rate camera
    moves by exactly one frame duration per frame); before its start, after its end, or past
    its first or last frame it moves by ``frames`` nominal frame durations.
    """
    local_us = reference_us - offset_us
    shown = timebase.index_at(local_us)
    target = min(max(shown + frames, 0), timebase.frame_count - 1)
    inside = timebase.start_us <= local_us < timebase.duration_us
    if not inside or target - shown != frames:
        step = round(1e6 / fps) if fps > 0 else 40_000
        return offset_us - frames * step
    phase = local_us - timebase.pts_us(shown)
    length = timebase.end_us(target) - timebase.pts_us(target)
    new_local = timebase.pts_us(target) + min(phase, length - 1)
    return reference_us - new_local


def camera_title(label: str, offset_us: int, chosen: bool) -> str:
    """The caption of a camera that is not the first: its name and offset, marked when it is
    the one the nudge keys move."""
    mark = "▸ " if chosen else ""
    return f"{mark}{label}  {offset_us / 1e6:+.3f} s"


class CameraControls:
    """The player's camera offsets: which camera the nudge keys move, nudging, re-syncing.

    A mix-in of :class:`ui.player.player.Player`, whose state it reads and changes.
    """

    _media: list[Medium]
    _views: list[VideoView]
    _workers: list[FrameWorker]
    _audio: AudioTrack | None
    _audio_medium: Medium | None
    _clock: PlayClock | None
    _current: int
    _target: int
    _speed: float
    _chosen: int
    offsetNudged: SignalInstance
    _connect: Callable[[Medium], None]
    """Wire a camera's worker to its view (the player's own)."""
    _audio_time: Callable[[int], int]
    """The sound's media time for a reference time (the player's own)."""

    @property
    def offsets_us(self) -> dict[int, int]:
        """Camera number (as given to :meth:`open`) -> its offset against the first (µs), for
        the cameras that are open."""
        return {self._number(m): m.offset_us for m in self._media}

    @property
    def chosen_camera(self) -> int:
        """The camera the nudge keys move: the second, or the one whose picture was clicked."""
        return self._chosen

    def choose_camera(self, number: int) -> None:
        """Let the nudge keys move camera ``number`` (the first, the reference, is never moved)."""
        if number > 0 and self._medium(number) is not None and number != self._chosen:
            self._chosen = number
            self._show_titles()

    def nudge_camera(self, frames: int) -> None:
        """Move the chosen camera's picture ``frames`` frames on (negative: back) against the
        first, which stays where it is; emits :attr:`offsetNudged` with the new offset."""
        medium = self._medium(self._chosen)
        if medium is None or medium is self._media[0]:
            return
        shown = self._current if self._current >= 0 else self._target
        reference_us = self._media[0].source.pts_us(max(shown, 0))
        if self._clock is not None:
            reference_us = self._clock.now_us()
        source = medium.source
        offset = nudged_offset(source.timebase, source.fps, medium.offset_us, reference_us, frames)
        self.set_offset(self._chosen, offset)
        self.offsetNudged.emit(self._chosen, offset)

    def set_offset(self, number: int, offset_us: int) -> None:
        """Place camera ``number``'s time 0 at ``offset_us`` on the first camera's clock and
        show at once the frame that puts on screen (playing on in lock-step when playing)."""
        old = self._medium(number)
        if old is None or old is self._media[0]:
            raise ValueError(f"camera {number} is not open, or is the time reference")
        if old.offset_us == int(offset_us):
            return
        old.worker.stillReady.disconnect()
        old.worker.failed.disconnect()
        old.view.displaySizeChanged.disconnect()
        old.worker.shutdown()
        self._workers.remove(old.worker)
        new = Medium(old.source, old.view, offset_us, old.path, old.owned, old.label)
        self._media[self._media.index(old)] = new
        self._connect(new)
        self._show_titles()
        if self._audio_medium is old:
            self._audio_medium = new
        if self._clock is not None:
            now = self._clock.now_us()
            new.worker.stream(self._clock, new.worker.local_index(now))
            if self._audio is not None and self._audio_medium is new:
                self._audio.play(self._audio_time(now), self._speed)
        else:
            new.request_at(self._media[0].source.pts_us(max(self._target, 0)))

    def _number(self, medium: Medium) -> int:
        return self._views.index(medium.view)

    def _medium(self, number: int) -> Medium | None:
        return next((m for m in self._media if self._number(m) == number), None)

    def _show_titles(self) -> None:
        if len(self._views) < 2:
            return
        several = len(self._media) > 2
        for medium in self._media:
            number = self._number(medium)
            title = medium.label
            if number > 0:
                chosen = several and number == self._chosen
                title = camera_title(medium.label, medium.offset_us, chosen)
            medium.view.set_title(title)
