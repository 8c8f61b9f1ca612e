"""A coding pass, as a coder uses it: stamping, exclusive groups, ratings, episodes, undo."""

from __future__ import annotations

import pytest

from coder.coding.session import SessionError
from coder.model import CodingStatus
from coder.timebase import TimeBase
from tests.core.session_fixtures import FRAMES, make_session


def test_state_is_stamped_with_frame_and_presentation_time():
    session, store = make_session()
    event = session.start("cry", 10)
    assert (event.onset.frame, event.onset.us) == (10, 400_000)
    assert event.is_open
    stopped = session.stop("cry", 35)
    assert (stopped.offset.frame, stopped.offset.us) == (35, 1_400_000)
    assert store.load_events(1) == [stopped]


def test_switching_within_exclusive_group_closes_open_state_at_same_frame():
    session, _ = make_session()
    first = session.start("look_cg", 5)
    second = session.start("look_obj", 17)
    closed = session.event(first.id)
    assert closed.offset.frame == 17 == second.onset.frame
    assert [e.behaviour for e in session.open_states] == ["look_obj"]
    session.undo()
    assert session.event(first.id).is_open
    assert len(session.events) == 1


def test_states_outside_exclusive_groups_may_overlap():
    session, _ = make_session()
    session.start("cry", 5)
    session.start("touch", 6)
    assert {e.behaviour for e in session.open_states} == {"cry", "touch"}


def test_toggle_starts_stops_and_logs_points():
    session, _ = make_session()
    assert session.toggle("cry", 3).is_open
    assert not session.toggle("cry", 9).is_open
    point = session.toggle("reach", 9)
    assert not point.is_state
    assert point.offset is None


@pytest.mark.parametrize(
    ("action", "message"),
    [
        (lambda s: s.stop("cry", 10), "Cry is not on, so it cannot be stopped"),
        (lambda s: s.start("nope", 1), "'nope' is not a behaviour of the scheme 'Test scheme'"),
        (lambda s: s.point("cry", 1), "Cry is a state; start and stop it instead"),
        (lambda s: s.start("reach", 1), "Reach is a point event; log it with point()"),
        (lambda s: s.start("cry", FRAMES + 5), "frame 255 is outside the video (0..249)"),
        (lambda s: s.rate("sens", 10), "10 is not a value of sens (1–9 in steps of 1)"),
        (lambda s: s.rate("sens", 2.5), "2.5 is not a value of sens (1–9 in steps of 1)"),
        (lambda s: s.rate("nope", 3), "'nope' is not a rating scale of the scheme 'Test scheme'"),
        (lambda s: s.rate("prox", 3), "prox is not rated on the whole session; name a segment"),
        (lambda s: s.start("cry", 1, ["loud"]), "'loud' is not a modifier of Cry (mild, strong)"),
        (lambda s: s.undo(), "there is nothing to undo"),
        (
            lambda s: s.start_episode("ep9", 3),
            "'ep9' is not an episode of the scheme 'Test scheme'",
        ),
    ],
)
def test_bad_commands_say_what_is_wrong_and_change_nothing(action, message):
    session, store = make_session()
    commits = store.commits
    with pytest.raises(SessionError) as error:
        action(session)
    assert str(error.value) == message
    assert store.commits == commits
    assert session.events == ()
    assert not session.can_undo


def test_stopping_a_state_before_its_onset_is_refused():
    session, store = make_session()
    session.start("cry", 20)
    with pytest.raises(SessionError, match="started at frame 20; it can only stop after it"):
        session.stop("cry", 12)
    assert store.load_events(1)[0].is_open


def test_overlap_with_a_partner_in_an_exclusive_group_is_refused():
    session, _ = make_session()
    session.start("look_cg", 10)
    session.stop("look_cg", 20)
    with pytest.raises(SessionError, match="overlap Look at caregiver from frame 10 to frame 20"):
        session.start("look_obj", 15)
    with pytest.raises(SessionError, match="overlap Look at caregiver"):
        session.start("look_cg", 19)
    session.start("look_obj", 20)
    session.stop("look_obj", 30)
    with pytest.raises(SessionError, match="overlap Look at object"):
        session.nudge(session.events[0].id, "offset", 1)


