"""Time-unit agreement: hand-counted records and an oracle that labels units one by one."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from coder import agreement
from coder.agreement import NONE
from coder.model import Event
from coder.timebase import TimeBase
from tests.agreement.events import FPS, point, state


def test_two_ten_second_records_counted_by_hand() -> None:
    # A: look 0-4 s, object 4-10 s; B: look 0-3 s, nothing 3-5 s, object 5-10 s
    a = [state("look", 0, 4), state("object", 4, 10)]
    b = [state("look", 0, 3), state("object", 5, 10)]
    result = agreement.time_unit_kappa(a, b, ("look", "object"), end_us=10_000_000)
    assert result.units == 10
    assert result.table is not None
    assert result.table.categories == ("look", "object", NONE)
    assert result.table.counts.tolist() == [[3, 0, 1], [0, 5, 1], [0, 0, 0]]
    assert result.percent == pytest.approx(0.8)
    labels_a = ["look"] * 4 + ["object"] * 6
    labels_b = ["look"] * 3 + [NONE] * 2 + ["object"] * 5
    assert result.kappa == pytest.approx(cohen_kappa_score(labels_a, labels_b))
    look = result.per_code[0]
    assert (look.units_a, look.units_b, look.both) == (4, 3, 3)
    assert look.positive_agreement == pytest.approx(6 / 7)


def test_a_unit_goes_to_the_code_covering_most_of_it() -> None:
    # 0.6 s of look in the first second is a look unit; 0.4 s is not
    a = [state("look", 0.4, 2)]
    b = [state("look", 0.6, 2)]
    result = agreement.time_unit_kappa(a, b, ("look",), end_us=2_000_000)
    assert result.table is not None
    assert result.table.counts.tolist() == [[1, 1], [0, 0]]


def test_open_states_run_to_the_end_and_points_are_left_to_per_code_agreement() -> None:
    a = [state("look", 0, None), point("look", 1)]
    b = [state("look", 0, 3)]
    result = agreement.time_unit_kappa(a, b, ("look",), end_us=5_000_000)
    assert result.table is not None
    assert result.table.counts.tolist() == [[3, 2], [0, 0]]


def test_frame_units_count_every_frame() -> None:
    timebase = TimeBase.constant(100, FPS)
    a = [state("look", 0, 2)]  # frames 0..49
    b = [state("look", 0, 2.04)]  # frames 0..50
    result = agreement.time_unit_kappa(a, b, ("look",), unit="1f", timebase=timebase)
    assert result.units == 100
    assert result.table is not None
    assert result.table.counts.tolist() == [[50, 0], [1, 49]]
    with pytest.raises(ValueError, match=r"frames need the pass's time base"):
        agreement.time_unit_kappa(a, b, ("look",), unit="1f", end_us=4_000_000)


def test_both_coders_all_none_is_nan_with_a_reason() -> None:
    result = agreement.time_unit_kappa([], [], ("look",), end_us=3_000_000)
    assert math.isnan(result.kappa)
    assert agreement.why_undefined(result.kappa)
    assert result.percent == 1.0


def test_bad_spans_and_codes_are_refused() -> None:
    with pytest.raises(ValueError, match=r"span to cut into units is empty"):
        agreement.time_unit_kappa([], [], ("look",), end_us=0)
    with pytest.raises(ValueError, match=r"at least one code"):
        agreement.time_unit_kappa([], [], end_us=1_000_000)
    with pytest.raises(ValueError, match=r"unit"):
        agreement.time_unit_kappa([], [], ("look",), unit="soon", end_us=1_000_000)


def random_pass(rng: np.random.Generator, codes: tuple[str, ...], seconds: float) -> list[Event]:
    """Alternating states of an exclusive group with gaps, on frame boundaries."""
    events, t = [], 0.0
    while t < seconds - 1:
        length = float(rng.integers(5, 120)) / FPS
        if rng.random() < 0.8:
            events.append(state(str(rng.choice(codes)), t, min(t + length, seconds)))
        t += length
    return events


def oracle_labels(events: list[Event], codes: tuple[str, ...], seconds: int) -> list[str]:
    """Each whole second's label by brute force over its frames (the majority rule)."""
    labels = []
    for s in range(seconds):
        frames = range(s * FPS, (s + 1) * FPS)
        cover = {c: sum(any(e.behaviour == c and e.covers(f) for e in events) for f in frames)
                 for c in codes}  # fmt: skip
        none = FPS - sum(cover.values())
        best = max(codes, key=lambda c: cover[c])
        labels.append(best if cover[best] >= none and cover[best] > 0 else NONE)
    return labels


@pytest.mark.parametrize("seed", range(6))
def test_random_records_match_unit_by_unit_labels_and_scikit_learn(seed: int) -> None:
    rng = np.random.default_rng(seed)
    codes, seconds = ("look", "object", "away"), 60
    a, b = random_pass(rng, codes, seconds), random_pass(rng, codes, seconds)
    result = agreement.time_unit_kappa(a, b, codes, end_us=seconds * 1_000_000)
    la, lb = oracle_labels(a, codes, seconds), oracle_labels(b, codes, seconds)
    assert result.kappa == pytest.approx(cohen_kappa_score(la, lb, labels=[*codes, NONE]))
    assert result.percent == pytest.approx(np.mean(np.array(la) == np.array(lb)))
    timebase = TimeBase.constant(seconds * FPS, FPS)
    per_frame = agreement.time_unit_kappa(a, b, codes, unit="1f", timebase=timebase)
    fa = [next((e.behaviour for e in a if e.covers(f)), NONE) for f in range(seconds * FPS)]
    fb = [next((e.behaviour for e in b if e.covers(f)), NONE) for f in range(seconds * FPS)]
    assert per_frame.kappa == pytest.approx(cohen_kappa_score(fa, fb))


def test_non_exclusive_codes_are_compared_present_or_absent_and_pooled() -> None:
    a = [state("touch", 0, 4), state("talk", 2, 6), point("respond", 7.5)]
    b = [state("touch", 0, 3), state("talk", 2, 6), point("respond", 8.2)]
    codes = ("touch", "talk", "respond")
    result = agreement.time_unit_kappa(a, b, codes, exclusive=False, end_us=10_000_000)
    assert result.table is None
    assert [t.counts.tolist() for t in result.tables] == [
        [[3, 1], [0, 6]],
        [[4, 0], [0, 6]],
        [[0, 1], [1, 8]],
    ]
    touch, talk, respond = result.per_code
    assert talk.kappa == pytest.approx(1.0)
    assert touch.kappa == pytest.approx(cohen_kappa_score([1] * 4 + [0] * 6, [1] * 3 + [0] * 7))
    # De Vries et al. (2008): mean observed and mean chance agreement over the codes
    observed = np.mean([0.9, 1.0, 0.8])
    chance = np.mean([0.4 * 0.3 + 0.6 * 0.7, 0.4 * 0.4 + 0.6 * 0.6, 0.1 * 0.1 + 0.9 * 0.9])
    assert result.kappa == pytest.approx((observed - chance) / (1 - chance))
    assert respond.positive_agreement == 0.0
