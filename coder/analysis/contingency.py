"""Contingent responsiveness: how often, and how fast, a target follows a given behaviour.

For a scheme's :class:`~coder.scheme.Contingency` (``given`` codes, ``target`` codes, a window
of ``window_s`` seconds) and one coding pass:

- **Event-based**: each onset of a given behaviour opens the window ``[onset, onset + window)``
  (half open: a 3 s window at 25 fps is the cue's frame and the 74 after it). The cue is
  *followed* when a target event (another event) starts inside it; its latency is that of the
  first such target. A window that runs past the end of the media is cut there and counted in
  ``n_cut`` (the cue is still counted, followed or not).
- **Time-based 2×2** (Bakeman & Quera): the observation is cut into time units (the video's
  frames by default, or fixed units of ``unit_s`` seconds); a unit is *in a window* when it
  overlaps some cue's window, and *has a target* when a target onset falls inside it. On frames
  this is exact: the window's frames are the cue's frame and those starting before it ends.
  ``a`` = in window with target, ``b`` = in window without, ``c`` = outside with target,
  ``d`` = outside without; Yule's Q = (ad − bc)/(ad + bc), NaN when ad + bc = 0.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from coder.analysis.summary import AnalysisError
from coder.model import Event
from coder.scheme import Contingency


@dataclass(frozen=True, slots=True)
class ContingencyResult:
    """One contingency over one pass (latencies in µs; ``None`` when no cue was followed)."""

    code: str
    name: str
    window_us: int
    n_given: int
    n_followed: int
    n_cut: int
    latencies_us: tuple[int, ...]
    a: int
    b: int
    c: int
    d: int
    unit: str

    @property
    def proportion(self) -> float:
        return self.n_followed / self.n_given if self.n_given else math.nan

    @property
    def latency_mean_us(self) -> float | None:
        return statistics.fmean(self.latencies_us) if self.latencies_us else None

    @property
    def latency_median_us(self) -> float | None:
        return float(statistics.median(self.latencies_us)) if self.latencies_us else None

    @property
    def yule_q(self) -> float:
        return yules_q(self.a, self.b, self.c, self.d)


def yules_q(a: float, b: float, c: float, d: float) -> float:
    """Yule's Q of a 2×2 table: (ad − bc)/(ad + bc); NaN when the denominator is zero."""
    for name, value in zip("abcd", (a, b, c, d), strict=True):
        if value < 0:
            raise AnalysisError(f"Yule's Q: cell {name} of the 2×2 table is negative ({value})")
    denominator = a * d + b * c
    return (a * d - b * c) / denominator if denominator else math.nan


def unit_starts(pts_us: np.ndarray, end_us: int, unit_s: float | None = None) -> np.ndarray:
    """Start times (µs) of the time units: the frames (``pts_us``), or fixed ``unit_s`` units
    from the first frame to ``end_us`` (the last unit may be shorter)."""
    pts = np.asarray(pts_us, dtype=np.int64)
    if pts.size == 0:
        raise AnalysisError("a contingency needs at least one frame time")
    if unit_s is None:
        return pts
    if not unit_s > 0:
        raise AnalysisError(f"the time unit must be positive, got {unit_s} s")
    step = round(unit_s * 1e6)
    return np.arange(int(pts[0]), end_us, step, dtype=np.int64)


def contingency(
    rule: Contingency,
    events: Iterable[Event],
    units_us: np.ndarray,
    end_us: int,
    unit: str = "frame",
) -> ContingencyResult:
    """The event-based counts and the time-based 2×2 table of ``rule`` over one pass.

    ``units_us`` are the unit start times (see :func:`unit_starts`), ``end_us`` the end of the
    media; ``unit`` names the unit for the record (``"frame"`` or ``"1 s"``).
    """
    window = round(rule.window_s * 1e6)
    if window <= 0:
        raise AnalysisError(f"contingency {rule.code}: the window must be positive")
    given_codes, target_codes = set(rule.given), set(rule.target)
    all_events = list(events)
    cues = sorted((e.onset.us, id(e)) for e in all_events if e.behaviour in given_codes)
    targets = sorted((e.onset.us, id(e)) for e in all_events if e.behaviour in target_codes)
    target_us = np.array([t for t, _ in targets], dtype=np.int64)
    latencies: list[int] = []
    n_cut = 0
    for onset, identity in cues:
        n_cut += onset + window > end_us
        first = int(np.searchsorted(target_us, onset, side="left"))
        for t, other in targets[first:]:
            if t >= onset + window:
                break
            if other != identity:
                latencies.append(t - onset)
                break
    cue_us = np.array([g for g, _ in cues], dtype=np.int64)
    a, b, c, d = _table(cue_us, target_us, units_us, end_us, window)
    return ContingencyResult(
        rule.code, rule.name, window, len(cues), len(latencies), n_cut, tuple(latencies),
        a, b, c, d, unit,
    )  # fmt: skip


def _table(
    cues_us: np.ndarray, targets_us: np.ndarray, starts: np.ndarray, end_us: int, window: int
) -> tuple[int, int, int, int]:
    """The 2×2 tally over units (rows: in a window or not; columns: a target onset or not)."""
    starts = np.asarray(starts, dtype=np.int64)
    if starts.size == 0:
        raise AnalysisError("a contingency needs at least one time unit")
    ends = np.append(starts[1:], np.int64(max(end_us, int(starts[-1]) + 1)))
    if cues_us.size:
        latest = np.searchsorted(cues_us, ends, side="left") - 1  # the last cue before the end
        has_cue = latest >= 0
        in_window = has_cue & (cues_us[np.maximum(latest, 0)] + window > starts)
    else:
        in_window = np.zeros(starts.size, dtype=bool)
    has_target = np.zeros(starts.size, dtype=bool)
    if targets_us.size:
        index = np.searchsorted(starts, targets_us, side="right") - 1
        has_target[index[index >= 0]] = True
    a = int(np.count_nonzero(in_window & has_target))
    b = int(np.count_nonzero(in_window & ~has_target))
    c = int(np.count_nonzero(~in_window & has_target))
    d = int(np.count_nonzero(~in_window & ~has_target))
    return a, b, c, d
