"""The packets of a video stream and the frame times they imply: exact microseconds from
stream ticks, decode-order and shared stamps repaired, seek points, and whether the rate
varies beyond the time base's rounding."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import numpy as np

NO_TS = np.iinfo(np.int64).min


@dataclass(frozen=True, slots=True, eq=False)
class Packets:
    """The packets of one video stream in demux (decode) order."""

    pts: np.ndarray
    """Presentation time stamps in stream ticks (:data:`NO_TS` when missing)."""
    dts: np.ndarray
    """Decode time stamps in stream ticks (:data:`NO_TS` when missing)."""
    pos: np.ndarray
    """Byte position in the file (-1 when unknown)."""
    key: np.ndarray
    """Whether decoding can start at the packet."""
    discard: np.ndarray
    """Decoded as a reference only (before the start of an edit list)."""
    pictures: np.ndarray
    """How many pictures the packet yields, by its bitstream (1 when the codec does not say)."""
    duration: np.ndarray

    @property
    def count(self) -> int:
        return int(self.pts.size)


def frame_times(
    ticks: np.ndarray, time_base: Fraction, packets: Packets, header_fps: Fraction | None
) -> tuple[np.ndarray, int]:
    """Strictly increasing frame times (µs) for frames whose pictures carry ``ticks``, and the
    end of the last frame.

    Time stamps that come out of order (a file that stores decode-order time stamps) are the
    right times on the wrong pictures: the sorted stamps are the frame times. Pictures without
    a stamp get times interpolated between their neighbours; pictures sharing one stamp are
    spread evenly up to the next.
    """
    n = ticks.size
    tb_us = float(time_base) * 1e6
    known = ticks != NO_TS
    step = _typical_step(ticks[known], packets, time_base, header_fps)
    values = ticks.astype(np.float64)
    if not known.any():
        values = np.arange(n, dtype=np.float64) * step
        known = np.ones(n, dtype=bool)
    elif np.any(np.diff(ticks[known]) < 0):
        values[known] = np.sort(ticks[known])
    values[~known] = np.nan
    values = _fill_missing(values, step)
    values = _spread_ties(values, step)
    us = _exact_us(values, time_base, tb_us)
    for i in range(1, n):  # never two frames at one microsecond
        if us[i] <= us[i - 1]:
            us[i] = us[i - 1] + 1
    last = _last_duration(ticks, packets)
    end = _exact_us(np.array([values[-1] + (last or step)]), time_base, tb_us)[0]
    end = max(int(end), int(us[-1]) + 1)
    return us, end


def _exact_us(values: np.ndarray, time_base: Fraction, tb_us: float) -> np.ndarray:
    """Ticks (whole where they came from the file) to whole µs, rounded half up, exactly."""
    whole = np.all(values == np.round(values)) and np.abs(values).max() < 2**62
    if whole:
        return ticks_to_us(values.astype(np.int64), time_base)
    return np.floor(values * tb_us + 0.5).astype(np.int64)


def _fill_missing(values: np.ndarray, step: float) -> np.ndarray:
    missing = np.isnan(values)
    if not missing.any():
        return values
    idx = np.arange(values.size)
    good = ~missing
    filled = values.copy()
    filled[missing] = np.interp(idx[missing], idx[good], values[good])
    first, last = idx[good][0], idx[good][-1]
    filled[:first] = values[first] - step * (first - idx[:first])
    filled[last + 1 :] = values[last] + step * (idx[last + 1 :] - last)
    return filled


def _spread_ties(values: np.ndarray, step: float) -> np.ndarray:
    out = values.copy()
    n = values.size
    i = 0
    while i < n:
        j = i
        while j + 1 < n and values[j + 1] == values[i]:
            j += 1
        if j > i:
            following = values[j + 1] if j + 1 < n else values[i] + step
            span = (following - values[i]) / (j - i + 1)
            for k in range(i, j + 1):
                out[k] = values[i] + span * (k - i)
        i = j + 1
    return out


def _typical_step(
    known: np.ndarray, packets: Packets, time_base: Fraction, header_fps: Fraction | None
) -> float:
    if known.size > 1:
        steps = np.diff(np.unique(known))
        if steps.size:
            return float(max(1, np.median(steps)))
    durations = packets.duration[packets.duration > 0]
    if durations.size:
        return float(np.median(durations))
    rate = header_fps or Fraction(25)
    return float(max(1, round(1 / (rate * time_base))))


def _last_duration(ticks: np.ndarray, packets: Packets) -> int:
    """The duration of the packet whose picture is shown last, when the container says."""
    if not ticks.size or ticks[-1] == NO_TS:
        return 0
    last = int(np.max(ticks[ticks != NO_TS]))
    match = np.nonzero(packets.pts == last)[0]
    return int(packets.duration[match[-1]]) if match.size else 0


def seek_points(
    ticks: np.ndarray, packets: Packets, pts_us: np.ndarray, time_base: Fraction
) -> tuple[np.ndarray, np.ndarray]:
    """Seek points: for each keyframe packet, the first frame decoding from it reaches.

    A keyframe's own picture carries its packet's time stamp; a keyframe that is no frame (an
    edit list discards it) starts the frames after its time. The start of the file is always
    the first seek point. Keyframe packets without a time stamp are not used.
    """
    first: dict[int, int] = {}
    for i, tick in enumerate(ticks.tolist()):
        if tick != NO_TS:
            first.setdefault(tick, i)
    sorted_times = np.sort(ticks[ticks != NO_TS])
    shared = {t for t, c in zip(*np.unique(ticks, return_counts=True), strict=True) if c > 1}
    frames: list[int] = [0]
    starts: list[int] = [0]
    for number in np.nonzero(packets.key)[0].tolist():
        tick = int(packets.pts[number])
        if tick == NO_TS or tick in shared:
            continue  # a picture not recognisable by its time stamp cannot anchor a seek
        at = first.get(tick)
        if at is None or packets.discard[number] or packets.pictures[number] == 0:
            at = int(np.searchsorted(sorted_times, tick, side="right"))
            if at >= ticks.size:
                continue
        if at > frames[-1]:
            frames.append(at)
            starts.append(number)
        elif at == frames[-1] == 0 and len(frames) == 1:
            starts[0] = number  # the first keyframe: decoding starts there, not at packet 0
    if starts[0] != 0 and not _begins_frames(starts[0], packets):
        starts[0] = 0
    return np.asarray(frames, dtype=np.int64), np.asarray(starts, dtype=np.int64)


def _begins_frames(number: int, packets: Packets) -> bool:
    """Whether no picture packet before packet ``number`` is shown (so decoding may start
    there for frame 0)."""
    before = (packets.pictures[:number] > 0) & ~packets.discard[:number]
    return not before.any()


def is_variable(pts_us: np.ndarray, tick_us: float) -> bool:
    """Whether frame times vary beyond what rounding to the stream's time base explains.

    A constant rate stored in a coarse time base (Matroska, WebM and ASF store milliseconds)
    has steps that differ by one tick (33 and 34 ms at 29.97 fps), but every frame stays
    within a tick of an evenly spaced line; real variation (a phone, a dropped frame) does not.
    """
    n = pts_us.size
    if n < 3:
        return False
    t = pts_us.astype(np.float64)
    slope = (t[-1] - t[0]) / (n - 1)
    drift = np.abs(t - (t[0] + slope * np.arange(n))).max()
    return bool(drift > max(2.0, tick_us + 1.0))


def ticks_to_us(ticks: np.ndarray, time_base: Fraction) -> np.ndarray:
    """Stream ticks to whole microseconds (rounded half up), exactly."""
    num, den = time_base.numerator * 1_000_000, time_base.denominator
    biggest = int(np.abs(ticks).max()) if ticks.size else 0
    if biggest * num * 2 < 2**62:
        return (ticks * (2 * num) + den) // (2 * den)
    exact = [(int(t) * 2 * num + den) // (2 * den) for t in ticks]
    return np.asarray(exact, dtype=np.int64)
