"""Intraclass correlations in the six Shrout & Fleiss (1979) forms, with 95% intervals.

From the two-way ANOVA of a complete targets × raters table: ICC(1,·) one-way random,
ICC(2,·) = ICC(A,·) two-way random, absolute agreement, ICC(3,·) = ICC(C,·) two-way mixed,
consistency; ``1`` a single rater's score, ``k`` the mean of the k raters. Confidence intervals
follow Shrout & Fleiss (1979) and McGraw & Wong (1996).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

FORMS = ("ICC(1,1)", "ICC(2,1)", "ICC(3,1)", "ICC(1,k)", "ICC(2,k)", "ICC(3,k)")
COLUMNS = ("value", "ci_low", "ci_high", "F", "df1", "df2", "p", "description")
DESCRIPTIONS = {
    "ICC(1,1)": "one-way random, single rater",
    "ICC(2,1)": "two-way random, absolute agreement, single rater",
    "ICC(3,1)": "two-way mixed, consistency, single rater",
    "ICC(1,k)": "one-way random, mean of k raters",
    "ICC(2,k)": "two-way random, absolute agreement, mean of k raters",
    "ICC(3,k)": "two-way mixed, consistency, mean of k raters",
}


def icc(ratings: Any, confidence: float = 0.95) -> pd.DataFrame:
    """ICCs of ``ratings`` (targets × raters, complete numbers), one row per form.

    Columns ``value``, ``ci_low``, ``ci_high``, ``F``, ``df1``, ``df2``, ``p``, ``description``.
    Figures that the data leave undefined (no variance at all) are NaN, and
    ``frame.attrs["notes"]`` says why.
    """
    x = _matrix(ratings)
    n, k = x.shape
    grand = x.mean()
    ss_total = float(((x - grand) ** 2).sum())
    ss_rows = k * float(((x.mean(axis=1) - grand) ** 2).sum())
    ss_cols = n * float(((x.mean(axis=0) - grand) ** 2).sum())
    ss_error = max(ss_total - ss_rows - ss_cols, 0.0)
    df_rows, df_cols, df_error, df_within = n - 1, k - 1, (n - 1) * (k - 1), n * (k - 1)
    msr, msc = ss_rows / df_rows, ss_cols / df_cols
    mse, msw = ss_error / df_error, (ss_total - ss_rows) / df_within
    tail = 1 - (1 - confidence) / 2
    notes: list[str] = []
    rows: dict[str, tuple[float, ...]] = {}

    f1 = _f(msr, msw)
    icc11 = _div(msr - msw, msr + (k - 1) * msw)
    icc1k = _div(msr - msw, msr)
    low1, high1 = _f_bounds(f1, df_rows, df_within, tail)
    p1 = _p(f1, df_rows, df_within)
    rows["ICC(1,1)"] = (icc11, *_single(low1, high1, k), f1, df_rows, df_within, p1)
    rows["ICC(1,k)"] = (icc1k, *_average(low1, high1), f1, df_rows, df_within, p1)

    f3 = _f(msr, mse)
    icc21 = _div(msr - mse, msr + (k - 1) * mse + k * (msc - mse) / n)
    icc2k = _div(msr - mse, msr + (msc - mse) / n)
    low21, high21 = _icc2_bounds(icc21, msr, msc, mse, n, k, tail)
    p3 = _p(f3, df_rows, df_error)
    rows["ICC(2,1)"] = (icc21, low21, high21, f3, df_rows, df_error, p3)
    rows["ICC(2,k)"] = (
        icc2k,
        _spearman_brown(low21, k),
        _spearman_brown(high21, k),
        f3,
        df_rows,
        df_error,
        p3,
    )

    icc31 = _div(msr - mse, msr + (k - 1) * mse)
    icc3k = _div(msr - mse, msr)
    low3, high3 = _f_bounds(f3, df_rows, df_error, tail)
    rows["ICC(3,1)"] = (icc31, *_single(low3, high3, k), f3, df_rows, df_error, p3)
    rows["ICC(3,k)"] = (icc3k, *_average(low3, high3), f3, df_rows, df_error, p3)

    if ss_total == 0:
        notes.append("every rating is the same: the ICCs are undefined")
    elif msr == 0:
        notes.append("all targets have the same mean: the ICCs are undefined or 0")
    if mse == 0 and msr > 0:
        notes.append("raters agree perfectly up to a constant: F is infinite, intervals degenerate")
    frame = pd.DataFrame(
        [(*rows[form], DESCRIPTIONS[form]) for form in FORMS],
        index=pd.Index(FORMS, name="form"),
        columns=list(COLUMNS),
    )
    frame.attrs["notes"] = notes
    frame.attrs["targets"], frame.attrs["raters"] = n, k
    return frame


def _matrix(ratings: Any) -> np.ndarray:
    try:
        x = np.asarray(ratings, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"ratings: expected a targets × raters table of numbers ({exc})") from None
    if x.ndim != 2:
        raise ValueError(f"ratings: expected a targets × raters table, got shape {x.shape}")
    n, k = x.shape
    if k < 2:
        raise ValueError(f"ratings: an ICC needs at least two raters (columns), got {k}")
    if n < 2:
        raise ValueError(f"ratings: an ICC needs at least two targets (rows), got {n}")
    missing = np.argwhere(~np.isfinite(x))
    if missing.size:
        row, col = (int(v) for v in missing[0])
        if np.isnan(x[row, col]):
            raise ValueError(
                f"ratings: target {row}, rater {col} has no value; the ICC needs complete data"
            )
        value = x[row, col]
        raise ValueError(f"ratings: target {row}, rater {col} is {value}, not a finite number")
    return x


def _div(numerator: float, denominator: float) -> float:
    if denominator == 0:
        return math.nan
    return numerator / denominator


def _f(ms_effect: float, ms_error: float) -> float:
    if ms_error == 0:
        return math.inf if ms_effect > 0 else math.nan
    return ms_effect / ms_error


def _p(f: float, df1: int, df2: int) -> float:
    if math.isnan(f):
        return math.nan
    return float(stats.f.sf(f, df1, df2))


def _f_bounds(f: float, df1: int, df2: int, tail: float) -> tuple[float, float]:
    """The F ratio's lower and upper confidence bounds (Shrout & Fleiss 1979)."""
    return f / float(stats.f.ppf(tail, df1, df2)), f * float(stats.f.ppf(tail, df2, df1))


