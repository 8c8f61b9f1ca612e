"""The playback clock and the thread that decodes frames of one video off the GUI thread.

A :class:`FrameWorker` owns all access to the pixels of one :class:`~coder.media.VideoSource`.
It serves three kinds of work, newest request first:

* a *still* (``request(index)``): one exact frame, answered by the ``stillReady`` signal; a
  newer request replaces one not yet started, and answers to superseded requests are dropped;
* a *stream* (``stream(clock, first)``): while playing, it decodes ahead into a short queue,
  skipping frames whose time the :class:`PlayClock` has already passed, so playback drops frames
  rather than drifting. The GUI takes the newest due frame with :meth:`FrameWorker.take`;
* *prefetching*, when there is nothing else to do (paused, or between steps): the frames one
  step either side of the frame on screen are made ready to paint (first the way the coder last
  moved), then the source decodes the group of pictures behind the playhead into its cache
  (:meth:`~coder.media.PyAVVideoSource.prefetch`). A step to a frame made ready is answered at
  once by :meth:`FrameWorker.request` itself, on the caller's thread, whatever the worker is
  doing; any other still or a stream stops that work after the picture being decoded.

Frames are scaled in the worker to the size they are painted at, so painting is a plain copy. A
frame made ready is served only for its own index and only while the display size and
deinterlacing it was made for are still those asked for.
"""

from __future__ import annotations

import time
from collections import deque
from dataclasses import dataclass

import cv2
import numpy as np
from PySide6.QtCore import QMutex, QMutexLocker, QThread, QWaitCondition, Signal
from PySide6.QtGui import QImage

from coder.media import VideoSource

QUEUE_LENGTH = 4
"""Frames decoded ahead while playing."""
READY_SPAN = 1
"""Frames either side of the one on screen that prefetching makes ready to paint."""
SETTLE_MS = 12
"""Prefetching starts this long after a still was handed over, so that the GUI thread paints it
first (Python threads share one interpreter lock, and converting a picture holds it)."""


@dataclass(frozen=True, slots=True)
class PlayClock:
    """Media time of the reference video (µs) as a function of the wall clock."""

    anchor_us: int
    anchor_ns: int
    speed: float

    @classmethod
    def start(cls, at_us: int, speed: float) -> PlayClock:
        """A clock that reads ``at_us`` now and runs at ``speed``."""
        return cls(int(at_us), time.perf_counter_ns(), float(speed))

    def now_us(self) -> int:
        """The media time now."""
        elapsed_ns = time.perf_counter_ns() - self.anchor_ns
        return self.anchor_us + round(elapsed_ns * self.speed / 1000)

    def wall_delay_ms(self, media_us: int) -> float:
        """Milliseconds of wall time until the clock reads ``media_us`` (negative when past)."""
        return (media_us - self.now_us()) / (1000 * self.speed)

    def with_speed(self, speed: float) -> PlayClock:
        """The same media time now, running on at ``speed``."""
        return PlayClock.start(self.now_us(), speed)


@dataclass(frozen=True, slots=True, eq=False)
class DecodedFrame:
    """One decoded frame: exact ``rgb`` pixels and the ``image`` scaled for painting."""

    index: int
    pts_us: int
    rgb: np.ndarray
    image: QImage
    pixels: np.ndarray  # keeps the memory ``image`` points into alive


def to_frame(
    index: int,
    pts_us: int,
    rgb: np.ndarray,
    size: tuple[int, int] | None,
    deinterlace: bool = False,
) -> DecodedFrame:
    """Wrap RGB pixels as a frame, scaled to ``size`` (width, height) when that differs.

    ``deinterlace`` shows the top field only, its lines interpolated to the full height (in the
    same scaling step), so the combs of two woven fields are not on screen; ``rgb`` stays the
    exact frame.
    """
    rgb = np.ascontiguousarray(rgb)
    height, width = rgb.shape[:2]
    pixels = rgb
    if deinterlace and height >= 4:
        target = size if size is not None and min(size) > 0 else (width, height)
        field = np.ascontiguousarray(rgb[0::2])
        pixels = np.ascontiguousarray(cv2.resize(field, target, interpolation=cv2.INTER_LINEAR))
    elif size is not None and size != (width, height) and min(size) > 0:
        shrink = size[0] < width
        method = cv2.INTER_AREA if shrink else cv2.INTER_LINEAR
        pixels = np.ascontiguousarray(cv2.resize(rgb, size, interpolation=method))
    h, w = pixels.shape[:2]
    image = QImage(pixels.data, w, h, pixels.strides[0], QImage.Format.Format_RGB888)
    return DecodedFrame(index, pts_us, rgb, image, pixels)


