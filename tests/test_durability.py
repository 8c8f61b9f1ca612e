"""A killed process loses nothing: every action that returned is in the file.

A child process codes through the public API and prints one line after each returned call;
the parent kills it (SIGKILL) at a random moment, reopens the project and looks for every
action whose line it read. A second test lets two processes code the same project at once.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from pathlib import Path

import pytest

from coder.project import Project
from tests.store_backends import DURABLE, Backend
from tests.test_project_support import project_with_observation, start_child

CODER_SCRIPT = r"""
import random, sys
from coder.project import Project

path, obs_id, count, seed, initials = sys.argv[1:6]
rng = random.Random(int(seed))
project = Project.open(path)
session = project.start_coding(int(obs_id), initials)
frame, interval, last_point = 0, 0, None
gaze = ("look_cg", "look_obj")
for _ in range(int(count)):
    frame += rng.randint(1, 3)
    roll = rng.random()
    if roll < 0.05 and last_point is not None:
        print(f"U {last_point}", flush=True)  # an undo begins: its point may go either way
        session.undo()
        line, last_point = f"X {last_point}", None
    elif roll < 0.35:
        event = session.point(rng.choice(("reach", "vocal")), frame)
        line, last_point = f"P {event.id} {event.behaviour} {frame}", event.id
    elif roll < 0.6:
        event = session.toggle("cry", frame)
        line = f"{'S' if event.offset is None else 'E'} {event.id} cry {frame}"
    elif roll < 0.85:
        was_open = [e for e in session.open_states if e.behaviour in gaze]
        event = session.toggle(rng.choice(gaze), frame)
        if event.offset is not None:
            line = f"E {event.id} {event.behaviour} {frame}"
        else:
            line = f"S {event.id} {event.behaviour} {frame}"
            line += "".join(f";E {e.id} {e.behaviour} {frame}" for e in was_open)
    else:
        interval += 1
        value = rng.randint(1, 9)
        session.rate("coop", value, segment=f"interval_{interval}")
        line = f"R coop interval_{interval} {value}"
    print(line, flush=True)
    if line[0] != "P":
        last_point = None  # undo is only tried right after a point
print("finished", flush=True)
"""


def kill(proc: subprocess.Popen[str]) -> None:
    if os.name == "nt":
        proc.kill()
    else:
        os.kill(proc.pid, signal.SIGKILL)


def verify(project: Project, coding_id: int, lines: list[str]) -> int:
    """Assert every action of ``lines`` is in the store; return how many were checked."""
    events = {e.id: e for e in project.store.load_events(coding_id)}
    ratings = {(r.scale, r.segment): r.value for r in project.store.load_ratings(coding_id)}
    undone = {int(line.split()[1]) for line in lines if line.startswith("X ")}
    checked = 0
    for line in lines:
        for part in line.split(";"):
            kind, *fields = part.split()
            if kind == "R":
                assert ratings.get((fields[0], fields[1])) == float(fields[2]), part
            elif kind == "X":
                assert int(fields[0]) not in events, f"undone event still stored: {part}"
            elif int(fields[0]) in undone:
                pass  # a later line undid it (checked by its X line)
            elif kind == "U" or (kind == "P" and lines[-1] == f"U {fields[0]}"):
                pass  # an undo was under way at the kill: either outcome is right
            else:
                event = events.get(int(fields[0]))
                assert event is not None, f"lost: {part}"
                assert event.behaviour == fields[1], part
                frame = int(fields[2])
                if kind in ("P", "S"):
                    assert event.onset.frame == frame, part
                    assert event.is_state == (kind == "S"), part
                else:
                    assert event.offset is not None, f"lost stop: {part}"
                    assert event.offset.frame == frame, part
            checked += 1
    return checked


@pytest.mark.parametrize("backend", DURABLE, ids=lambda b: b.name)
@pytest.mark.parametrize("seed", [11, 29])
def test_a_killed_coder_loses_no_returned_action(
    tmp_path: Path, seed: int, backend: Backend
) -> None:
    assert backend.location is not None
    path = backend.location(tmp_path)
    project, obs_id = project_with_observation(path)
    project.close()
    proc = start_child(CODER_SCRIPT, str(path), str(obs_id), "2000", str(seed), "AB")
    assert proc.stdout is not None
    rng = random.Random(seed)
    kill_after = rng.randint(100, 1900)
    lines: list[str] = []
    try:
        while len(lines) < kill_after:
            line = proc.stdout.readline()
            if not line:
                pytest.fail(f"the coder stopped early: {proc.stderr.read() if proc.stderr else ''}")
            lines.append(line)
        time.sleep(rng.random() * 0.002)  # land anywhere in the next action
        kill(proc)
        rest, _ = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    lines.extend(line + "\n" for line in rest.split("\n")[:-1])  # only whole lines count
    assert proc.returncode != 0, "the child should have been killed before it finished"
    assert "finished\n" not in lines
    with Project.open(path) as reopened:
        (coding,) = reopened.codings()
        checked = verify(reopened, coding.id, [line.rstrip("\n") for line in lines])
        assert checked >= kill_after
        assert reopened.check() == []


def test_two_processes_code_one_project_at_once(tmp_path: Path) -> None:
    path = tmp_path / "shared.attune"
    project, obs_id = project_with_observation(path)
    project.close()
    procs = {
        who: start_child(CODER_SCRIPT, str(path), str(obs_id), "400", str(seed), who)
        for who, seed in (("AB", 3), ("CD", 4))
    }
    outputs = {}
    for who, proc in procs.items():
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
        outputs[who] = out.splitlines()
    with Project.open(path) as reopened:
        assert reopened.check() == []
        passes = {c.coder.initials: c.id for c in reopened.codings()}
        assert sorted(passes) == ["AB", "CD"]
        for who, lines in outputs.items():
            assert lines[-1] == "finished"
            assert verify(reopened, passes[who], lines[:-1]) >= 400
        counts = reopened.event_counts()
        for who, lines in outputs.items():
            kept = {p.split()[1] for line in lines[:-1] for p in line.split(";") if p[0] in "PS"}
            undone = {line.split()[1] for line in lines[:-1] if line[0] == "X"}
            assert counts[passes[who]] == len(kept - undone)
