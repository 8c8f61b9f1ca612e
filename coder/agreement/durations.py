"""Durations as people write them: ``1s``, ``500ms``, ``1f`` (one frame), ``2`` (seconds)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_PATTERN = re.compile(
    r"^\s*(?P<amount>\d+(?:\.\d*)?|\.\d+)\s*(?P<unit>s|sec|ms|f|frames?)?\s*$", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class Duration:
    """A span of time in microseconds, or a whole number of video frames."""

    us: int = 0
    frames: int = 0

    def __post_init__(self) -> None:
        if (self.us > 0) == (self.frames > 0) or self.us < 0 or self.frames < 0:
            raise ValueError("a duration is a positive number of µs or of frames (one of them)")

    @property
    def in_frames(self) -> bool:
        return self.frames > 0

    def __str__(self) -> str:
        if self.in_frames:
            return "1 frame" if self.frames == 1 else f"{self.frames} frames"
        if self.us % 1_000_000 == 0:
            return f"{self.us // 1_000_000} s"
        if self.us % 1000 == 0:
            return f"{self.us // 1000} ms"
        return f"{self.us / 1e6:g} s"


def parse_duration(value: str | float | Duration, what: str = "duration") -> Duration:
    """``"1s"``, ``"500ms"``, ``"1f"``/``"3 frames"``, or plain seconds (``"2"``, ``0.5``).

    A bad or non-positive value is a ValueError that names ``what``.
    """
    if isinstance(value, Duration):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _seconds(float(value), what, str(value))
    match = _PATTERN.match(str(value))
    if match is None:
        raise ValueError(
            f"{what}: {value!r} is not a duration (write e.g. 1s, 500ms, 1f for one frame, or 2)"
        )
    amount = float(match["amount"])
    unit = (match["unit"] or "s").lower()
    if unit.startswith("f"):
        if not amount.is_integer() or amount < 1:
            raise ValueError(f"{what}: {value!r} must be a whole number of frames, 1 or more")
        return Duration(frames=int(amount))
    return _seconds(amount / 1000 if unit == "ms" else amount, what, str(value))


def _seconds(seconds: float, what: str, text: str) -> Duration:
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{what}: {text!r} must be more than zero")
    us = round(seconds * 1e6)
    if us < 1:
        raise ValueError(f"{what}: {text!r} is shorter than one microsecond")
    return Duration(us=us)
