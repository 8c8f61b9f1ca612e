"""What a script or a widget may hand a session by mistake, and episodes that would overlap.

Every bad input is refused with a SessionError that says what is wrong, and changes nothing.
"""

from __future__ import annotations

import numpy as np
import pytest

from coder.coding.session import SessionError
from tests.core.session_fixtures import FRAMES, make_session


@pytest.mark.parametrize(
    ("frame", "message"),
    [
        (10.5, "frame 10.5 is not a whole frame index"),
        (10.0, "frame 10.0 is not a whole frame index"),
        (True, "frame True is not a whole frame index"),
        ("10", "frame '10' is not a whole frame index"),
    ],
)
def test_a_frame_that_is_not_a_whole_number_is_refused(frame, message):
    session, store = make_session()
    for command in (
        lambda: session.point("reach", frame),
        lambda: session.start("cry", frame),
        lambda: session.start_episode("ep1", frame),
    ):
        with pytest.raises(SessionError, match=message):
            command()
    assert session.events == () == tuple(store.load_events(1))
    assert session.episodes == ()


def test_a_numpy_frame_index_is_stored_as_a_plain_int():
    session, store = make_session()
    event = session.point("reach", np.int64(12))
    assert type(event.onset.frame) is int
    assert store.load_events(1)[0].onset == event.onset
    moved = session.edit_event(event.id, onset_frame=np.int32(14))
    assert type(moved.onset.frame) is int


@pytest.mark.parametrize("value", ["5", None, [5], True])
def test_a_rating_that_is_not_a_number_is_refused(value):
    session, store = make_session()
    with pytest.raises(SessionError, match=r"is not a number; sens takes 1–9 in steps of 1"):
        session.rate("sens", value)
    assert session.ratings == () == tuple(store.load_ratings(1))


def test_numpy_ratings_are_stored_as_plain_floats():
    session, _ = make_session()
    rating = session.rate("sens", np.int64(7))
    assert type(rating.value) is float
    assert rating.value == 7.0


def test_a_single_modifier_may_be_given_as_text():
    session, _ = make_session()
    cry = session.start("cry", 3, modifiers="mild")
    assert cry.modifiers == ("mild",)
    assert session.edit_event(cry.id, modifiers="strong").modifiers == ("strong",)
    with pytest.raises(SessionError, match=r"'loud' is not a modifier of Cry \(mild, strong\)"):
        session.edit_event(cry.id, modifiers="loud")


def test_a_modifier_given_twice_is_refused():
    session, _ = make_session()
    with pytest.raises(SessionError, match="'mild' is given twice"):
        session.start("cry", 3, modifiers=["mild", "mild"])


def test_starting_an_episode_refuses_to_close_a_running_one_over_a_marked_one():
    session, store = make_session()
    session.mark_episode("ep2", 20, 30)
    session.start_episode("ep1", 10)  # a running episode is checked at its start only
    before = session.episodes
    with pytest.raises(
        SessionError, match=r"episode ep1 would overlap episode ep2 \(frames 20–30\)"
    ):
        session.start_episode("ep3", 40)
    assert session.episodes == before
    assert sorted(store.load_episodes(1), key=lambda e: e.start.frame) == list(before)
    session.start_episode("ep3", 15)  # ending ep1 at 15 overlaps nothing
    assert session.episodes[0].end.frame == 15


def test_marking_a_pass_done_refuses_to_close_a_running_episode_over_a_marked_one():
    session, _ = make_session()
    session.mark_episode("ep2", 20, 30)
    session.start_episode("ep1", 10)
    with pytest.raises(SessionError, match="episode ep1 would overlap episode ep2"):
        session.mark_done(close_open_at=50)
    assert session.status == "in_progress"
    session.mark_done(close_open_at=20)
    assert session.status == "done"


def test_an_episode_is_not_marked_over_a_running_one_and_two_never_run_at_once():
    session, _ = make_session()
    session.start_episode("ep1", 10)
    with pytest.raises(SessionError, match=r"would overlap episode ep1 \(running since frame 10\)"):
        session.mark_episode("ep2", 20, 30)
    with pytest.raises(SessionError, match="episode ep1 is running since frame 10; end it first"):
        session.mark_episode("ep2", 20, None)
    session.mark_episode("ep2", 2, 8)  # before the running one: fine
    assert [e.code for e in session.episodes] == ["ep2", "ep1"]


def test_an_episode_cannot_start_at_the_end_of_the_video():
    session, _ = make_session()
    with pytest.raises(SessionError, match="an episode cannot start at the end of the video"):
        session.start_episode("ep1", FRAMES)
    with pytest.raises(SessionError, match="an episode cannot start at the end of the video"):
        session.mark_episode("ep1", FRAMES, None)
    assert session.episodes == ()


def test_a_new_value_keeps_the_comment_of_a_rating_until_the_comment_is_replaced():
    session, store = make_session()
    session.rate("sens", 5, comment="mother often off camera")
    assert session.rate("sens", 6).comment == "mother often off camera"
    assert store.load_ratings(1)[0].comment == "mother often off camera"
    session.undo()
    assert session.rating("sens").value == 5
    assert session.rate("sens", 7, comment="").comment == ""
