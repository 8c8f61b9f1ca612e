"""How fast the agreement statistics run on long passes.

1. Time-unit kappa at frame resolution for two 2-hour passes at 30 fps (216,000 frames, one
   exclusive group of three codes; 1,500 runs each, a quarter of them gaps, so ~1,100
   states): ``time_unit_kappa(..., unit="1f")`` against a bare numpy pass over the same frame
   arrays (paint each pass's label per frame with ``np.repeat``, tally the table with
   ``np.bincount``). Target: <= 50 ms.
2. Event alignment of two 5,000-event sequences (onsets ~1.4 s apart, coder B's shifted by up
   to a second, 2 s tolerance): ``align_events`` against a bare numpy pass over the same onset
   arrays (``np.searchsorted`` of each onset's tolerance window). Target: <= 1 s.

Both are timed side by side in one run, best of ``--repeat`` runs, and printed with their ratio.
Run: ``python benchmarks/bench_agreement.py [--repeat N]``. Prints numbers only; it asserts
nothing.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coder.agreement import align_events, time_unit_kappa  # noqa: E402
from coder.model import Event, Stamp  # noqa: E402
from coder.timebase import TimeBase  # noqa: E402

FPS = 30
FRAMES = 2 * 3600 * FPS
CODES = ("look", "object", "away")


def best_of(repeat: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def states(rng: np.random.Generator, timebase: TimeBase) -> tuple[list[Event], np.ndarray]:
    """A pass of back-to-back states with a few gaps, and its per-frame code array."""
    cuts = np.unique(rng.integers(1, FRAMES, 1500))
    bounds = np.concatenate([[0], cuts, [FRAMES]])
    codes = rng.integers(0, len(CODES) + 1, bounds.size - 1)  # len(CODES) = a gap
    events = [
        Event(
            CODES[int(c)],
            "infant",
            Stamp(int(s), timebase.pts_us(int(s))),
            Stamp(int(e), timebase.pts_us(int(e))) if e < FRAMES else None,
        )
        for s, e, c in zip(bounds[:-1], bounds[1:], codes, strict=True)
        if c < len(CODES)
    ]
    return events, codes


def bench_time_units(repeat: int) -> None:
    timebase = TimeBase.constant(FRAMES, FPS)
    rng = np.random.default_rng(1)
    (a, _), (b, _) = states(rng, timebase), states(rng, timebase)
    bounds_a = _bounds(a)
    bounds_b = _bounds(b)
    k = len(CODES) + 1

    def bare() -> np.ndarray:
        la = np.repeat(bounds_a[1], np.diff(bounds_a[0]))
        lb = np.repeat(bounds_b[1], np.diff(bounds_b[0]))
        return np.bincount(la * k + lb, minlength=k * k)

    def ours() -> object:
        return time_unit_kappa(a, b, CODES, unit="1f", timebase=timebase)

    bare_table = bare().reshape(k, k)
    result = time_unit_kappa(a, b, CODES, unit="1f", timebase=timebase)
    assert result.table is not None
    same = np.array_equal(result.table.counts, bare_table)
    t_bare, t_ours = best_of(repeat, bare), best_of(repeat, ours)
    print(f"time-unit kappa, 2 h at {FPS} fps ({FRAMES:,} frames, {len(a)}+{len(b)} states)")
    print(f"  bare numpy pass   {t_bare * 1e3:8.1f} ms")
    ratio = t_ours / t_bare
    print(f"  time_unit_kappa   {t_ours * 1e3:8.1f} ms   ratio {ratio:5.1f}x   target <= 50 ms")
    print(f"  same table as the bare pass: {same}; kappa {result.kappa:.4f}")


def _bounds(events: list[Event]) -> tuple[np.ndarray, np.ndarray]:
    """Run starts (with the end) and each run's code position, gaps as len(CODES)."""
    starts, codes, t = [], [], 0
    for e in events:
        if e.onset.frame > t:
            starts.append(t)
            codes.append(len(CODES))
        starts.append(e.onset.frame)
        codes.append(CODES.index(e.behaviour))
        t = e.offset.frame if e.offset is not None else FRAMES
    if t < FRAMES:
        starts.append(t)
        codes.append(len(CODES))
    return np.array([*starts, FRAMES]), np.array(codes)


def bench_alignment(repeat: int) -> None:
    rng = np.random.default_rng(2)
    n = 5000
    onsets_a = np.sort(rng.uniform(0, 2 * 3600, n))
    onsets_b = np.sort(onsets_a + rng.uniform(-1, 1, n))
    codes = ("cry", "fuss", "reach", "vocal")

    def make(onsets: np.ndarray) -> list[Event]:
        return [
            Event(codes[int(c)], "infant", Stamp(round(t * FPS), round(t * 1e6)), None, False)
            for t, c in zip(onsets, rng.integers(0, len(codes), onsets.size), strict=True)
        ]

    a, b = make(onsets_a), make(onsets_b)
    us_a = np.array([e.onset.us for e in a])
    us_b = np.array([e.onset.us for e in b])

    def bare() -> object:
        return np.searchsorted(us_b, us_a - 2_000_000), np.searchsorted(us_b, us_a + 2_000_000)

    def ours() -> object:
        return align_events(a, b, "2s")

    t_bare, t_ours = best_of(repeat, bare), best_of(repeat, ours)
    result = align_events(a, b, "2s")
    print(f"event alignment, {n:,} + {n:,} events, 2 s tolerance")
    print(f"  bare numpy pass   {t_bare * 1e3:8.2f} ms")
    ratio = t_ours / t_bare
    print(f"  align_events      {t_ours * 1e3:8.1f} ms   ratio {ratio:7.0f}x   target <= 1 s")
    print(
        f"  {result.matches} matches, {result.mismatches} mismatches, {result.omissions} "
        f"omissions, {result.commissions} commissions; kappa {result.kappa:.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    bench_time_units(args.repeat)
    bench_alignment(args.repeat)


if __name__ == "__main__":
    main()
