"""What the player says about the video beside its time: the frame rate (a variable one with its
range) and the clock time of the frame on screen when the recording's start is known."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np

from coder.media import VideoSource
from coder.timebase import TimeBase


def is_variable(source: VideoSource) -> bool:
    """Whether ``source`` has a variable frame rate: as its probe judged it (beyond the
    rounding of the stream's time base) when it has one, else from its frame times."""
    info = getattr(source, "info", None)
    judged = getattr(info, "variable_frame_rate", None)
    return judged if isinstance(judged, bool) else source.timebase.is_variable


def rate_range(timebase: TimeBase) -> tuple[float, float]:
    """The lowest and highest frame rate (frames per second) between two frame starts.

    Only the times between frame starts count: the last frame's duration (often odd, cut where
    the recording stopped) is left out. A single frame gives its own rate twice.
    """
    steps = np.diff(timebase.pts)
    if steps.size == 0:
        rate = 1e6 / (timebase.duration_us - timebase.start_us)
        return rate, rate
    return 1e6 / int(steps.max()), 1e6 / int(steps.min())


def _fps(value: float) -> str:
    """``25``, ``29.97``, ``18.3``: at most two decimals, none that are zero."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def rate_text(source: VideoSource) -> str:
    """``"25 fps"``, or ``"VFR · 18.3–30.0 fps"`` for a variable frame rate."""
    if not is_variable(source):
        return f"{_fps(source.fps)} fps"
    low, high = rate_range(source.timebase)
    return f"VFR · {low:.1f}–{high:.1f} fps"


def rate_tip(source: VideoSource) -> str:
    """The tool tip of :func:`rate_text`."""
    if not is_variable(source):
        return "Constant frame rate"
    return (
        "Variable frame rate: frames last different times (lowest and highest rate shown). "
        "Steps and codes use each frame's own time."
    )


def clock_time(start: datetime, media_us: int) -> datetime:
    """The clock time of media time ``media_us`` in a recording that started at ``start``."""
    return start + timedelta(microseconds=int(media_us))


def clock_text(start: datetime, media_us: int) -> str:
    """``"10:15:42.250"``: the time of day of media time ``media_us``, to the millisecond."""
    moment = clock_time(start, media_us)
    return f"{moment:%H:%M:%S}.{moment.microsecond // 1000:03d}"
