"""A small project two coders coded, whose disagreements are known by hand (no tests here).

10 s at 25 fps, cut into 1 s units of 25 frames. Infant gaze (exclusive): the master MM looks
at the caregiver for frames 0-100 and at the object after; AB switches to the object at frame
140, so units 4 and 5 (frames 100-150) differ: AB still codes "look". Cues (points): both code a
cry (frames 30 and 35, paired); MM's reach at frame 120 has no partner (an omission); AB's cry at
frame 200 has none either (a commission: MM's reach is 3.2 s away, beyond the 2 s tolerance).
"""

from __future__ import annotations

from pathlib import Path

from coder.model import Media
from coder.project import Project
from coder.scheme import Behaviour, Group, Scale, Scheme, Subject
from coder.timebase import TimeBase

SCHEME = Scheme(
    name="Agreement view test scheme",
    subjects=(Subject("infant", "Infant"),),
    groups=(Group("gaze", "Infant gaze", exclusive=True), Group("cues", "Infant cues")),
    behaviours=(
        Behaviour("look", "Looks at caregiver", "state", "infant", "a", "gaze", colour="#2e86de"),
        Behaviour("object", "Looks at object", "state", "infant", "s", "gaze", colour="#1abc9c"),
        Behaviour("cry", "Cry", "point", "infant", "q", "cues", colour="#c0392b"),
        Behaviour("reach", "Reach", "point", "infant", "r", "cues", colour="#d35400"),
    ),
    scales=(Scale("sens", "Sensitivity", 1, 9),),
)
FPS, FRAMES = 25, 250
MASTER, OTHER = "MM", "AB"
PLANS = {
    MASTER: {"gaze": [(0, "look"), (100, "object")], "points": [(30, "cry"), (120, "reach")]},
    OTHER: {"gaze": [(0, "look"), (140, "object")], "points": [(35, "cry"), (200, "cry")]},
}
GAZE_UNITS = {MASTER: ["look"] * 4 + ["object"] * 6, OTHER: ["look"] * 6 + ["object"] * 4}


def make_study(folder: Path, *, master: bool = True) -> tuple[Path, int]:
    """The project file and its observation's id (MM's pass marked master if ``master``)."""
    path = folder / "study.attune"
    timebase = TimeBase.constant(FRAMES, FPS)
    with Project.create(path, SCHEME) as project:
        medium = Media(
            path="videos/p01.mp4",
            fingerprint="s3-sha256:0",
            size_bytes=1,
            duration_us=timebase.duration_us,
            frame_count=FRAMES,
            fps=FPS,
        )
        obs = project.store.add_observation("p01", [medium], [timebase], participant="p01")
        for coder, plan in PLANS.items():
            session = project.start_coding(obs.id, coder)
            for frame, code in plan["gaze"]:
                session.start(code, frame)
            for frame, code in plan["points"]:
                session.point(code, frame)
            session.rate("sens", 7 if coder == MASTER else 6)
            session.mark_done(close_open_at=FRAMES)
            if coder == MASTER and master:
                project.set_master(session.coding_id)
    return path, obs.id
