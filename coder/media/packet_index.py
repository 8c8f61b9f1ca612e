"""The frame index of one video stream, as a record: what :mod:`coder.media.index` reads from
a file and :mod:`coder.media.index_store` keeps on disk."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path

import numpy as np

from coder.media.packets import NO_TS, Packets
from coder.timebase import TimeBase


@dataclass(frozen=True, slots=True, eq=False)
class PacketIndex:
    """The frames of one video stream: their decoder time stamps, times and keyframes."""

    path: Path
    stream_index: int
    time_base: Fraction
    ticks: np.ndarray
    """The time stamp (stream ticks) each frame's picture carries out of the decoder, in frame
    order; :data:`NO_TS` for a picture without one. Usually increasing; not when a file's time
    stamps are in decode order, and two frames may share one."""
    keyframes: np.ndarray
    """Frame numbers at which decoding from a seek point starts, increasing; the first is 0."""
    key_packets: np.ndarray
    """For each entry of ``keyframes``, the demux number of the packet decoding starts at."""
    packets: Packets
    timebase: TimeBase
    width: int
    """Coded width (before rotation)."""
    height: int
    """Coded height (before rotation)."""
    codec: str
    header_fps: Fraction | None
    has_audio: bool
    format_name: str = ""
    format_flags: int = 0
    method: str = "packets"
    """``"packets"`` (predicted from packets, checked on a sample) or ``"decode"`` (counted by
    a full decode)."""
    notes: tuple[str, ...] = ()
    """Why the frames were counted by a full decode, for people."""
    rotation: int = 0
    """Degrees (0, 90, 180, 270) to turn the coded picture counter-clockwise to show it."""
    sample_aspect: Fraction = Fraction(1)
    """Shape of one coded pixel (width / height), before rotation."""
    interlaced: bool = False
    top_field_first: bool = True
    vfr: bool = False
    damaged: bool = False
    """The demuxer met torn or unreadable packets (a truncated or damaged file)."""
    kept: bool = False
    """Read from the index kept on disk (:mod:`coder.media.index_store`), not from the file."""
    _order: np.ndarray = field(init=False, repr=False)
    _sorted: np.ndarray = field(init=False, repr=False)
    _unique: bool = field(init=False, repr=False)

    def __post_init__(self) -> None:
        # Frames by time stamp, for recognising decoded pictures: a sorted copy searched in
        # O(log n), so that a long file's index is ready at once (no table of every frame).
        ticks = self.ticks
        if ticks.size < 2 or bool(np.all(ticks[1:] > ticks[:-1])):
            order = np.arange(ticks.size, dtype=np.int64)
        else:
            order = np.argsort(ticks, kind="stable")
        ordered = ticks[order]
        known = ordered != NO_TS
        order, ordered = order[known], ordered[known]
        unique = ordered.size == ticks.size and bool(np.all(ordered[1:] > ordered[:-1]))
        object.__setattr__(self, "_order", order)
        object.__setattr__(self, "_sorted", ordered)
        object.__setattr__(self, "_unique", unique)

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

    @property
    def display_width(self) -> int:
        return self.height if self.rotation in (90, 270) else self.width

    @property
    def display_height(self) -> int:
        return self.width if self.rotation in (90, 270) else self.height

    @property
    def display_sample_aspect(self) -> Fraction:
        sar = self.sample_aspect
        return 1 / sar if self.rotation in (90, 270) and sar else sar

    @property
    def unique_ticks(self) -> bool:
        """Whether every frame is recognisable by its time stamp alone."""
        return self._unique

    def frames_with_tick(self, tick: int | None) -> tuple[int, ...]:
        """The frames whose pictures carry time stamp ``tick`` (none for an unknown one),
        increasing."""
        if tick is None or tick == NO_TS:
            return ()
        ordered = self._sorted
        lo = int(ordered.searchsorted(tick, side="left"))
        if lo >= ordered.size or ordered[lo] != tick:
            return ()
        if self._unique:
            return (int(self._order[lo]),)
        hi = int(ordered.searchsorted(tick, side="right"))
        return tuple(int(i) for i in self._order[lo:hi])

    def keyframe_at_or_before(self, index: int) -> int:
        """The frame number of the last keyframe entry at or before frame ``index``."""
        pos = int(np.searchsorted(self.keyframes, index, side="right")) - 1
        return int(self.keyframes[max(pos, 0)])

    def previous_keyframe(self, keyframe: int) -> int | None:
        """The keyframe entry before ``keyframe``, or ``None`` at the first."""
        pos = int(np.searchsorted(self.keyframes, keyframe, side="left")) - 1
        return int(self.keyframes[pos]) if pos >= 0 else None

    def next_keyframe(self, index: int) -> int | None:
        """The first keyframe entry after frame ``index``, or ``None``."""
        pos = int(np.searchsorted(self.keyframes, index, side="right"))
        return int(self.keyframes[pos]) if pos < self.keyframes.size else None

    def seek_packet(self, keyframe: int) -> int:
        """The demux number of the packet decoding for keyframe entry ``keyframe`` starts at."""
        pos = int(np.searchsorted(self.keyframes, keyframe, side="left"))
        return int(self.key_packets[pos])


# --- building ------------------------------------------------------------------------------------
