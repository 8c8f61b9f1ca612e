"""How fast a lab server records, next to the project file (``bench_store.py --only server``).

1. One durable coding action (a session command committed before it returns): p50/p99/max
   on a project file and on a local PostgreSQL server, side by side (target: server p99
   <= 10 ms).
2. Four coders at once, each a process coding its own pass on one server project: actions/s
   in all and each coder's p50/p99.

The server is ``--server URL`` (a maintenance database such as ``…/postgres``; a database is
made and dropped for the run), else ``ATTUNE_TEST_POSTGRES``, else a throw-away cluster
started here (PostgreSQL installed; fsync on). Prints numbers only.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from coder.model import Media  # noqa: E402
from coder.project import Project  # noqa: E402
from coder.scheme import Behaviour, Group, Scheme, Subject  # noqa: E402
from coder.timebase import TimeBase  # noqa: E402

SCHEME = Scheme(
    name="Server benchmark scheme",
    subjects=(Subject("infant", "Infant"), Subject("caregiver", "Caregiver")),
    groups=(Group("gaze", "Gaze", exclusive=True),),
    behaviours=(
        Behaviour("look_cg", "Look at caregiver", "state", "infant", "a", "gaze"),
        Behaviour("look_obj", "Look at object", "state", "infant", "s", "gaze"),
        Behaviour("cry", "Cry", "state", "infant", "c"),
        Behaviour("reach", "Reach", "point", "infant", "r"),
        Behaviour("vocal", "Vocalise", "point", "caregiver", "v"),
    ),
)
FPS = 25.0

CODER = r"""
import sys, time
from coder.project import Project
url, obs, count, who = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
project = Project.open(url)
session = project.start_coding(obs, who)
times, frame = [], 0
for i in range(count):
    frame += 2
    started = time.perf_counter()
    if i % 10 < 6:
        session.point("reach", frame)
    elif i % 10 < 8:
        session.toggle("cry", frame)
    else:
        session.toggle(("look_cg", "look_obj")[i % 4 == 0], frame)
    times.append(time.perf_counter() - started)
times.sort()
print(times[len(times) // 2], times[min(len(times) - 1, int(0.99 * len(times)))], flush=True)
"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def observation(project: Project, frames: int) -> int:
    timebase = TimeBase.constant(frames, FPS)
    medium = Media("videos/p001.mp4", "s3-sha256:0", 1, timebase.duration_us, frames, FPS)
    return project.store.add_observation("p001", [medium], [timebase]).id


def durable_actions(location: str | Path, count: int) -> list[float]:
    with Project.create(location, SCHEME) as project:
        session = project.start_coding(observation(project, 4 * count + 10), "AB")
        times, frame = [], 0
        for i in range(count):
            frame += 2
            started = time.perf_counter()
            if i % 10 < 6:
                session.point("reach" if i % 2 else "vocal", frame)
            elif i % 10 < 8:
                session.toggle("cry", frame)
            else:
                session.toggle(("look_cg", "look_obj")[i % 4 == 0], frame)
            times.append(time.perf_counter() - started)
    return times


@contextmanager
def server(url: str | None) -> Iterator[str]:
    """A maintenance URL of a server to benchmark on."""
    url = url or os.environ.get("ATTUNE_TEST_POSTGRES")
    if url:
        yield url
        return
    from tests.server.cluster import Cluster, available

    if not available():
        raise SystemExit("no PostgreSQL: give --server URL or install PostgreSQL")
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="attune-bench-pg-")))
    cluster.init()
    cluster.start()
    os.environ.update(cluster.env())
    try:
        yield cluster.url
    finally:
        cluster.remove()


@contextmanager
def database(admin: str) -> Iterator[str]:
    import psycopg

    from coder.store.postgres import address

    name = f"attune_bench_{secrets.token_hex(4)}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield address.with_database(admin, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def bench_server(folder: Path, count: int, coders: int, per_coder: int, url: str | None) -> None:
    with server(url) as admin:
        sqlite = durable_actions(folder / "side-by-side.attune", count)
        with database(admin) as project_url:
            postgres = durable_actions(project_url, count)
        print(f"one durable action, {count} session commands each:")
        print(f"  {'':<12}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'actions/s':>11}")
        for label, times in (("SQLite file", sqlite), ("PostgreSQL", postgres)):
            print(
                f"  {label:<12}{percentile(times, 0.5) * 1e3:>9.3f}"
                f"{percentile(times, 0.99) * 1e3:>9.3f}{max(times) * 1e3:>9.3f}"
                f"{len(times) / sum(times):>11,.0f}"
            )
        with database(admin) as project_url:
            with Project.create(project_url, SCHEME) as project:
                obs = observation(project, 4 * per_coder + 10)
            env = dict(os.environ, PYTHONPATH=str(REPO))
            started = time.perf_counter()
            procs = [
                subprocess.Popen(
                    [sys.executable, "-c", CODER, project_url, str(obs), str(per_coder), f"C{n}"],
                    stdout=subprocess.PIPE,
                    text=True,
                    env=env,
                    cwd=REPO,
                )
                for n in range(coders)
            ]
            results = [p.communicate()[0].split() for p in procs]
            wall = time.perf_counter() - started
            with Project.open(project_url) as project:
                stored = sum(project.event_counts().values())
        total = coders * per_coder
        print(
            f"{coders} coders at once, {per_coder} actions each: {total} actions in {wall:.2f} s "
            f"(processes' start included) = {total / wall:,.0f} actions/s; {stored} events stored"
        )
        for n, (p50, p99) in enumerate(results):
            print(f"  coder C{n}: p50 {float(p50) * 1e3:.3f} ms, p99 {float(p99) * 1e3:.3f} ms")
