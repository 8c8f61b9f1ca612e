"""A scheme edited while passes have data: a resumed pass moves to the new version only when
that version holds everything the pass has coded; otherwise it keeps the one it was coded with.
A pass marked done always keeps its version: it records what the coder coded with."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from coder.project import Project
from coder.scheme import EpisodeDef, Group, Scheme, SegmentRules
from tests.test_project_support import SCHEME, fake_medium

EPISODES = SegmentRules(interval_s=1.0, episodes=(EpisodeDef("play", "Play"),))
BASE = replace(SCHEME, segments=EPISODES)


def with_scale(scheme: Scheme, code: str, **changes: object) -> Scheme:
    scales = tuple(replace(s, **changes) if s.code == code else s for s in scheme.scales)
    return replace(scheme, scales=scales)


def with_behaviour(scheme: Scheme, code: str, **changes: object) -> Scheme:
    behaviours = tuple(replace(b, **changes) if b.code == code else b for b in scheme.behaviours)
    return replace(scheme, behaviours=behaviours)


def open_project(path: Path, scheme: Scheme) -> tuple[Project, int]:
    project = Project.create(path, scheme)
    medium, timebase = fake_medium(250)
    return project, project.store.add_observation("obs1", [medium], [timebase]).id


def snapshot(session) -> tuple:
    return session.events, session.ratings, session.episodes


CASES = [
    pytest.param(
        lambda s: s.rate("sens", 9),
        with_scale(BASE, "sens", max=7, anchors={1: "low", 7: "high"}),
        id="a rating above the new maximum",
    ),
    pytest.param(
        lambda s: s.rate("sens", 4),
        with_scale(BASE, "sens", step=2),
        id="a rating between the new steps",
    ),
    pytest.param(
        lambda s: s.rate("coop", 3, "interval_2"),
        with_scale(BASE, "coop", rated_on=("session",)),
        id="a rating of a segment the scale is no longer rated on",
    ),
    pytest.param(
        lambda s: s.start("cry", 10, modifiers=["strong"]),
        with_behaviour(BASE, "cry", modifiers=("mild",)),
        id="a modifier the behaviour no longer has",
    ),
    pytest.param(
        lambda s: s.mark_episode("play", 0, 100),
        replace(BASE, segments=SegmentRules(interval_s=1.0)),
        id="an episode the scheme no longer defines",
    ),
    pytest.param(
        lambda s: s.point("reach", 5),
        with_behaviour(BASE, "reach", kind="state"),
        id="a point that became a state",
    ),
]


@pytest.mark.parametrize(("code", "edited"), CASES)
def test_a_resumed_pass_keeps_its_scheme_when_the_new_version_cannot_hold_its_data(
    tmp_path: Path, code, edited: Scheme
) -> None:
    project, obs_id = open_project(tmp_path / "s.attune", BASE)
    with project:
        session = project.start_coding(obs_id, "AB")
        code(session)
        coded, old_id = snapshot(session), session.info.scheme_id
        new_id = project.set_scheme(replace(edited, version="2"))
        resumed = project.start_coding(obs_id, "AB")
        assert resumed.info.scheme_id == old_id != new_id
        assert resumed.scheme == BASE
        assert snapshot(resumed) == coded
        assert project.check() == []


def test_a_resumed_pass_keeps_its_scheme_when_a_group_turns_exclusive_over_overlapping_states(
    tmp_path: Path,
) -> None:
    loose = replace(BASE, groups=(Group("gaze", "Infant gaze"), Group("voice", "Voice")))
    project, obs_id = open_project(tmp_path / "s.attune", loose)
    with project:
        session = project.start_coding(obs_id, "AB")
        session.start("look_cg", 10)
        session.start("look_obj", 20)  # not exclusive yet: both on
        old_id = session.info.scheme_id
        project.set_scheme(replace(BASE, version="2"))  # gaze is exclusive here
        resumed = project.start_coding(obs_id, "AB")
        assert resumed.info.scheme_id == old_id
        assert len(resumed.open_states) == 2
        assert project.check() == []


def test_a_resumed_pass_moves_to_a_version_that_holds_all_its_data(tmp_path: Path) -> None:
    project, obs_id = open_project(tmp_path / "s.attune", BASE)
    with project:
        session = project.start_coding(obs_id, "AB")
        session.rate("sens", 7)
        session.start("cry", 10, modifiers=["strong"])
        session.mark_episode("play", 0, 100)
        coded = snapshot(session)
        new_id = project.set_scheme(with_scale(BASE, "sens", name="Sensitivity (revised)"))
        resumed = project.start_coding(obs_id, "AB")
        assert resumed.info.scheme_id == new_id
        assert snapshot(resumed) == coded


def test_a_done_pass_keeps_the_version_it_was_coded_with(tmp_path: Path) -> None:
    project, obs_id = open_project(tmp_path / "s.attune", BASE)
    with project:
        session = project.start_coding(obs_id, "AB")
        session.point("reach", 5)
        session.mark_done()
        old_id = session.info.scheme_id
        project.set_scheme(with_scale(BASE, "sens", name="Sensitivity (revised)"))
        again = project.start_coding(obs_id, "AB")
        assert again.info.scheme_id == old_id
        assert project.codings()[0].scheme_id == old_id
