"""The same figures on randomised data, against independent libraries."""

from __future__ import annotations

import warnings

import krippendorff
import numpy as np
import pandas as pd
import pingouin
import pytest
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from coder import agreement

SEEDS = range(25)


def two_coders(rng: np.random.Generator, k: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Ratings on a 1..k scale: coder B near coder A, sometimes off; some categories unused."""
    a = rng.integers(1, k + 1, n)
    noise = rng.integers(-1, 2, n) * (rng.random(n) < 0.5)
    b = np.clip(a + noise, 1, k)
    return a, b


@pytest.mark.parametrize("seed", SEEDS)
def test_cohen_kappa_matches_scikit_learn_over_declared_categories(seed: int) -> None:
    rng = np.random.default_rng(seed)
    k = int(rng.integers(2, 10))
    a, b = two_coders(rng, k, int(rng.integers(5, 80)))
    labels = [*range(1, k + 2)]  # a declared category nobody used
    for weights in (None, "linear", "quadratic"):
        ours = agreement.cohen_kappa(a, b, weights=weights, categories=labels)
        theirs = cohen_kappa_score(a, b, labels=labels, weights=weights)
        assert ours == pytest.approx(theirs, abs=1e-10), weights


@pytest.mark.parametrize("seed", SEEDS)
def test_krippendorff_alpha_matches_the_krippendorff_package(seed: int) -> None:
    rng = np.random.default_rng(seed)
    coders, units = int(rng.integers(2, 6)), int(rng.integers(4, 40))
    data = rng.integers(1, 6, (coders, units)).astype(float)
    data[rng.random(data.shape) < 0.25] = np.nan
    data[:, 0] = rng.integers(1, 6, coders)  # at least one pairable unit
    for level in ("nominal", "ordinal", "interval", "ratio"):
        ours = agreement.krippendorff_alpha(data, level=level)
        theirs = krippendorff.alpha(
            reliability_data=data, level_of_measurement=level, value_domain=[1, 2, 3, 4, 5]
        )
        assert ours == pytest.approx(theirs, abs=1e-9), level
    as_none = [[None if np.isnan(v) else int(v) for v in row] for row in data]
    assert agreement.krippendorff_alpha(as_none) == pytest.approx(
        agreement.krippendorff_alpha(data)
    )


@pytest.mark.parametrize("seed", SEEDS)
def test_icc_matches_pingouin_in_all_six_forms(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n, k = int(rng.integers(3, 30)), int(rng.integers(2, 6))
    true = rng.normal(5, 2, n)
    x = true[:, None] + rng.normal(0, 1, (n, k)) + rng.normal(0, 0.7, k)[None, :]
    ours = agreement.icc(x)
    long = pd.DataFrame(
        [(t, r, x[t, r]) for t in range(n) for r in range(k)], columns=["t", "r", "score"]
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = pingouin.intraclass_corr(long, targets="t", raters="r", ratings="score")
    # pingouin 0.6 names the forms after McGraw & Wong (A = absolute, C = consistency)
    names = {"ICC(1,1)": "ICC(1,1)", "ICC(A,1)": "ICC(2,1)", "ICC(C,1)": "ICC(3,1)"}
    names |= {"ICC(1,k)": "ICC(1,k)", "ICC(A,k)": "ICC(2,k)", "ICC(C,k)": "ICC(3,k)"}
    assert set(theirs["Type"]) == set(names)
    for _, row in theirs.iterrows():
        form = names[row["Type"]]
        assert float(ours.loc[form, "value"]) == pytest.approx(row["ICC"], abs=1e-9), form
        assert float(ours.loc[form, "F"]) == pytest.approx(row["F"], rel=1e-9), form
        assert float(ours.loc[form, "p"]) == pytest.approx(row["pval"], abs=1e-9), form
        low, high = row["CI95"] if "CI95" in row else row["CI95%"]
        # pingouin rounds its intervals to two decimals
        assert float(ours.loc[form, "ci_low"]) == pytest.approx(low, abs=0.0051), form
        assert float(ours.loc[form, "ci_high"]) == pytest.approx(high, abs=0.0051), form


@pytest.mark.parametrize("seed", SEEDS)
def test_fleiss_kappa_matches_statsmodels(seed: int) -> None:
    rng = np.random.default_rng(seed)
    units, raters = int(rng.integers(3, 40)), int(rng.integers(2, 8))
    base = rng.integers(0, 4, units)
    ratings = np.where(rng.random((units, raters)) < 0.6, base[:, None], rng.integers(0, 4))
    counts, _ = aggregate_raters(ratings, n_cat=4)
    ours = agreement.fleiss_kappa(ratings, categories=[0, 1, 2, 3])
    assert ours == pytest.approx(sm_fleiss_kappa(counts, method="fleiss"), abs=1e-10)
    assert agreement.fleiss_kappa_from_counts(counts) == pytest.approx(ours, abs=1e-12)


@pytest.mark.parametrize("seed", SEEDS)
def test_percent_agreement_exact_and_within_one(seed: int) -> None:
    rng = np.random.default_rng(seed)
    a, b = two_coders(rng, 9, 50)
    assert agreement.percent_agreement(a, b) == pytest.approx(np.mean(a == b))
    assert agreement.percent_agreement(a, b, within=1) == pytest.approx(np.mean(np.abs(a - b) <= 1))
