"""Krippendorff's alpha: any number of coders, missing values, four levels of measurement.

Only units with values from at least two coders are pairable. From the coincidence matrix
``o`` (Krippendorff 2011), alpha = 1 − (n − 1) Σ o·δ² / Σ n_c n_k δ², with δ² the level's
difference function; the ordinal one uses the frequencies of the ranks between two values.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from coder.agreement.undefined import Undefined
from coder.agreement.values import Label, as_table, category_order, codes_of, is_missing, numbers

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")


def krippendorff_alpha(
    data: Any, level: Level = "nominal", categories: Sequence[Label] | None = None
) -> float:
    """Krippendorff's alpha of ``data`` (coders × units; ``None`` or NaN for missing).

    ``categories`` (in rank order for ordinal data) checks the values and orders text ranks.
    Returns :class:`~coder.agreement.undefined.Undefined` when all pairable values are equal.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {', '.join(LEVELS)}, got {level!r}")
    table = as_table(data, "data")
    if len(table) < 2:
        raise ValueError(f"data: alpha needs at least two coders (rows), got {len(table)}")
    given = [v for row in table for v in row if not is_missing(v)]
    if not given:
        raise ValueError("data: every value is missing")
    order = category_order(given, categories)
    if level != "nominal":
        if categories is None and not _all_numbers(order):
            raise ValueError(f"{level} alpha needs numbers, or categories= giving their order")
        if level in ("interval", "ratio"):
            numbers(order, "categories")
    counts = _value_counts(table, order)
    pairable = counts.sum(axis=1) >= 2
    if not pairable.any():
        raise ValueError("data: no unit has values from two coders, so none can be paired")
    counts = counts[pairable]
    coincidences = _coincidences(counts)
    totals = coincidences.sum(axis=1)
    n = float(totals.sum())
    delta = _differences(level, order, totals)
    expected = float((np.outer(totals, totals) * delta).sum())
    if expected <= 1e-12:
        return Undefined("all pairable values are the same; alpha is undefined")
    return 1 - (n - 1) * float((coincidences * delta).sum()) / expected


def _all_numbers(values: Sequence[Label]) -> bool:
    return all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)


def _value_counts(table: list[list[Any]], order: Sequence[Label]) -> np.ndarray:
    """Units × values: how many coders gave each value to each unit."""
    k = len(order)
    width = len(table[0])
    counts = np.zeros((width, k), dtype=np.float64)
    for r, row in enumerate(table):
        present = [(u, v) for u, v in enumerate(row) if not is_missing(v)]
        if not present:
            continue
        units = np.array([u for u, _ in present])
        codes = codes_of([v for _, v in present], order, f"data, coder {r}")
        np.add.at(counts, (units, codes), 1)
    return counts


def _coincidences(counts: np.ndarray) -> np.ndarray:
    """o_ck = Σ_u (pairs of values c, k from different coders in u) / (m_u − 1)."""
    scale = 1 / (counts.sum(axis=1) - 1)
    weighted = counts * scale[:, None]
    return np.asarray(weighted.T @ counts - np.diag(weighted.sum(axis=0)))


def _differences(level: Level, order: Sequence[Label], totals: np.ndarray) -> np.ndarray:
    k = len(order)
    if level == "nominal":
        return 1 - np.eye(k)
    if level == "ordinal":
        cumulative = np.concatenate([[0.0], np.cumsum(totals)])
        low = np.minimum.outer(np.arange(k), np.arange(k))
        high = np.maximum.outer(np.arange(k), np.arange(k))
        between = cumulative[high + 1] - cumulative[low]
        return np.asarray((between - (totals[:, None] + totals[None, :]) / 2) ** 2)
    values = numbers(order, "categories")
    diff = np.subtract.outer(values, values)
    if level == "interval":
        return np.asarray(diff**2)
    total = np.add.outer(values, values)
    with np.errstate(invalid="ignore", divide="ignore"):
        relative = np.where(total == 0, 0.0, diff / np.where(total == 0, 1, total))
    return np.asarray(relative**2)
