"""What a key means is decided in the core: which segment a digit rates, which episode next."""

from __future__ import annotations

import pytest

from coder.coding import SessionError
from tests.core.session_fixtures import make_session


def test_a_digit_rates_the_segment_at_the_frame_unless_one_was_chosen() -> None:
    session, _store = make_session()
    rating = session.rate_digit("coop", 4, frame=60)  # 2.4 s: the second 2-s interval
    assert (rating.segment, rating.value) == ("interval_2", 4.0)
    chosen = session.rate_digit("coop", 6, frame=60, segment="session")
    assert (chosen.segment, chosen.value) == ("session", 6.0)
    assert session.rate_digit("sens", 9, frame=0).segment == "session"


def test_a_digit_outside_the_scale_and_a_frame_outside_every_segment_are_refused() -> None:
    session, _store = make_session()
    with pytest.raises(SessionError, match="0 is not a value of sens"):
        session.rate_digit("sens", 0, frame=10)
    with pytest.raises(SessionError, match="in none of the segments Proximity seeking"):
        session.rate_digit("prox", 3, frame=10)  # rated on episodes, none marked
    session.start_episode("ep2", 5)
    assert session.rate_digit("prox", 3, frame=10).segment == "ep2"


def test_brackets_start_the_next_unmarked_episode_and_end_the_running_one() -> None:
    session, _store = make_session()
    assert session.start_next_episode(0).code == "ep1"
    assert session.start_next_episode(50).code == "ep2"  # ep1 ends where ep2 starts
    assert session.end_running_episode(80).end.frame == 80
    assert session.start_next_episode(90).code == "ep3"
    session.end_running_episode(100)
    with pytest.raises(SessionError, match="every episode"):
        session.start_next_episode(120)
    with pytest.raises(SessionError, match="no episode is running"):
        session.end_running_episode(120)
