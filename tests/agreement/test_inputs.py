"""Bad input is a clear ValueError; undefined figures are NaN with a reason, never 1.0."""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import pytest

from coder import agreement
from coder.agreement import Undefined, why_undefined


def test_contract_names_are_public() -> None:
    for name in (
        "cohen_kappa",
        "fleiss_kappa",
        "krippendorff_alpha",
        "icc",
        "percent_agreement",
        "time_unit_kappa",
        "align_events",
    ):
        assert callable(getattr(agreement, name))


def test_mismatched_lengths_are_refused_with_both_lengths() -> None:
    with pytest.raises(ValueError, match=r"coder A has 3, coder B 2"):
        agreement.cohen_kappa([1, 2, 3], [1, 2])
    with pytest.raises(ValueError, match=r"coder A has 2, coder B 1"):
        agreement.percent_agreement([1, 2], [1])


def test_a_value_outside_the_scale_names_the_value_and_the_unit() -> None:
    with pytest.raises(ValueError, match=r"coder B, unit 2: 10 is not one of the categories"):
        agreement.cohen_kappa([1, 2, 3], [1, 2, 10], categories=range(1, 10))
    with pytest.raises(ValueError, match=r"'maybe' is not one of"):
        agreement.krippendorff_alpha([["yes", "no"], ["no", "maybe"]], categories=["yes", "no"])


def test_fewer_than_two_coders_is_refused() -> None:
    with pytest.raises(ValueError, match=r"at least two coders"):
        agreement.krippendorff_alpha([[1, 2, 3]])
    with pytest.raises(ValueError, match=r"at least two raters"):
        agreement.fleiss_kappa([[1], [2]])
    with pytest.raises(ValueError, match=r"at least two raters"):
        agreement.icc([[1], [2], [3]])


def test_all_missing_units_are_refused() -> None:
    with pytest.raises(ValueError, match=r"all units missing"):
        agreement.cohen_kappa([None, 1, np.nan], [2, None, 3])
    with pytest.raises(ValueError, match=r"every value is missing"):
        agreement.krippendorff_alpha([[None, None], [np.nan, None]])
    with pytest.raises(ValueError, match=r"no unit has values from two coders"):
        agreement.krippendorff_alpha([[1, None], [None, 2]])
    with pytest.raises(ValueError, match=r"target 1, rater 0 has no value"):
        agreement.icc([[1, 2], [np.nan, 3], [4, 5]])


def test_missing_pairs_are_left_out_of_kappa() -> None:
    with_gaps = agreement.cohen_kappa([1, 2, None, 2, 1], [1, 2, 2, np.nan, 2])
    assert with_gaps == pytest.approx(agreement.cohen_kappa([1, 2, 1], [1, 2, 2]))


def test_one_category_used_by_both_is_nan_with_a_reason_never_one() -> None:
    kappa = agreement.cohen_kappa([3, 3, 3], [3, 3, 3], categories=range(1, 10))
    assert isinstance(kappa, Undefined)
    assert math.isnan(kappa)
    assert "only one category (3)" in kappa.reason
    for weights in ("linear", "quadratic"):
        weighted = agreement.cohen_kappa([3, 3], [3, 3], weights=weights, categories=[1, 2, 3])
        assert math.isnan(weighted)
        assert why_undefined(weighted) is not None
    alpha = agreement.krippendorff_alpha([[2, 2, 2], [2, 2, None]])
    assert math.isnan(alpha)
    assert "same" in str(why_undefined(alpha))
    assert math.isnan(agreement.fleiss_kappa([[1, 1], [1, 1]]))
    assert why_undefined(0.5) is None


def test_icc_of_identical_ratings_is_nan_with_a_note() -> None:
    frame = agreement.icc([[4, 4], [4, 4], [4, 4]])
    assert frame["value"].isna().all()
    assert any("same" in note for note in frame.attrs["notes"])


def test_icc_of_perfect_agreement_is_one_with_an_infinite_f() -> None:
    frame = agreement.icc([[1, 1], [5, 5], [3, 3]])
    assert float(frame.loc["ICC(2,1)", "value"]) == pytest.approx(1.0)
    assert math.isinf(float(frame.loc["ICC(3,1)", "F"]))


def test_weights_level_and_within_are_checked() -> None:
    with pytest.raises(ValueError, match=r"weights must be"):
        agreement.cohen_kappa([1, 2], [1, 2], weights="squared")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"level must be one of"):
        agreement.krippendorff_alpha([[1, 2], [1, 2]], level="metric")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"within must be 0 or more"):
        agreement.percent_agreement([1], [1], within=-1)
    with pytest.raises(ValueError, match=r"coder A, unit 0: 'a' is not a number"):
        agreement.percent_agreement(["a"], ["b"], within=1)
    with pytest.raises(ValueError, match=r"interval alpha needs numbers"):
        agreement.krippendorff_alpha([["a", "b"], ["a", "a"]], level="interval")


