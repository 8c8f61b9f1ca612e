"""The packet index of a video stream: every frame's presentation time and the keyframes.

Built by demuxing (reading packets without decoding them), so it costs a few milliseconds per
thousand frames. Times come from the packets themselves, sorted into display order; what the
container header claims (duration, frame count, frame rate) is never trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from coder.media.source import MediaInfo
from coder.timebase import TimeBase


class IndexReadError(Exception):
    """Why a file cannot be indexed (without the path); :mod:`coder.media.source` adds the path."""


@dataclass(frozen=True, slots=True, eq=False)
class PacketIndex:
    """Display-order frame times of one video stream, in stream ticks and in µs."""

    path: Path
    stream_index: int
    time_base: Fraction
    ticks: np.ndarray
    """Presentation time of each frame in stream ticks, strictly increasing."""
    keyframes: np.ndarray
    """Display-order indices of the keyframes, increasing; the first is 0."""
    timebase: TimeBase
    width: int
    height: int
    codec: str
    header_fps: Fraction | None
    has_audio: bool

    @property
    def frame_count(self) -> int:
        return int(self.ticks.size)

    @property
    def fps(self) -> float:
        """Nominal frame rate: the header's, when it agrees with the frame times, else measured."""
        measured = self.timebase.nominal_fps
        if self.header_fps and measured > 0:
            header = float(self.header_fps)
            if abs(header - measured) <= 1e-3 * measured:
                return header
        return measured

    def keyframe_at_or_before(self, index: int) -> int:
        """The display index of the last keyframe at or before frame ``index``."""
        pos = int(np.searchsorted(self.keyframes, index, side="right")) - 1
        return int(self.keyframes[max(pos, 0)])

    def previous_keyframe(self, keyframe: int) -> int | None:
        """The keyframe before ``keyframe``, or ``None`` at the first."""
        pos = int(np.searchsorted(self.keyframes, keyframe, side="left")) - 1
        return int(self.keyframes[pos]) if pos >= 0 else None


def read_index(path: Path) -> PacketIndex:
    """Demux the first video stream of ``path`` and index its frames.

    Raises :class:`IndexReadError` with a message for people (without the path, which the caller
    adds) when the file is not a video or holds no frames.
    """
    try:
        container = av.open(str(path), "r")
    except (av.error.FFmpegError, OSError) as exc:
        raise IndexReadError(f"not a readable video file ({_cause(exc)})") from exc
    try:
        return index_container(path, container)
    finally:
        container.close()


def index_container(path: Path, container: av.container.InputContainer) -> PacketIndex:
    """Index the first video stream of an open ``container`` (read from ``path``).

    Reads to the end of the file: seek back before decoding. Raises :class:`IndexReadError`.
    """
    if not container.streams.video:
        raise IndexReadError("has no video stream")
    stream = container.streams.video[0]
    if stream.time_base is None:
        raise IndexReadError("its video stream has no time base")
    ticks: list[int] = []
    durations: list[int] = []
    key_ticks: list[int] = []
    missing = 0
    try:
        for packet in container.demux(stream):
            if packet.size == 0 or packet.is_discard:
                continue
            t = packet.pts if packet.pts is not None else packet.dts
            if t is None:
                missing += 1
                continue
            ticks.append(t)
            durations.append(packet.duration or 0)
            if packet.is_keyframe:
                key_ticks.append(t)
    except av.error.FFmpegError:
        pass  # a damaged tail: index what could be read; decoding reports the fault
    if missing and not ticks:
        ticks = _ticks_from_rate(stream, missing)
        durations = [0] * len(ticks)
        key_ticks = ticks[:1]
    if not ticks:
        raise IndexReadError("has no video frames")
    order = np.argsort(np.asarray(ticks, dtype=np.int64), kind="stable")
    sorted_ticks = np.asarray(ticks, dtype=np.int64)[order]
    keep = np.concatenate(([True], np.diff(sorted_ticks) > 0))
    sorted_ticks = sorted_ticks[keep]
    last_duration = int(np.asarray(durations, dtype=np.int64)[order][keep][-1])
    time_base = Fraction(stream.time_base)
    pts_us = ticks_to_us(sorted_ticks, time_base)
    if not key_ticks:
        key_ticks = [int(sorted_ticks[0])]
    keyframes = np.unique(np.searchsorted(sorted_ticks, np.asarray(key_ticks, dtype=np.int64)))
    if keyframes[0] != 0:
        keyframes = np.concatenate(([0], keyframes))
    end_tick = int(sorted_ticks[-1]) + (last_duration or _typical_step(sorted_ticks, stream))
    end_us = ticks_to_us(np.array([end_tick], dtype=np.int64), time_base)[0]
    if end_us <= pts_us[-1]:
        end_us = int(pts_us[-1]) + 1
    ctx = stream.codec_context
    rate = stream.average_rate or stream.guessed_rate
    return PacketIndex(
        path=path,
        stream_index=stream.index,
        time_base=time_base,
        ticks=sorted_ticks,
        keyframes=keyframes.astype(np.int64),
        timebase=TimeBase(pts_us, int(end_us)),
        width=int(ctx.width),
        height=int(ctx.height),
        codec=ctx.name,
        header_fps=Fraction(rate) if rate else None,
        has_audio=bool(container.streams.audio),
    )


def ticks_to_us(ticks: np.ndarray, time_base: Fraction) -> np.ndarray:
    """Stream ticks to whole microseconds (rounded half up), exactly."""
    num, den = time_base.numerator * 1_000_000, time_base.denominator
    biggest = int(np.abs(ticks).max()) if ticks.size else 0
    if biggest * num * 2 < 2**62:
        return (ticks * (2 * num) + den) // (2 * den)
    exact = [(int(t) * 2 * num + den) // (2 * den) for t in ticks]
    return np.asarray(exact, dtype=np.int64)


def _typical_step(ticks: np.ndarray, stream: av.VideoStream) -> int:
    if ticks.size > 1:
        return max(1, int(np.median(np.diff(ticks))))
    rate = stream.average_rate or stream.guessed_rate
    if rate:
        return max(1, round(1 / (Fraction(rate) * Fraction(stream.time_base))))
    return max(1, round(Fraction(1, 25) / Fraction(stream.time_base)))


def _ticks_from_rate(stream: av.VideoStream, count: int) -> list[int]:
    """Frame times for a stream that stores none: evenly spaced at the header's rate."""
    step = _typical_step(np.empty(0, dtype=np.int64), stream)
    return [i * step for i in range(count)]


def _cause(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return str(text).rstrip(".")


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
