"""Export speed: 100,000 events and 2,000 ratings to xlsx, csv and sav.

Prints the full ``attune export --xlsx`` (every table built, every sheet written) as a ratio to
a bare ``DataFrame.to_excel`` of the events table alone (target: at most 1.5×), then csv and
sav beside a bare ``to_csv``. Each step runs in a fresh process of its own, so its peak memory
(RSS high-water mark) is its own: printed with what the process held before the step began
(the libraries, the open project, and for the bare writes the events table already built).

    .venv/bin/python benchmarks/bench_export.py [--events 100000] [--ratings 2000]
"""

from __future__ import annotations

import argparse
import resource
import subprocess
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
    """This process's peak resident memory (MB): Linux's VmHWM, which starts afresh in a new
    program (ru_maxrss would keep the parent's peak across fork and exec)."""
    status = Path("/proc/self/status")
    if status.is_file():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    per_mb = 1024 * 1024 if sys.platform == "darwin" else 1024  # macOS gives bytes, others KiB
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / per_mb


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


STEPS = {
    "xlsx": "attune export --xlsx (all tables, all sheets)",
    "bare_xlsx": "bare events.to_excel (events table alone)",
    "csv": "attune export --csv (all tables)",
    "sav": "attune export --sav (all tables)",
    "bare_csv": "bare events.to_csv (events table alone)",
}


def run_step(step: str, path: Path, out: Path) -> None:
    """One step in this process: prints ``seconds peak_mb before_mb`` on stdout."""
    with Project.open(path) as project:
        if step.startswith("bare_"):
            events = events_frame(select_passes(project))
        before = peak_mb()
        start = time.perf_counter()
        if step == "bare_xlsx":
            events.to_excel(out / "bare.xlsx", index=False)
        elif step == "bare_csv":
            events.to_csv(out / "bare.csv", index=False)
        else:
            target = {"xlsx": out / "ours.xlsx", "csv": out / "csv", "sav": out / "ours.sav"}
            export(ExportContext(project, force=True), {step: target[step]})
        seconds = time.perf_counter() - start
    print(f"{seconds} {peak_mb()} {before}")


def measured(step: str, path: Path, out: Path) -> float:
    """Run ``step`` in a child process; print and return its seconds."""
    command = [sys.executable, __file__, "--step", step, "--project", str(path), "--out", str(out)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    seconds, peak, before = (float(v) for v in done.stdout.split()[-3:])
    print(
        f"{STEPS[step]:<48} {seconds:7.2f} s   peak RSS {peak:6.0f} MB "
        f"(+{peak - before:4.0f} MB over {before:4.0f} MB before the step)",
        flush=True,
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--ratings", type=int, default=2_000)
    parser.add_argument("--step", choices=list(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--project", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step is not None:
        run_step(args.step, args.project, args.out)
        return
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        path = root / "bench.attune"
        start = time.perf_counter()
        make_project(path, args.events, args.ratings)
        print(f"made a project ({args.events} events, {args.ratings} ratings) "
              f"in {time.perf_counter() - start:.1f} s")  # fmt: skip
        with Project.open(path) as project:
            events = events_frame(select_passes(project))
            print(f"events table: {len(events)} rows × {events.shape[1]} columns; "
                  f"ratings: {sum(project.rating_counts().values())}")  # fmt: skip
        del events
        seconds = {step: measured(step, path, root) for step in STEPS}
    ratio = seconds["xlsx"] / seconds["bare_xlsx"]
    verdict = "within" if ratio <= 1.5 else "OVER"
    print(f"xlsx ratio (full export / bare to_excel): {ratio:.2f}× ({verdict} the 1.5× target)")
    print(f"csv ratio (full export / bare to_csv): {seconds['csv'] / seconds['bare_csv']:.2f}×")


if __name__ == "__main__":
    main()
