"""Integrity checks name what is wrong: observation, coder and event."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from coder.model import CodingStatus, Event, Rating, Stamp
from coder.project import Project
from tests.test_project_support import fake_medium, project_with_observation


def stamp(frame: int) -> Stamp:
    return Stamp(frame, frame * 40_000)


def broken_project(path: Path) -> tuple[Project, dict[str, int]]:
    """A project whose pass holds one of each problem, written past the session's guards."""
    project, obs_id = project_with_observation(path, frames=100)
    store = project.store
    coding = project.start_coding(obs_id, "AB").coding_id
    ids = {}
    with store.transaction():
        put = store.insert_event
        ids["late"] = put(coding, Event("reach", "infant", stamp(150), None, False))
        ids["late_end"] = put(coding, Event("cry", "infant", stamp(90), stamp(120)))
        ids["backwards"] = put(coding, Event("cry", "infant", stamp(50), stamp(40)))
        ids["open"] = put(coding, Event("look_cg", "infant", stamp(60)))
        ids["overlap"] = put(coding, Event("look_obj", "infant", stamp(55), stamp(80)))
        ids["unknown"] = put(coding, Event("sneeze", "infant", stamp(5), None, False))
        ids["wrong_kind"] = put(coding, Event("reach", "infant", stamp(6), stamp(8), True))
        store.put_rating(coding, Rating("sens", "session", 12))
        store.put_rating(coding, Rating("sens", "interval_1", 4.5))
        store.put_rating(coding, Rating("mood", "session", 3))
        store.set_status(coding, CodingStatus.DONE)
    return project, ids


def find(problems: list[str], event_id: int, text: str) -> str:
    hits = [p for p in problems if f"event {event_id} " in p and text in p]
    assert hits, f"no problem about event {event_id} saying {text!r} in {problems}"
    return hits[0]


def test_each_kind_of_problem_is_found_and_named(tmp_path: Path) -> None:
    project, ids = broken_project(tmp_path / "s.attune")
    with project:
        problems = project.check()
    assert all(p.startswith("observation 'obs1', coder AB: ") for p in problems), problems
    assert "reach at frame 150" in find(problems, ids["late"], "onset lies outside the video")
    find(problems, ids["late_end"], "offset (frame 120, 0:04.800) lies outside the video")
    find(problems, ids["backwards"], "is not after its onset")
    find(problems, ids["open"], "still open in a pass marked done")
    overlap = find(problems, ids["overlap"], "overlaps event")
    assert f"event {ids['open']} (look_cg" in overlap
    assert "exclusive group gaze" in overlap
    find(problems, ids["unknown"], "'sneeze' is not a behaviour of the pass's scheme")
    find(problems, ids["wrong_kind"], "stored as a state")
    assert any("rating sens of segment session: 12 is off the scale" in p for p in problems)
    assert any("rating sens of segment interval_1: 4.5 is off" in p for p in problems)
    assert any("'mood' is not a scale of the scheme" in p for p in problems)


def test_a_sound_pass_has_no_problems_and_a_state_may_end_at_the_last_frame(
    tmp_path: Path,
) -> None:
    project, obs_id = project_with_observation(tmp_path / "s.attune", frames=100)
    with project:
        session = project.start_coding(obs_id, "AB")
        session.start("cry", 90)
        session.stop("cry", 100)  # the end of the video
        session.start("look_cg", 0)
        session.start("look_obj", 50)  # switches within the exclusive group
        session.rate("sens", 9)
        assert project.check() == []


def test_an_open_state_before_a_closed_one_of_its_code_is_sound_while_coding(
    tmp_path: Path,
) -> None:
    """Coding backwards: the session checks an open state at its onset only, and so does check."""
    project, obs_id = project_with_observation(tmp_path / "s.attune", frames=100)
    with project:
        session = project.start_coding(obs_id, "AB")
        session.start("cry", 50)
        session.stop("cry", 60)
        session.start("cry", 10)
        session.start("look_obj", 70)
        session.stop("look_obj", 80)
        session.start("look_cg", 20)
        assert len(session.open_states) == 2
        assert project.check() == []


