"""The sound of a video, slaved to the player's picture clock.

Pictures always come from the exact decoder; sound comes from ``QMediaPlayer`` with its video
track switched off. It plays at 0.5×–2× and stays silent at other speeds. While playing, the
player calls :meth:`AudioTrack.sync` with the picture clock; when the sound has drifted more than
a frame (on two checks in a row, to ride out the coarse position reports) it is moved back to the
picture. Without a sound device, Qt plays on the system clock and nothing is heard or raised.
"""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtCore import QObject, QUrl
from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

MIN_SPEED = 0.5
MAX_SPEED = 2.0
SETTLE_S = 0.3
"""After moving the sound, drift is not judged for this long (the seek settles)."""


def audible_speed(speed: float) -> bool:
    """Whether sound plays at ``speed`` (0.5× to 2×)."""
    return MIN_SPEED - 1e-9 <= speed <= MAX_SPEED + 1e-9


def has_output_device() -> bool:
    """Whether the machine has a sound output."""
    return bool(QMediaDevices.audioOutputs())


class AudioTrack(QObject):
    """Plays the sound of one file in step with a picture clock."""

    def __init__(self, path: Path, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._output = QAudioOutput(self)
        self._player = QMediaPlayer(self)
        self._player.setAudioOutput(self._output)
        self._player.mediaStatusChanged.connect(self._on_status)
        self._player.setSource(QUrl.fromLocalFile(str(Path(path).resolve())))
        self._loaded = False
        self._playing = False
        self._speed: float | None = None  # the speed asked for while playing (None: paused)
        self._suspect = False
        self._settle_until = 0.0
        self.resyncs = 0
        """How many times the sound was moved to the picture (for tests and diagnostics)."""

    @property
    def has_audio(self) -> bool:
        """True once the file is known to carry a sound track."""
        return self._loaded and self._player.hasAudio()

    @property
    def is_playing(self) -> bool:
        return self._playing

    @property
    def position_us(self) -> int:
        """Where the sound is (µs of media time)."""
        return self._player.position() * 1000

    def play(self, at_us: int, speed: float) -> None:
        """Play from ``at_us`` at ``speed`` (silent outside 0.5×–2×).

        A time before the sound starts (a camera switched on later) arms the track: it starts
        when :meth:`sync` reports a picture time from 0 on.
        """
        if not audible_speed(speed):
            self.pause()
            return
        self._speed = speed
        if at_us < 0:
            self._stop_sound()
            return
        self._player.setPlaybackRate(speed)
        self._move(at_us)
        self._player.play()
        self._playing = True

    def pause(self) -> None:
        self._speed = None
        self._stop_sound()

    def set_speed(self, speed: float, at_us: int) -> None:
        """Follow a speed change of the picture at media time ``at_us``."""
        if audible_speed(speed):
            self.play(at_us, speed)
        else:
            self.pause()

    def sync(self, picture_us: int, tolerance_us: int) -> bool:
        """Move the sound to ``picture_us`` if it has drifted more than ``tolerance_us``.

        Returns whether it was moved.
        """
        if self._speed is not None and not self._playing and picture_us >= 0:
            self.play(picture_us, self._speed)
            return False
        now = time.monotonic()
        if not self._playing or now < self._settle_until:
            return False
        drifted = abs(self.position_us - picture_us) > tolerance_us
        if not drifted:
            self._suspect = False
            return False
        if not self._suspect:
            self._suspect = True
            return False
        self._move(picture_us)
        self.resyncs += 1
        return True

    def close(self) -> None:
        """Silence the sound at once and release the file from the event loop.

        The player is not stopped here: while Qt's media backend stops, its own threads may
        need the Python interpreter (to delete objects Python knows), and a stop called from
        Python, which holds the interpreter, can then wait for them forever. Deleted from the
        event loop, which runs with the interpreter free, it stops cleanly."""
        self._speed = None
        self._playing = False
        self._output.setMuted(True)
        self._player.mediaStatusChanged.disconnect(self._on_status)
        self._player.deleteLater()
        self._output.deleteLater()

    def _stop_sound(self) -> None:
        if self._playing:
            self._player.pause()
        self._playing = False

    def _move(self, at_us: int) -> None:
        self._player.setPosition(max(0, round(at_us / 1000)))
        self._suspect = False
        self._settle_until = time.monotonic() + SETTLE_S

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if status == QMediaPlayer.MediaStatus.LoadedMedia and not self._loaded:
            self._loaded = True
            if self._player.hasVideo():
                self._player.setActiveVideoTrack(-1)