def test_weighted_kappa_uses_the_declared_range_not_only_the_values_seen() -> None:
    # nobody used 3 or 4, so 2 and 5 are three points apart, not neighbours
    a, b = [1, 2, 5, 2, 5], [2, 2, 5, 1, 2]
    seen = agreement.cohen_kappa(a, b, weights="linear")
    declared = agreement.cohen_kappa(a, b, weights="linear", categories=range(1, 10))
    assert seen != pytest.approx(declared)
    assert declared == pytest.approx(
        agreement.cohen_kappa(a, b, "linear", categories=[1, 2, 3, 4, 5])
    )


def test_text_labels_and_ordinal_text_with_declared_order() -> None:
    assert agreement.cohen_kappa(["A", "B", "C"], ["A", "B", "C"]) == pytest.approx(1.0)
    data = [["low", "mid", "high", "mid"], ["low", "high", "high", "mid"]]
    with pytest.raises(ValueError, match=r"categories= giving their order"):
        agreement.krippendorff_alpha(data, level="ordinal")
    ranked = agreement.krippendorff_alpha(data, "ordinal", categories=["low", "mid", "high"])
    numeric = agreement.krippendorff_alpha([[1, 2, 3, 2], [1, 3, 3, 2]], "ordinal")
    assert ranked == pytest.approx(numeric)


@pytest.mark.parametrize(
    ("text", "us", "frames"),
    [("1s", 1_000_000, 0), ("500ms", 500_000, 0), ("1f", 0, 1), ("2", 2_000_000, 0),
     ("0.25", 250_000, 0), ("3 frames", 0, 3), (1.5, 1_500_000, 0)],
)  # fmt: skip
def test_durations_as_people_write_them(text: str | float, us: int, frames: int) -> None:
    duration = agreement.parse_duration(text)
    assert (duration.us, duration.frames) == (us, frames)


@pytest.mark.parametrize("text", ["", "fast", "0", "-1s", "1.5f", "0f", "2 hours"])
def test_bad_durations_name_themselves(text: str) -> None:
    with pytest.raises(ValueError, match=r"tolerance"):
        agreement.parse_duration(text, "tolerance")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: agreement.fleiss_kappa([1, 2, 3]), r"ratings: expected a table"),
        (lambda: agreement.krippendorff_alpha([1, 2, 3]), r"data: expected a table"),
        (lambda: agreement.krippendorff_alpha("abc"), r"data: .*single string"),
        (lambda: agreement.krippendorff_alpha(["ab", "ba"]), r"row 0 is a single string"),
        (lambda: agreement.fleiss_kappa([[1, [2]], [1, 2]]), r"row 0 holds a nested sequence"),
        (lambda: agreement.fleiss_kappa([[None, None], [None, np.nan]]), r"every rating is"),
        (lambda: agreement.percent_agreement([1], [1], within=math.nan), r"within must be 0"),
        (lambda: agreement.icc([[1, np.inf], [2, 3]]), r"target 0, rater 1 is inf, not a finite"),
    ],
)
def test_malformed_tables_and_values_are_a_value_error_naming_the_problem(
    call: Callable[[], object], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        call()


def test_contract_signatures() -> None:
    import inspect

    def params(f: object) -> list[tuple[str, object]]:
        sig = inspect.signature(f)  # type: ignore[arg-type]
        return [(p.name, p.default) for p in sig.parameters.values()]

    empty = inspect.Parameter.empty
    assert params(agreement.cohen_kappa)[:4] == [
        ("a", empty), ("b", empty), ("weights", None), ("categories", None)
    ]  # fmt: skip
    assert params(agreement.fleiss_kappa)[0] == ("ratings", empty)
    assert params(agreement.krippendorff_alpha)[:2] == [("data", empty), ("level", "nominal")]
    assert params(agreement.icc)[0] == ("ratings", empty)
    assert params(agreement.percent_agreement)[:3] == [("a", empty), ("b", empty), ("within", 0)]
    frame = agreement.icc([[1, 2], [3, 3], [5, 6]])
    assert list(frame.index) == [
        "ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)"
    ]  # fmt: skip
    assert {"value", "ci_low", "ci_high", "F", "p"} <= set(frame.columns)


def test_same_target_means_leave_the_consistency_iccs_undefined_with_notes() -> None:
    frame = agreement.icc([[1, 2], [1, 2], [1, 2]])
    assert np.isnan(frame.loc["ICC(3,1)", "value"])
    notes = frame.attrs["notes"]
    assert any("same mean" in n for n in notes)
    assert not any("infinite" in n for n in notes)