def test_edit_moves_boundaries_and_changes_code_in_one_undo_step():
    session, store = make_session()
    event = session.start("look_cg", 10)
    session.stop("look_cg", 20)
    edited = session.edit_event(event.id, onset_frame=8, behaviour="look_away", comment="check")
    assert (edited.onset.frame, edited.offset.frame, edited.behaviour) == (8, 20, "look_away")
    assert edited.onset.us == 320_000
    assert store.load_events(1) == [edited]
    session.undo()
    assert session.event(event.id).behaviour == "look_cg"
    with pytest.raises(SessionError, match="Cry is not a point event"):
        session.edit_event(session.point("reach", 40).id, behaviour="cry")


def test_delete_and_undo_restore_the_same_event():
    session, store = make_session()
    event = session.point("vocal", 44)
    session.delete_event(event.id)
    assert session.events == ()
    session.undo()
    assert session.events == (event,)
    assert store.load_events(1) == [event]
    session.redo()
    assert store.load_events(1) == []


def test_redo_reinserts_the_same_id_and_a_new_command_clears_redo():
    session, store = make_session()
    event = session.point("reach", 5)
    session.undo()
    session.redo()
    assert store.load_events(1)[0].id == event.id
    session.undo()
    session.point("vocal", 6)
    assert not session.can_redo


def test_ratings_per_segment_replace_and_undo():
    session, store = make_session()
    session.rate("sens", 7)
    session.rate("sens", 5)
    session.rate("coop", 3, "interval_2")
    assert session.rating("sens").value == 5
    assert {(r.scale, r.segment) for r in store.load_ratings(1)} == {
        ("sens", "session"),
        ("coop", "interval_2"),
    }
    session.undo()
    session.undo()
    assert session.rating("sens").value == 7
    assert [s.code for s in session.segments("coop")][:3] == ["session", "interval_1", "interval_2"]
    assert len(session.segments("coop")) == 1 + 5  # 10 s in 2 s intervals


def test_nearest_anchor_text_for_a_rating():
    session, _ = make_session()
    scale = session.scheme.scale("sens")
    assert scale.nearest_anchor(4) == (5, "mixed")
    assert scale.nearest_anchor(3) == (1, "low")


def test_episodes_run_back_to_back_and_can_be_rated():
    session, store = make_session()
    session.start_episode("ep1", 0)
    session.start_episode("ep2", 100)
    session.end_episode("ep2", 150)
    episodes = {e.code: e for e in store.load_episodes(1)}
    assert episodes["ep1"].end.frame == 100
    assert (episodes["ep2"].start.frame, episodes["ep2"].end.frame) == (100, 150)
    session.rate("prox", 6, "ep2")
    segment = next(s for s in session.segments("prox") if s.code == "ep2")
    assert (segment.start_us, segment.end_us) == (4_000_000, 6_000_000)
    with pytest.raises(SessionError, match="would overlap episode ep2"):
        session.mark_episode("ep3", 140, 200)


def test_stop_all_is_one_undo_step():
    session, _ = make_session()
    session.start("cry", 1)
    session.start("touch", 2)
    session.start("look_cg", 3)
    stopped = session.stop_all(40)
    assert {e.offset.frame for e in stopped} == {40}
    assert session.open_states == ()
    session.undo()
    assert len(session.open_states) == 3


def test_done_pass_refuses_open_states_then_closes_them_on_request():
    session, store = make_session()
    session.start("cry", 1)
    with pytest.raises(SessionError, match=r"still open: Cry \(since frame 1\)"):
        session.mark_done()
    session.mark_done(close_open_at=60)
    assert session.status is CodingStatus.DONE
    assert store.coding(1).status is CodingStatus.DONE
    assert store.load_events(1)[0].offset.frame == 60
    with pytest.raises(SessionError, match="marked done; reopen it"):
        session.point("reach", 70)
    session.undo()
    assert session.status is CodingStatus.IN_PROGRESS
    assert session.open_states[0].behaviour == "cry"


