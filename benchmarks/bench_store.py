"""How fast the project file records and reports.

1. Records 20,000 events through coding-session commands (points, state starts/stops and
   switches in an exclusive group), each one a durable transaction, and prints events/s and the
   p50/p99/max latency of one action (target: p99 < 5 ms), next to the bare store write.
2. Applies 10,000 events as one batch (one transaction, one undo step, checked by the rules of
   single commands) and as 10,000 single commands, interleaved in one run, and prints the ratio
   (target: the batch >= 20x faster).
3. Builds a project with 200 observations and 200,000 events and times ``attune --help`` and
   ``attune info`` as fresh processes against the interpreter's own start, interleaved (target:
   at most 0.2 s over it), ``attune check``, opening, and the events table.
4. ``--only server``: one durable action on the file and on a local PostgreSQL side by side,
   and four coders at once on one server project (``bench_server.py``; not in the default run,
   which needs no server).

Run: ``python benchmarks/bench_store.py [--events N] [--batch N]
[--only session|batch|big|server] [--server URL] [--keep DIR]``. Prints numbers only; it
asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coder.model import Event, Media, Rating, Stamp  # noqa: E402
from coder.project import Project  # noqa: E402
from coder.scheme import Behaviour, Group, Scale, Scheme, Subject  # noqa: E402
from coder.timebase import TimeBase  # noqa: E402

SCHEME = Scheme(
    name="Benchmark scheme",
    subjects=(Subject("infant", "Infant"), Subject("caregiver", "Caregiver")),
    groups=(Group("gaze", "Gaze", exclusive=True),),
    behaviours=(
        Behaviour("look_cg", "Look at caregiver", "state", "infant", "a", "gaze"),
        Behaviour("look_obj", "Look at object", "state", "infant", "s", "gaze"),
        Behaviour("cry", "Cry", "state", "infant", "c"),
        Behaviour("reach", "Reach", "point", "infant", "r"),
        Behaviour("vocal", "Vocalise", "point", "caregiver", "v"),
    ),
    scales=(Scale("sens", "Sensitivity", 1, 9),),
)
FPS = 25.0


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def report(label: str, seconds: list[float], events: int) -> None:
    total = sum(seconds)
    print(
        f"{label}: {events} events in {total:.2f} s = {events / total:,.0f} events/s; per action "
        f"p50 {percentile(seconds, 0.5) * 1e3:.3f} ms, p99 {percentile(seconds, 0.99) * 1e3:.3f} "
        f"ms, max {max(seconds) * 1e3:.3f} ms"
    )


def fake_observation(project: Project, name: str, frames: int) -> int:
    timebase = TimeBase.constant(frames, FPS)
    medium = Media(f"videos/{name}.mp4", "s3-sha256:0", 1, timebase.duration_us, frames, FPS)
    return project.store.add_observation(name, [medium], [timebase], participant=name).id


def bench_session(folder: Path, count: int) -> None:
    path = folder / "record.attune"
    with Project.create(path, SCHEME) as project:
        obs = fake_observation(project, "p001", 4 * count + 10)
        session = project.start_coding(obs, "AB")
        times: list[float] = []
        frame, gaze = 0, ("look_cg", "look_obj")
        clock = time.perf_counter
        for i in range(count):
            frame += 2
            kind = i % 10
            started = clock()
            if kind < 6:
                session.point("reach" if kind % 2 else "vocal", frame)
            elif kind < 8:
                session.toggle("cry", frame)
            else:
                session.toggle(gaze[i % 4 == 0], frame)  # starts one, ending the other
            times.append(clock() - started)
        stored = project.event_counts()[session.coding_id]
    report(f"session commands ({stored} events stored)", times, count)
    tenth = max(1, count // 10)
    report("  first tenth", times[:tenth], tenth)
    report("  last tenth", times[-tenth:], tenth)

    with Project.create(folder / "bare.attune", SCHEME) as project:
        obs = fake_observation(project, "p001", 4 * count + 10)
        coding = project.start_coding(obs, "AB").coding_id
        store, bare = project.store, []
        for i in range(count):
            event = Event("reach", "infant", Stamp(i, round(i * 1e6 / FPS)), None, False)
            started = time.perf_counter()
            store.insert_event(coding, event)
            bare.append(time.perf_counter() - started)
    report("bare store writes", bare, count)
    print(f"synchronous=FULL, WAL; file size {path.stat().st_size / 1e6:.1f} MB")


def bench_batch(folder: Path, count: int, rounds: int = 3) -> None:
    """One batch of ``count`` events against ``count`` single commands, interleaved."""
    from coder.coding import Batch

    singles: list[float] = []
    batches: list[float] = []
    for round_ in range(rounds):
        for mode in ("single", "batch"):
            with Project.create(folder / f"{mode}{round_}.attune", SCHEME) as project:
                obs = fake_observation(project, "p001", 2 * count + 10)
                session = project.start_coding(obs, "AB")
                frames = range(0, 2 * count, 2)
                if mode == "single":
                    started = time.perf_counter()
                    for frame in frames:
                        session.point("vocal", frame)
                    singles.append(time.perf_counter() - started)
                else:
                    stamps = [session.stamp(frame) for frame in frames]
                    events = [Event("vocal", "", stamp, None, False) for stamp in stamps]
                    started = time.perf_counter()
                    session.apply_batch(Batch(events=events))
                    batches.append(time.perf_counter() - started)
                assert project.event_counts()[session.coding_id] == count
    single, batch = statistics.median(singles), statistics.median(batches)
    print(
        f"{count:,} events: single commands {single:.3f} s, one batch {batch:.3f} s "
        f"(medians of {rounds}, interleaved) -> the batch is {single / batch:.0f}x faster "
        "(target >= 20x)"
    )


def build_big(path: Path, observations: int, events_per: int) -> None:
    started = time.perf_counter()
    with Project.create(path, SCHEME) as project:
        store = project.store
        for n in range(observations):
            obs = fake_observation(project, f"p{n + 1:03d}", 30_000)
            coding = project.start_coding(obs, "AB" if n % 2 else "CD").coding_id
            with store.transaction():
                for i in range(events_per):
                    onset = 10 + 20 * i
                    if i % 3:
                        event = Event("reach", "infant", Stamp(onset, onset * 40_000), None, False)
                    else:
                        end = onset + 10
                        event = Event(
                            "cry", "infant", Stamp(onset, onset * 40_000), Stamp(end, end * 40_000)
                        )
                    store.insert_event(coding, event)
                store.put_rating(coding, Rating("sens", "session", 1 + n % 9))
    took = time.perf_counter() - started
    size = path.stat().st_size / 1e6
    print(
        f"built {observations} observations, {observations * events_per:,} events in {took:.1f} s"
        f" ({size:.1f} MB)"
    )


def timed_command(*args: str, module: bool = True) -> tuple[float, int]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    command = [sys.executable, "-m", "coder", *args] if module else [sys.executable, *args]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=REPO)
    return time.perf_counter() - started, done.returncode


def bench_commands(path: Path, rounds: int = 7) -> None:
    """The interpreter's own start, ``attune --help`` and ``attune info`` as fresh processes,
    interleaved round by round so that a busy machine weighs on all three alike."""
    times: dict[str, list[float]] = {"python": [], "--help": [], "info": []}
    for _ in range(rounds):
        times["python"].append(timed_command("-c", "pass", module=False)[0])
        times["--help"].append(timed_command("--help")[0])
        took, code = timed_command("info", str(path))
        assert code == 0, "attune info failed"
        times["info"].append(took)
    start = statistics.median(times["python"])
    print(f"fresh processes, medians of {rounds} interleaved rounds:")
    print(f"  python -c pass             {start:.3f} s")
    for name in ("--help", "info"):
        median = statistics.median(times[name])
        print(
            f"  attune {name:<18} {median:.3f} s = {median - start:.3f} s over the "
            "interpreter's start (target <= 0.2 s)"
        )


def bench_big(folder: Path, observations: int, events_per: int) -> None:
    path = folder / "big.attune"
    build_big(path, observations, events_per)
    bench_commands(path)
    took, code = timed_command("check", str(path))
    print(f"attune check (fresh process): {took:.3f} s (exit {code})")
    started = time.perf_counter()
    with Project.open(path) as project:
        opened = time.perf_counter() - started
        started = time.perf_counter()
        frame = project.events_frame()
        table = time.perf_counter() - started
    print(f"Project.open (checks included): {opened:.3f} s; events_frame(): {len(frame):,} rows "
          f"in {table:.3f} s")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--observations", type=int, default=200)
    parser.add_argument("--events-per-observation", type=int, default=1_000)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--only", choices=("session", "batch", "big", "server"))
    parser.add_argument("--server", help="with --only server: a maintenance database's URL")
    parser.add_argument("--coders", type=int, default=4, help="with --only server")
    parser.add_argument("--actions-per-coder", type=int, default=1_000, help="with --only server")
    parser.add_argument("--keep", type=Path, help="write the files here instead of a temp dir")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = args.keep or Path(temp)
        folder.mkdir(parents=True, exist_ok=True)
        if args.only in (None, "session"):
            bench_session(folder, args.events)
        if args.only in (None, "batch"):
            bench_batch(folder, args.batch)
        if args.only in (None, "big"):
            bench_big(folder, args.observations, args.events_per_observation)
        if args.only == "server":
            from benchmarks.bench_server import bench_server

            bench_server(folder, args.events, args.coders, args.actions_per_coder, args.server)


if __name__ == "__main__":
    main()
