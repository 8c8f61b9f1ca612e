"""A cache of decoded frames within a memory budget, in two forms, keeping those near the playhead.

* **Compact**: the decoder's own picture (for most video YUV 4:2:0, half the bytes of RGB, so a
  budget holds twice as many frames), converted to RGB when it is asked for. Converting gives the
  very pixels a fresh decode gives: the same picture through the same conversion.
* **RGB**: a few frames ready to hand out (the one last asked for and its neighbours, which
  prefetching prepares), so that a step to them costs nothing.

When the budget is full the frame farthest from the *focus* (the frame last asked for) goes
first, counting frames on the side the playhead comes from as twice as far as those on the side
it moves towards: stepping back keeps the frames behind it, playing keeps the frames ahead.
"""

from __future__ import annotations

import bisect
import sys
from collections import OrderedDict

import numpy as np

MB = 1024 * 1024
HOT_FRAMES = 4
"""RGB frames kept at most (the frame on screen, its neighbours and one being replaced)."""
HOT_SHARE = 4
"""RGB frames take at most 1/HOT_SHARE of the budget."""


class FrameCache:
    """Decoded frames by index, holding at most ``budget_bytes`` of picture data.

    ``frame_bytes`` is the size of one RGB frame, ``compact_bytes`` an estimate of one compact
    frame (corrected by the first one stored). Compact frames are opaque objects with their
    size in bytes; RGB arrays are stored read-only, so a caller cannot change a cached frame by
    accident, and :meth:`reserve` hands back the memory of an RGB frame that left the cache and
    that nobody holds any more (fresh pages for each new frame cost more than decoding a small
    one). Not thread-safe on its own: the video source that owns it serializes access.
    """

    def __init__(self, budget_bytes: int, frame_bytes: int, compact_bytes: int = 0) -> None:
        if budget_bytes < 0 or frame_bytes <= 0:
            raise ValueError("the cache needs a budget ≥ 0 and a frame size > 0")
        self._budget = int(budget_bytes)
        self._frame_bytes = int(frame_bytes)
        self._compact_bytes = int(compact_bytes) if compact_bytes > 0 else self._frame_bytes // 2
        self._hot_limit = min(HOT_FRAMES, self._budget // HOT_SHARE // self._frame_bytes)
        self._compact: dict[int, tuple[object, int]] = {}
        self._keys: list[int] = []  # compact frame indices, sorted
        self._rgb: OrderedDict[int, np.ndarray] = OrderedDict()
        self._compact_total = 0
        self._rgb_total = 0
        self._focus = 0
        self._direction = 1
        self._measured = False
        self.hits = 0
        self.misses = 0

    # --- size ------------------------------------------------------------------------------

    @property
    def budget_bytes(self) -> int:
        return self._budget

    @property
    def compact_bytes(self) -> int:
        """Bytes of one compact frame (measured once one was stored)."""
        return self._compact_bytes

    @property
    def hot_limit(self) -> int:
        """RGB frames kept at most."""
        return self._hot_limit

    @property
    def capacity(self) -> int:
        """How many compact frames fit beside the RGB ones."""
        room = self._budget - self._hot_limit * self._frame_bytes
        return max(room, 0) // self._compact_bytes

    @property
    def nbytes(self) -> int:
        """Picture bytes held now (never more than the budget)."""
        return self._compact_total + self._rgb_total

    def __len__(self) -> int:
        return len(self._compact) + sum(1 for i in self._rgb if i not in self._compact)

    def __contains__(self, index: int) -> bool:
        return index in self._compact or index in self._rgb

    def indices(self) -> list[int]:
        """Cached frame indices, increasing."""
        return sorted(set(self._keys) | set(self._rgb))

    def compact_indices(self) -> list[int]:
        return list(self._keys)

    def rgb_indices(self) -> list[int]:
        return list(self._rgb)

    # --- focus -----------------------------------------------------------------------------

    @property
    def focus(self) -> tuple[int, int]:
        """The frame the cache keeps its neighbours of, and the direction (+1, -1) of motion."""
        return self._focus, self._direction

    def set_focus(self, index: int, direction: int | None = None) -> None:
        """Keep the frames near ``index``; ``direction`` defaults to the way from the old focus."""
        if direction is None:
            moved = index - self._focus
            direction = self._direction if moved == 0 else (1 if moved > 0 else -1)
        self._focus = int(index)
        self._direction = 1 if direction >= 0 else -1

    def _distance(self, index: int) -> int:
        """How far ``index`` is from the focus, for eviction (see the module notes; on a tie
        the frame the playhead comes from goes first)."""
        ahead = (index - self._focus) * self._direction
        return ahead if ahead >= 0 else 1 - 2 * ahead

    # --- reading ---------------------------------------------------------------------------

    def rgb(self, index: int) -> np.ndarray | None:
        """The frame as RGB when it is kept so (marked recently used), or ``None``."""
        frame = self._rgb.get(index)
        if frame is not None:
            self._rgb.move_to_end(index)
        return frame

    def compact(self, index: int) -> object | None:
        """The compact frame, or ``None``."""
        found = self._compact.get(index)
        return found[0] if found is not None else None

    # --- storing ---------------------------------------------------------------------------

    def put_compact(self, index: int, frame: object, nbytes: int) -> bool:
        """Keep a compact frame of ``nbytes``; ``False`` when it is the one to leave."""
        if not self._measured:
            self._measured = True
            self._compact_bytes = max(int(nbytes), 1)
        self.discard_compact(index)
        if nbytes + self._rgb_total > self._budget:
            return False
        bisect.insort(self._keys, index)
        self._compact[index] = (frame, int(nbytes))
        self._compact_total += int(nbytes)
        while self._compact_total + self._rgb_total > self._budget:
            if self._evict_farthest() == index:
                return False
        return True

    def reserve(self, shape: tuple[int, ...]) -> np.ndarray | None:
        """Make room for one more RGB frame of ``shape``; return reusable memory for it, if any.

        Evicts least recently used RGB frames until the new one fits. An evicted array of the
        same shape that no caller still references comes back writable, to be filled and
        :meth:`put_rgb`.
        """
        size = int(np.prod(shape))
        if self._hot_limit == 0 or size > self._budget:
            return None
        spare = None
        while self._rgb and (len(self._rgb) >= self._hot_limit or self._over(size)):
            _, evicted = self._rgb.popitem(last=False)
            self._rgb_total -= evicted.nbytes
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

    def put_rgb(self, index: int, frame: np.ndarray) -> np.ndarray:
        """Keep an RGB frame (made read-only) and return it; it may leave at once when the
        cache has no room for RGB frames."""
        frame.flags.writeable = False
        old = self._rgb.pop(index, None)
        if old is not None:
            self._rgb_total -= old.nbytes
        if self._hot_limit == 0:
            return frame
        while self._rgb and (len(self._rgb) >= self._hot_limit or self._over(frame.nbytes)):
            _, evicted = self._rgb.popitem(last=False)
            self._rgb_total -= evicted.nbytes
        if frame.nbytes > self._budget:
            return frame
        self._rgb[index] = frame
        self._rgb_total += frame.nbytes
        while self._compact and self._compact_total + self._rgb_total > self._budget:
            self._evict_farthest()
        return frame

    def discard(self, index: int) -> None:
        """Forget one frame, in both forms."""
        self.discard_compact(index)
        old = self._rgb.pop(index, None)
        if old is not None:
            self._rgb_total -= old.nbytes

    def discard_compact(self, index: int) -> None:
        found = self._compact.pop(index, None)
        if found is not None:
            self._compact_total -= found[1]
            del self._keys[bisect.bisect_left(self._keys, index)]

    def clear(self) -> None:
        self._compact.clear()
        self._keys.clear()
        self._rgb.clear()
        self._compact_total = 0
        self._rgb_total = 0

    def _over(self, extra: int) -> bool:
        return self._rgb_total + extra > self._budget

    def _evict_farthest(self) -> int:
        """Drop the compact frame farthest from the focus (an end of the sorted keys)."""
        low, high = self._keys[0], self._keys[-1]
        victim = low if self._distance(low) >= self._distance(high) else high
        self.discard_compact(victim)
        return victim
