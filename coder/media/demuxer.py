"""The open file of a video source, and seeks that land at or before a packet of its index.

A seek is accepted only when the demuxer lands at or before the keyframe's own packet
(recognised by position and time stamps); packets before it are skipped unread by the decoder.
Each container is sought the way its demuxer indexes: MP4/MOV and Matroska by presentation time,
AVI and most others by decode time, MPEG-TS/PS (no index; time stamps may jump) by byte
position, and when nothing lands right, from the start of the file. What worked is remembered
per keyframe, and the way that worked is tried first from then on.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import av
import numpy as np

from coder.media.index import AV_ERRORS, PacketIndex, cause, demux, open_container
from coder.media.packets import NO_TS
from coder.media.source import MediaError

_TS_DISCONT = 0x0200  # AVFMT_TS_DISCONT: MPEG-TS/PS, time stamps may jump, no index
_NO_BYTE_SEEK = 0x8000  # AVFMT_NO_BYTE_SEEK
_SEEK_TO_PTS = 0x4000000  # AVFMT_SEEK_TO_PTS: the demuxer seeks by presentation time
_PTS_INDEXED = ("matroska", "webm", "asf")
_SCAN_LIMIT = 20_000
"""Packets read after a seek looking for the keyframe's own packet, at most."""

_CONFIGURE_ERRORS: tuple[type[BaseException], ...] = (*AV_ERRORS, IndexError)
"""A stream missing from the file as opened again counts as a file that cannot be decoded."""

START = "start"
"""The landing that reads the file again from its start (always lands, at a cost)."""


