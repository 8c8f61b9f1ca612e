"""Contingency figures against a 2×2 table tallied by hand (10 s at 25 fps, a 3 s window)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from coder.analysis import AnalysisError, contingency, unit_starts, yules_q
from coder.scheme import Contingency, load_scheme
from tests.analysis.fixtures import RULE, point, state

END = 10_000_000
FRAMES = np.arange(250, dtype=np.int64) * 40_000
EVENTS = [
    point("cry", 1.0),  # frames 25..99 are its window; talk at 2.0 s answers after 1.0 s
    point("cry", 6.0),  # window 150..224, nothing starts in it
    point("cry", 9.48),  # window from frame 237 runs past the end (cut), talk at 9.6 s
    state("talk", 2.0, 2.5, "caregiver"),
    state("talk", 4.0, 4.4, "caregiver"),  # exactly 3 s after the first cue: outside
    state("talk", 9.6, None, "caregiver"),
]


def test_event_counts_latencies_and_a_window_past_the_end_of_the_media() -> None:
    result = contingency(RULE, EVENTS, FRAMES, END)
    assert (result.n_given, result.n_followed, result.n_cut) == (3, 2, 1)
    assert result.proportion == pytest.approx(2 / 3)
    assert result.latencies_us == (1_000_000, 120_000)
    assert result.latency_mean_us == pytest.approx(560_000)
    assert result.latency_median_us == pytest.approx(560_000)


def test_time_based_table_over_frames_and_yules_q() -> None:
    result = contingency(RULE, EVENTS, FRAMES, END)
    # windows: 75 + 75 + 13 frames; target onsets at frames 50 (in), 100 (out), 240 (in)
    assert (result.a, result.b, result.c, result.d) == (2, 161, 1, 86)
    assert result.yule_q == pytest.approx((2 * 86 - 161 * 1) / (2 * 86 + 161 * 1))


def test_time_based_table_over_one_second_units() -> None:
    units = unit_starts(FRAMES, END, 1.0)
    assert units.tolist() == [i * 1_000_000 for i in range(10)]
    result = contingency(RULE, EVENTS, units, END, "1 s")
    # units in a window: 1 2 3 | 6 7 8 | 9 (the cue at 9.48 s lies in unit 9); targets in 2, 4, 9
    assert (result.a, result.b, result.c, result.d) == (2, 5, 1, 2)
    assert result.yule_q == pytest.approx(-1 / 9)


def test_overlapping_windows_count_each_unit_once_and_a_cue_cannot_answer_itself() -> None:
    rule = Contingency("look_look", "Looks again", ("cry",), ("cry",), 3.0)
    events = [point("cry", 0.0), point("cry", 2.0)]
    result = contingency(rule, events, FRAMES, END)
    assert (result.n_given, result.n_followed, result.latencies_us) == (2, 1, (2_000_000,))
    assert result.a + result.b == 125  # frames 0..124: the union of both windows
    assert (result.a, result.c) == (2, 0)


def test_no_cues_gives_nan_proportion_and_no_latency() -> None:
    result = contingency(RULE, [state("talk", 1.0, 2.0, "caregiver")], FRAMES, END)
    assert result.n_given == 0
    assert math.isnan(result.proportion)
    assert result.latency_mean_us is None
    assert (result.a, result.b, result.c, result.d) == (0, 0, 1, 249)
    assert math.isnan(result.yule_q)


def test_yules_q_bounds_and_bad_cells() -> None:
    assert yules_q(5, 0, 0, 5) == 1.0
    assert yules_q(0, 5, 5, 0) == -1.0
    assert yules_q(3, 1, 2, 6) == pytest.approx((18 - 2) / (18 + 2))
    with pytest.raises(AnalysisError, match="cell b"):
        yules_q(1, -1, 0, 0)


def test_the_bundled_responsiveness_scheme_three_second_contingency() -> None:
    (rule,) = [c for c in load_scheme("responsiveness").contingencies if c.code == "responds_3s"]
    assert rule.window_s == 3.0
    events = [
        point("fuss", 1.0),  # answered by the caregiver's touch at 2.6 s
        state("gaze_caregiver", 5.0, 7.0),  # a state's onset is a cue too: talk at 7.8 s
        point("reach", 8.6),  # nothing starts from 8.6 s to the end (10 s): cut, unanswered
        state("cg_touch", 2.6, 3.0, "caregiver"),
        state("cg_vocal", 7.8, None, "caregiver"),
        point("cg_intrusive", 9.0, "caregiver"),  # not a target
    ]
    result = contingency(rule, events, FRAMES, END)
    assert (result.n_given, result.n_followed, result.n_cut) == (3, 2, 1)
    assert result.latencies_us == (1_600_000, 2_800_000)
    # frames in a window: 25..99, 125..199 and 215..249 (cut at the end) = 75 + 75 + 35;
    # target onsets at frames 65 and 195, both inside
    assert (result.a, result.b, result.c, result.d) == (2, 183, 0, 65)
    assert result.yule_q == 1.0
