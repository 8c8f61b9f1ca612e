"""Q-sort placements in a pass: durable, undoable, and the forced distribution before done."""

from __future__ import annotations

import pytest

from coder.coding import SessionError
from coder.coding.qsort import distribution_problems, placements_in
from coder.model import CodingStatus
from coder.project import Project
from tests.instruments.fixtures import QSET, make_session, project_file

FULL = {"a": 3, "b": 2, "c": 1, "d": 2, "e": 2, "f": 2}


def test_place_rough_then_fine_keeps_an_item_in_one_pile_only() -> None:
    session, store = make_session(QSET)
    session.place_rough("mini", "a", 3)
    assert session.rough_placements("mini") == {"a": 3}
    assert session.placements("mini") == {}
    session.place("mini", "a", 3)
    assert session.rough_placements("mini") == {}
    assert session.placements("mini") == {"a": 3}
    assert {r.scale: r.value for r in store.load_ratings(1)} == {"mini.a": 3}
    session.place_rough("mini", "a", 2)  # back to the rough piles
    assert session.placements("mini") == {}
    assert session.undo() == "Put a with the neither items"
    assert session.placements("mini") == {"a": 3}
    session.unplace("mini", "a")
    assert session.placements("mini") == session.rough_placements("mini") == {}
    session.undo()
    assert session.placements("mini") == {"a": 3}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda s: s.place("mini", "z", 1), "'z' is not an item of the Q-sort Mini Q-set"),
        (lambda s: s.place("mini", "a", 4), "there is no pile 4: use 1 to 3"),
        (lambda s: s.place("mini", "a", 1.5), "there is no pile 1.5: use 1 to 3"),
        (lambda s: s.place("mini", "a", "2"), "pile '2' is not a number from 1 to 3"),
        (lambda s: s.place_rough("mini", "a", 0), "there is no rough pile 0: use 1 to 3"),
        (lambda s: s.place("aqs", "a", 1), "'aqs' is not a Q-sort of the scheme"),
        (lambda s: s.unplace("mini", "a"), "a is not placed yet"),
        (lambda s: s.rate("mini.a", 2), "mini.a is a Q-sort item: place it in a pile instead"),
    ],
)
def test_bad_placements_are_refused_in_words(call, message: str) -> None:
    session, _ = make_session(QSET)
    with pytest.raises(SessionError, match=message.replace(".", r"\.")):
        call(session)
    assert session.ratings == ()


def test_done_is_refused_until_every_pile_holds_its_number() -> None:
    session, _ = make_session(QSET)
    for item in "abcd":
        session.place("mini", item, 1)
    with pytest.raises(SessionError) as caught:
        session.mark_done()
    assert str(caught.value) == (
        "the Q-sort Mini Q-set is not complete: pile 1 holds 4 of 1 (3 over); 2 items in no "
        "pile yet (e, f). Every pile must hold its number of items (1, 4, 1)"
    )
    session.place("mini", "e", 3)
    session.place("mini", "f", 3)
    with pytest.raises(SessionError, match=r"pile 1 holds 4 of 1 \(3 over\); pile 2 holds 0 of "
                       r"4 \(4 under\); pile 3 holds 2 of 1 \(1 over\)\."):  # fmt: skip
        session.mark_done()
    for item, pile in FULL.items():
        session.place("mini", item, pile)
    assert session.qsort_problems("mini") == []
    session.mark_done()
    assert session.status is CodingStatus.DONE
    with pytest.raises(SessionError, match="marked done"):
        session.place("mini", "a", 2)


def test_distribution_problems_only_counts_under_once_every_item_is_in() -> None:
    qsort = QSET.qsort("mini")
    assert distribution_problems(qsort, {"a": 2}) == ["5 items in no pile yet (b, c, d, e, f)"]
    assert distribution_problems(qsort, FULL) == []


def test_a_sort_survives_closing_and_reopening_the_project(tmp_path) -> None:
    path = tmp_path / "q.attune"
    project, (obs,) = project_file(path, QSET)
    session = project.start_coding(obs, "KL")
    for item, pile in FULL.items():
        session.place("mini", item, pile)
    session.place("mini", "a", 1)
    session.undo()
    session.mark_done()
    project.close()
    with Project.open(path) as again:
        (info,) = again.passes()
        assert info.status is CodingStatus.DONE
        record = again.load_pass(info)
        assert placements_in(QSET.qsort("mini"), record.ratings) == FULL
        assert again.check() == []
        frame = again.ratings_frame()
        assert set(frame["scale"]) == {f"mini.{i}" for i in FULL}
