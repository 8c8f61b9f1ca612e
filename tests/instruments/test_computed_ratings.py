"""Computed scales in a coding pass: recomputed with every component, never typed."""

from __future__ import annotations

import pytest

from coder.coding import Batch, BatchError, SessionError
from coder.model import Rating
from tests.instruments.fixtures import EAS4, make_session


def value(session, scale: str, segment: str = "session") -> float | None:
    rating = session.rating(scale, segment)
    return None if rating is None else rating.value


def test_the_sum_appears_when_the_last_component_is_rated_and_follows_each_change() -> None:
    session, store = make_session(EAS4)
    session.rate("s1", 5)
    session.rate("s2", 6)
    assert value(session, "sens") is None  # s3 missing
    session.rate("s3", 2)
    assert value(session, "sens") == 13
    session.rate("s2", 7)
    assert value(session, "sens") == 14
    assert store.load_ratings(1)  # on disk: the store holds the sum too
    assert {r.scale: r.value for r in store.load_ratings(1)}["sens"] == 14


def test_undo_takes_the_component_and_its_sum_back_in_one_step() -> None:
    session, _ = make_session(EAS4)
    for scale, number in (("s1", 5), ("s2", 6), ("s3", 2)):
        session.rate(scale, number)
    assert session.undo() == "Rate s3 2"
    assert value(session, "sens") is None
    assert value(session, "s3") is None
    session.redo()
    assert value(session, "sens") == 13
    session.clear_rating("s1")
    assert value(session, "sens") is None
    session.undo()
    assert value(session, "sens") == 13


def test_each_segment_has_its_own_sum() -> None:
    session, _ = make_session(EAS4)
    for scale, number in (("s1", 2), ("s2", 3), ("s3", 1)):
        session.rate(scale, number, "interval_2")
    assert value(session, "sens", "interval_2") == 6
    assert value(session, "sens") is None
    assert value(session, "sens", "interval_1") is None


def test_a_mean_scale_holds_the_mean() -> None:
    session, _ = make_session(EAS4)
    session.rate("h1", 4)
    session.rate("h2", 2.5)
    assert value(session, "hostility") == pytest.approx(3.25)


def test_a_computed_scale_cannot_be_typed() -> None:
    session, _ = make_session(EAS4)
    with pytest.raises(SessionError, match=r"Sensitivity score is computed as the sum of s1, s2"):
        session.rate("sens", 12)
    with pytest.raises(SessionError, match="computed"):
        session.rate_digit("sens", 7, 0)
    assert session.ratings == ()


def test_a_batch_brings_its_sums_along_and_refuses_a_sum_that_does_not_add_up() -> None:
    session, _ = make_session(EAS4)
    parts = [Rating("s1", "session", 4), Rating("s2", "session", 4), Rating("s3", "session", 3)]
    with pytest.raises(BatchError, match=r"rating 4 \(sens, session\): 12 is not the sum of "
                       r"its components \(11\)"):  # fmt: skip
        session.apply_batch(Batch(ratings=[*parts, Rating("sens", "session", 12)]))
    assert session.ratings == ()
    session.apply_batch(Batch(ratings=[*parts, Rating("sens", "session", 11)]))
    assert value(session, "sens") == 11
    session.undo()
    session.apply_batch(Batch(ratings=parts))  # a batch of components only: the sum follows
    assert value(session, "sens") == 11
    with pytest.raises(BatchError, match="its components are not all rated"):
        session.apply_batch(Batch(ratings=[Rating("sens", "interval_1", 5)]))