def test_a_state_may_run_to_the_end_of_the_video():
    session, _ = make_session()
    session.start("cry", FRAMES - 1)
    event = session.stop("cry", FRAMES)
    assert event.offset.us == 10_000_000


def test_listeners_hear_what_changed():
    session, _ = make_session()
    heard = []
    session.subscribe(heard.append)
    first = session.start("look_cg", 1)
    second = session.start("look_obj", 9)
    session.rate("sens", 4)
    session.undo()
    assert heard[1].events == {first.id, second.id}
    assert heard[1].label == "Switch to Look at object"
    assert heard[2].ratings == {("sens", "session")}
    assert heard[3].kind == "undo"


def test_failed_write_leaves_memory_and_store_unchanged():
    session, store = make_session()
    session.start("look_cg", 1)

    def broken(*_args):
        raise OSError("disk full")

    store.insert_event = broken
    with pytest.raises(OSError, match="disk full"):
        session.start("look_obj", 10)
    assert session.open_states[0].behaviour == "look_cg"
    assert store.load_events(1)[0].is_open


def test_recoding_an_open_state_into_an_open_partner_is_refused():
    session, _ = make_session()
    session.start("look_cg", 1)
    cry = session.start("cry", 0)
    session.stop("cry", 5)
    session.undo()
    with pytest.raises(SessionError, match="overlap Look at caregiver from frame 1 on"):
        session.edit_event(cry.id, behaviour="look_cg")
    assert session.event(cry.id).behaviour == "cry"


def test_clearing_a_rating_and_deleting_an_episode_are_undoable_steps():
    session, store = make_session()
    session.rate("coop", 4, "interval_2")
    session.mark_episode("ep2", 10, 60)
    session.clear_rating("coop", "interval_2")
    session.delete_episode("ep2")
    assert (session.ratings, session.episodes) == ((), ())
    assert (store.load_ratings(1), store.load_episodes(1)) == ([], [])
    with pytest.raises(SessionError, match="coop has no rating in interval_2"):
        session.clear_rating("coop", "interval_2")
    with pytest.raises(SessionError, match="episode Still face is not marked"):
        session.delete_episode("ep2")
    assert session.undo() == "Delete episode ep2"
    assert session.undo() == "Clear Cooperation"
    assert session.rating("coop", "interval_2").value == 4
    assert [(e.start.frame, e.end.frame) for e in session.episodes] == [(10, 60)]


VFR = TimeBase([0, 40_000, 95_000, 130_000, 210_000, 240_000], duration_us=300_000)


@pytest.mark.parametrize(
    ("timebase", "end_us"),
    [(TimeBase.constant(FRAMES, 25), 10_000_000), (VFR, 300_000)],
    ids=["constant", "variable"],
)
def test_a_stop_on_the_last_frame_ends_with_the_media(timebase: TimeBase, end_us: int) -> None:
    session, store = make_session(timebase=timebase)
    last = timebase.frame_count - 1
    session.start("cry", 1)
    stopped = session.stop("cry", last)  # End, then the key: the last frame is included
    assert (stopped.offset.frame, stopped.offset.us) == (timebase.frame_count, end_us)
    session.start("touch", 2)
    session.start("look_cg", 2)
    (touch, look) = session.stop_all(last)  # Escape on the last frame
    assert touch.offset.us == look.offset.us == end_us
    session, store = make_session(timebase=timebase)
    session.start("cry", last)  # a state may start on the last frame and last one frame
    session.mark_done(close_open_at=last)  # "Stop them" in Mark done
    (cry,) = store.events_by_pass([1])[1]
    assert cry.offset is not None
    assert cry.offset.us == end_us
    assert cry.offset.us - cry.onset.us == end_us - timebase.pts_us(last)


def test_a_stop_before_the_last_frame_ends_where_that_frame_starts() -> None:
    session, _ = make_session(timebase=VFR)
    session.start("cry", 1)
    stopped = session.stop("cry", 4)
    assert (stopped.offset.frame, stopped.offset.us) == (4, 210_000)
    session.start_episode("ep1", 0)
    ended = session.end_running_episode(VFR.frame_count - 1)
    assert ended.end is not None
    assert ended.end.us == 300_000
