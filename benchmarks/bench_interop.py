"""How fast a large BORIS project imports, and how much memory it takes.

Writes a BORIS project (format 7.0, events with frame indexes) of 50 observations and 100,000
events as BORIS counts them (rows: a state's START and STOP are two) — per observation two
subjects, an exclusive gaze category of three states switched back and forth, a state with
modifiers and points — whose videos are not on this machine (the usual case for an old project),
then times reading and checking the file alone and the whole import (checking, provisional media,
one batch per pass) into a new project, and prints the peak memory of each step (``tracemalloc``,
Python's own allocations) and the process's peak resident size.

Run: ``python benchmarks/bench_interop.py [--observations N] [--events N] [--keep DIR]``.
Prints numbers only; it asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from coder.interop import import_file, read_boris

T = TypeVar("T")
FPS = 25.0


def boris_project(observations: int, events: int, seed: int = 1) -> dict[str, Any]:
    """A BORIS project of ``observations`` with ``events`` rows in all."""
    rng = random.Random(seed)
    gaze = ["look at mother", "look at toy", "look away"]
    behaviours = {
        str(n): {"type": "State event", "key": k, "code": c, "description": "", "category": "gaze",
                 "modifiers": "", "excluded": ",".join(g for g in gaze if g != c), "coding map": ""}
        for n, (k, c) in enumerate(zip("asd", gaze, strict=True))
    }  # fmt: skip
    behaviours["3"] = {
        "type": "State event", "key": "t", "code": "touch", "description": "", "category": "",
        "modifiers": {"0": {"name": "kind", "type": 0, "values": ["soft", "firm"]}},
        "excluded": "", "coding map": "",
    }  # fmt: skip
    behaviours["4"] = {
        "type": "Point event", "key": "c", "code": "cry", "description": "", "category": "",
        "modifiers": "", "excluded": "", "coding map": "",
    }  # fmt: skip
    table = {}
    for o in range(observations):
        per_obs = events // observations + (1 if o < events % observations else 0)
        rows: list[list[Any]] = []
        t = 0.0
        current: str | None = None
        touching = False
        while len(rows) < per_obs - 6:  # a step adds at most two rows, the closing two
            t = round(t + rng.uniform(0.2, 2.0), 3)
            choice = rng.random()
            if choice < 0.5:  # switch gaze: the open one stops, the next starts
                if current is not None:
                    rows.append([t, "Baby", current, "", "", round(t * FPS)])
                current = rng.choice([g for g in gaze if g != current])
                rows.append([t, "Baby", current, "", "", round(t * FPS)])
            elif choice < 0.8:
                rows.append([t, "Mom", "touch", "soft" if o % 2 else "firm", "", round(t * FPS)])
                touching = not touching
            else:
                rows.append([t, "Baby", "cry", "", "", "NA"])
        t = round(t + 1, 3)
        if current is not None:
            rows.append([t, "Baby", current, "", "", round(t * FPS)])
        if touching:
            rows.append([t, "Mom", "touch", "soft" if o % 2 else "firm", "", round(t * FPS)])
        while len(rows) < per_obs:  # exactly the rows asked for
            t = round(t + 0.04, 3)
            rows.append([t, "Baby", "cry", "", "", round(t * FPS)])
        video = f"D:/lab/videos/obs{o:03d}.mp4"
        table[f"obs {o:03d}"] = {
            "file": {"1": [video]}, "type": "MEDIA", "date": "2020-01-01T10:00:00",
            "description": "", "time offset": 0, "events": rows, "independent_variables": {},
            "media_info": {"length": {video: t + 5}, "fps": {video: FPS}, "offset": {"1": 0}},
        }  # fmt: skip
    return {
        "project_name": "bench", "project_format_version": "7.0", "time_format": "hh:mm:ss",
        "subjects_conf": {"0": {"key": "1", "name": "Baby", "description": ""},
                          "1": {"key": "2", "name": "Mom", "description": ""}},
        "behaviors_conf": behaviours, "behavioral_categories": ["gaze"],
        "independent_variables": {}, "coding_map": {}, "converters": {}, "observations": table,
    }  # fmt: skip


def measured(label: str, action: Callable[[], T], again: Callable[[], object]) -> T:
    """Time ``action``, then run ``again`` (the same work) under tracemalloc for its peak
    (tracing slows allocation, so the two are measured apart)."""
    started = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    again()
    _now, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  {label:<40} {seconds:7.2f} s   peak {peak / 2**20:7.1f} MiB (Python)")
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--observations", type=int, default=50)
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--keep", type=Path, help="write the files here and keep them")
    args = parser.parse_args()
    if args.keep is None:
        with tempfile.TemporaryDirectory(prefix="bench_interop_") as folder:
            return run(args.observations, args.events, Path(folder))
    args.keep.mkdir(parents=True, exist_ok=True)
    return run(args.observations, args.events, args.keep)


def run(observations: int, events_asked: int, folder: Path) -> int:
    """Write the project into ``folder``, then time and measure its reading and import."""
    source = folder / "bench.boris"
    data = boris_project(observations, events_asked)
    rows = sum(len(o["events"]) for o in data["observations"].values())
    source.write_text(json.dumps(data, indent=1))
    size = source.stat().st_size / 2**20
    print(f"BORIS project: {observations} observations, {rows:,} rows, {size:.1f} MiB")
    read = measured(
        "read and check the file (no writes)",
        lambda: read_boris(source),
        lambda: read_boris(source),
    )
    events = sum(len(p.events) for p in read.passes)
    targets = [folder / "bench.attune", folder / "bench_traced.attune"]
    for target in targets:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
    result = measured(
        "import into a new project (all of it)",
        lambda: import_file(source, targets[0], coder="BM"),
        lambda: import_file(source, targets[1], coder="BM"),
    )
    print(f"  {result.passes} passes, {result.events:,} events ({events:,} read), "
          f"{len(result.provisional)} provisional videos")  # fmt: skip
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  process peak resident size {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
