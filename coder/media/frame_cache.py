"""A cache of decoded frames, bounded by memory, evicting the least recently used."""

from __future__ import annotations

import sys
from collections import OrderedDict

import numpy as np

MB = 1024 * 1024


class FrameCache:
    """Decoded pictures by frame index, holding at most ``budget_bytes`` of pixel data.

    Arrays are stored read-only, so a caller cannot change a cached frame by accident. When
    the cache is full, :meth:`reserve` hands back the memory of an evicted frame that nobody
    else holds any more, so that a long run of new frames does not keep asking the system for
    fresh pages (that costs more than decoding a small frame). Not thread-safe on its own: the
    video source that owns it serializes access.
    """

    def __init__(self, budget_bytes: int, frame_bytes: int) -> None:
        if budget_bytes < 0 or frame_bytes <= 0:
            raise ValueError("the cache needs a budget ≥ 0 and a frame size > 0")
        self._budget = int(budget_bytes)
        self._frame_bytes = int(frame_bytes)
        self._frames: OrderedDict[int, np.ndarray] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    @property
    def budget_bytes(self) -> int:
        return self._budget

    @property
    def capacity(self) -> int:
        """How many frames of the expected size fit in the budget."""
        return self._budget // self._frame_bytes

    @property
    def nbytes(self) -> int:
        """Pixel bytes held now (never more than the budget)."""
        return self._bytes

    def __len__(self) -> int:
        return len(self._frames)

    def __contains__(self, index: int) -> bool:
        return index in self._frames

    def indices(self) -> list[int]:
        """Cached frame indices, least recently used first."""
        return list(self._frames)

    def get(self, index: int) -> np.ndarray | None:
        """The cached frame, marked as most recently used, or ``None``."""
        frame = self._frames.get(index)
        if frame is None:
            self.misses += 1
            return None
        self._frames.move_to_end(index)
        self.hits += 1
        return frame

    def reserve(self, shape: tuple[int, ...]) -> np.ndarray | None:
        """Make room for one more frame of ``shape``; return reusable memory for it, if any.

        Evicts least recently used frames until the new one fits. An evicted array of the same
        shape that no caller still references comes back writable, to be filled and ``put``.
        """
        size = int(np.prod(shape))
        if size > self._budget:
            return None
        spare = None
        while self._frames and self._bytes + size > self._budget:
            _, evicted = self._frames.popitem(last=False)
            self._bytes -= evicted.nbytes
            # References: ``evicted`` and getrefcount's argument; more means a caller holds it.
            if (
                spare is None
                and evicted.shape == shape
                and evicted.flags.owndata
                and sys.getrefcount(evicted) <= 2
            ):
                spare = evicted
        if spare is not None:
            spare.flags.writeable = True
        return spare

    def put(self, index: int, frame: np.ndarray) -> np.ndarray:
        """Store a frame (made read-only) and return it; too big a frame is returned uncached."""
        frame.flags.writeable = False
        size = frame.nbytes
        if size > self._budget:
            return frame
        old = self._frames.pop(index, None)
        if old is not None:
            self._bytes -= old.nbytes
        while self._frames and self._bytes + size > self._budget:
            _, evicted = self._frames.popitem(last=False)
            self._bytes -= evicted.nbytes
        self._frames[index] = frame
        self._bytes += size
        return frame

    def discard(self, index: int) -> None:
        """Forget one frame, if cached."""
        old = self._frames.pop(index, None)
        if old is not None:
            self._bytes -= old.nbytes

    def clear(self) -> None:
        self._frames.clear()
        self._bytes = 0