def test_two_open_states_of_one_lane_are_a_problem(tmp_path: Path) -> None:
    project, obs_id = project_with_observation(tmp_path / "s.attune", frames=100)
    with project:
        coding = project.start_coding(obs_id, "AB").coding_id
        with project.store.transaction():
            first = project.store.insert_event(coding, Event("look_cg", "infant", stamp(10)))
            second = project.store.insert_event(coding, Event("look_obj", "infant", stamp(20)))
        problems = project.check()
    assert len(problems) == 1, problems
    assert f"event {second} (look_obj at frame 20" in problems[0]
    assert f"is open together with event {first} (look_cg" in problems[0]
    assert "exclusive group gaze" in problems[0]


def test_episode_segment_and_modifier_problems_are_found_and_named(tmp_path: Path) -> None:
    from dataclasses import replace

    from coder.model import Episode
    from coder.scheme import EpisodeDef, SegmentRules
    from tests.test_project_support import SCHEME, fake_medium

    scheme = replace(
        SCHEME,
        segments=SegmentRules(
            interval_s=1.0, episodes=(EpisodeDef("play", "Play"), EpisodeDef("sf", "Still"))
        ),
    )
    project = Project.create(tmp_path / "s.attune", scheme)
    medium, timebase = fake_medium(100)  # 4 s: intervals 1-4
    obs_id = project.store.add_observation("obs1", [medium], [timebase]).id
    with project:
        coding = project.start_coding(obs_id, "AB").coding_id
        store = project.store
        with store.transaction():
            store.put_episode(coding, Episode("play", stamp(10), stamp(40)))
            store.put_episode(coding, Episode("sf", stamp(30)))
            store.put_episode(coding, Episode("reunion", stamp(50), stamp(120)))
            store.put_rating(coding, Rating("coop", "interval_9", 3))
            store.put_rating(coding, Rating("sens", "interval_1", 3))
            store.put_rating(coding, Rating("coop", "interval_4", 3))  # sound
            cry = Event("cry", "infant", stamp(5), stamp(8), modifiers=("loud",))
            cry_id = store.insert_event(coding, cry)
            store.set_status(coding, CodingStatus.DONE)
        problems = project.check()
    text = "\n".join(problems)
    assert "episode sf (from frame 30) is still running in a pass marked done" in text
    assert "episode sf (from frame 30) overlaps episode play (frames 10–40)" in text
    assert "episode reunion (frames 50–120): 'reunion' is not an episode of the scheme" in text
    assert "episode reunion (frames 50–120): it ends outside the video (the video has 100" in text
    assert "rating coop of segment interval_9: coop is not rated on interval_9" in text
    assert "rating sens of segment interval_1: sens is not rated on interval_1" in text
    assert "interval_4" not in text
    find(problems, cry_id, "'loud' is not a modifier of cry (mild, strong)")
    assert len(problems) == 7, text


def test_check_finds_a_computed_scale_that_does_not_add_up(tmp_path: Path) -> None:
    from coder.scheme import load_scheme

    path = tmp_path / "eas.attune"
    scheme = load_scheme("emotional_availability_4th")
    with Project.create(path, scheme) as project:
        medium, timebase = fake_medium(250)
        obs = project.store.add_observation("o", [medium], [timebase])
        session = project.start_coding(obs.id, "AB")
        parts = scheme.scale("sensitivity").of
        for code in parts:
            session.rate(code, scheme.scale(code).min)
        total = session.rating("sensitivity")
        assert total is not None
        assert total.value == 7
        assert project.check() == []
    conn = sqlite3.connect(path)
    conn.execute("UPDATE rating SET value = 12 WHERE scale = 'sensitivity'")
    conn.commit()
    with Project.open(path, read_only=True) as project:
        assert project.check() == [
            "observation 'o', coder AB: rating sensitivity of segment session: 12 is "
            "stored, but its components give 7"
        ]
    conn.execute("DELETE FROM rating WHERE scale = ?", (parts[-1],))
    conn.commit()
    conn.close()
    with Project.open(path, read_only=True) as project:
        problems = project.check()
    assert any(
        f"rating sensitivity of segment session: computed from {parts[-1]}, which are not rated"
        in p
        for p in problems
    ), problems
