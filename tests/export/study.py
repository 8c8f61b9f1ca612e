"""A small study built at test time: generated clips (one constant, one variable frame rate)
and passes with known events, ratings, modifiers and episodes (no tests of its own)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from coder.demo.synth import make_clip, vfr_times
from coder.project import Project
from coder.scheme import (
    Behaviour,
    Contingency,
    EpisodeDef,
    Group,
    Scale,
    Scheme,
    SegmentRules,
    Subject,
)

SCHEME = Scheme(
    name="Spiel & Blick",
    version="2.1",
    subjects=(Subject("infant", "Säugling"), Subject("caregiver", "Bezugsperson")),
    groups=(Group("gaze", "Blick", exclusive=True),),
    behaviours=(
        Behaviour("look_cg", "Schaut zur Bezugsperson", "state", "infant", "a", "gaze"),
        Behaviour("look_away", "Schaut weg", "state", "infant", "s", "gaze"),
        Behaviour("cry", "Weint 😢", "point", "infant", "q", modifiers=("mild", "stark")),
        Behaviour("touch", "Berührt", "state", "caregiver", "t", modifiers=("zärtlich", "grob")),
    ),
    scales=(
        Scale("sens", "Feinfühligkeit", 1, 9, anchors={1: "gering", 5: "gemischt", 9: "hoch"}),
        Scale("coop", "Kooperation", 1, 5, rated_on=("intervals", "episodes")),
    ),
    segments=SegmentRules(interval_s=2.0, episodes=(EpisodeDef("play", "Freies Spiel"),)),
    contingencies=(Contingency("touch_1s", "Berührt binnen 1 s", ("cry",), ("touch",), 1.0),),
)
FRAMES = 100  # 4 s at 25 fps
RECORDED = "2026-03-04T10:15:30.250"  # when p01's recording started
VFR_FRAMES = 60


@dataclass(frozen=True)
class Study:
    path: Path
    cfr: int  # observation ids
    vfr: int
    vfr_pts: tuple[int, ...]


def make_study(folder: Path) -> Study:
    """The study project in ``folder``.

    Observation ``cfr`` (4 s, 25 fps, recorded from 10:15:30.250): AB codes looks (one switch
    inside the exclusive group), a touch still open at the end, cries with modifiers, comments
    starting with ``=``, ``+``, ``@``, a tab and a CR, ratings and an episode; CD's pass is
    empty and done; MM's pass is the master. Observation ``vfr`` (irregular frames, no clock
    time): AB codes a touch and a cry.
    """
    clip = make_clip(folder / "p01.mp4", frames=FRAMES, fps=25, size=(64, 48))
    pts = vfr_times(VFR_FRAMES, seed=3)
    vfr_clip = make_clip(folder / "p02_phone.mp4", frames=VFR_FRAMES, size=(64, 48), vfr_pts_us=pts)
    path = folder / "studie.attune"
    with Project.create(path, SCHEME) as project:
        cfr = project.add_observation(
            [clip], participant="P01 Jörg", visit="T1", date=RECORDED
        )  # a clock time of day: the events get clock times
        vfr = project.add_observation([vfr_clip], participant="P02", visit="T1")
        ab = project.start_coding(cfr, "AB")
        ab.start("look_cg", 10, comment="@Anna: prüfen")
        ab.start("look_away", 30, comment="\tTab zuerst\r\nzweite Zeile")  # ends look_cg
        ab.stop("look_away", 60)
        ab.point("cry", 20, modifiers=["stark"], comment="=SUM(A1) not a formula")
        ab.point("cry", 70, modifiers=["mild"], comment="+1 @home\tgap")
        ab.start("touch", 45, modifiers=["zärtlich"])
        ab.stop("touch", 55)
        ab.start("touch", 90, comment="still on")  # open at the end of the media
        ab.rate("sens", 5, comment="-nur eine Probe")
        ab.rate("coop", 4, segment="interval_2", comment="\rCR zuerst")
        ab.mark_episode("play", 25, 75)
        ab.rate("coop", 3, segment="play")
        cd = project.start_coding(cfr, "CD")
        cd.mark_done()
        mm = project.start_coding(cfr, "MM")
        mm.point("cry", 5)
        project.set_master(mm.info)
        phone = project.start_coding(vfr, "AB")
        phone.start("touch", 5)
        phone.stop("touch", 15)
        phone.point("cry", 40)
        phone.mark_done()
    return Study(path, cfr.id, vfr.id, tuple(pts))
