"""A command's Change carries the records it wrote, so views need no copies of their own."""

from __future__ import annotations

from coder.coding import Change
from tests.core.session_fixtures import make_session


def test_a_switch_carries_the_stopped_and_the_started_state_before_and_after() -> None:
    session, _store = make_session()
    seen: list[Change] = []
    session.subscribe(seen.append)
    first = session.start("look_cg", 10)
    second = session.start("look_obj", 20)  # an exclusive switch: look_cg stops at 20
    switch = seen[-1]
    by_id = {r.after.id: r for r in switch.records if r.after is not None}
    assert by_id[first.id].before == first
    assert by_id[first.id].after.offset.frame == 20
    assert by_id[second.id].before is None
    assert by_id[second.id].after == second
    assert switch.events == {first.id, second.id}


def test_undo_and_redo_carry_the_records_the_other_way_round() -> None:
    session, _store = make_session()
    seen: list[Change] = []
    session.subscribe(seen.append)
    point = session.point("reach", 5)
    session.undo()
    (undone,) = seen[-1].records
    assert (undone.before, undone.after) == (point, None)
    assert seen[-1].kind == "undo"
    session.redo()
    (redone,) = seen[-1].records
    assert (redone.before, redone.after) == (None, point)


def test_an_edit_is_one_record_from_the_old_event_to_the_new() -> None:
    session, _store = make_session()
    seen: list[Change] = []
    session.subscribe(seen.append)
    cry = session.start("cry", 10)
    edited = session.edit_event(cry.id, onset_frame=12, modifiers=("mild",))
    (record,) = seen[-1].records
    assert record.before == cry
    assert record.after == edited
    session.rate("sens", 5)
    assert seen[-1].records == ()
    assert seen[-1].ratings == {("sens", "session")}
