"""The frame index of a video stream: which pictures the decoder gives, in what order, when.

A frame's number is its place in the output of a plain sequential decode. The index predicts that
output from the packets, and checks the prediction before anyone relies on it:

1. **Packets** (demux only, a few ms per thousand frames): every packet that carries a picture
   (not discarded by an edit list, not a hidden VP8/VP9 frame, which the bitstream tells) is one
   frame; the decoder gives the pictures in the order of the packets' presentation times, and
   each picture carries its packet's time stamp, which is how a decoded picture is recognised.
2. **A sample decode** of the start of the file checks that prediction: the first pictures must
   come out exactly as predicted (same time stamps, same order). It also reads what only decoded
   pictures tell: rotation, interlacing.
3. **A full decode** numbers the frames when the packets cannot (time stamps in decode order,
   packed B-frames, pictures without time stamps, fields in packets of their own, hidden frames
   of other codecs, or a mismatch met later while decoding: see :mod:`coder.media.pyav`). It
   records the time stamp of every picture in output order and is kept on disk per file
   (:mod:`coder.media.index_cache`), so it is done once.

What the container header claims (duration, frame count, frame rate) is never trusted.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from coder.media import bitstream, index_cache, index_store
from coder.media.avio import (
    AV_ERRORS,
    METADATA_ERRORS,
    OPEN_OPTIONS,
    StreamT,
    cause,
    demux,
    open_container,
)
from coder.media.packet_index import PacketIndex
from coder.media.packets import NO_TS, Packets, frame_times, is_variable, seek_points, ticks_to_us
from coder.media.sample import SAMPLE_FRAMES, Sample, decode_all_ticks, decode_sample
from coder.media.source import MediaInfo
from coder.timebase import TimeBase

_FIELD_ORDERS_TOP_FIRST = {"tt", "tb", "progressive", "unknown"}


class IndexReadError(Exception):
    """Why a file cannot be indexed (without the path); :mod:`coder.media.opening` adds it."""


def read_index(
    path: Path,
    *,
    full_decode: bool = False,
    reason: str = "",
    progress: Callable[[int, int, str], None] | None = None,
    kept: bool = True,
) -> PacketIndex:
    """Index the first video stream of ``path`` (see the module notes).

    The index kept from an earlier read is used when there is one that can be trusted
    (:mod:`coder.media.index_store`; ``kept=False`` reads the file regardless), and a new one
    is kept. ``full_decode`` counts the frames by decoding the whole file (or takes that count
    from the cache), ``reason`` saying why. ``progress(done, total, text)`` hears how reading
    the packets (bytes of the file) and a full decode (packets decoded of all) go; an exception
    it raises (a cancel) stops the work, nothing stored.

    Raises :class:`IndexReadError` with a message for people
    (without the path) when the file is not a readable video or holds no frames.
    """
    if kept and not full_decode:
        found = index_store.load(path)
        if found is not None:
            return found
    target = index_store.record_path(path)
    index = _read_fresh(path, full_decode, reason, progress)
    index_store.save(index, target)
    return index


def _read_fresh(
    path: Path,
    full_decode: bool,
    reason: str,
    progress: Callable[[int, int, str], None] | None,
) -> PacketIndex:
    try:
        base = _demux(path, progress)
    except AV_ERRORS as exc:
        raise IndexReadError(f"not a readable video file ({cause(exc)})") from exc
    sample = Sample()
    try:
        decode_sample(path, base.stream_index, sample)
    except AV_ERRORS as exc:
        sample.note(f"the start of the file cannot be decoded ({cause(exc)})")
    predicted = base.predicted_ticks()
    earlier = index_cache.load(path, base.stream_index)
    if earlier is not None and earlier.size:
        return base.build(earlier, "decode", ("its frames were counted by a full decode",), sample)
    reasons = [reason] if reason else []
    if base.untimed:
        reasons.append(f"{base.untimed} of its packets carry no time stamp")
    elif sample.ticks and not sample.agrees(predicted):
        reasons.append(sample.disagreement(predicted))
    if full_decode or reasons:
        try:
            counted = decode_all_ticks(path, base.stream_index, progress, base.packets.count)
        except AV_ERRORS as exc:
            raise IndexReadError(f"cannot be decoded ({cause(exc)})") from exc
        index_cache.save(path, base.stream_index, counted)
        if counted.size:
            return base.build(counted, "decode", tuple(r for r in reasons if r), sample)
        if not predicted.size:
            raise IndexReadError("has no video frames")
        # Nothing decodes at all: keep the packet index, decoding reports the damage.
    if not predicted.size:
        raise IndexReadError("has no video frames")
    return base.build(predicted, "packets", (), sample)


@dataclass
class _Base:
    """The packets of a file and what its header says, before frames are numbered."""

    path: Path
    stream_index: int
    time_base: Fraction
    packets: Packets
    width: int
    height: int
    codec: str
    header_fps: Fraction | None
    has_audio: bool
    format_name: str
    format_flags: int
    sample_aspect: Fraction
    field_order: str
    damaged: bool = False

    @property
    def untimed(self) -> int:
        """Picture packets with no presentation time stamp."""
        p = self.packets
        frames = (p.pictures > 0) & ~p.discard
        missing = frames & (p.pts == NO_TS)
        if missing.all():
            return 0  # a raw stream without any time stamps: counted from its rate
        return int(missing.sum())

    def predicted_ticks(self) -> np.ndarray:
        """The decoder time stamps the packets predict, in output order."""
        p = self.packets
        picture = (p.pictures > 0) & ~p.discard
        ticks = np.repeat(p.pts[picture], p.pictures[picture])
        if ticks.size and (ticks == NO_TS).all():
            return np.full(ticks.size, NO_TS, dtype=np.int64)
        return np.sort(ticks[ticks != NO_TS], kind="stable")

    def build(
        self, ticks: np.ndarray, method: str, notes: tuple[str, ...], sample: Sample
    ) -> PacketIndex:
        times = frame_times(ticks, self.time_base, self.packets, self.header_fps)
        pts_us, end_us = times
        keyframes, key_packets = seek_points(ticks, self.packets, pts_us, self.time_base)
        step_us = float(self.time_base) * 1e6
        width = sample.width or self.width
        height = sample.height or self.height
        return PacketIndex(
            path=self.path,
            stream_index=self.stream_index,
            time_base=self.time_base,
            ticks=ticks,
            keyframes=keyframes,
            key_packets=key_packets,
            packets=self.packets,
            timebase=TimeBase(pts_us, end_us),
            width=width,
            height=height,
            codec=self.codec,
            header_fps=self.header_fps,
            has_audio=self.has_audio,
            format_name=self.format_name,
            format_flags=self.format_flags,
            method=method,
            notes=notes,
            rotation=sample.rotation,
            sample_aspect=self.sample_aspect,
            interlaced=sample.interlaced or self.field_order in ("tt", "bb", "tb", "bt"),
            top_field_first=self.field_order in _FIELD_ORDERS_TOP_FIRST,
            vfr=is_variable(pts_us, step_us),
            damaged=self.damaged,
        )


PROGRESS_PACKETS = 2000
"""Packets read between two progress reports while indexing."""


def _demux(path: Path, progress: Callable[[int, int, str], None] | None = None) -> _Base:
    size = path.stat().st_size
    text = f"Reading the frame index of {path.name}"
    with open_container(path) as container:
        if not container.streams.video:
            raise IndexReadError("has no video stream")
        stream = container.streams.video[0]
        if stream.time_base is None:
            raise IndexReadError("its video stream has no time base")
        ctx = stream.codec_context
        if ctx is None:
            raise IndexReadError("no decoder for its video stream (its codec is unknown to FFmpeg)")
        _require_playable_size(int(ctx.width), int(ctx.height))
        parse_pictures = bitstream.picture_counter(ctx.name)
        cols: tuple[list[int], ...] = ([], [], [], [], [], [], [])
        pts, dts, pos, key, discard, pictures, duration = cols
        damaged = False
        try:
            for packet in demux(container, stream):
                if packet.size == 0:
                    continue
                pts.append(NO_TS if packet.pts is None else packet.pts)
                dts.append(NO_TS if packet.dts is None else packet.dts)
                pos.append(-1 if packet.pos is None else packet.pos)
                key.append(packet.is_keyframe)
                discard.append(packet.is_discard)
                pictures.append(parse_pictures(bytes(packet)) if parse_pictures else 1)
                duration.append(packet.duration or 0)
                damaged = damaged or packet.is_corrupt
                if progress is not None and len(pts) % PROGRESS_PACKETS == 0:
                    progress(min(max(pos[-1], 0), size), size, text)
        except AV_ERRORS:
            damaged = True  # a damaged tail: index what could be read; decoding reports it
        if progress is not None:
            progress(size, size, text)
        if not pts:
            raise IndexReadError("has no video frames")
        rate = stream.average_rate or stream.guessed_rate
        sar = stream.sample_aspect_ratio or ctx.sample_aspect_ratio
        return _Base(
            path=path,
            stream_index=stream.index,
            time_base=Fraction(stream.time_base),
            packets=Packets(
                pts=np.asarray(pts, dtype=np.int64),
                dts=np.asarray(dts, dtype=np.int64),
                pos=np.asarray(pos, dtype=np.int64),
                key=np.asarray(key, dtype=bool),
                discard=np.asarray(discard, dtype=bool),
                pictures=np.asarray(pictures, dtype=np.int64),
                duration=np.asarray(duration, dtype=np.int64),
            ),
            width=int(ctx.width),
            height=int(ctx.height),
            codec=ctx.name,
            header_fps=Fraction(rate) if rate else None,
            has_audio=bool(container.streams.audio),
            format_name=container.format.name,
            format_flags=int(container.format.flags),
            sample_aspect=Fraction(sar) if sar and sar > 0 else Fraction(1),
            field_order=_field_order(ctx),
            damaged=damaged,
        )


MAX_PIXELS = 8192 * 4320
"""The largest picture served (8K DCI, 35 megapixels): one RGB frame of it is 106 MB."""


def _require_playable_size(width: int, height: int) -> None:
    """Refuse pictures too large to cache and show (an image posing as a video, say)."""
    if width * height > MAX_PIXELS:
        raise IndexReadError(
            f"its pictures are {width}×{height} pixels, larger than Attune shows "
            f"(at most {MAX_PIXELS / 1e6:.0f} megapixels, 8K)"
        )


def _field_order(ctx: av.VideoCodecContext) -> str:
    """``"progressive"``, ``"tt"``, ``"bb"``, ``"tb"``, ``"bt"`` or ``"unknown"``."""
    value = getattr(ctx, "field_order", None)
    if isinstance(value, str):
        return value.lower()
    names = {1: "progressive", 2: "tt", 3: "bb", 4: "tb", 5: "bt"}
    return names.get(int(value or 0), "unknown")


def info_from_index(index: PacketIndex) -> MediaInfo:
    """The :class:`MediaInfo` of an indexed file."""
    return MediaInfo(
        path=index.path,
        frame_count=index.frame_count,
        duration_us=index.timebase.duration_us,
        fps=index.fps,
        width=index.display_width,
        height=index.display_height,
        has_audio=index.has_audio,
        timebase=index.timebase,
        rotation=index.rotation,
        sample_aspect=index.display_sample_aspect,
        interlaced=index.interlaced,
        top_field_first=index.top_field_first,
        vfr=index.vfr,
        codec=index.codec,
        container=index.format_name,
        index_method=index.method,
        index_notes=index.notes,
    )


__all__ = [
    "AV_ERRORS",
    "METADATA_ERRORS",
    "NO_TS",
    "OPEN_OPTIONS",
    "SAMPLE_FRAMES",
    "IndexReadError",
    "PacketIndex",
    "Packets",
    "StreamT",
    "cause",
    "decode_all_ticks",
    "demux",
    "info_from_index",
    "is_variable",
    "open_container",
    "read_index",
    "ticks_to_us",
]
