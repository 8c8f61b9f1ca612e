"""A small scheme and session factory for core tests (no files, no Qt)."""

from __future__ import annotations

from coder.coding.session import Session
from coder.model import Coder, CodingInfo
from coder.scheme import (
    Behaviour,
    EpisodeDef,
    Group,
    Scale,
    Scheme,
    SegmentRules,
    Subject,
)
from coder.store.memory import MemoryStore
from coder.timebase import TimeBase

SCHEME = Scheme(
    name="Test scheme",
    subjects=(Subject("infant", "Infant"), Subject("caregiver", "Caregiver")),
    groups=(Group("gaze", "Infant gaze", exclusive=True), Group("voice", "Voice")),
    behaviours=(
        Behaviour("look_cg", "Look at caregiver", "state", "infant", "a", "gaze"),
        Behaviour("look_obj", "Look at object", "state", "infant", "s", "gaze"),
        Behaviour("look_away", "Look away", "state", "infant", "d", "gaze"),
        Behaviour("cry", "Cry", "state", "infant", "c", "voice", modifiers=("mild", "strong")),
        Behaviour("touch", "Touch", "state", "caregiver", "t"),
        Behaviour("reach", "Reach", "point", "infant", "r"),
        Behaviour("vocal", "Vocalise", "point", "caregiver", "v"),
    ),
    scales=(
        Scale("sens", "Sensitivity", 1, 9, anchors={1: "low", 5: "mixed", 9: "high"}),
        Scale("coop", "Cooperation", 1, 9, rated_on=("session", "intervals")),
        Scale("prox", "Proximity seeking", 1, 7, rated_on=("ep2", "ep3")),
    ),
    segments=SegmentRules(
        interval_s=2.0,
        episodes=(
            EpisodeDef("ep1", "Play"),
            EpisodeDef("ep2", "Still face"),
            EpisodeDef("ep3", "Reunion"),
        ),
    ),
)
FRAMES = 250  # 10 s at 25 fps


def make_session(
    store: MemoryStore | None = None, timebase: TimeBase | None = None
) -> tuple[Session, MemoryStore]:
    info = CodingInfo(id=1, observation_id=1, coder=Coder("AB", id=1), scheme_id=1)
    store = store or MemoryStore.for_codings([info])
    return Session(store, info, SCHEME, timebase or TimeBase.constant(FRAMES, 25)), store
