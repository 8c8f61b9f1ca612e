"""Batch writes: many records in one transaction and one undo step, by the single rules."""

from __future__ import annotations

import pytest

from coder.coding import Batch, BatchError, SessionError
from coder.model import Episode, Event, Rating, Stamp
from coder.timebase import TimeBase
from tests.core.session_fixtures import FRAMES, make_session

FRAME_US = 40_000


def at(frame: int) -> Stamp:
    return Stamp(frame, frame * FRAME_US)


def state(code: str, onset: int, offset: int | None, **kwargs: object) -> Event:
    return Event(code, "", at(onset), None if offset is None else at(offset), True, **kwargs)  # type: ignore[arg-type]


def point(code: str, frame: int) -> Event:
    return Event(code, "", at(frame), None, False)


def test_ten_thousand_events_are_one_commit_and_one_undo_step() -> None:
    frames = 20_000
    session, store = make_session(timebase=TimeBase.constant(frames, 25))
    session.point("reach", 1)
    events = [point("vocal", f) for f in range(0, frames, 2)]
    commits = store.commits
    added = session.apply_batch(Batch(events=events), label="Import")
    assert store.commits == commits + 1
    assert len(added) == 10_000
    assert len(session.events) == 10_001
    assert {e.subject for e in added} == {"caregiver"}  # the behaviour's subject filled in
    assert session.undo_label == "Import"
    assert len(store.load_events(session.coding_id)) == 10_001
    session.undo()
    assert [e.behaviour for e in session.events] == ["reach"]
    assert len(store.load_events(session.coding_id)) == 1
    session.redo()
    assert sorted(e.id for e in session.events if e.behaviour == "vocal") == sorted(
        e.id for e in added
    )  # the same ids come back


def test_one_bad_event_refuses_the_whole_batch_and_every_problem_is_listed() -> None:
    session, store = make_session()
    session.start("look_cg", 100)
    before = store.load_events(session.coding_id)
    batch = Batch(
        events=[
            state("touch", 0, 10),
            state("look_obj", 20, 40),  # fine: before the open look_cg
            state("look_away", 120, 130),  # the exclusive partner look_cg is on since 100
            state("cry", 5, 15, modifiers=("loud",)),
            point("sneeze", 3),
            state("touch", 300, 310),  # outside the 250-frame video
            state("touch", 5, 8),  # overlaps the first touch of this batch
        ]
    )
    with pytest.raises(BatchError) as refused:
        session.apply_batch(batch)
    problems = refused.value.problems
    assert len(problems) == 6, problems  # event 6: its onset and its offset
    assert any("event 3 (look_away" in p and "overlap Look at caregiver" in p for p in problems)
    assert any("event 4 (cry" in p and "'loud' is not a modifier" in p for p in problems)
    assert any("event 5 (sneeze" in p and "not a behaviour" in p for p in problems)
    assert [p.split(":")[0] for p in problems] == [
        "event 3 (look_away at frame 120)",
        "event 4 (cry at frame 5)",
        "event 5 (sneeze at frame 3)",
        "event 6 (touch at frame 300)",
        "event 6 (touch at frame 300)",
        "event 7 (touch at frame 5)",
    ]
    assert any("event 7 (touch" in p and "overlap Touch" in p for p in problems)
    assert "6 problems" in str(refused.value)
    assert isinstance(refused.value, SessionError)
    assert store.load_events(session.coding_id) == before
    assert session.undo_label == "Start Look at caregiver"


def test_ratings_and_episodes_obey_their_rules_and_apply_with_the_events() -> None:
    session, _store = make_session()
    bad = Batch(
        ratings=[Rating("sens", "session", 10), Rating("prox", "session", 3), Rating("x", "s", 1)],
        episodes=[Episode("ep1", at(0), at(100)), Episode("ep2", at(50), at(150))],
    )
    with pytest.raises(BatchError) as refused:
        session.apply_batch(bad)
    text = " | ".join(refused.value.problems)
    assert "10 is not a value of sens" in text
    assert "prox is not rated on 'session'" in text
    assert "'x' is not a rating scale" in text
    assert "episode 2 (ep2)" in text
    assert "overlap episode ep1" in text
    good = Batch(
        events=[state("cry", 10, 20, modifiers=("mild",))],
        ratings=[Rating("sens", "session", 7), Rating("prox", "ep2", 3)],
        episodes=[Episode("ep1", at(0), at(100)), Episode("ep2", at(100), at(200))],
    )
    session.apply_batch(good)
    assert session.rating("prox", "ep2").value == 3
    assert [e.code for e in session.episodes] == ["ep1", "ep2"]
    session.undo()
    assert session.events == ()
    assert session.ratings == ()
    assert session.episodes == ()


def test_an_exact_time_inside_its_frame_is_kept_and_one_outside_is_refused() -> None:
    session, _store = make_session()
    exact = Event("reach", "", Stamp(10, 10 * FRAME_US + 1234), None, False)
    (added,) = session.apply_batch(Batch(events=[exact]))
    assert added.onset == Stamp(10, 401_234)
    wrong = Event("reach", "", Stamp(11, 20 * FRAME_US), None, False)
    with pytest.raises(BatchError, match="not during frame 11"):
        session.apply_batch(Batch(events=[wrong]))


def test_a_state_may_end_at_the_end_of_the_media_and_stay_open_once() -> None:
    session, _store = make_session()
    end = Stamp(FRAMES, FRAMES * FRAME_US)
    session.apply_batch(Batch(events=[Event("touch", "", at(200), end), state("cry", 240, None)]))
    assert session.open_state("cry") is not None
    with pytest.raises(BatchError, match="overlap Cry"):
        session.apply_batch(Batch(events=[state("cry", 245, None)]))


def test_a_done_pass_refuses_a_batch() -> None:
    session, _store = make_session()
    session.mark_done()
    with pytest.raises(SessionError, match="marked done"):
        session.apply_batch(Batch(events=[point("reach", 1)]))