class FrameWorker(QThread):
    """Decodes frames of one video in its own thread; see the module notes."""

    stillReady = Signal(object)  # DecodedFrame answering the newest request()
    failed = Signal(int, str)  # frame index, message for people

    def __init__(self, source: VideoSource, offset_us: int = 0, name: str = "") -> None:
        super().__init__()
        self.setObjectName(f"decode {name}".strip())
        self._source = source
        self._count = source.frame_count
        self._timebase = source.timebase
        self._offset_us = int(offset_us)
        self._mutex = QMutex()
        self._wake = QWaitCondition()
        self._stop = False
        self._generation = 0
        self._pending: int | None = None
        self._clock: PlayClock | None = None
        self._next = 0
        self._queue: deque[DecodedFrame] = deque()
        self._size: tuple[int, int] | None = None
        self._decode_us = 10_000.0  # running estimate of the wall time one frame takes
        self._deinterlace = False
        self._focus: int | None = None  # the frame on screen, which prefetching works around
        self._direction = 1  # the way the coder last moved (+1 or -1)
        self._idle = False  # whether prefetching is still to be done around the focus
        self._idle_generation = 0
        self._idle_from = 0.0  # perf_counter() time before which prefetching waits
        self._ready: dict[int, DecodedFrame] = {}
        self._ready_for: tuple[tuple[int, int] | None, bool] = (None, False)
        self.served_ready = 0
        """Stills answered with a frame made ready by prefetching (nothing decoded)."""

    @property
    def offset_us(self) -> int:
        return self._offset_us

    def local_index(self, reference_us: int) -> int:
        """Index of this video's frame on screen at reference time ``reference_us``."""
        return self._timebase.index_at(reference_us - self._offset_us)

    def set_display_size(self, width: int, height: int) -> None:
        """Scale frames decoded from now on to ``width`` × ``height`` device pixels."""
        with QMutexLocker(self._mutex):
            self._size = (int(width), int(height)) if width > 0 and height > 0 else None
            self._restart_idle()

    def set_deinterlace(self, on: bool) -> None:
        """Deinterlace frames decoded from now on, for display only."""
        with QMutexLocker(self._mutex):
            self._deinterlace = bool(on)
            self._restart_idle()

    def request(self, index: int) -> None:
        """Decode frame ``index`` as a still (stops any stream); the newest request wins.

        A frame made ready by prefetching is answered at once, from the calling thread, before
        this returns (whatever the worker is doing meanwhile)."""
        with QMutexLocker(self._mutex):
            self._generation += 1
            self._clock = None
            self._queue.clear()
            index = min(max(int(index), 0), self._count - 1)
            ready = None
            if self._ready_for == (self._size, self._deinterlace):
                ready = self._ready.get(index)
            if ready is None:
                self._pending = index
                self._wake.wakeAll()
            else:
                self._pending = None
                self.served_ready += 1
                self._moved_to(index)
        if ready is not None:
            self.stillReady.emit(ready)

    def stream(self, clock: PlayClock, first: int) -> None:
        """Start decoding ahead from frame ``first`` for playback on ``clock``."""
        with QMutexLocker(self._mutex):
            self._generation += 1
            self._pending = None
            self._queue.clear()
            self._clock = clock
            self._next = min(max(int(first), 0), self._count)
            self._ready.clear()
            self._focus = None
            self._idle = False
            self._wake.wakeAll()

    def set_clock(self, clock: PlayClock) -> None:
        """Follow a new clock (a speed change) without dropping the frames decoded ahead."""
        with QMutexLocker(self._mutex):
            if self._clock is not None:
                self._clock = clock
                self._wake.wakeAll()

    def halt(self) -> None:
        """Stop streaming and forget queued frames (the painted frame stays)."""
        with QMutexLocker(self._mutex):
            self._generation += 1
            self._clock = None
            self._pending = None
            self._queue.clear()
            self._restart_idle()

    def take(self, reference_us: int) -> tuple[DecodedFrame | None, int | None]:
        """The newest queued frame due at ``reference_us`` and the reference time of the next.

        Older due frames are discarded (dropped). The second value is ``None`` when nothing is
        queued.
        """
        local_us = reference_us - self._offset_us
        with QMutexLocker(self._mutex):
            due = None
            while self._queue and self._queue[0].pts_us <= local_us:
                due = self._queue.popleft()
            following = self._queue[0].pts_us + self._offset_us if self._queue else None
            if due is not None:
                self._focus, self._direction = due.index, 1
                self._wake.wakeAll()
        return due, following

    def shutdown(self, timeout_ms: int = 5000) -> None:
        """Stop the thread and wait for it (the current decode finishes first)."""
        with QMutexLocker(self._mutex):
            self._stop = True
            self._wake.wakeAll()
        self.wait(timeout_ms)

    def run(self) -> None:
        while True:
            with QMutexLocker(self._mutex):
                while not self._stop and self._pending is None and not self._wants_stream():
                    if not self._idle:
                        self._wake.wait(self._mutex)
                        continue
                    settle = self._idle_from - time.perf_counter()
                    if settle <= 0:
                        break
                    self._wake.wait(self._mutex, max(1, round(settle * 1000)))
                if self._stop:
                    return
                generation = self._generation
                size = self._size
                deinterlace = self._deinterlace
                still = self._pending is not None
                ready = None
                if still:
                    index = self._pending
                    self._pending = None
                    if self._ready_for == (size, deinterlace):
                        ready = self._ready.get(index)
                elif self._clock is None:
                    self._run_idle(size, deinterlace)
                    continue
                else:
                    index = self._stream_index()
            assert index is not None
            if ready is not None:
                frame: DecodedFrame | None = ready
                self.served_ready += 1
            else:
                frame = self._decode(index, size, deinterlace)
            if frame is None:
                continue
            with QMutexLocker(self._mutex):
                current = generation == self._generation
                if current and not still:
                    self._queue.append(frame)
                    self._next = index + 1
                if current and still:
                    self._moved_to(index)
            if current and still:
                self.stillReady.emit(frame)

    # -- prefetching --------------------------------------------------------------------------

    def _restart_idle(self) -> None:
        """Prefetch again around the focus (called with the mutex held)."""
        self._idle_generation += 1
        self._idle = self._focus is not None and self._clock is None
        if self._idle:
            self._wake.wakeAll()

    def _moved_to(self, index: int) -> None:
        """A still of ``index`` is on its way to the screen (called with the mutex held)."""
        if self._focus is not None and index != self._focus:
            self._direction = 1 if index > self._focus else -1
        self._focus = index
        self._ready = {i: f for i, f in self._ready.items() if abs(i - index) <= READY_SPAN}
        self._idle_from = time.perf_counter() + SETTLE_MS / 1000
        self._restart_idle()

    def _run_idle(self, size: tuple[int, int] | None, deinterlace: bool) -> None:
        """One round of prefetching, outside the mutex (it is held on entry and on return)."""
        focus, direction, idle = self._focus, self._direction, self._idle_generation
        if self._ready_for != (size, deinterlace):
            self._ready.clear()
            self._ready_for = (size, deinterlace)
        self._mutex.unlock()
        try:
            done = focus is None or self._prefetch(focus, direction, size, deinterlace, idle)
        finally:
            self._mutex.lock()
        if done and idle == self._idle_generation:
            self._idle = False

    def _interrupted(self, idle: int) -> bool:
        """Whether prefetching should stop now: a still, a stream, a move or the end."""
        return (
            self._stop
            or self._pending is not None
            or self._clock is not None
            or idle != self._idle_generation
        )

    def _prefetch(
        self,
        focus: int,
        direction: int,
        size: tuple[int, int] | None,
        deinterlace: bool,
        idle: int,
    ) -> bool:
        """Make the neighbours of ``focus`` ready and let the source decode ahead; ``False``
        when stopped by newer work."""

        def stop() -> bool:
            return self._interrupted(idle)

        source = self._source
        prepare = getattr(source, "prepare", None)
        for step in range(1, READY_SPAN + 1):
            for index in (focus + step * direction, focus - step * direction):
                if not 0 <= index < self._count or index in self._ready:
                    continue
                try:
                    if prepare is not None and not prepare(index, stop):
                        return False
                    if stop():
                        return False
                    rgb = source.frame(index)
                    frame = to_frame(index, source.pts_us(index), rgb, size, deinterlace)
                except Exception:  # a request for the frame reports the problem
                    continue
                with QMutexLocker(self._mutex):
                    if self._ready_for != (size, deinterlace) or idle != self._idle_generation:
                        return False
                    self._ready[index] = frame
        prefetch = getattr(source, "prefetch", None)
        if prefetch is None or stop():
            return not stop()
        try:
            return bool(prefetch(focus, stop))
        except Exception:
            return True

    def _wants_stream(self) -> bool:
        return (
            self._clock is not None and self._next < self._count and len(self._queue) < QUEUE_LENGTH
        )

    def _stream_index(self) -> int:
        """The next frame worth decoding: skip those the clock will have passed when done."""
        assert self._clock is not None
        index = self._next
        ready_us = self._clock.now_us() - self._offset_us
        ready_us += round(1.5 * self._decode_us * self._clock.speed)
        if self._timebase.end_us(index) <= ready_us:
            index = max(index, self._timebase.index_at(ready_us))
        return index

    def _decode(
        self, index: int, size: tuple[int, int] | None, deinterlace: bool = False
    ) -> DecodedFrame | None:
        started = time.perf_counter_ns()
        try:
            rgb = self._source.frame(index)
            frame = to_frame(index, self._source.pts_us(index), rgb, size, deinterlace)
        except Exception as exc:  # a broken file must never take the app down
            self.failed.emit(index, f"frame {index}: {exc}")
            with QMutexLocker(self._mutex):
                self._clock = None
            return None
        spent_us = (time.perf_counter_ns() - started) / 1000
        self._decode_us = 0.8 * self._decode_us + 0.2 * spent_us
        return frame
