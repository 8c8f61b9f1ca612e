"""Summary figures against values worked out by hand (10 s at 25 fps, intervals of 4 s)."""

from __future__ import annotations

import math

import pytest

from coder.analysis import AnalysisError, Span, pass_spans, summarise
from coder.model import Episode
from tests.analysis.fixtures import CRY, LOOK, at, point, scheme, state

END = 10_000_000
EVENTS = [
    state("look", 1.0, 3.0),
    state("look", 3.6, 5.6),  # crosses the 4 s boundary
    state("look", 9.0, None),  # still open at the end: counts to 10 s
    point("cry", 0.6),
    point("cry", 4.2),
    point("cry", 4.6),
]


def by_span(spans: list[Span], code: str) -> Span:
    return next(s for s in spans if s.code == code)


def test_session_figures_of_a_state_count_an_open_state_to_the_end_and_flag_it() -> None:
    session = Span("session", "Whole session", "session", 0, END)
    look, cry = summarise(EVENTS, [LOOK, CRY], session, END)
    assert (look.count, look.bouts, look.total_us, look.open, look.split) == (3, 3, 5_000_000, 1, 0)
    assert look.mean_us == pytest.approx(5e6 / 3)
    assert look.sd_us == pytest.approx(math.sqrt((2 * (1e6 / 3) ** 2 + (2e6 / 3) ** 2) / 2))
    assert look.proportion == pytest.approx(0.5)
    assert look.rate_per_min == pytest.approx(18.0)
    assert look.latency_us == 1_000_000
    assert (cry.count, cry.total_us, cry.proportion, cry.latency_us) == (3, None, None, 600_000)
    assert cry.rate_per_min == pytest.approx(18.0)


def test_a_state_across_an_interval_boundary_is_split_by_time_and_parts_add_up() -> None:
    spans = pass_spans(scheme(interval_s=4), 0, END)
    assert [(s.code, s.start_us, s.end_us) for s in spans] == [
        ("session", 0, END),
        ("interval_1", 0, 4_000_000),
        ("interval_2", 4_000_000, 8_000_000),
        ("interval_3", 8_000_000, END),
    ]
    first, second, third = (summarise(EVENTS, [LOOK], s, END)[0] for s in spans[1:])
    assert (first.count, first.bouts, first.total_us, first.split) == (2, 2, 2_400_000, 1)
    assert first.sd_us == pytest.approx(math.sqrt(2 * 800_000**2))
    assert first.proportion == pytest.approx(0.6)
    assert first.rate_per_min == pytest.approx(30.0)
    assert (second.count, second.bouts, second.total_us, second.split) == (0, 1, 1_600_000, 1)
    assert (second.latency_us, second.sd_us, second.rate_per_min) == (None, None, 0.0)
    assert (third.count, third.total_us, third.open, third.latency_us) == (
        1,
        1_000_000,
        1,
        1_000_000,
    )
    assert first.total_us + second.total_us + third.total_us == 5_000_000  # type: ignore[operator]
    cries = [summarise(EVENTS, [CRY], s, END)[0] for s in spans[1:]]
    assert [c.count for c in cries] == [1, 2, 0]
    assert cries[1].latency_us == 200_000


def test_an_episode_is_a_span_and_a_running_episode_ends_with_the_media() -> None:
    episodes = [Episode("play", at(2.0), at(6.0)), Episode("reunion", at(8.0))]
    spans = pass_spans(scheme(), 0, END, episodes)
    play, reunion = by_span(spans, "play"), by_span(spans, "reunion")
    assert (play.kind, play.start_us, play.end_us, play.open) == (
        "episode",
        2_000_000,
        6_000_000,
        False,
    )
    assert (reunion.end_us, reunion.open) == (END, True)
    look = summarise(EVENTS, [LOOK], play, END)[0]
    assert (look.count, look.total_us, look.split) == (1, 3_000_000, 1)
    assert look.proportion == pytest.approx(0.75)
    assert look.latency_us == 1_600_000  # the onset at 3.6 s; the state carried in has none


def test_a_pass_without_events_gives_zero_counts_and_no_durations() -> None:
    session = Span("session", "Whole session", "session", 0, END)
    (look,) = summarise([], [LOOK], session, END)
    assert (look.count, look.bouts, look.total_us, look.mean_us, look.latency_us) == (
        0, 0, 0, None, None,
    )  # fmt: skip
    assert look.proportion == 0.0


def test_an_empty_observed_time_is_refused_with_its_bounds() -> None:
    with pytest.raises(AnalysisError, match="must end after it starts"):
        pass_spans(scheme(), 5, 5)
