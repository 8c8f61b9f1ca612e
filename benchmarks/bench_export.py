"""Export speed: 100,000 events and 2,000 ratings to xlsx, csv and sav.

Prints the full ``attune export --xlsx`` (every table built, every sheet written) as a ratio to
a bare ``DataFrame.to_excel`` of the events table alone (target: at most 1.5×), measured side by
side in one run, with the peak memory (RSS high-water mark) after each step; then csv and sav.

    .venv/bin/python benchmarks/bench_export.py [--events 100000] [--ratings 2000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from coder.demo import demo_scheme
from coder.export.formats import ExportContext, export
from coder.export.tables import events_frame, select_passes
from coder.model import Event, Media, Rating, Stamp
from coder.project import Project
from coder.scheme import scheme_from_dict
from coder.timebase import TimeBase

FPS = 25.0
SCALES_PER_PASS = 4


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_project(path: Path, n_events: int, n_ratings: int) -> None:
    """Passes of 10-minute fake videos holding ``n_events`` events and ``n_ratings`` ratings."""
    data = demo_scheme().to_dict()
    for scale in data["scales"]:
        scale["rated_on"] = ["intervals"]
    data["segments"] = {"interval_s": 30}
    scheme = scheme_from_dict(data, source="benchmark")
    intervals = 20
    passes = max(1, n_ratings // (SCALES_PER_PASS * intervals))
    per_pass = n_events // passes
    frames = 15_000  # 10 min at 25 fps
    timebase = TimeBase.constant(frames, FPS)
    rng = np.random.default_rng(1)
    behaviours = scheme.behaviours
    with Project.create(path, scheme) as project:
        store = project.store
        for p in range(passes):
            medium = Media(
                f"videos/p{p:03d}.mp4", "s3-sha256:0", 1, timebase.duration_us, frames, FPS
            )
            obs = store.add_observation(f"p{p:03d}", [medium], [timebase], participant=f"P{p:03d}")
            session = project.start_coding(obs.id, "AB")
            starts = np.sort(rng.integers(0, frames - 30, per_pass))
            events = []
            for i, frame in enumerate(starts.tolist()):
                b = behaviours[i % len(behaviours)]
                onset = Stamp(frame, timebase.pts_us(frame))
                offset = None
                if b.is_state:
                    end = frame + int(rng.integers(1, 25))
                    offset = Stamp(end, timebase.pts_us(end))
                mods = (b.modifiers[i % len(b.modifiers)],) if b.modifiers else ()
                comment = "=looks like a formula" if i % 500 == 0 else ""
                events.append(Event(b.code, b.subject, onset, offset, b.is_state, mods, comment))
            store.insert_events(session.coding_id, events)
            for scale in scheme.scales[:SCALES_PER_PASS]:
                for n in range(1, intervals + 1):
                    value = float(rng.integers(int(scale.min), int(scale.max) + 1))
                    store.put_rating(session.coding_id, Rating(scale.code, f"interval_{n}", value))


def timed(label: str, action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    seconds = time.perf_counter() - start
    print(f"{label:<46} {seconds:8.2f} s   peak RSS {peak_mb():7.0f} MB", flush=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--ratings", type=int, default=2_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / "bench.attune"
        timed(f"make a project ({args.events} events, {args.ratings} ratings)",
              lambda: make_project(path, args.events, args.ratings))  # fmt: skip
        with Project.open(path) as project:
            events = events_frame(select_passes(project))
            print(f"events table: {len(events)} rows × {events.shape[1]} columns; "
                  f"ratings: {sum(project.rating_counts().values())}")  # fmt: skip

            def ours(fmt: str, target: Path) -> None:
                export(ExportContext(project, force=True), {fmt: target})

            full = timed("attune export --xlsx (all tables, all sheets)",
                         lambda: ours("xlsx", root / "ours.xlsx"))  # fmt: skip
            bare = timed("bare events.to_excel (events table alone)",
                         lambda: events.to_excel(root / "bare.xlsx", index=False))  # fmt: skip
            timed("attune export --csv", lambda: ours("csv", root / "csv"))
            timed("attune export --sav", lambda: ours("sav", root / "ours.sav"))
            timed("bare events.to_csv", lambda: events.to_csv(root / "bare.csv", index=False))
    verdict = "within" if full / bare <= 1.5 else "OVER"
    print(
        f"xlsx ratio (full export / bare to_excel): {full / bare:.2f}× ({verdict} the 1.5× target)"
    )


if __name__ == "__main__":
    main()
