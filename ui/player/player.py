"""The video player: frame-exact stepping and real-time playback of one or more videos.

Pictures always come from :class:`~coder.media.VideoSource` objects, decoded in one worker thread
per video (:mod:`ui.player.playback`), so the player knows by construction which frame each view
paints: :attr:`Player.current_frame` is the index of the reference video's frame on screen, and
that is what codes are stamped with. Sound, when the file has it, comes from
:class:`~ui.player.audio.AudioTrack` and follows the picture clock.

Several videos of one observation play side by side in lock-step. The first is the time
reference: ``offsets_us[k]`` is the reference time at which video ``k``'s own time 0 falls (a
camera switched on 2 s after the reference has offset 2_000_000). Before its start or after its
end a video shows its first or last frame with a note.

Pictures are shown as the file says they should look: upright (the engine applies a phone's
rotation), at their pixel shape (DV and DVD pixels are not square) and, when
:attr:`Player.deinterlace` is on (the preference ``player/deinterlace``, or the video area's
context menu), interlaced video with one field interpolated. All of that is display only:
frame numbers, and so codes, stay on whole frames.

Other cameras can be nudged against the first while coding (:mod:`ui.player.cameras`); the
owner saves the offset :attr:`Player.offsetNudged` reports. Beside the media time the transport
bar shows the frame rate ("VFR · 18.3–30.0 fps" for a variable one) and, given
:meth:`Player.set_recording_start`, the clock time of the frame on screen. With nothing open the
video area says what to do (:meth:`Player.set_idle_message`).

The transport actions of :data:`coder.keys.ACTIONS` are ``QAction`` objects in
:attr:`Player.transport_actions`; a main window may put them in menus and rebind them with
:meth:`Player.apply_keymap`.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QHBoxLayout, QVBoxLayout, QWidget

from coder.keys import SPEEDS
from coder.media import MediaError, VideoSource
from coder.timebase import TimeBase
from ui.player.audio import AudioTrack
from ui.player.cameras import CameraControls
from ui.player.controls import TransportBar
from ui.player.info import clock_text, rate_text, rate_tip
from ui.player.media import Medium
from ui.player.playback import DecodedFrame, FrameWorker, PlayClock
from ui.player.video_view import VideoView
from ui.settings import DEINTERLACE, stored_flag
from ui.shortcuts import apply_keymap, make_actions

MIN_SPEED = SPEEDS[0]
MAX_SPEED = SPEEDS[-1]
AUDIO_CHECK_MS = 100
"""How often the sound's position is compared with the picture while playing."""


def _stop_workers(workers: list[FrameWorker]) -> None:
    for worker in workers:
        worker.shutdown()
    workers.clear()


