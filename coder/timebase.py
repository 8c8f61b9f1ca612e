"""Frame index <-> presentation time, exact for constant and variable frame rates.

A :class:`TimeBase` holds the presentation timestamp (µs) of every frame of a stream, in
display order. Frame ``i`` is on screen from ``pts_us(i)`` until ``pts_us(i + 1)`` (the last
frame until ``duration_us``). Times never come from ``fps × n``.

NumPy is imported by the methods that need it, so that a command that only lists a project
(``attune info``, which never makes a time base) starts without loading it.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np


class TimeBase:
    """Per-frame presentation times of one video stream."""

    __slots__ = ("_duration_us", "_pts")

    def __init__(self, pts_us: Sequence[int] | np.ndarray, duration_us: int | None = None) -> None:
        import numpy as np

        pts = np.asarray(pts_us, dtype=np.int64)
        if pts.ndim != 1 or pts.size == 0:
            raise ValueError("a time base needs at least one frame time")
        if np.any(np.diff(pts) <= 0):
            raise ValueError("frame times must strictly increase")
        self._pts = pts
        if duration_us is None:
            step = int(np.median(np.diff(pts))) if pts.size > 1 else 40_000
            duration_us = int(pts[-1]) + step
        if duration_us <= pts[-1]:
            raise ValueError("duration must end after the last frame starts")
        self._duration_us = int(duration_us)

    @classmethod
    def constant(cls, frame_count: int, fps: float, start_us: int = 0) -> TimeBase:
        """A constant-frame-rate time base (frame ``i`` at ``start + round(i * 1e6 / fps)``)."""
        import numpy as np

        pts = start_us + np.round(np.arange(frame_count) * (1e6 / fps)).astype(np.int64)
        return cls(pts, start_us + round(frame_count * 1e6 / fps))

    @property
    def frame_count(self) -> int:
        return int(self._pts.size)

    @property
    def duration_us(self) -> int:
        """End of the last frame (µs)."""
        return self._duration_us

    @property
    def start_us(self) -> int:
        return int(self._pts[0])

    @property
    def pts(self) -> np.ndarray:
        """A read-only view of all frame times (µs)."""
        view = self._pts.view()
        view.flags.writeable = False
        return view

    @property
    def nominal_fps(self) -> float:
        """Frames per second over the whole stream (an average; exact only for CFR)."""
        span = self._duration_us - int(self._pts[0])
        return self.frame_count * 1e6 / span if span > 0 else 0.0

    @property
    def is_variable(self) -> bool:
        """True when frame durations differ by more than 1 µs rounding (variable frame rate)."""
        import numpy as np

        if self._pts.size < 3:
            return False
        steps = np.diff(self._pts)
        return int(steps.max() - steps.min()) > 2

    def pts_us(self, index: int) -> int:
        """Presentation time of frame ``index``."""
        if not 0 <= index < self._pts.size:
            raise IndexError(f"frame {index} is outside 0..{self._pts.size - 1}")
        return int(self._pts[index])

    def end_us(self, index: int) -> int:
        """Time at which frame ``index`` leaves the screen."""
        if index + 1 < self._pts.size:
            return self.pts_us(index + 1)
        self.pts_us(index)
        return self._duration_us

    def index_at(self, us: int) -> int:
        """The frame on screen at time ``us`` (clamped to the first and last frame)."""
        import numpy as np

        i = int(np.searchsorted(self._pts, us, side="right")) - 1
        return min(max(i, 0), self._pts.size - 1)

    def frame_at_position(self, kind: str, value: int) -> int:
        """The frame a typed position means (see :func:`coder.timefmt.parse_position`):
        ``("frame", n)`` itself, ``("us", t)`` the frame on screen at ``t``. Raises
        ``ValueError`` for a place outside the video."""
        count = self.frame_count
        if kind == "frame":
            if not 0 <= value < count:
                raise ValueError(f"frame {value} is not in this video (frames 0–{count - 1})")
            return value
        if not 0 <= value <= self.duration_us:
            end = self.duration_us / 1e6
            raise ValueError(f"{value / 1e6:g} s is not in this video (it lasts {end:.3f} s)")
        return self.index_at(value)

    def to_bytes(self) -> bytes:
        """A compact, portable encoding (zlib of little-endian int64 deltas) for storage."""
        import numpy as np

        deltas = np.diff(self._pts, prepend=np.int64(0)).astype("<i8")
        tail = np.array([self._duration_us], dtype="<i8").tobytes()
        return zlib.compress(deltas.tobytes() + tail, 6)

    @classmethod
    def from_bytes(cls, data: bytes) -> TimeBase:
        import numpy as np

        raw = np.frombuffer(zlib.decompress(data), dtype="<i8")
        return cls(np.cumsum(raw[:-1]), int(raw[-1]))

    def __eq__(self, other: object) -> bool:
        import numpy as np

        if not isinstance(other, TimeBase):
            return NotImplemented
        return self._duration_us == other._duration_us and np.array_equal(self._pts, other._pts)

    def __repr__(self) -> str:
        kind = "VFR" if self.is_variable else "CFR"
        return f"TimeBase({self.frame_count} frames, {self._duration_us} µs, {kind})"
