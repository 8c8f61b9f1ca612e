"""Q-sort scores computed by hand on a six-item set, cross-checked with NumPy and SciPy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from coder.instruments import (
    criterion_scores,
    observer_agreement,
    pearson,
    qsort_agreement_frame,
    qsort_scores_frame,
)
from tests.instruments.fixtures import QSET, project_file

QSORT = QSET.qsort("mini")
A = {"a": 3, "b": 2, "c": 1, "d": 2, "e": 2, "f": 2}
B = {"a": 2, "b": 3, "c": 1, "d": 2, "e": 2, "f": 2}
SECURITY = [3, 2.5, 1, 2, 1.5, 2]  # the criterion sort, in item order


def test_a_sorts_criterion_score_by_hand() -> None:
    # A: piles 3 2 1 2 2 2, mean 2, deviations 1 0 -1 0 0 0, sum of squares 2.
    # Security: 3 2.5 1 2 1.5 2, mean 2, deviations 1 .5 -1 0 -.5 0, sum of squares 2.5.
    # Cross products: 1 + 0 + 1 = 2, so r = 2 / sqrt(2 * 2.5) = 2 / sqrt(5).
    assert criterion_scores(QSORT, A) == {"security": pytest.approx(2 / math.sqrt(5))}
    x = [A[i] for i in QSORT.item_ids]
    assert criterion_scores(QSORT, A)["security"] == pytest.approx(np.corrcoef(x, SECURITY)[0, 1])


def test_an_incomplete_sort_has_no_score() -> None:
    assert criterion_scores(QSORT, {"a": 3}) == {"security": None}


def test_two_observers_r_and_their_composite_by_hand_and_by_scipy() -> None:
    found = observer_agreement(QSORT, A, B)
    # B's deviations 0 1 -1 0 0 0: cross products with A's give 1; r = 1 / sqrt(2 * 2).
    assert found.r == pytest.approx(0.5)
    x, y = [A[i] for i in QSORT.item_ids], [B[i] for i in QSORT.item_ids]
    assert found.r == pytest.approx(stats.pearsonr(x, y).statistic)
    assert found.composite == {"a": 2.5, "b": 2.5, "c": 1, "d": 2, "e": 2, "f": 2}
    # Composite deviations .5 .5 -1 0 0 0 (squares 1.5); with security: .5 + .25 + 1 = 1.75.
    assert found.composite_scores["security"] == pytest.approx(1.75 / math.sqrt(1.5 * 2.5))
    composite = [(a + b) / 2 for a, b in zip(x, y, strict=True)]
    assert found.composite_scores["security"] == pytest.approx(
        stats.pearsonr(composite, SECURITY).statistic
    )
    assert found.scores_b["security"] == pytest.approx(1.5 / math.sqrt(5))
    with pytest.raises(ValueError, match="must place every item"):
        observer_agreement(QSORT, A, {"a": 1})


def test_pearson_is_undefined_without_variance_and_matches_numpy_otherwise() -> None:
    assert pearson([2, 2, 2], [1, 2, 3]) is None
    assert pearson([1], [1]) is None
    rng = np.random.default_rng(7)
    x, y = rng.integers(1, 10, 90).tolist(), rng.integers(1, 10, 90).tolist()
    assert pearson(x, y) == pytest.approx(np.corrcoef(x, y)[0, 1])
    with pytest.raises(ValueError, match="one length"):
        pearson([1, 2], [1, 2, 3])


def test_the_tables_over_a_project(tmp_path) -> None:
    project, (obs,) = project_file(tmp_path / "q.attune", QSET)
    for coder, sort in (("AB", A), ("CD", B)):
        session = project.start_coding(obs, coder)
        for item, pile in sort.items():
            session.place("mini", item, pile)
    session = project.start_coding(obs, "EF")  # an incomplete sort: no score, not compared
    session.place("mini", "a", 1)
    records = project.load_passes(project.passes())
    scores = qsort_scores_frame(records)
    assert list(scores["coder"]) == ["AB", "CD", "EF"]
    assert list(scores["complete"]) == [True, True, False]
    assert list(scores["items"]) == [6, 6, 1]
    assert scores["r"].iloc[0] == pytest.approx(2 / math.sqrt(5))
    assert math.isnan(scores["r"].iloc[2])
    agreement = qsort_agreement_frame(records)
    assert len(agreement) == 1
    row = agreement.iloc[0]
    assert (row["coder_a"], row["coder_b"], row["criterion"]) == ("AB", "CD", "security")
    assert row["r"] == pytest.approx(0.5)
    assert row["r_composite"] == pytest.approx(1.75 / math.sqrt(3.75))
    project.close()
