"""The decoding loop of :class:`coder.media.pyav.PyAVVideoSource`: pictures out of packets, each
recognised as a frame of the index and checked against it, kept in the frame cache.

:class:`Decoding` holds the decoder's state and the steps that read it (see the notes of
:mod:`coder.media.pyav` for what is checked and why); the source builds seeking, serving and
repairing on it.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import av
import numpy as np

from coder.media.demuxer import Demuxer
from coder.media.frame_cache import FrameCache
from coder.media.index import AV_ERRORS, PacketIndex, cause
from coder.media.packets import NO_TS

DRAIN_PACKETS = 64
"""Packets fed at most before frame 0's own when decoding it by draining."""


class Mismatch(Exception):
    """The decoder's output contradicts the index (the message says how, for people)."""


class StartMissed(Exception):
    """Decoding from a keyframe did not give its picture first (try an earlier start)."""


class Decoding:
    """Decoder state, and recognising, checking and keeping the pictures it gives."""

    _index: PacketIndex
    _demuxer: Demuxer
    _cache: FrameCache
    _next: int | None
    """The frame the decoder gives next, once one is known."""
    _floor: int
    """Frames before the keyframe started at are leading pictures."""
    _skip_below: int
    """Packets of frames before this may skip non-reference pictures."""
    _fault: str | None
    _faults: int
    """Decoding errors met so far."""
    _bad: dict[int, str]
    _counting: bool
    """Pictures are placed by counting (stamps missing or shared), not by stamp alone."""
    frames_decoded: int

    @property
    def frame_count(self) -> int:
        return self._index.frame_count

    def _first_by_draining(self) -> bool:
        """Decode frame 0 by feeding the packets up to its own and draining the decoder.

        A decoder that reorders pictures gives the first one only after several more packets
        (with frame threads, one per thread): draining gets it after its own, which halves the
        time an open takes. Frame 0 is kept in compact form and the decoder is left drained (the
        next start lands afresh). ``False``, nothing kept, when the picture that comes out
        first is not frame 0's (leading pictures, stamps that do not tell): decode as usual.
        """
        index = self._index
        tick = int(index.ticks[0])
        if tick == NO_TS or not index.unique_ticks:
            return False
        packets = self._demuxer.land(int(index.key_packets[0]))
        if packets is None:
            return False
        pictures: list[av.VideoFrame] = []
        try:
            for count, packet in enumerate(packets):
                pictures += packet.decode()
                if packet.pts == tick or count >= DRAIN_PACKETS:
                    break
            pictures += self._demuxer.stream.codec_context.decode(None)
        except AV_ERRORS:
            return False
        self.frames_decoded += len(pictures)
        if not pictures or pictures[0].pts != tick:
            return False
        self._keep(0, pictures[0])
        return True

    def _packet_frame(self, packet: av.Packet[Any]) -> int | None:
        """The frame a packet's picture is, by its time stamp (for skipping decisions)."""
        found = self._index.frames_with_tick(packet.pts)
        return found[0] if len(found) == 1 else None

    def _identify(self, frame: av.VideoFrame) -> int | None:
        """The frame a decoded picture is: by its time stamp, or by counting on.

        ``None`` for a picture that cannot be placed yet (no time stamp before any picture was
        recognised since the start). Raises :class:`Mismatch` for a time stamp the index has no
        frame for.
        """
        found = self._index.frames_with_tick(frame.pts)
        if len(found) == 1:
            return found[0]
        nxt = self._next
        if found:  # several frames carry this time stamp: count
            if nxt is not None:
                later = [i for i in found if i >= nxt]
                return later[0] if later else found[-1]
            return next((i for i in found if i >= self._floor), found[-1])
        if frame.pts is None and self._counting:
            return nxt  # pictures without time stamps follow the last recognised one
        stamp = "no time stamp" if frame.pts is None else f"time stamp {frame.pts}"
        if nxt is None:
            # Right after a start, some decoders mislabel the pictures around leading ones
            # they drop (MPEG-2 open groups); an earlier start decodes through.
            raise StartMissed(f"decoding from frame {self._floor} gave a picture with {stamp}")
        raise Mismatch(f"the decoder gave a picture with {stamp}, which no frame of the index has")

    def _check_order(self, found: int) -> None:
        """Verify that frame ``found`` is the one the index expects next."""
        nxt = self._next
        if nxt is None:  # the first picture since the start
            if found == self._floor or found <= self._skip_below:
                return  # the keyframe, or a later one after skipped non-reference pictures
            if self._fault is not None:
                self._note_gap(self._floor, found)
                return
            raise StartMissed(
                f"decoding from frame {self._floor} gave frame {found} first"
                " (a picture the index counts never came)"
            )
        if found == nxt:
            return
        if found < nxt:
            raise Mismatch(
                f"the decoder gave frame {found} after frame {nxt - 1}: its pictures do not come"
                " out in the order of their time stamps"
            )
        gap_from = max(nxt, self._skip_below)
        if found <= gap_from:
            return  # non-reference pictures skipped on purpose
        if self._fault is not None:
            self._note_gap(gap_from, found)
            return
        raise Mismatch(
            f"the decoder gave no picture for frame {gap_from} (it went on with frame {found}):"
            " a packet the index counts as a picture holds none"
        )

    def _decoded_frames(self, packets: Iterator[av.Packet[Any]]) -> Iterator[av.VideoFrame]:
        """Frames from ``packets``; faults are recorded, not raised."""
        ctx = self._demuxer.stream.codec_context
        skipping = False
        while True:
            try:
                packet = next(packets)
            except StopIteration:
                return
            except AV_ERRORS as exc:
                self._fault = f"reading failed ({cause(exc)})"
                self._faults += 1
                yield from self._drain()
                return
            if self._skip_below > 0:
                found = self._packet_frame(packet)
                skip = found is not None and found < self._skip_below
            else:
                skip = False
            if skip != skipping:
                ctx.skip_frame = "NONREF" if skip else "DEFAULT"
                skipping = skip
            try:
                frames = packet.decode()
            except AV_ERRORS as exc:
                # With frame threading the error may belong to an earlier packet; the frame it
                # spoilt shows up as a gap in the output (see _note_gap).
                self._fault = f"damaged video data ({cause(exc)})"
                self._faults += 1
                continue
            for frame in frames:
                self.frames_decoded += 1
                yield frame

    def _note_gap(self, first: int, stop: int) -> None:
        """Frames ``first`` to ``stop - 1`` never came out of the decoder after a decoding
        fault: record them, and the rest of their group (it may refer to the lost frame), as
        undecodable rather than serve them with concealed errors; frames decoded before the
        fault stay valid."""
        lost = self._fault or "the decoder produced no picture for it"
        for found in range(first, stop):
            self._bad.setdefault(found, lost)
        nxt = self._index.next_keyframe(first)
        reason = f"it depends on damaged video data at frame {first}"
        for found in range(stop, nxt if nxt is not None else self.frame_count):
            if found not in self._cache:
                self._bad.setdefault(found, reason)

    def _drain(self) -> Iterator[av.VideoFrame]:
        """Frames still held by the decoder after the input stopped."""
        try:
            frames = self._demuxer.stream.codec_context.decode(None)
        except AV_ERRORS:
            return
        for frame in frames:
            self.frames_decoded += 1
            yield frame

    def _keep(self, index: int, frame: av.VideoFrame) -> None:
        """Keep a decoded picture in compact form (the decoder's own planes, no conversion)."""
        if self._cache.compact(index) is None:
            nbytes = sum(plane.buffer_size for plane in frame.planes)
            self._cache.put_compact(index, frame, nbytes)

    def _cached_rgb(self, index: int) -> np.ndarray | None:
        """Frame ``index`` as RGB from the cache: kept so, or converted from its compact form."""
        found = self._cache.rgb(index)
        if found is not None:
            return found
        compact = self._cache.compact(index)
        if compact is None:
            return None
        assert isinstance(compact, av.VideoFrame)
        return self._cache.put_rgb(index, self._to_rgb(compact))

    def _to_rgb(self, frame: av.VideoFrame) -> np.ndarray:
        """The frame as upright RGB, in memory recycled from the cache when there is some."""
        width, height = self._index.width, self._index.height
        if frame.width == width and frame.height == height:
            rgb = frame.to_ndarray(format="rgb24")
        else:
            rgb = frame.to_ndarray(format="rgb24", width=width, height=height)
        turns = self._index.rotation // 90
        if turns:
            rgb = np.rot90(rgb, turns)
        target = self._cache.reserve(rgb.shape)
        if target is None:
            target = np.empty(rgb.shape, dtype=np.uint8)
        np.copyto(target, rgb)
        return target
