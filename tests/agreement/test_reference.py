"""Every published dataset in tests/data/reference, reproduced to its published precision."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from coder import agreement

REFERENCE = Path(__file__).resolve().parent.parent / "data" / "reference"


def load(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((REFERENCE / name).read_text())
    return data


def test_every_reference_file_is_covered_here() -> None:
    covered = {
        "cohen_kappa_2x2.json",
        "fleiss_kappa_10x14.json",
        "krippendorff_wikipedia_3x15.json",
        "shrout_fleiss_1979.json",
    }
    assert {p.name for p in REFERENCE.glob("*.json")} == covered


def test_cohen_2x2_kappa_percent_and_chance_agreement() -> None:
    ref = load("cohen_kappa_2x2.json")
    a, b = ref["data"]["a"], ref["data"]["b"]
    expected = ref["expected"]
    assert agreement.percent_agreement(a, b) == pytest.approx(expected["percent_agreement"])
    assert agreement.cohen_kappa(a, b) == pytest.approx(expected["kappa"], abs=1e-12)
    table = agreement.confusion(a, b)
    p = table.counts / table.n
    chance = float(p.sum(axis=1) @ p.sum(axis=0))
    assert chance == pytest.approx(expected["chance_agreement"])


def test_fleiss_10_subjects_14_raters() -> None:
    ref = load("fleiss_kappa_10x14.json")
    counts = ref["counts"]
    assert round(agreement.fleiss_kappa_from_counts(counts), 3) == ref["expected_3dp"]["kappa"]
    # the same data as one label per rater: each subject's 14 ratings spelled out
    ratings = [[c + 1 for c, k in enumerate(row) for _ in range(k)] for row in counts]
    kappa = agreement.fleiss_kappa(ratings, categories=[1, 2, 3, 4, 5])
    assert kappa == pytest.approx(0.20993, abs=5e-6)


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_krippendorff_wikipedia_example_with_missing_values(level: str) -> None:
    ref = load("krippendorff_wikipedia_3x15.json")
    data = ref["data"]
    value = agreement.krippendorff_alpha(data, level=level)  # type: ignore[arg-type]
    assert value == pytest.approx(ref["expected_computed"][level], abs=5e-7)
    published = ref["expected_published"]
    if level == "nominal":
        assert round(value, 3) == published["nominal_3dp"]
        assert round(value, 6) == published["nominal_6dp_package_test"]
    if level == "interval":
        assert round(value, 6) == published["interval_6dp_package_test"]


def test_shrout_fleiss_table_values_f_and_intervals() -> None:
    ref = load("shrout_fleiss_1979.json")
    frame = agreement.icc(ref["data"])
    assert list(frame.index) == [
        "ICC(1,1)",
        "ICC(2,1)",
        "ICC(3,1)",
        "ICC(1,k)",
        "ICC(2,k)",
        "ICC(3,k)",
    ]
    computed = ref["expected_computed"]
    for form, published in ref["expected_published_2dp"].items():
        value = float(frame.loc[form, "value"])
        assert round(value, 2) == published, form
        assert value == pytest.approx(computed[form], abs=5e-7), form
        low, high = computed["ci95_2dp"][form]
        assert round(float(frame.loc[form, "ci_low"]), 2) == low, form
        assert round(float(frame.loc[form, "ci_high"]), 2) == high, form
    assert float(frame.loc["ICC(1,1)", "F"]) == pytest.approx(computed["F(1)"], abs=5e-7)
    for form in ("ICC(2,1)", "ICC(3,1)", "ICC(2,k)", "ICC(3,k)"):
        assert float(frame.loc[form, "F"]) == pytest.approx(computed["F(2,3)"], abs=5e-7)
    assert np.all((frame["p"] > 0) & (frame["p"] < 1))