class Player(CameraControls, QWidget):
    """Shows one or more videos, steps and plays them; see the module notes."""

    frameChanged = Signal(int)  # reference frame on screen; only on real change
    playingChanged = Signal(bool)
    speedChanged = Signal(float)
    errorOccurred = Signal(str)  # a message for people naming the file and the cause
    mediaChanged = Signal()  # after open() and close_media()
    offsetNudged = Signal(int, int)  # camera number (as given to open), its new offset in µs

    def __init__(
        self, parent: QWidget | None = None, *, audio: bool = True, deinterlace: bool | None = None
    ) -> None:
        """``deinterlace``: show interlaced video deinterlaced (``None``: as the preference
        ``player/deinterlace`` says, read at each :meth:`open`)."""
        super().__init__(parent)
        self._deinterlace_choice = deinterlace
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._want_audio = audio
        self._media: list[Medium] = []
        self._views: list[VideoView] = []
        self._workers: list[FrameWorker] = []
        self._audio: AudioTrack | None = None
        self._audio_medium: Medium | None = None
        self._current = -1
        self._target = 0
        self._speed = 1.0
        self._clock: PlayClock | None = None
        self._last_audio_check = 0
        self._error = ""
        self._idle_message = "No video"
        self._recording_start: datetime | None = None
        self._show_clock = True
        self._chosen = 1  # the camera the nudge keys move

        self._actions = make_actions(self, groups=("transport",))
        for action in self._actions.values():
            self.addAction(action)
        handlers = {
            "play_pause": self.toggle_play,
            "step_forward": functools.partial(self.step, 1),
            "step_back": functools.partial(self.step, -1),
            "skip_forward_1s": functools.partial(self.skip, 1.0),
            "skip_back_1s": functools.partial(self.skip, -1.0),
            "skip_forward_5s": functools.partial(self.skip, 5.0),
            "skip_back_5s": functools.partial(self.skip, -5.0),
            "replay": self.replay,
            "speed_up": self.speed_up,
            "speed_down": self.speed_down,
            "go_start": self.go_start,
            "go_end": self.go_end,
            "camera_forward": functools.partial(self.nudge_camera, 1),
            "camera_back": functools.partial(self.nudge_camera, -1),
        }
        for action_id, handler in handlers.items():
            self._actions[action_id].triggered.connect(handler)

        self._views_box = QWidget(self)
        self._views_layout = QHBoxLayout(self._views_box)
        self._views_layout.setContentsMargins(0, 0, 0, 0)
        self._views_layout.setSpacing(2)
        self._placeholder = VideoView(self._views_box)
        self._placeholder.set_message(self._idle_message)
        self._views_layout.addWidget(self._placeholder)
        self._deinterlace_action = QAction("Deinterlace for display", self)
        self._deinterlace_action.setCheckable(True)
        self._deinterlace_action.setToolTip(
            "Show interlaced video with one field interpolated; codes stay on whole frames"
        )
        self._deinterlace_action.toggled.connect(self._on_deinterlace_toggled)
        self._views_box.addAction(self._deinterlace_action)
        self._views_box.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self._bar = TransportBar(self._actions, self)
        self._bar.seekRequested.connect(self.seek)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._views_box, 1)
        layout.addWidget(self._bar)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.timeout.connect(self._tick)
        self.destroyed.connect(functools.partial(_stop_workers, self._workers))
        app = QApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.close_media)
        self._update_enabled()

    # -- what is on screen -------------------------------------------------------------------

    @property
    def current_frame(self) -> int:
        """Index of the reference video's frame on screen (-1 before any is painted)."""
        return self._current

    @property
    def current_time_us(self) -> int:
        """Presentation time (µs) of the frame on screen (0 before any is painted)."""
        if self._current < 0 or not self._media:
            return 0
        return self._media[0].source.pts_us(self._current)

    @property
    def frame_count(self) -> int:
        """Frames of the reference video (0 when none is open)."""
        return self._media[0].source.frame_count if self._media else 0

    @property
    def timebase(self) -> TimeBase | None:
        """Frame times of the reference video."""
        return self._media[0].source.timebase if self._media else None

    @property
    def media_count(self) -> int:
        """How many videos are open and readable."""
        return len(self._media)

    @property
    def is_playing(self) -> bool:
        return self._clock is not None

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def error(self) -> str:
        """The last error message ("" when none)."""
        return self._error

    @property
    def transport_actions(self) -> Mapping[str, QAction]:
        """The transport ``QAction`` objects by action id (see :mod:`coder.keys`)."""
        return dict(self._actions)

    @property
    def transport_bar(self) -> TransportBar:
        return self._bar

    def views(self) -> list[VideoView]:
        """One view per video given to :meth:`open`, in order (a failed one shows its error)."""
        return list(self._views)

    def shown_frame(self, medium: int = 0) -> DecodedFrame | None:
        """The decoded frame that video ``medium`` paints now (exact pixels in ``.rgb``)."""
        if not 0 <= medium < len(self._views):
            return None
        return self._views[medium].frame

    @property
    def deinterlace(self) -> bool:
        """Whether interlaced videos are shown deinterlaced (display only)."""
        return self._deinterlace_action.isChecked()

    @property
    def deinterlace_action(self) -> QAction:
        """The checkable action (in the video area's context menu) for :attr:`deinterlace`."""
        return self._deinterlace_action

    def set_deinterlace(self, on: bool) -> None:
        """Show interlaced videos deinterlaced (``True``) or woven as coded. Only pictures on
        screen change; frame numbers, and so codes, stay on whole frames."""
        self._deinterlace_choice = bool(on)
        self._deinterlace_action.setChecked(bool(on))
        self._apply_deinterlace()

    def set_idle_message(self, text: str) -> None:
        """What the video area says while no video is open (e.g. how to open one)."""
        self._idle_message = text
        self._placeholder.set_message(text)

    @property
    def idle_message(self) -> str:
        return self._idle_message

    def set_recording_start(self, start: datetime | None) -> None:
        """The clock time at which the reference video's time 0 was recorded (``None``:
        unknown); the bar then shows the clock time of the frame on screen. Cleared by
        :meth:`close_media`."""
        self._recording_start = start
        self._show_time()

    def set_show_clock(self, on: bool) -> None:
        """Show the clock time beside the media time (when the recording's start is known)."""
        self._show_clock = bool(on)
        self._show_time()

    @property
    def clock_shown(self) -> bool:
        """Whether the bar shows a clock time now."""
        return bool(self._bar.clock_text)

    def apply_keymap(self, keymap: Mapping[str, Iterable[str]]) -> None:
        """Rebind transport actions: action id -> key strings (others are ignored)."""
        apply_keymap(self._actions, keymap)

    # -- opening ------------------------------------------------------------------------------

    def open(
        self,
        media: Sequence[Path | str | VideoSource],
        offsets_us: Sequence[int] | None = None,
    ) -> None:
        """Show ``media`` (paths or open sources; the first is the reference) from frame 0.

        A video that cannot be read shows its error and emits :attr:`errorOccurred`; if the
        reference cannot be read nothing plays. Sources passed in stay open (their caller closes
        them); videos opened from paths are closed by :meth:`close_media`.
        """
        offsets = list(offsets_us) if offsets_us is not None else [0] * len(media)
        if len(offsets) != len(media):
            raise ValueError(f"{len(media)} videos but {len(offsets)} offsets")
        self.close_media()
        if self._deinterlace_choice is None:
            self._deinterlace_action.setChecked(stored_flag(DEINTERLACE))
        self._views_layout.removeWidget(self._placeholder)
        self._placeholder.hide()
        errors = []
        for k, item in enumerate(media):
            view = VideoView(self._views_box)
            self._views.append(view)
            self._views_layout.addWidget(view)
            view.clicked.connect(functools.partial(self.choose_camera, k))
            view.show()
            try:
                medium = Medium.load(item, offsets[k] - offsets[0], view, k)
            except MediaError as exc:
                view.set_message(str(exc))
                errors.append(str(exc))
                if k == 0:
                    break  # without its reference, an observation cannot play
                continue
            self._attach(medium)
        others = [self._number(m) for m in self._media[1:]]
        self._chosen = others[0] if others else 1
        self._show_titles()
        self._bar.set_frame_count(self.frame_count, self._frames_per_second())
        if self._media:
            reference = self._media[0].source
            self._bar.show_rate(rate_text(reference), rate_tip(reference))
        self._update_enabled()
        self._open_audio()
        self.mediaChanged.emit()
        for message in errors:
            self._report(message)
        if self._media:
            self.seek(0)

    def close_media(self) -> None:
        """Stop and close everything open; the view shows "No video"."""
        if self._clock is not None:
            self.pause()
        had_media = bool(self._media) or self._views_layout.count() > 1
        self._discard_media()
        self._views_layout.addWidget(self._placeholder)
        self._placeholder.show()
        self._current = -1
        self._target = 0
        self._error = ""
        self._recording_start = None
        self._placeholder.set_message(self._idle_message)
        self._bar.set_frame_count(0, 1)
        self._bar.show_position(None, 0, 0)
        self._bar.show_rate("")
        self._bar.show_clock("")
        self._update_enabled()
        if had_media:
            self.mediaChanged.emit()

    # -- transport ----------------------------------------------------------------------------

    def seek(self, frame: int) -> None:
        """Show reference frame ``frame`` (clamped); while playing, play on from there."""
        if not self._media:
            return
        frame = min(max(int(frame), 0), self.frame_count - 1)
        self._target = frame
        if self._clock is not None:
            self._start_streams(self._media[0].source.pts_us(frame))
            return
        reference_us = self._media[0].source.pts_us(frame)
        for medium in self._media:
            medium.request_at(reference_us)

    def step(self, frames: int) -> None:
        """Move ``frames`` frames on (negative: back); pauses playback first."""
        if self._clock is not None:
            self.pause()
        self.seek(self._target + frames)

    def skip(self, seconds: float) -> None:
        """Move by ``seconds`` of media time (to the frame on screen at that time)."""
        if not self._media:
            return
        base = self._current if self._clock is not None and self._current >= 0 else self._target
        source = self._media[0].source
        self.seek(source.index_at(source.pts_us(base) + round(seconds * 1e6)))

    def replay(self) -> None:
        """Jump back 3 s and play."""
        self.skip(-3.0)
        self.play()

    def go_start(self) -> None:
        self.seek(0)

    def go_end(self) -> None:
        self.seek(self.frame_count - 1)

    def play(self) -> None:
        """Play from the frame on screen at the current speed (from the start when at the end)."""
        if not self._media or self._clock is not None:
            return
        if self._target >= self.frame_count - 1:
            self._target = 0
        self._clock = PlayClock.start(self._media[0].source.pts_us(self._target), self._speed)
        self._start_streams(self._clock.anchor_us)
        self._bar.show_playing(True)
        self.playingChanged.emit(True)

    def pause(self) -> None:
        """Stop at the frame on screen; other videos are brought to the same instant."""
        if self._clock is None:
            return
        self._clock = None
        self._timer.stop()
        for medium in self._media:
            medium.worker.halt()
        if self._audio is not None:
            self._audio.pause()
        if self._current >= 0:
            self._target = self._current
            reference_us = self._media[0].source.pts_us(self._current)
            for medium in self._media[1:]:
                if medium.shown_index != medium.worker.local_index(reference_us):
                    medium.request_at(reference_us)
        self._bar.show_playing(False)
        self.playingChanged.emit(False)

    def toggle_play(self) -> None:
        if self._clock is None:
            self.play()
        else:
            self.pause()

    def set_speed(self, speed: float) -> None:
        """Play at ``speed`` (clamped to 0.1×–4×); sound is silent outside 0.5×–2×."""
        speed = min(max(float(speed), MIN_SPEED), MAX_SPEED)
        if math.isclose(speed, self._speed):
            return
        self._speed = speed
        if self._clock is not None:
            self._clock = self._clock.with_speed(speed)
            for medium in self._media:
                medium.worker.set_clock(self._clock)
            if self._audio is not None and self._audio_medium is not None:
                self._audio.set_speed(speed, self._audio_time(self._clock.now_us()))
        self._bar.show_speed(speed)
        self.speedChanged.emit(speed)

    def speed_up(self) -> None:
        """The next faster speed of :data:`coder.keys.SPEEDS`."""
        faster = [s for s in SPEEDS if s > self._speed + 1e-9]
        if faster:
            self.set_speed(faster[0])

    def speed_down(self) -> None:
        """The next slower speed of :data:`coder.keys.SPEEDS`."""
        slower = [s for s in SPEEDS if s < self._speed - 1e-9]
        if slower:
            self.set_speed(slower[-1])

    # -- internals ----------------------------------------------------------------------------

    def _attach(self, medium: Medium) -> None:
        self._media.append(medium)
        self._connect(medium)

    def _connect(self, medium: Medium) -> None:
        worker = medium.worker
        worker.stillReady.connect(functools.partial(self._on_still, medium))
        worker.failed.connect(functools.partial(self._on_failed, medium))
        medium.view.displaySizeChanged.connect(functools.partial(self._on_resized, medium))
        medium.view.set_video_size(medium.source.width, medium.source.height, medium.pixel_aspect)
        worker.set_display_size(*medium.view.display_size())
        worker.set_deinterlace(self.deinterlace and medium.interlaced)
        self._workers.append(worker)
        worker.start()

    def _discard_media(self) -> None:
        if self._audio is not None:
            self._audio.close()
            self._audio.deleteLater()
            self._audio = None
            self._audio_medium = None
        _stop_workers(self._workers)
        for medium in self._media:
            medium.close()
        self._media.clear()
        self._views.clear()
        while self._views_layout.count():
            widget = self._views_layout.takeAt(0).widget()
            if widget is not None and widget is not self._placeholder:
                widget.hide()  # gone from the screen now, not only once deleted
                widget.deleteLater()

    def _open_audio(self) -> None:
        if not self._want_audio:
            return
        for medium in self._media:
            if medium.path is not None and medium.has_audio is not False:
                self._audio = AudioTrack(medium.path, self)
                self._audio_medium = medium
                return

    def _audio_time(self, reference_us: int) -> int:
        assert self._audio_medium is not None
        return reference_us - self._audio_medium.offset_us

    def _start_streams(self, reference_us: int) -> None:
        self._clock = PlayClock.start(reference_us, self._speed)
        for medium in self._media:
            medium.worker.stream(self._clock, medium.worker.local_index(reference_us))
        if self._audio is not None:
            self._audio.play(self._audio_time(reference_us), self._speed)
        self._last_audio_check = 0
        self._timer.start(0)

    def _tick(self) -> None:
        clock = self._clock
        if clock is None:
            return
        now = clock.now_us()
        following: list[int] = []
        for medium in self._media:
            frame, next_us = medium.worker.take(now)
            if frame is not None:
                medium.show(frame, now)
                if medium is self._media[0]:
                    self._set_current(frame.index)
            if next_us is not None:
                following.append(next_us)
        reference = self._media[0].source
        if now >= reference.duration_us:
            self._finish()
            return
        self._check_audio(now)
        delay = clock.wall_delay_ms(min(following)) if following else 4.0
        self._timer.start(min(max(math.ceil(delay), 0), 20))

    def _finish(self) -> None:
        """The reference reached its end: stop on its last frame."""
        self.pause()
        if self._current != self.frame_count - 1:
            self.seek(self.frame_count - 1)

    def _check_audio(self, now: int) -> None:
        if (
            self._audio is None
            or now - self._last_audio_check < AUDIO_CHECK_MS * 1000 * self._speed
        ):
            return
        self._last_audio_check = now
        tolerance = self._media[0].source.timebase.end_us(max(self._current, 0))
        tolerance -= self._media[0].source.pts_us(max(self._current, 0))
        self._audio.sync(self._audio_time(now), tolerance)

    def _set_current(self, index: int) -> None:
        if index == self._current:
            return
        self._current = index
        self._bar.show_position(index, self._media[0].source.pts_us(index), self.frame_count)
        self._show_time()
        self.frameChanged.emit(index)

    def _show_time(self) -> None:
        """The clock time of the frame on screen, when known and wanted."""
        start = self._recording_start
        if start is None or not self._show_clock or self._current < 0 or not self._media:
            self._bar.show_clock("")
            return
        us = self._media[0].source.pts_us(self._current)
        tip = f"Clock time of the first camera (recording started {start:%Y-%m-%d %H:%M:%S})"
        self._bar.show_clock(clock_text(start, us), tip)

    def _on_still(self, medium: Medium, frame: DecodedFrame) -> None:
        if self._clock is not None or medium not in self._media:
            return
        if frame.index != medium.wanted:
            return  # superseded by a newer request already
        reference_us = self._media[0].source.pts_us(max(self._target, 0))
        medium.show(frame, reference_us)
        if medium is self._media[0]:
            self._set_current(frame.index)

    def _on_failed(self, medium: Medium, index: int, message: str) -> None:
        if medium not in self._media:
            return
        text = f"{medium.label}: {message}"
        medium.view.set_message(text)
        if medium is self._media[0] and self._clock is not None:
            self.pause()
        self._report(text)

    def _on_resized(self, medium: Medium, width: int, height: int) -> None:
        medium.worker.set_display_size(width, height)
        if self._clock is None and medium.wanted is not None and medium.view.frame is not None:
            medium.worker.request(medium.wanted)

    def _on_deinterlace_toggled(self, on: bool) -> None:
        if self._deinterlace_choice is not None:
            self._deinterlace_choice = on
        self._apply_deinterlace()

    def _apply_deinterlace(self) -> None:
        for medium in self._media:
            medium.worker.set_deinterlace(self.deinterlace and medium.interlaced)
            if self._clock is None and medium.wanted is not None and medium.interlaced:
                medium.worker.request(medium.wanted)  # repaint the still as now chosen

    def _report(self, message: str) -> None:
        self._error = message
        self.errorOccurred.emit(message)

    def _frames_per_second(self) -> int:
        return max(1, round(self._media[0].source.fps)) if self._media else 1

    def _update_enabled(self) -> None:
        for action_id, action in self._actions.items():
            cameras = action_id in ("camera_forward", "camera_back")
            action.setEnabled(len(self._media) > (1 if cameras else 0))
