"""Where things are on the timeline: frames to x, rows to y, and the time ruler's ticks."""

from __future__ import annotations

import math
from dataclasses import dataclass

from coder.timebase import TimeBase

TICK_STEPS_US = (
    10_000,
    20_000,
    50_000,
    100_000,
    200_000,
    500_000,
    1_000_000,
    2_000_000,
    5_000_000,
    10_000_000,
    15_000_000,
    30_000_000,
    60_000_000,
    120_000_000,
    300_000_000,
    600_000_000,
    900_000_000,
    1_800_000_000,
    3_600_000_000,
)
"""Candidate distances between labelled ruler ticks."""


@dataclass(frozen=True, slots=True)
class Geometry:
    """One layout of the timeline. The x axis is linear in frames (exact for VFR video);
    ``first`` is the (fractional) frame at the plot's left edge, ``ppf`` pixels per frame."""

    width: int
    height: int
    label_width: int
    ruler_height: int
    band_height: int
    row_height: int
    plot_right: int
    plot_bottom: int
    first: float
    ppf: float
    y_scroll: int
    frame_count: int

    @property
    def plot_left(self) -> int:
        return self.label_width

    @property
    def plot_width(self) -> int:
        return max(1, self.plot_right - self.label_width)

    @property
    def rows_top(self) -> int:
        return self.ruler_height + self.band_height

    def x_of(self, frame: float) -> float:
        """x of the left edge of ``frame`` (``frame_count`` is the end of the video)."""
        return self.label_width + (frame - self.first) * self.ppf

    def position_at(self, x: float) -> float:
        """The fractional frame position under ``x``."""
        return self.first + (x - self.label_width) / self.ppf

    def frame_at(self, x: float) -> int:
        """The frame whose cell contains ``x``, clamped to the video."""
        frame = math.floor(self.position_at(x))
        return min(max(frame, 0), self.frame_count - 1)

    def boundary_at(self, x: float) -> int:
        """The frame boundary nearest ``x`` (0 .. ``frame_count``), where an edge can go."""
        return min(max(round(self.position_at(x)), 0), self.frame_count)

    def visible_frames(self) -> tuple[int, int]:
        """Frames ``first``..``last`` (exclusive) that are at least partly in the plot."""
        first = max(0, math.floor(self.first))
        last = min(self.frame_count, math.ceil(self.position_at(self.plot_right)) + 1)
        return first, max(first, last)

    def row_top(self, row: int) -> int:
        return self.rows_top + row * self.row_height - self.y_scroll

    def row_at(self, y: float) -> int | None:
        """The row index under ``y`` (may be past the last row), or None above the rows."""
        if y < self.rows_top or y >= self.plot_bottom:
            return None
        return int((y - self.rows_top + self.y_scroll) // self.row_height)

    def in_plot(self, x: float) -> bool:
        return self.label_width <= x < self.plot_right


def format_tick(us: int, step_us: int) -> str:
    """A ruler label: ``m:ss`` (``h:mm:ss`` past an hour) with as many decimals as ``step_us``
    needs."""
    decimals = 0 if step_us >= 1_000_000 else (1 if step_us >= 100_000 else 2)
    total_s, rest_us = divmod(us, 1_000_000)
    hours, rest = divmod(total_s, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    if decimals:
        fraction = rest_us // 10 ** (6 - decimals)
        text += f".{fraction:0{decimals}d}"
    return text


def frame_position(timebase: TimeBase, us: int) -> float:
    """Where time ``us`` falls on the frame axis: the frame on screen plus the elapsed part of
    it (so ticks sit at their true instant on VFR video too)."""
    if us >= timebase.duration_us:
        return float(timebase.frame_count)
    frame = timebase.index_at(us)
    start, end = timebase.pts_us(frame), timebase.end_us(frame)
    return frame + max(0.0, min(1.0, (us - start) / (end - start)))


def ruler_ticks(
    geometry: Geometry, timebase: TimeBase, min_spacing: float
) -> tuple[int, list[tuple[float, str]]]:
    """The tick step (µs) and the labelled ticks ``(frame position, label)`` in view, at least
    ``min_spacing`` pixels apart on average."""
    count = timebase.frame_count
    us_per_frame = max(1.0, (timebase.duration_us - timebase.start_us) / max(1, count))
    step = TICK_STEPS_US[-1]
    for candidate in TICK_STEPS_US:
        if candidate / us_per_frame * geometry.ppf >= min_spacing:
            step = candidate
            break
    first, last = geometry.visible_frames()
    if last <= first:
        return step, []
    start_us = timebase.pts_us(first)
    end_us = timebase.pts_us(last) if last < count else timebase.duration_us
    ticks = [
        (frame_position(timebase, n * step), format_tick(n * step, step))
        for n in range(math.ceil(start_us / step), end_us // step + 1)
    ]
    return step, ticks
