"""The demo coded twice, a master pass and a trainee's that partly disagrees (no tests here).

Used by the agreement view's tests and to make ``docs/agreement.png``. The master follows the
demo clip's script (:mod:`coder.demo.scene`); the trainee looks late, misses a look at the
caregiver, mixes up a reach with a cry and a response with an intrusion, omits a few events
and adds a fuss.
"""

from __future__ import annotations

from pathlib import Path

from coder.demo import make_demo_project
from coder.project import Project

FPS = 25
MASTER, TRAINEE = "LL", "XY"

# (seconds, code) in order; a state starts at its time (an exclusive partner stops there) and
# ("stop", code) stops one; points are logged.
Plan = list[tuple[float, str] | tuple[float, str, str]]

PLANS: dict[str, Plan] = {
    MASTER: [
        (0.0, "gaze_caregiver"), (0.0, "cg_gaze"), (1.0, "affect_positive"), (1.0, "cg_vocal"),
        (2.6, "cg_vocal", "stop"), (3.0, "gaze_away"), (3.0, "affect_neutral"),
        (5.0, "vocal_positive"), (5.6, "cg_respond"), (6.2, "cg_vocal"), (6.5, "cg_touch"),
        (7.6, "cg_vocal", "stop"), (8.0, "gaze_caregiver"), (8.6, "affect_positive"),
        (8.6, "cg_touch", "stop"), (10.8, "cg_gaze", "stop"), (11.2, "affect_neutral"),
        (11.5, "gaze_away"), (12.0, "fuss"), (12.0, "affect_negative"), (12.1, "reach"),
        (12.5, "cg_respond"), (13.8, "affect_neutral"), (14.4, "cg_gaze"),
        (14.6, "gaze_caregiver"), (14.9, "cg_touch"), (15.0, "cg_vocal"),
        (16.6, "cg_vocal", "stop"), (17.0, "cg_touch", "stop"), (17.2, "gaze_away"),
        (17.4, "gaze_object"), (18.2, "reach"), (20.0, "gaze_caregiver"),
        (20.5, "affect_positive"), (21.4, "vocal_positive"), (22.4, "cg_vocal"),
        (23.4, "cg_vocal", "stop"),
    ],
    TRAINEE: [
        (0.0, "gaze_caregiver"), (0.0, "cg_gaze"), (1.2, "affect_positive"), (1.0, "cg_vocal"),
        (2.6, "cg_vocal", "stop"), (3.4, "gaze_away"), (3.0, "affect_neutral"),
        (5.3, "vocal_positive"), (5.7, "cg_respond"), (6.4, "cg_vocal"), (6.5, "cg_touch"),
        (7.6, "cg_vocal", "stop"), (8.6, "gaze_caregiver"), (8.8, "fuss"), (9.6, "affect_positive"),
        (8.6, "cg_touch", "stop"), (10.8, "cg_gaze", "stop"), (11.2, "affect_neutral"),
        (11.5, "gaze_away"), (12.3, "fuss"), (12.4, "affect_negative"), (12.6, "cry"),
        (12.5, "cg_intrusive"), (13.8, "affect_neutral"), (14.4, "cg_gaze"),
        (14.9, "cg_touch"), (15.0, "cg_vocal"), (16.6, "cg_vocal", "stop"),
        (17.0, "cg_touch", "stop"), (17.4, "gaze_object"), (18.4, "reach"),
        (20.0, "gaze_caregiver"), (21.6, "affect_positive"), (22.5, "reach"),
    ],
}  # fmt: skip

RATINGS = {
    MASTER: {"sensitivity": 7, "cooperation": 6, "acceptance": 7, "accessibility": 7},
    TRAINEE: {"sensitivity": 6, "cooperation": 6, "acceptance": 5, "accessibility": 7},
}


def code_pass(project: Project, observation: int, coder: str) -> int:
    """Code ``coder``'s plan over ``observation`` and mark the pass done; its coding id."""
    session = project.start_coding(observation, coder)
    scheme = project.scheme
    for step in sorted(PLANS[coder], key=lambda s: s[0]):
        seconds, code = step[0], step[1]
        frame = round(seconds * FPS)
        if len(step) == 3:
            session.stop(code, frame)
        elif scheme.behaviour(code).is_state:
            session.start(code, frame)
        else:
            session.point(code, frame)
    for scale, value in RATINGS[coder].items():
        session.rate(scale, value)
    session.mark_done(close_open_at=session.timebase.frame_count)
    return session.coding_id


def make_two_coder_demo(folder: Path) -> Path:
    """The demo project in ``folder`` with the master's pass (marked) and the trainee's."""
    path = make_demo_project(folder)
    with Project.open(path) as project:
        observation = project.observations[0].id
        project.set_master(code_pass(project, observation, MASTER))
        code_pass(project, observation, TRAINEE)
    return path
