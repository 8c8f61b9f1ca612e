"""Small hand-made records for the analysis tests: 25 fps, so frame f starts at f × 40 ms."""

from __future__ import annotations

from coder.model import Event, Stamp
from coder.scheme import Behaviour, Contingency, Scheme, SegmentRules

FPS_US = 40_000

LOOK = Behaviour("look", "Looks at caregiver", "state", "infant", "a")
CRY = Behaviour("cry", "Cries", "point", "infant", "q")
TALK = Behaviour("talk", "Caregiver talks", "state", "caregiver", "t")
RULE = Contingency("talks_3s", "Talks within 3 s", ("cry",), ("talk",), 3.0)


def at(seconds: float) -> Stamp:
    frame = round(seconds * 25)
    return Stamp(frame, frame * FPS_US)


def state(code: str, onset: float, offset: float | None, subject: str = "infant") -> Event:
    return Event(code, subject, at(onset), None if offset is None else at(offset), True)


def point(code: str, onset: float, subject: str = "infant") -> Event:
    return Event(code, subject, at(onset), None, False)


def scheme(interval_s: float | None = None) -> Scheme:
    return Scheme(
        name="Tiny",
        behaviours=(LOOK, CRY, TALK),
        segments=SegmentRules(interval_s=interval_s),
        contingencies=(RULE,),
    )
