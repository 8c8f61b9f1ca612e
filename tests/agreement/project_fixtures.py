"""A real project file coded by two coders and a master (no tests here).

Its observations have a medium record and time base but no video file to probe (as the core's
own project tests do), so the report is exercised on the stored records alone.
"""

from __future__ import annotations

from pathlib import Path

from coder.model import Media
from coder.project import Project
from coder.scheme import Behaviour, Group, Scale, Scheme, SegmentRules, Subject
from coder.timebase import TimeBase

SCHEME = Scheme(
    name="Agreement test scheme",
    subjects=(Subject("infant", "Infant"), Subject("caregiver", "Caregiver")),
    groups=(Group("gaze", "Infant gaze", exclusive=True), Group("cues", "Infant cues")),
    behaviours=(
        Behaviour("look", "Looks at caregiver", "state", "infant", "a", "gaze"),
        Behaviour("object", "Looks at object", "state", "infant", "s", "gaze"),
        Behaviour("cry", "Cry", "point", "infant", "q", "cues"),
        Behaviour("reach", "Reach", "point", "infant", "r", "cues"),
        Behaviour("talk", "Caregiver talks", "state", "caregiver", "v"),
    ),
    scales=(
        Scale("sens", "Sensitivity", 1, 9, anchors={1: "low", 9: "high"}),
        Scale("coop", "Cooperation", 1, 9, rated_on=("intervals",)),
    ),
    segments=SegmentRules(interval_s=1.0),
)

FPS = 25
FRAMES = 250  # 10 s

# per coder: gaze switches (frame, code), points (frame, code), session and interval ratings
CODING = {
    "MM": {
        "gaze": [(0, "look"), (100, "object"), (200, "look")],
        "points": [(30, "cry"), (120, "reach"), (180, "cry")],
        "sens": 7,
        "coop": [5, 5, 6, 6, 7, 7, 6, 5, 4, 4],
    },
    "AB": {
        "gaze": [(0, "look"), (110, "object"), (200, "look")],
        "points": [(35, "cry"), (120, "cry"), (240, "reach")],
        "sens": 6,
        "coop": [5, 6, 6, 6, 7, 8, 6, 5, 4, 3],
    },
}


def code_pass(project: Project, observation: int, coder: str, done: bool = True) -> int:
    plan = CODING[coder]
    session = project.start_coding(observation, coder)
    for frame, code in plan["gaze"]:  # type: ignore[attr-defined]
        session.toggle(code, frame)
    for frame, code in plan["points"]:  # type: ignore[attr-defined]
        session.point(code, frame)
    session.toggle("talk", 50)
    session.toggle("talk", 150)
    session.rate("sens", plan["sens"])  # type: ignore[arg-type]
    for i, value in enumerate(plan["coop"]):  # type: ignore[arg-type]
        session.rate("coop", value, f"interval_{i + 1}")
    if done:
        session.mark_done(close_open_at=FRAMES - 1)
    return session.coding_id


def make_study(folder: Path, observations: int = 2) -> Path:
    """A project whose observations MM (the master) and AB both coded."""
    path = folder / "study.attune"
    timebase = TimeBase.constant(FRAMES, FPS)
    with Project.create(path, SCHEME) as project:
        for n in range(observations):
            medium = Media(
                path=f"videos/p{n + 1:02d}.mp4",
                fingerprint=f"s3-sha256:{n}",
                size_bytes=1,
                duration_us=timebase.duration_us,
                frame_count=FRAMES,
                fps=FPS,
            )
            name = f"p{n + 1:02d}"
            obs = project.store.add_observation(name, [medium], [timebase], participant=name)
            master = code_pass(project, obs.id, "MM")
            project.set_master(master)
            code_pass(project, obs.id, "AB")
    return path
