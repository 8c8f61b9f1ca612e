"""Frame-exact access to video files (no Qt).

``open_video(path)`` returns a :class:`VideoSource`: ``frame(i)`` is exactly the i-th frame of a
sequential decode whatever order frames are asked in, ``pts_us(i)`` its presentation time and
``index_at(us)`` the frame on screen at a time. Problems raise :class:`MediaError` naming the
file and the cause.

:func:`probe` reads the packet index only; :func:`open_video` returns the PyAV backend
(:class:`coder.media_pyav.PyAVVideoSource`) with its frame cache. :class:`ArrayVideoSource`
serves frames held in memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from coder.media_index import IndexReadError, PacketIndex, read_index
from coder.timebase import TimeBase

if TYPE_CHECKING:
    from coder.media_pyav import PyAVVideoSource


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

    @property
    def variable_frame_rate(self) -> bool:
        return self.timebase.is_variable


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
        if frames.ndim != 4 or frames.shape[3] != 3 or frames.dtype != np.uint8:
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
        return self._frames[index]

    def pts_us(self, index: int) -> int:
        return self._timebase.pts_us(index)

    def index_at(self, us: int) -> int:
        return self._timebase.index_at(us)

    def close(self) -> None:
        pass


def probe(path: str | Path) -> MediaInfo:
    """Frame count, per-frame times, duration, frame rate and size of a video file.

    Reads packets only (no decoding): the frame times are the packets' presentation times in
    display order, so a header that misstates the duration or frame count does not matter.
    Raises :class:`MediaError` naming the file for a missing, unreadable or frameless file.
    """
    return info_from_index(read_packet_index(path))


def read_packet_index(path: str | Path) -> PacketIndex:
    """The packet index of the first video stream of ``path`` (see :mod:`coder.media_index`)."""
    file = existing_file(path)
    try:
        return read_index(file)
    except IndexReadError as exc:
        raise MediaError(f"{file}: {exc}") from exc


def existing_file(path: str | Path) -> Path:
    """``path`` as a :class:`Path`, or a :class:`MediaError` when it is not an existing file."""
    file = Path(path)
    if not file.exists():
        raise MediaError(f"{file}: no such file")
    if not file.is_file():
        raise MediaError(f"{file}: is not a file")
    return file


def info_from_index(index: PacketIndex) -> MediaInfo:
    """The :class:`MediaInfo` of an indexed file."""
    return MediaInfo(
        path=index.path,
        frame_count=index.frame_count,
        duration_us=index.timebase.duration_us,
        fps=index.fps,
        width=index.width,
        height=index.height,
        has_audio=index.has_audio,
        timebase=index.timebase,
    )


def open_video(
    path: str | Path,
    *,
    cache_mb: float = 256,
    thread_type: str = "AUTO",
    threads: int = 0,
) -> PyAVVideoSource:
    """Open a video file for exact frame access (PyAV backend; a :class:`VideoSource`).

    ``cache_mb`` bounds the memory of decoded frames kept for stepping back; ``thread_type``
    (``"AUTO"``, ``"FRAME"``, ``"SLICE"``, ``"NONE"``) and ``threads`` (0: FFmpeg chooses
    from the core count) tune FFmpeg's decoder. The first frame is decoded at once, so a file
    that cannot be decoded fails here with a :class:`MediaError` naming it. Calls are
    serialized by an internal lock; let one decode thread own a source (see
    :mod:`coder.media_pyav`), and ``close()`` it (or use it as a context manager) when done.
    """
    from coder.media_pyav import PyAVVideoSource  # the backend imports this module

    return PyAVVideoSource(
        existing_file(path), cache_mb=cache_mb, thread_type=thread_type, threads=threads
    )