class Demuxer:
    """The container and video stream of a source, with its decoder set up."""

    def __init__(self, path: Path, index: PacketIndex, thread_type: str, threads: int) -> None:
        """Open ``path``; raises :class:`MediaError` naming it when it cannot be read."""
        self._path = path
        self._thread_type = thread_type
        self._threads = threads
        self.landed: dict[int, str] = {}
        """Packet number -> the seek method that lands on it."""
        self.adopt(index)
        self._container, self._stream = self._open()
        self._fresh = True  # nothing read yet: reading from the start needs no reopening

    @property
    def stream(self) -> av.VideoStream:
        """The video stream being decoded (a new object after a landing at the start)."""
        return self._stream

    def adopt(self, index: PacketIndex) -> None:
        """Recognise packets by ``index`` (a new index forgets what landed where)."""
        self._index = index
        pos = index.packets.pos
        # Packets by byte position, searched in O(log n) (a long file is ready at once).
        if pos.size < 2 or bool(np.all(pos[1:] >= pos[:-1])):
            self._pos_order = np.arange(pos.size, dtype=np.int64)
        else:
            self._pos_order = np.argsort(pos, kind="stable")
        self._pos_sorted = pos[self._pos_order]
        self._unplaced: dict[tuple[int, int], int] | None = None  # packets without a position
        self._methods = seek_methods(index.format_name, index.format_flags)
        self.landed = {}

    def land(self, number: int) -> Iterator[av.Packet[Any]] | None:
        """Packets from packet ``number`` on (demux order), by the first seek that lands at or
        before it, from the start of the file when none does; ``None`` when even reading from
        the start never meets that packet (the file is not what was indexed)."""
        known = self.landed.get(number)
        methods = [known] if known else [*self._methods, START]
        for method in methods:
            packets = self._try_landing(method, number)
            if packets is not None:
                self.landed[number] = method
                if method != START and method != self._methods[0]:
                    self._methods.remove(method)
                    self._methods.insert(0, method)  # this demuxer lands that way
                return packets
        if known:
            del self.landed[number]
            return self.land(number)
        return None

    def close(self) -> None:
        self._container.close()

    def _try_landing(self, method: str, number: int) -> Iterator[av.Packet[Any]] | None:
        packets_info = self._index.packets
        try:
            if method == START or number == 0:
                if not self._fresh:
                    self._reopen()
            elif method == "byte":
                pos = int(packets_info.pos[number])
                if pos < 0 or self._index.format_flags & _NO_BYTE_SEEK:
                    return None
                self._container.seek(pos, unsupported_byte_offset=True)
            else:
                stamps = packets_info.pts if method == "pts" else packets_info.dts
                target = int(stamps[number])
                if target == NO_TS:
                    return None
                self._container.seek(target, stream=self._stream, backward=True)
            self._fresh = False
            packets = demux(self._container, self._stream)
            limit = None if method == START or number == 0 else _SCAN_LIMIT
            for _ in itertools.count() if limit is None else range(limit):
                packet = next(packets, None)
                if packet is None:
                    return None
                if packet.size == 0:
                    continue
                where = self._compare(packet, number)
                if where == 0:
                    return itertools.chain([packet], packets)
                if where is None or where > 0:
                    return None  # landed past the keyframe: this way does not work here
        except AV_ERRORS:
            return None
        return None

    def _compare(self, packet: av.Packet[Any], number: int) -> int | None:
        """-1, 0 or 1 as ``packet`` comes before, is, or comes after packet ``number``."""
        pos = -1 if packet.pos is None else packet.pos
        pts = NO_TS if packet.pts is None else packet.pts
        dts = NO_TS if packet.dts is None else packet.dts
        found = self._find(pos, pts, dts)
        if found is not None:
            return (found > number) - (found < number)
        target = int(self._index.packets.pos[number])
        if pos >= 0 and target >= 0:
            return -1 if pos < target else 1
        return None

    def _find(self, pos: int, pts: int, dts: int) -> int | None:
        """The demux number of the packet at byte ``pos`` with these time stamps (the first
        such), or of the only packet at ``pos``; ``None`` when the index has none."""
        packets = self._index.packets
        if pos < 0:
            if self._unplaced is None:
                self._unplaced = {}
                for n in np.nonzero(packets.pos < 0)[0].tolist():
                    key = (int(packets.pts[n]), int(packets.dts[n]))
                    self._unplaced.setdefault(key, n)
            return self._unplaced.get((pts, dts))
        lo = int(self._pos_sorted.searchsorted(pos, side="left"))
        hi = int(self._pos_sorted.searchsorted(pos, side="right"))
        for n in self._pos_order[lo:hi].tolist():
            if packets.pts[n] == pts and packets.dts[n] == dts:
                return int(n)
        return int(self._pos_order[lo]) if hi - lo == 1 else None

    def _open(self) -> tuple[av.container.InputContainer, av.VideoStream]:
        """The file opened, and its video stream with the decoder set up."""
        try:
            container = open_container(self._path)
        except AV_ERRORS as exc:
            raise MediaError(f"{self._path}: not a readable video file ({cause(exc)})") from exc
        try:
            stream = container.streams[self._index.stream_index]
            ctx = stream.codec_context
            if ctx is None or not isinstance(stream, av.VideoStream):
                raise MediaError(f"{self._path}: no decoder for its {self._index.codec} video")
            ctx.thread_type = self._thread_type
            ctx.thread_count = self._threads
        except BaseException as exc:
            container.close()
            if isinstance(exc, _CONFIGURE_ERRORS):
                text = f"{self._path}: its video cannot be decoded ({cause(exc)})"
                raise MediaError(text) from exc
            raise
        return container, stream

    def _reopen(self) -> None:
        """Read the file again from its start; the file as open stays in use when that fails
        (it was moved or deleted meanwhile, say)."""
        container, stream = self._open()
        self._container.close()
        self._container, self._stream = container, stream


def seek_methods(format_name: str, flags: int) -> list[str]:
    """Ways to seek a container of this kind, best first (:data:`START` comes after them)."""
    if flags & _TS_DISCONT:
        order = ["byte", "dts", "pts"]
    elif flags & _SEEK_TO_PTS or any(n in format_name.split(",") for n in _PTS_INDEXED):
        order = ["pts", "dts", "byte"]
    else:
        order = ["dts", "pts", "byte"]
    if flags & _NO_BYTE_SEEK:
        order.remove("byte")
    return order
