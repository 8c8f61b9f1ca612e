"""Event alignment with an onset tolerance: hand-built cases and a brute-force oracle."""

from __future__ import annotations

import math

import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from coder import agreement
from coder.agreement import NIL
from coder.model import Event
from tests.agreement.events import point, state


def kinds(result: agreement.EventAlignment) -> list[str]:
    return [p.kind for p in result.pairs]


def test_identical_sequences_match_one_to_one() -> None:
    a = [point("cry", 1), state("look", 2, 5), point("reach", 6)]
    result = agreement.align_events(a, list(a))
    assert kinds(result) == ["match"] * 3
    assert [(p.a, p.b) for p in result.pairs] == [(e, e) for e in a]
    assert result.kappa == pytest.approx(1.0)
    assert result.percent == 1.0
    assert result.table.categories == ("cry", "look", "reach", NIL)


def test_a_shift_within_the_tolerance_matches_and_beyond_it_does_not() -> None:
    within = agreement.align_events([point("cry", 10)], [point("cry", 11.88)])
    assert kinds(within) == ["match"]
    assert within.pairs[0].onset_difference_us == 1_880_000
    beyond = agreement.align_events([point("cry", 10)], [point("cry", 12.1)])
    assert kinds(beyond) == ["omission", "commission"]
    assert beyond.percent == 0.0
    narrow = agreement.align_events([point("cry", 10)], [point("cry", 10.5)], tolerance="250ms")
    assert kinds(narrow) == ["omission", "commission"]
    frames = agreement.align_events([point("cry", 10)], [point("cry", 10.04)], tolerance="1f")
    assert kinds(frames) == ["match"]


def test_an_omission_and_a_commission() -> None:
    a = [point("cry", 1), point("fuss", 5), point("cry", 9)]
    b = [point("cry", 1), point("cry", 9)]
    result = agreement.align_events(a, b)
    assert kinds(result) == ["match", "omission", "match"]
    assert result.omissions == 1
    assert result.pairs[1].a == a[1]
    assert result.pairs[1].b is None
    extra = agreement.align_events(b, a)
    assert kinds(extra) == ["match", "commission", "match"]
    assert extra.table.counts[extra.table.categories.index(NIL)].tolist() == [0, 1, 0]


def test_a_code_swap_is_a_mismatch_not_two_gaps() -> None:
    result = agreement.align_events([point("cry", 3)], [point("fuss", 3.5)])
    assert kinds(result) == ["mismatch"]
    assert result.mismatches == 1


def test_empty_sequences() -> None:
    nothing = agreement.align_events([], [])
    assert nothing.pairs == ()
    assert math.isnan(nothing.kappa)
    assert "any event" in str(agreement.why_undefined(nothing.kappa))
    one_sided = agreement.align_events([point("cry", 1), point("cry", 2)], [])
    assert kinds(one_sided) == ["omission", "omission"]
    assert one_sided.percent == 0.0


def test_the_closer_of_two_candidates_is_paired() -> None:
    result = agreement.align_events([point("cry", 5)], [point("cry", 3.5), point("cry", 5.2)])
    paired = next(p for p in result.pairs if p.kind == "match")
    assert paired.b is not None
    assert paired.b.onset.us == point("cry", 5.2).onset.us


def test_kappa_is_cohens_on_the_alignment_table_and_gaps_come_in_time_order() -> None:
    a = [point("cry", 1), point("fuss", 4), point("cry", 9), point("reach", 30)]
    b = [point("cry", 1.5), point("cry", 4.5), point("cry", 20), point("reach", 31)]
    result = agreement.align_events(a, b)
    assert kinds(result) == ["match", "mismatch", "omission", "commission", "match"]
    left = [p.a.behaviour if p.a else NIL for p in result.pairs]
    right = [p.b.behaviour if p.b else NIL for p in result.pairs]
    assert result.kappa == pytest.approx(cohen_kappa_score(left, right))
    assert result.percent == pytest.approx(2 / 5)
    assert 0 < result.kappa <= result.kappa_max <= 1


def test_codes_limit_both_sequences() -> None:
    a = [point("cry", 1), point("talk", 1)]
    b = [point("cry", 1)]
    result = agreement.align_events(a, b, codes=["cry"])
    assert kinds(result) == ["match"]
    assert result.table.categories == ("cry", NIL)


def least_cost(a: list[Event], b: list[Event], tolerance_us: int) -> int:
    """Full Needleman-Wunsch over all cells: gap 1, mismatch 1, pairs only within tolerance."""
    n, m = len(a), len(b)
    cost = np.zeros((n + 1, m + 1), dtype=np.int64)
    cost[:, 0], cost[0, :] = np.arange(n + 1), np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            best = min(cost[i - 1, j], cost[i, j - 1]) + 1
            if abs(a[i - 1].onset.us - b[j - 1].onset.us) <= tolerance_us:
                best = min(best, cost[i - 1, j - 1] + (a[i - 1].behaviour != b[j - 1].behaviour))
            cost[i, j] = best
    return int(cost[n, m])


@pytest.mark.parametrize("seed", range(40))
def test_random_sequences_reach_the_least_cost_of_a_full_alignment(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, m = (int(v) for v in rng.integers(0, 14, 2))
    a = [point(str(rng.choice(["x", "y", "z"])), t) for t in np.sort(rng.uniform(0, 25, n))]
    b = [point(str(rng.choice(["x", "y", "z"])), t) for t in np.sort(rng.uniform(0, 25, m))]
    result = agreement.align_events(a, b)
    assert result.mismatches + result.omissions + result.commissions == least_cost(a, b, 2_000_000)
    assert [p.a for p in result.pairs if p.a is not None] == a
    assert [p.b for p in result.pairs if p.b is not None] == b
    for pair in result.pairs:
        if pair.onset_difference_us is not None:
            assert abs(pair.onset_difference_us) <= 2_000_000
