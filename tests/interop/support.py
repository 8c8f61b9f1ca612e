"""Projects for the interchange tests: a scheme with every kind of code, coded by two coders."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from coder.demo.synth import make_clip
from coder.project import Project
from coder.scheme import scheme_from_dict

FPS = 25
FRAMES = 50

SCHEME = {
    "name": "Interop test",
    "version": "2",
    "description": "Every kind of code.",
    "subjects": [{"code": "infant", "name": "Infant"}, {"code": "mother", "name": "Mother"}],
    "groups": [
        {"code": "gaze", "name": "Infant gaze", "exclusive": True},
        {"code": "cues", "name": "Infant cues"},
    ],
    "behaviours": [
        {"code": "look_m", "name": "Looks at mother", "subject": "infant", "key": "a",
         "group": "gaze"},
        {"code": "look_away", "name": "Looks away", "subject": "infant", "key": "s",
         "group": "gaze"},
        {"code": "cry", "name": "Cry", "kind": "point", "subject": "infant", "key": "q",
         "group": "cues", "modifiers": ["mild", "strong"]},
        {"code": "touch", "name": "Touch", "subject": "mother", "key": "t",
         "modifiers": ["soft", "firm"]},
        {"code": "talk", "name": "Talks", "subject": "mother", "key": "T"},
    ],
    "scales": [{"code": "sens", "name": "Sensitivity", "min": 1, "max": 9}],
}  # fmt: skip


def clip(folder: Path, name: str = "p01.mp4") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return make_clip(folder / name, frames=FRAMES, fps=FPS)


def coded_project(path: Path, video: Path, open_state: bool = False) -> Path:
    """A project with one observation coded by AB and CD (every kind of code)."""
    with Project.create(path, scheme_from_dict(SCHEME)) as project:
        obs = project.add_observation([video], participant="P01", name="p01")
        one = project.start_coding(obs, "AB")
        one.toggle("look_m", 2)
        one.point("cry", 5, modifiers=["mild"], comment="first cry")
        one.start("touch", 3, modifiers=["soft", "firm"])
        one.toggle("look_away", 10)  # switches within the exclusive group
        one.toggle("talk", 8)
        one.stop("touch", 20)
        one.toggle("look_away", 30)
        one.point("cry", 31, modifiers=["strong"])
        one.stop("talk", FRAMES)  # to the end of the video
        one.rate("sens", 7)
        two = project.start_coding(obs, "CD")
        two.toggle("look_away", 0)
        two.toggle("look_m", 25)
        two.point("cry", 26)
        if not open_state:
            two.stop("look_m", 40)
    return path


def event_rows(project_path: Path) -> list[tuple[object, ...]]:
    """Every event as comparable values: pass, code, subject, frames, µs, modifiers, comment."""
    with Project.open(project_path, read_only=True) as project:
        frame = project.events_frame()
    columns = ["observation", "coder", "behaviour", "subject", "kind", "onset_frame",
               "offset_frame", "onset_us", "offset_us", "modifiers", "comment"]  # fmt: skip
    frame = frame[columns].astype(object).where(pd.notna(frame[columns]), None)
    return sorted(tuple(row) for row in frame.itertuples(index=False))
