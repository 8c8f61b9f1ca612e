"""Shared pieces of the store, project, CLI and durability tests (no tests of its own)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from coder.model import Event, Media, Stamp
from coder.project import Project
from coder.scheme import Behaviour, Group, Scale, Scheme, SegmentRules, Subject
from coder.timebase import TimeBase

REPO = Path(__file__).resolve().parent.parent

SCHEME = Scheme(
    name="Store test scheme",
    version="1",
    description="Gaze, crying and reaching of an infant; caregiver sensitivity.",
    subjects=(Subject("infant", "Infant"), Subject("caregiver", "Caregiver")),
    groups=(Group("gaze", "Infant gaze", exclusive=True), Group("voice", "Voice")),
    behaviours=(
        Behaviour("look_cg", "Look at caregiver", "state", "infant", "a", "gaze"),
        Behaviour("look_obj", "Look at object", "state", "infant", "s", "gaze"),
        Behaviour("cry", "Cry", "state", "infant", "c", "voice", modifiers=("mild", "strong")),
        Behaviour("reach", "Reach", "point", "infant", "r"),
        Behaviour("vocal", "Vocalise", "point", "caregiver", "v"),
    ),
    scales=(
        Scale("sens", "Sensitivity", 1, 9, anchors={1: "low", 5: "mixed", 9: "high"}),
        Scale("coop", "Cooperation", 1, 9, rated_on=("intervals",)),
    ),
    segments=SegmentRules(interval_s=1.0),
)


def fake_medium(frames: int = 30_000, fps: float = 25.0) -> tuple[Media, TimeBase]:
    """A medium record and its time base, for tests that need no real video file."""
    timebase = TimeBase.constant(frames, fps)
    medium = Media(
        path="videos/none.mp4",
        fingerprint="s3-sha256:0",
        size_bytes=1,
        duration_us=timebase.duration_us,
        frame_count=frames,
        fps=fps,
    )
    return medium, timebase


def project_with_observation(path: Path | str, frames: int = 30_000) -> tuple[Project, int]:
    """A new project holding one observation with a fake 25 fps medium."""
    project = Project.create(path, SCHEME)
    medium, timebase = fake_medium(frames)
    obs = project.store.add_observation("obs1", [medium], [timebase], participant="P01")
    return project, obs.id


def point_at(frame: int, code: str = "reach", fps: float = 25.0) -> Event:
    """A point event of the infant at ``frame`` of a constant-rate video."""
    return Event(code, "infant", Stamp(frame, round(frame * 1e6 / fps)), None, is_state=False)


def snapshot(path: Path) -> tuple[bytes, int]:
    """A file's bytes and modification time (ns), to prove it was not written."""
    return path.read_bytes(), path.stat().st_mtime_ns


def child_env() -> dict[str, str]:
    """The environment of a child Python that imports this checkout's ``coder``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), env.get("PYTHONPATH", "")])
    return env


def start_child(script: str, *args: str) -> subprocess.Popen[str]:
    """Run ``script`` (Python source) in a child process with text stdout piped."""
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=child_env(),
        cwd=REPO,
    )
