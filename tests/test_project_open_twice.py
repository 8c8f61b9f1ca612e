"""One coder's pass open twice (two windows, or the app and a script): the copy that is behind
refuses to write rather than overwrite or contradict what the other wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from coder.coding.session import SessionError
from coder.project import Project
from tests.core.session_fixtures import make_session
from tests.test_project_support import project_with_observation

STALE = "this pass was changed elsewhere since it was opened here"


def test_a_stale_copy_of_a_pass_refuses_to_write(tmp_path: Path) -> None:
    path = tmp_path / "s.attune"
    project, obs_id = project_with_observation(path, frames=100)
    with project, Project.open(path) as elsewhere:
        here = project.start_coding(obs_id, "AB")
        here.point("reach", 5)
        there = elsewhere.start_coding(obs_id, "AB")  # sees the point
        there.start("cry", 10)
        for command in (
            lambda: here.start("cry", 20),  # would be a second open cry
            lambda: here.undo(),  # would delete a point the other copy shows
            lambda: here.rate("sens", 3),
        ):
            with pytest.raises(SessionError, match=STALE):
                command()
        assert [e.behaviour for e in here.events] == ["reach"]  # nothing changed here
        there.stop("cry", 30)  # the current copy goes on
        fresh = project.start_coding(obs_id, "AB")
        assert [(e.behaviour, e.onset.frame) for e in fresh.events] == [("reach", 5), ("cry", 10)]
        fresh.point("vocal", 40)
        assert project.check() == []


def test_copies_of_different_passes_do_not_disturb_each_other(tmp_path: Path) -> None:
    path = tmp_path / "s.attune"
    project, obs_id = project_with_observation(path, frames=100)
    with project, Project.open(path) as elsewhere:
        mine = project.start_coding(obs_id, "AB")
        theirs = elsewhere.start_coding(obs_id, "CD")
        for frame in range(0, 40, 4):
            mine.point("reach", frame)
            theirs.point("vocal", frame + 1)
        mine.undo()
        theirs.undo()
        assert len(mine.events) == len(theirs.events) == 9


def test_two_sessions_over_one_memory_store_follow_the_same_rule() -> None:
    first, store = make_session()
    second, _ = make_session(store)
    second.point("reach", 3)
    with pytest.raises(SessionError, match=STALE):
        first.point("reach", 4)
    assert [e.onset.frame for e in store.load_events(1)] == [3]
