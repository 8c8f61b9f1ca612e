"""Frame-exact access to video files (no Qt).

:func:`coder.media.opening.open_video` returns a :class:`VideoSource`: ``frame(i)`` is exactly the
i-th frame of a sequential decode whatever order frames are asked in, ``pts_us(i)`` its presentation
time and ``index_at(us)`` the frame on screen at a time. Problems raise :class:`MediaError` naming
the file and the cause.

:func:`probe` reads the packet index only; :func:`open_video` returns the PyAV backend
(:class:`coder.media.pyav.PyAVVideoSource`) with its frame cache. :class:`ArrayVideoSource`
serves frames held in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from coder.timebase import TimeBase

if TYPE_CHECKING:
    import numpy as np


class MediaError(Exception):
    """A video that cannot be opened or decoded; the message names the file and the cause."""


@dataclass(frozen=True, slots=True)
class MediaInfo:
    """What a probe learns about a video file from its real stream."""

    path: Path
    frame_count: int
    duration_us: int
    fps: float
    width: int
    height: int
    has_audio: bool
    timebase: TimeBase
    rotation: int = 0
    """Degrees (0, 90, 180, 270) the coded picture is turned counter-clockwise to be shown
    upright; frames, ``width`` and ``height`` are already turned."""
    sample_aspect: Fraction = Fraction(1)
    """Width / height of one pixel as shown (DV, DVD and some phones have non-square pixels)."""
    interlaced: bool = False
    """Whether pictures are interlaced (two fields woven into each frame)."""
    top_field_first: bool = True
    vfr: bool | None = None
    """Variable frame rate, beyond the rounding of the stream's time base (``None``: judged
    from ``timebase`` alone)."""
    codec: str = ""
    container: str = ""
    index_method: str = "packets"
    """``"packets"`` (frames predicted from packets, checked) or ``"decode"`` (counted by a
    full decode, for files whose packets mislead)."""
    index_notes: tuple[str, ...] = ()

    @property
    def variable_frame_rate(self) -> bool:
        return self.timebase.is_variable if self.vfr is None else self.vfr

    @property
    def display_aspect(self) -> float:
        """Width / height of the picture as shown (pixel aspect included)."""
        return self.width * float(self.sample_aspect) / self.height if self.height else 1.0


@runtime_checkable
class VideoSource(Protocol):
    """Exact frames of one video stream, by index."""

    @property
    def frame_count(self) -> int: ...
    @property
    def fps(self) -> float: ...
    @property
    def duration_us(self) -> int: ...
    @property
    def width(self) -> int: ...
    @property
    def height(self) -> int: ...
    @property
    def timebase(self) -> TimeBase: ...

    def frame(self, index: int) -> np.ndarray:
        """Frame ``index`` as an H×W×3 uint8 RGB array."""
        ...

    def pts_us(self, index: int) -> int: ...
    def index_at(self, us: int) -> int: ...
    def close(self) -> None: ...


class ArrayVideoSource:
    """A video held in memory (for tests and generated previews)."""

    def __init__(self, frames: np.ndarray, timebase: TimeBase) -> None:
        if frames.ndim != 4 or frames.shape[3] != 3 or frames.dtype.name != "uint8":
            raise ValueError("frames must be an N×H×W×3 uint8 array")
        if frames.shape[0] != timebase.frame_count:
            raise ValueError("one time per frame is needed")
        self._frames = frames
        self._timebase = timebase

    @property
    def frame_count(self) -> int:
        return self._timebase.frame_count

    @property
    def fps(self) -> float:
        return self._timebase.nominal_fps

    @property
    def duration_us(self) -> int:
        return self._timebase.duration_us

    @property
    def width(self) -> int:
        return int(self._frames.shape[2])

    @property
    def height(self) -> int:
        return int(self._frames.shape[1])

    @property
    def timebase(self) -> TimeBase:
        return self._timebase

    def frame(self, index: int) -> np.ndarray:
        self._timebase.pts_us(index)  # range check with a clear message
        frame: np.ndarray = self._frames[index]
        return frame

    def pts_us(self, index: int) -> int:
        return self._timebase.pts_us(index)

    def index_at(self, us: int) -> int:
        return self._timebase.index_at(us)

    def close(self) -> None:
        pass
