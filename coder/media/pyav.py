"""The PyAV (FFmpeg) backend of :class:`coder.media.source.VideoSource`.

Frame ``i`` is the i-th picture of a plain sequential decode. The frame index
(:mod:`coder.media.index`) says which time stamp each picture carries and where decoding can
start; a decoded picture is recognised by its time stamp (pictures sharing one, or without one,
by counting from a recognised one).

How a request is served:

* from the :class:`~coder.media.frame_cache.FrameCache` when the frame is there;
* by decoding onward when the decoder sits before the frame with no keyframe in between (a
  forward step decodes exactly one new frame);
* otherwise by starting at the keyframe entry at or before the frame (:meth:`_start_at`) and
  decoding up to it; the frames passed on the way that fit in the cache are kept, so stepping
  back from there is a cache hit. Frames before those are needed only as references, so the
  decoder may skip the ones that are not (non-reference B-frames), and they are not converted.

**Landing** (:mod:`coder.media.demuxer`): a seek is accepted only when the demuxer lands at or
before the keyframe's own packet, sought the way each demuxer indexes (by decode time, by
presentation time or by byte), and from the start of the file when nothing lands right.

**Checks.** While decoding, the source checks what its index assumes: after a start the
keyframe's picture comes first, then every frame in order, each once, none missing, none
unknown, up to the frame count. A mismatch is never served: the file's frames are counted by a
full decode (kept on disk, see :mod:`coder.media.index_cache`) and the request is served from
that index. If that count differs from the one the source was opened with, every frame number
the caller holds would mean another picture, so the source refuses to serve frames and says
that the file must be opened again (the next open finds the stored count). A mismatch even with
a full-decode index raises :class:`MediaError` saying what is wrong.

Damage: a frame the decoder never produces after a decoding error raises :class:`MediaError`,
and so do the rest of its group (they refer to it); damage FFmpeg can conceal is not visible
and those frames are served as decoded. A truncated file gives its frames up to the cut. Every
PyAV/FFmpeg exception becomes a :class:`MediaError` naming the file and the cause.

Pictures are turned upright by the file's rotation (its display matrix); ``width`` and
``height`` are those of the turned picture. Pixel aspect and interlacing are reported
(``info``), not applied: frames stay the coded pixels, for exact coding.

Threads: every public method takes one internal lock, so a source may be shared, but calls then
wait for each other. The intended use is that one decode thread owns a source; other threads
may call ``pts_us``/``index_at``/``timebase`` freely. FFmpeg's own decoder threads are set by
``thread_type`` (``"AUTO"``: frame threads, measured fastest in ``benchmarks/bench_media.py``).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import av
import numpy as np

from coder.media import index_store
from coder.media.decoding import Decoding, Mismatch, StartMissed
from coder.media.demuxer import Demuxer
from coder.media.frame_cache import MB, FrameCache
from coder.media.index import (
    AV_ERRORS,
    IndexReadError,
    PacketIndex,
    cause,
    info_from_index,
    read_index,
)
from coder.media.packets import NO_TS
from coder.media.source import MediaError, MediaInfo
from coder.timebase import TimeBase

THREAD_TYPES = ("SLICE", "FRAME", "AUTO", "NONE")
BEHIND_SHARE = (2, 3)
"""Share of the cache that :meth:`PyAVVideoSource.prefetch` fills behind the playhead; the rest
keeps frames ahead of it (the eviction counts those as twice as far, see ``frame_cache``)."""


def behind_window(capacity: int) -> int:
    """Frames :meth:`PyAVVideoSource.prefetch` keeps behind the playhead in a cache of
    ``capacity`` compact frames."""
    return capacity * BEHIND_SHARE[0] // BEHIND_SHARE[1]


_WARM_ERRORS: tuple[type[BaseException], ...] = (Mismatch, StartMissed, MediaError, *AV_ERRORS)
"""Problems decoding ahead gives up on (the frame, once asked for, reports them)."""

_SKIPS_CLEANLY = ("h264", "hevc")
"""Decoders that keep every picture's time stamp when told to skip non-reference pictures
(MPEG-2's does not: the stamps of skipped pictures shift onto others)."""


class PyAVVideoSource(Decoding):
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
        self._lock = threading.RLock()
        self._frames: Iterator[av.VideoFrame] | None = None
        self._next: int | None = None  # the frame the decoder gives next, once one is known
        self._floor = 0  # frames before the keyframe started at are leading pictures
        self._skip_below = 0  # packets of frames before this may skip non-reference pictures
        self._fault: str | None = None
        self._faults = 0  # decoding errors met so far
        self._passed = False  # whether the decoder went past the frame last asked for
        self._bad: dict[int, str] = {}
        self._stale: str | None = None
        self._closed = False
        self._skip_allowed = False  # whether non-reference pictures may be skipped (_adopt)
        self._interrupted = False  # whether the last decoding ahead was stopped by its caller
        self.frames_decoded = 0
        """Frames the decoder has produced since opening (a measure of work done)."""
        self.seeks = 0
        """Seeks performed since opening."""
        self.repairs = 0
        """Times the index was replaced by a full-decode count while decoding."""
        self._index = index if index is not None else self._read_index()
        self._demuxer = Demuxer(self._path, self._index, thread_type, threads)
        try:
            self._adopt(self._index)
            pixels = max(1, self._index.width * self._index.height)
            self._cache = FrameCache(int(cache_mb * MB), pixels * 3, pixels * 3 // 2)
            self._decode_first()
        except BaseException:
            self._demuxer.close()
            raise
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
        """Width of the frames as served (turned upright)."""
        return self._index.display_width

    @property
    def height(self) -> int:
        return self._index.display_height

    @property
    def timebase(self) -> TimeBase:
        return self._index.timebase

    @property
    def rotation(self) -> int:
        """Degrees the coded pictures were turned counter-clockwise (already applied)."""
        return self._index.rotation

    @property
    def sample_aspect(self) -> float:
        """Width / height of one pixel as it should be shown (1.0 for square pixels)."""
        return float(self._index.display_sample_aspect)

    @property
    def interlaced(self) -> bool:
        return self._index.interlaced

    @property
    def has_audio(self) -> bool:
        return self._index.has_audio

    @property
    def info(self) -> MediaInfo:
        return info_from_index(self._index)

    @property
    def index(self) -> PacketIndex:
        """The frame index in use (it may change once, by a repair)."""
        return self._index

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
            if self._stale is not None:
                raise MediaError(self._stale)
            self._index.timebase.pts_us(index)  # range check with a clear message
            self._cache.set_focus(index)
            try:
                cached = self._cached_rgb(index)
            except AV_ERRORS as exc:
                raise MediaError(
                    f"{self._path}: frame {index} cannot be converted ({cause(exc)})"
                ) from exc
            if cached is not None:
                self._cache.hits += 1
                return cached
            self._cache.misses += 1
            if index in self._bad:
                raise MediaError(
                    f"{self._path}: frame {index} cannot be decoded: {self._bad[index]}"
                )
            try:
                return self._decode_checked(index)
            except AV_ERRORS as exc:
                self._frames = None
                self._next = None
                raise MediaError(
                    f"{self._path}: frame {index} cannot be decoded ({cause(exc)})"
                ) from exc

    # --- decoding ahead --------------------------------------------------------------------

    def cached(self, index: int) -> bool:
        """Whether frame ``index`` is in the cache (in either form)."""
        return index in self._cache

    def warm(self, first: int, last: int, stop: Callable[[], bool] | None = None) -> bool:
        """Decode frames ``first``..``last`` into the cache (compact form) before they are asked
        for; frames already cached are not decoded again.

        ``stop()`` is asked after every decoded picture: when it answers ``True`` the work ends
        at once (the decoder stays where it is, so a later call goes on from there) and this
        returns ``False``. Returns ``True`` when the work is done, or cannot be done here (a
        range larger than the cache, damage: a later :meth:`frame` call reports problems).
        """
        with self._lock:
            if self._closed or self._stale is not None:
                return True
            first, last = max(first, 0), min(last, self.frame_count - 1)
            last = min(last, first + self._cache.capacity - 1)
            missing = next(
                (i for i in range(first, last + 1) if i not in self._cache and i not in self._bad),
                None,
            )
            if missing is None:
                return True
            self._interrupted = False
            try:
                self._warm_from(missing, last, stop)
            except _WARM_ERRORS:
                self._reset_decoder()  # a request for the frame will find and report it
                return True
            return not self._interrupted

    def prepare(self, index: int, stop: Callable[[], bool] | None = None) -> bool:
        """Make frame ``index`` ready as RGB, so that asking for it next costs nothing (the
        frame a coder steps to from a paused player). ``stop`` and the answer as for
        :meth:`warm`; the cache's focus stays."""
        if not 0 <= index < self.frame_count:
            return True
        if not self.warm(index, index, stop):
            return False
        with self._lock:
            if not self._closed and self._stale is None:
                with contextlib.suppress(*AV_ERRORS):
                    self._cached_rgb(index)
        return True

    def prefetch(self, index: int, stop: Callable[[], bool] | None = None) -> bool:
        """Decode the frames behind ``index`` into the cache, ahead of stepping back from it.

        The frames nearest ``index`` come first, group by group; nothing is done while enough
        of them are cached already (half the window, so that refilling a group is not done
        for every step). ``stop`` and the answer as for :meth:`warm`.
        """
        with self._lock:
            self._cache.set_focus(index, -1)
            window = behind_window(self._cache.capacity)
            run = 0
            while run < index and (index - 1 - run) in self._cache:
                run += 1
            if run >= min(index, window // 2 + 1):
                return True
            lowest = max(index - window, 0)
            last = index - 1
            while last >= lowest:
                first = max(self._index.keyframe_at_or_before(last), lowest)
                if not self.warm(first, last, stop):
                    return False
                last = first - 1
            return True

    def close(self) -> None:
        with self._lock:
            if not self._closed:
                self._closed = True
                self._frames = None
                self._demuxer.close()
                self._cache.clear()

    def __enter__(self) -> PyAVVideoSource:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"PyAVVideoSource({str(self._path)!r}, {self.frame_count} frames)"

    # --- checking and repairing the index ------------------------------------------------

    def _decode_checked(self, index: int) -> np.ndarray:
        """Decode frame ``index``; a contradiction of the index repairs it, once."""
        for _ in range(3):
            skipping = self._skip_allowed
            try:
                return self._decode(index)
            except Mismatch as exc:
                if skipping:
                    # A decoder that skips pictures may mislabel the others: decode them all.
                    self._skip_allowed = False
                    self._reset_decoder()
                    self._cache.clear()
                    continue
                self._repair(index, str(exc))
        raise MediaError(f"{self._path}: frame {index}: its index cannot be made to hold")

    def _repair(self, index: int, reason: str) -> None:
        """Replace a packet index the decoder contradicted by a count from a full decode.

        Raises :class:`MediaError` when the index already came from a full decode, or when the
        new count numbers the frames differently (the caller's frame numbers would be wrong).
        """
        self._reset_decoder()
        self._cache.clear()
        self._bad.clear()
        old = self._index
        if old.kept and self._reread(reason):
            return
        if old.method == "decode":
            raise MediaError(
                f"{self._path}: frame {index} cannot be served exactly: {reason}"
                " (even with its frames counted by a full decode)"
            )
        try:
            fixed = read_index(self._path, full_decode=True, reason=reason)
        except IndexReadError as exc:
            raise MediaError(f"{self._path}: {exc}") from exc
        self.repairs += 1
        self._adopt(fixed)
        if fixed.frame_count != old.frame_count or fixed.timebase != old.timebase:
            self._stale = (
                f"{self._path}: its frames had to be counted by decoding the whole file"
                f" ({reason}); it has {fixed.frame_count} frames where"
                f" {old.frame_count} were announced, so frame numbers changed: open it again"
            )
            raise MediaError(self._stale)

    def _reread(self, reason: str) -> bool:
        """Read the packets of a file whose index came from disk again; ``True`` when they
        differ from that index (which is then replaced), ``False`` when they are the same."""
        old = self._index
        index_store.forget(self._path)
        try:
            fresh = read_index(self._path, kept=False)
        except IndexReadError as exc:
            raise MediaError(f"{self._path}: {exc}") from exc
        if (
            np.array_equal(fresh.ticks, old.ticks)
            and fresh.timebase == old.timebase
            and np.array_equal(fresh.packets.pos, old.packets.pos)
            and np.array_equal(fresh.key_packets, old.key_packets)
        ):
            self._index = fresh  # the same packets: the contradiction is real (not kept)
            return False
        self.repairs += 1
        self._adopt(fresh)
        if fresh.frame_count != old.frame_count or fresh.timebase != old.timebase:
            self._stale = (
                f"{self._path}: the file changed since its frame index was kept ({reason});"
                f" it has {fresh.frame_count} frames where {old.frame_count} were announced,"
                " so frame numbers changed: open it again"
            )
            raise MediaError(self._stale)
        return True

    def _adopt(self, index: PacketIndex) -> None:
        """Use ``index``: packet look-ups, seek methods and what may be skipped."""
        self._index = index
        self._demuxer.adopt(index)
        self._counting = bool((index.ticks == NO_TS).any()) or not index.unique_ticks
        self._skip_allowed = not self._counting and index.codec in _SKIPS_CLEANLY
        self._bad_starts: set[int] = set()  # keyframe entries decoding cannot start at

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
            try:
                self._start_at(keyframe)
                picture = self._advance_to(index)
            except StartMissed as exc:
                self._reset_decoder()
                if keyframe == 0:
                    raise Mismatch(str(exc)) from None
                self._bad_starts.add(keyframe)
                continue
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
        while first in self._bad_starts:
            first = self._index.previous_keyframe(first) or 0
        candidates = [first]
        previous = self._index.previous_keyframe(first)
        if previous is not None:
            candidates.append(previous)
        if candidates[-1] != 0:
            candidates.append(0)
        return candidates

    def _start_at(self, keyframe: int) -> None:
        """Put the decoder at the start of keyframe entry ``keyframe``."""
        self.seeks += 1
        self._reset_decoder()
        self._floor = keyframe
        number = self._index.seek_packet(keyframe)
        packets = self._demuxer.land(number)
        if packets is None:
            raise Mismatch(f"packet {number} of the index is not in the file when read again")
        self._frames = self._decoded_frames(packets)

    def _reset_decoder(self) -> None:
        self._frames = None
        self._next = None
        self._fault = None

    def _warm_from(self, first: int, last: int, stop: Callable[[], bool] | None) -> None:
        """Decode onward from before ``first`` to ``last``, keeping that range in the cache."""
        if not self._positioned_before(first):
            self._start_at(self._seek_candidates(first)[0])
        self._skip_below = first if self._skip_allowed else 0
        faults = self._faults
        try:
            self._advance(last, first, stop, rgb=False)
        finally:
            skipped, self._skip_below = self._skip_below, 0
        if skipped > 0 and self._faults > faults:
            self._skip_allowed = False  # damage: locate it exactly, as _advance_to does
            self._reset_decoder()

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
            self._reset_decoder()
            return None
        return picture

    def _advance(
        self,
        target: int,
        keep_from: int,
        stop: Callable[[], bool] | None = None,
        rgb: bool = True,
    ) -> np.ndarray | None:
        """Decode onward to ``target``, keeping frames from ``keep_from`` on in compact form;
        the target as RGB (``rgb``) or only kept. ``stop()`` is asked after each picture and
        ends the work early (``_interrupted``), the decoder staying where it is."""
        assert self._frames is not None
        for frame in self._frames:
            found = self._identify(frame)
            if found is None or found < self._floor:
                continue  # a leading picture of an open group, decoded without its references
            self._check_order(found)
            self._next = found + 1
            if found in self._bad:
                if found >= target:
                    return None
                continue
            if found > target:
                self._passed = True
                if found < target + self._cache.capacity:
                    self._keep(found, frame)
                return None
            if found == target:
                self._keep(found, frame)
                if not rgb:
                    return None
                return self._cache.put_rgb(found, self._to_rgb(frame))
            if found >= keep_from:
                self._keep(found, frame)
            if stop is not None and stop():
                self._interrupted = True
                return None
        reached = self._next if self._next is not None else self._floor
        self._frames = None
        self._next = None
        if self._fault is None and reached < self.frame_count and not self._index.damaged:
            raise Mismatch(
                f"the decoder's pictures end before frame {reached}, where the index counts"
                f" {self.frame_count} frames"
            )
        return None

    def _decode_first(self) -> None:
        try:
            if not self._first_by_draining():
                self._reset_decoder()
                self.frame(0)
        except MediaError as exc:
            if self._stale is not None:
                raise
            cause_text = self._bad.get(0) or self._fault or str(exc).split(": ", 1)[-1]
            raise MediaError(f"{self._path}: cannot decode its video: {cause_text}") from exc

    def _read_index(self) -> PacketIndex:
        try:
            return read_index(self._path)
        except IndexReadError as exc:
            raise MediaError(f"{self._path}: {exc}") from exc
