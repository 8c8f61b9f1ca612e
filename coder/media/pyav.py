"""The PyAV (FFmpeg) backend of :class:`coder.media.source.VideoSource`.

Frames are found by presentation time, never by counting from a guessed rate: the packet index
gives every frame's pts, a decoded frame is identified by its own pts, so ``frame(i)`` is the
i-th frame of a sequential decode on constant and variable frame rates alike.

How a request is served:

* from the :class:`~coder.media.frame_cache.FrameCache` when the frame is there;
* by decoding onward when the decoder sits before the frame with no keyframe in between (a
  forward step decodes exactly one new frame);
* otherwise by seeking to the keyframe at or before the frame and decoding up to it; the frames
  passed on the way that fit in the cache are kept, so stepping back from there is a cache hit.
  Frames before those are needed only as references, so the decoder may skip the ones that are
  not (non-reference B-frames), and they are not converted to RGB.

Damage: a frame the decoder never produces after a decoding error raises :class:`MediaError`,
and so do the rest of its group (they refer to it); damage FFmpeg can conceal is not visible
and those frames are served as decoded. A truncated file gives its frames up to the cut.

Threads: every public method takes one internal lock, so a source may be shared, but calls then
wait for each other. The intended use is that one decode thread owns a source; other threads
may call ``pts_us``/``index_at``/``timebase`` freely (they read immutable data). FFmpeg's own
decoder threads are set by ``thread_type`` (``"AUTO"``: frame threads, measured fastest in
``benchmarks/bench_media.py``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import av
import numpy as np

from coder.media.frame_cache import MB, FrameCache
from coder.media.index import IndexReadError, PacketIndex, index_container, info_from_index
from coder.media.source import MediaError, MediaInfo
from coder.timebase import TimeBase

THREAD_TYPES = ("SLICE", "FRAME", "AUTO", "NONE")


class PyAVVideoSource:
    """Exact, cached frame access to one video stream of a file, decoded with PyAV."""

    def __init__(
        self,
        path: str | Path,
        *,
        cache_mb: float = 256,
        thread_type: str = "AUTO",
        threads: int = 0,
        index: PacketIndex | None = None,
    ) -> None:
        """Open ``path``; ``index`` saves re-reading the packets when the caller has it."""
        if thread_type not in THREAD_TYPES:
            raise ValueError(f"thread_type must be one of {THREAD_TYPES}, got {thread_type!r}")
        if cache_mb < 0:
            raise ValueError(f"cache_mb must be ≥ 0, got {cache_mb}")
        self._path = Path(path)
        self._thread_type = thread_type
        self._threads = threads
        self._lock = threading.RLock()
        self._frames: Iterator[av.VideoFrame] | None = None
        self._next: int | None = None  # index of the next frame the decoder gives, if known
        self._seek_guess = 0  # the keyframe sought last, for frames without a pts
        self._floor = 0  # frames before the keyframe sought last are not trusted
        self._skip_below = 0  # packets of frames before this may skip non-reference pictures
        self._skip_allowed = True
        self._seek_target: dict[int, int] = {}  # keyframe -> seek time that lands on it
        self._fault: str | None = None
        self._faults = 0  # decoding errors met so far
        self._passed = False  # whether the decoder went past the frame last asked for
        self._bad: dict[int, str] = {}
        self._closed = False
        self.frames_decoded = 0
        """Frames the decoder has produced since opening (a measure of work done)."""
        self.seeks = 0
        """Seeks performed since opening."""
        self._container = self._open_file()
        try:
            self._index = index if index is not None else self._read_index()
            self._configure()
            self._tick_to_index = {t: i for i, t in enumerate(self._index.ticks.tolist())}
            self._width = self._index.width
            self._height = self._index.height
            frame_bytes = max(1, self._width * self._height * 3)
            self._cache = FrameCache(int(cache_mb * MB), frame_bytes)
            first = self._decode_first()
        except BaseException:
            self._container.close()
            raise
        self._height, self._width = first.shape[:2]
        self.seeks = 0

    # --- VideoSource ---------------------------------------------------------------------

    @property
    def path(self) -> Path:
        return self._path

    @property
    def frame_count(self) -> int:
        return self._index.frame_count

    @property
    def fps(self) -> float:
        return self._index.fps

    @property
    def duration_us(self) -> int:
        return self._index.timebase.duration_us

    @property
    def width(self) -> int:
        return self._width

    @property
    def height(self) -> int:
        return self._height

    @property
    def timebase(self) -> TimeBase:
        return self._index.timebase

    @property
    def info(self) -> MediaInfo:
        return info_from_index(self._index)

    @property
    def cache(self) -> FrameCache:
        """The frame cache (read its ``nbytes``, ``hits``, ``misses``; do not modify it)."""
        return self._cache

    def pts_us(self, index: int) -> int:
        return self._index.timebase.pts_us(index)

    def index_at(self, us: int) -> int:
        return self._index.timebase.index_at(us)

    def frame(self, index: int) -> np.ndarray:
        """Frame ``index`` as a read-only H×W×3 uint8 RGB array (copy it to draw on it)."""
        with self._lock:
            if self._closed:
                raise MediaError(f"{self._path}: the video is closed")
            self._index.timebase.pts_us(index)  # range check with a clear message
            cached = self._cache.get(index)
            if cached is not None:
                return cached
            if index in self._bad:
                raise MediaError(
                    f"{self._path}: frame {index} cannot be decoded: {self._bad[index]}"
                )
            return self._decode(index)

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._frames = None
                self._container.close()
                self._cache.clear()

    def __enter__(self) -> PyAVVideoSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PyAVVideoSource({str(self._path)!r}, {self.frame_count} frames)"

    # --- decoding ------------------------------------------------------------------------

    def _decode(self, index: int) -> np.ndarray:
        if self._positioned_before(index):
            picture = self._advance_to(index)
            if picture is not None:
                return picture
        self._passed = False
        for keyframe in self._seek_candidates(index):
            if index in self._bad:
                break
            self._seek(keyframe)
            picture = self._advance_to(index)
            if picture is not None:
                return picture
        ended = "the stream ends before it (the file may be truncated)"
        passed = "the decoder produced no picture for it"
        reason = self._bad.get(index) or self._fault or (passed if self._passed else ended)
        self._bad[index] = reason
        raise MediaError(f"{self._path}: frame {index} cannot be decoded: {reason}")

    def _positioned_before(self, index: int) -> bool:
        """Whether decoding onward reaches ``index`` without passing a keyframe."""
        nxt = self._next
        if self._frames is None or nxt is None or nxt > index:
            return False
        return self._index.keyframe_at_or_before(index) <= nxt

    def _seek_candidates(self, index: int) -> list[int]:
        """Keyframes to start from: the one before ``index``, the one before that, the start."""
        first = self._index.keyframe_at_or_before(index)
        candidates = [first]
        previous = self._index.previous_keyframe(first)
        if previous is not None:
            candidates.append(previous)
        if candidates[-1] != 0:
            candidates.append(0)
        return candidates

    def _seek(self, keyframe: int) -> None:
        """Put the demuxer on ``keyframe`` (or, failing that, on an earlier one)."""
        self.seeks += 1
        self._fault = None
        self._next = None
        self._seek_guess = keyframe
        self._floor = keyframe
        first: av.Packet | None = None
        packets: Iterator[av.Packet] | None = None
        for target in self._seek_targets(keyframe):
            try:
                self._container.seek(target, stream=self._stream, backward=True)
                packets = self._container.demux(self._stream)
                first = next(packets, None)
            except (av.error.FFmpegError, OSError):
                packets = None
                break
            if first is None or first.size == 0:
                packets = None  # the demuxer did not move off the end of the file
                break
            landed = self._packet_index(first)
            if landed is None or landed >= keyframe:
                self._seek_target[keyframe] = target
                break
        if packets is None:
            # A file that cannot seek is read again from its start.
            self._reopen()
            self._seek_guess = self._floor = 0
            packets, first = self._container.demux(self._stream), None
        self._frames = self._decoded_frames(packets, first)

    def _seek_targets(self, keyframe: int) -> Iterator[int]:
        """Seek times to try for ``keyframe``: the one that worked before, else its pts and
        then later times within its group (some demuxers index a shifted time)."""
        known = self._seek_target.get(keyframe)
        if known is not None:
            yield known
            return
        nxt = int(np.searchsorted(self._index.keyframes, keyframe, side="right"))
        end = int(self._index.keyframes[nxt]) if nxt < self._index.keyframes.size else None
        end = end if end is not None else self.frame_count
        step = 0
        while keyframe + step < end:
            yield int(self._index.ticks[keyframe + step])
            step = step * 2 if step else 1

    def _packet_index(self, packet: av.Packet | None) -> int | None:
        if packet is None:
            return None
        tick = packet.pts if packet.pts is not None else packet.dts
        return self._tick_to_index.get(tick) if tick is not None else None

    def _advance_to(self, target: int) -> np.ndarray | None:
        """Decode onward to frame ``target``; keep the frames near it that fit in the cache.

        Returns ``None`` when the decoder passes ``target`` without producing it or the stream
        ends first.
        """
        assert self._frames is not None
        keep_from = target - max(self._cache.capacity, 1) + 1
        # Frames before the kept ones are only needed as references: let the decoder skip
        # those that are not (non-reference B-frames), about a quarter of the work.
        self._skip_below = keep_from if self._skip_allowed else 0
        faults = self._faults
        try:
            picture = self._advance(target, keep_from)
        finally:
            skipped, self._skip_below = self._skip_below, 0
        if skipped > 0 and self._faults > faults:
            # Skipped frames and frames lost to damage look alike: decode it all again without
            # skipping (damaged files only), so that the damage is located exactly.
            self._skip_allowed = False
            self._cache.clear()
            self._frames = None
            self._next = None
            return None
        return picture

    def _advance(self, target: int, keep_from: int) -> np.ndarray | None:
        assert self._frames is not None
        for frame in self._frames:
            found = self._identify(frame)
            if found < self._floor:
                continue  # a leading picture of an open group, decoded without its references
            gap_from = self._next if self._next is None else max(self._next, self._skip_below)
            if gap_from is not None and found > gap_from:
                self._note_gap(gap_from, found)
            self._next = found + 1
            if found in self._bad:
                if found >= target:
                    return None
                continue
            if found > target:
                self._passed = True
                if found < target + self._cache.capacity and found not in self._cache:
                    self._cache.put(found, self._to_rgb(frame))
                return None
            if found == target:
                return self._cache.put(found, self._to_rgb(frame))
            if found >= keep_from and found not in self._cache:
                self._cache.put(found, self._to_rgb(frame))
        self._frames = None
        self._next = None
        return None

    def _identify(self, frame: av.VideoFrame) -> int:
        """The index of a decoded frame, from its pts (or its place when it has none)."""
        if frame.pts is not None:
            found = self._tick_to_index.get(frame.pts)
            if found is not None:
                return found
        self._skip_allowed = False  # counting frames needs every frame decoded
        if self._next is not None:
            return self._next
        return self._seek_guess

    def _decoded_frames(
        self, packets: Iterator[av.Packet], first: av.Packet | None = None
    ) -> Iterator[av.VideoFrame]:
        """Frames from ``first`` and then ``packets``; faults are recorded, not raised."""
        ctx = self._stream.codec_context
        skipping = False
        while True:
            try:
                packet = first if first is not None else next(packets)
                first = None
            except StopIteration:
                return
            except (av.error.FFmpegError, OSError) as exc:
                self._fault = f"reading failed ({_cause(exc)})"
                self._faults += 1
                yield from self._drain()
                return
            found = self._packet_index(packet)
            skip = found is not None and found < self._skip_below
            if skip != skipping:
                ctx.skip_frame = "NONREF" if skip else "DEFAULT"
                skipping = skip
            try:
                frames = packet.decode()
            except av.error.FFmpegError as exc:
                # With frame threading the error may belong to an earlier packet; the frame it
                # spoilt shows up as a gap in the output (see _mark_damaged).
                self._fault = f"damaged video data ({_cause(exc)})"
                self._faults += 1
                continue
            for frame in frames:
                self.frames_decoded += 1
                yield frame

    def _note_gap(self, first: int, stop: int) -> None:
        """Frames ``first`` to ``stop - 1`` never came out of the decoder: record why.

        Without a decoding fault, a gap in the group a seek started in may only mean that the
        decoder needed an earlier start, which the seek fallback tries; such gaps do not count.
        After a decoding fault, the rest of the group may refer to the lost frame (a damaged
        keyframe is often not even recognisable as one), so every frame up to the next
        keyframe is recorded as undecodable rather than served with concealed errors; frames
        decoded before the fault stay valid.
        """
        if (
            self._fault is None
            and self._floor > 0
            and self._index.keyframe_at_or_before(first) <= self._floor
        ):
            return
        lost = self._fault or "the decoder produced no picture for it"
        for found in range(first, stop):
            self._bad.setdefault(found, lost)
        if self._fault is None:
            return
        nxt = int(np.searchsorted(self._index.keyframes, first, side="right"))
        end = int(self._index.keyframes[nxt]) if nxt < self._index.keyframes.size else None
        reason = f"it depends on damaged video data at frame {first}"
        for found in range(stop, end if end is not None else self.frame_count):
            if found not in self._cache:
                self._bad.setdefault(found, reason)

    def _drain(self) -> Iterator[av.VideoFrame]:
        """Frames still held by the decoder after the input stopped."""
        try:
            frames = self._stream.codec_context.decode(None)
        except av.error.FFmpegError:
            return
        for frame in frames:
            self.frames_decoded += 1
            yield frame

    def _to_rgb(self, frame: av.VideoFrame) -> np.ndarray:
        """The frame as RGB, in memory recycled from the cache when there is some."""
        if frame.width == self._width and frame.height == self._height:
            rgb = frame.to_ndarray(format="rgb24")
        else:
            rgb = frame.to_ndarray(format="rgb24", width=self._width, height=self._height)
        target = self._cache.reserve(rgb.shape)
        if target is None:
            target = np.empty(rgb.shape, dtype=np.uint8)
        np.copyto(target, rgb)
        return target

    def _decode_first(self) -> np.ndarray:
        self._seek(0)
        picture = self._advance_to(0)
        if picture is None:
            cause = self._bad.get(0) or self._fault or "no picture could be decoded"
            raise MediaError(f"{self._path}: cannot decode its video: {cause}")
        return picture

    def _open_file(self) -> av.container.InputContainer:
        try:
            return av.open(str(self._path), "r")
        except (av.error.FFmpegError, OSError) as exc:
            raise MediaError(f"{self._path}: not a readable video file ({_cause(exc)})") from exc

    def _read_index(self) -> PacketIndex:
        try:
            return index_container(self._path, self._container)
        except IndexReadError as exc:
            raise MediaError(f"{self._path}: {exc}") from exc

    def _configure(self) -> None:
        """Pick the video stream of the open container and set up its decoder."""
        stream = self._container.streams[self._index.stream_index]
        ctx = stream.codec_context
        if ctx is None:
            raise MediaError(f"{self._path}: no decoder for its {self._index.codec} video")
        ctx.thread_type = self._thread_type
        ctx.thread_count = self._threads
        self._stream = stream

    def _reopen(self) -> None:
        self._container.close()
        self._container = self._open_file()
        self._configure()


def _cause(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc)
    return str(text).rstrip(".")