def _single(low: float, high: float, k: int) -> tuple[float, float]:
    return _from_f(low, k), _from_f(high, k)


def _from_f(f: float, k: int) -> float:
    if math.isnan(f):
        return math.nan
    if math.isinf(f):
        return 1.0
    return (f - 1) / (f + k - 1)


def _average(low: float, high: float) -> tuple[float, float]:
    def bound(f: float) -> float:
        if math.isnan(f) or f == 0:
            return math.nan
        return 1 - 1 / f

    return bound(low), bound(high)


def _spearman_brown(r: float, k: int) -> float:
    if math.isnan(r):
        return math.nan
    return k * r / (1 + (k - 1) * r)


def _icc2_bounds(
    rho: float, msr: float, msc: float, mse: float, n: int, k: int, tail: float
) -> tuple[float, float]:
    """McGraw & Wong's (1996) interval of ICC(A,1), with Satterthwaite's degrees of freedom."""
    if math.isnan(rho) or mse == 0 or rho >= 1:
        return math.nan, math.nan
    a = k * rho / (n * (1 - rho))
    b = 1 + k * rho * (n - 1) / (n * (1 - rho))
    denominator = (a * msc) ** 2 / (k - 1) + (b * mse) ** 2 / ((n - 1) * (k - 1))
    v = (a * msc + b * mse) ** 2 / denominator
    f_low = float(stats.f.ppf(tail, n - 1, v))
    f_high = float(stats.f.ppf(tail, v, n - 1))
    shared = k * msc + (k * n - k - n) * mse
    low = n * (msr - f_low * mse) / (f_low * shared + n * msr)
    high = n * (f_high * msr - mse) / (shared + n * f_high * msr)
    return low, high
