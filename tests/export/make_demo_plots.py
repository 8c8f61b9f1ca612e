"""Code the demo clip as its scene script plays it (two coders) and save the plots to a folder.

    .venv/bin/python -m tests.export.make_demo_plots docs/

Writes ``plot_timeline.png`` (coder AB's pass), ``plot_time_budget.png`` (both coders) and
``plot_visits.png`` (three families seen at three visits each, the clip coded a little
differently each time: consistency of care across visits).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from coder.coding.session import Session
from coder.demo import make_demo_project
from coder.demo import scene as script
from coder.export.plots import save_figure, time_budget_figure, timeline_figure
from coder.export.tables import select_passes
from coder.instruments.plot import visits_figure
from coder.project import Project

FPS = 25


#: Per family and visit: (frames the coder's codes are shifted, every n-th cue left out, the
#: ratings given, how many of the caregiver's four responses are coded).
VISITS = {
    "family 1": [(0, 0, 7, 4), (2, 4, 7, 3), (1, 0, 8, 4)],
    "family 2": [(3, 3, 5, 2), (0, 2, 4, 1), (4, 3, 6, 3)],
    "family 3": [(1, 0, 8, 4), (5, 2, 6, 2), (2, 2, 4, 1)],
}


def code(
    session: Session, shift: int = 0, skip: int = 0, rating: int | None = None, responses: int = 4
) -> None:
    """Code the scene: gaze and affect states, cues and responses, talk, touch, ratings.

    ``shift`` moves every code by that many frames (a second coder), ``skip`` leaves out every
    ``skip``-th cue, ``rating`` is given on every scale (default 7, or 6 when shifted), and
    only the first ``responses`` of the caregiver's four responses are coded."""
    last = session.timebase.frame_count

    def f(seconds: float) -> int:
        return min(last, max(0, round(seconds * FPS) + shift))

    def states(code: str, spans: script.Spans, modifiers: tuple[str, ...] = ()) -> None:
        for start, stop in spans:
            if f(stop) > f(start):
                session.start(code, f(start), modifiers=modifiers)
                session.stop(code, f(stop))

    gaze = sorted(
        [(a, b, "gaze_caregiver") for a, b in script.INFANT_LOOKS_AT_CAREGIVER]
        + [(a, b, "gaze_object") for a, b in script.INFANT_LOOKS_AT_TOY]
    )
    moment = 0.0
    for start, stop, what in gaze:
        if start > moment + 0.05:
            session.start("gaze_away", f(moment))
        session.start(what, f(start))
        moment = stop
    session.stop_all(f(moment))
    session.start("affect_neutral", f(0.0))
    for start, stop in script.INFANT_SMILES:
        session.start("affect_positive", f(start))
        if f(stop) < last:
            session.start("affect_neutral", f(stop))
    session.stop_all(last)
    cues = [(t, "vocal_positive") for t, _ in script.INFANT_VOCALISES]
    cues += [(t, "fuss") for t, _ in script.INFANT_FUSSES]
    cues += [(t, "reach") for t, _ in script.INFANT_REACHES]
    for n, (t, what) in enumerate(sorted(cues)):
        if not skip or n % skip:
            session.point(what, f(t))
    states("cg_vocal", script.CAREGIVER_TALKS)
    states("cg_touch", script.CAREGIVER_REACHES[:1], ("playful",))
    states("cg_touch", script.CAREGIVER_REACHES[1:], ("affectionate",))
    away = script.CAREGIVER_LOOKS_AWAY[0]
    states("cg_gaze", ((0.0, away[0]), (away[1], 24.0)))
    for t in (6.2, 15.0, 18.6, 22.4)[:responses]:
        session.point("cg_respond", f(t))
    session.point("cg_intrusive", f(17.2), modifiers=("physical",))
    for scale in session.scheme.scales:
        session.rate(scale.code, rating if rating is not None else 7 if shift == 0 else 6)


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        path = make_demo_project(Path(work))
        with Project.open(path) as project:
            (obs,) = project.observations
            code(project.start_coding(obs, "AB"))
            code(project.start_coding(obs, "CD"), shift=3, skip=3)
            records = select_passes(project)
            clip = project.media_path(obs.media[0])
            for family, visits in VISITS.items():
                for n, (shift, skip, rating, responses) in enumerate(visits, 1):
                    seen = project.add_observation([clip], participant=family, visit=f"visit {n}")
                    code(project.start_coding(seen, "AB"), shift, skip, rating, responses)
            repeated = [r for r in select_passes(project) if r.observation.participant in VISITS]
        ab = next(r for r in records if r.info.coder.initials == "AB")
        for name, figure in (
            ("plot_timeline.png", timeline_figure(ab)),
            ("plot_time_budget.png", time_budget_figure(records)),
            ("plot_visits.png", visits_figure(repeated)),
        ):
            print(save_figure(figure, folder / name, force=True))


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
