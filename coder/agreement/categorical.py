"""Agreement of two coders on categories: percent agreement, Cohen's kappa, kappa max.

Categories come from the scale (``categories=``, in scale order), not only from the values seen:
a 1-9 scale has nine categories even when nobody used 9, and weighted kappa weighs category
positions over the declared range (Cohen 1968). Units missing for either coder are left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from coder.agreement.undefined import Undefined, ratio
from coder.agreement.values import Label, category_order, codes_of, numbers, paired

Weights = Literal["linear", "quadratic"] | None


@dataclass(frozen=True, eq=False)
class Confusion:
    """A K×K table of unit counts: rows coder A (the reference), columns coder B."""

    categories: tuple[Label, ...]
    counts: np.ndarray

    @property
    def n(self) -> int:
        return int(self.counts.sum())

    def __add__(self, other: Confusion) -> Confusion:
        if self.categories != other.categories:
            raise ValueError("tables over different categories cannot be added")
        return Confusion(self.categories, self.counts + other.counts)


def confusion(
    a: Iterable[Any], b: Iterable[Any], categories: Sequence[Label] | None = None
) -> Confusion:
    """The agreement table of two coders' values (missing units left out)."""
    left, right = paired(a, b)
    order = category_order([*left, *right], categories)
    k = len(order)
    i = codes_of(left, order, "coder A")
    j = codes_of(right, order, "coder B")
    counts = np.bincount(i * k + j, minlength=k * k).reshape(k, k)
    return Confusion(tuple(order), counts)


def percent_agreement(a: Iterable[Any], b: Iterable[Any], within: float = 0) -> float:
    """Share (0-1) of units on which the coders agree exactly, or within ``within`` points."""
    if not within >= 0 or within == float("inf"):
        raise ValueError(f"within must be 0 or more (a number of points), got {within}")
    left, right = paired(a, b)
    if within == 0:
        return float(sum(x == y for x, y in zip(left, right, strict=True)) / len(left))
    x, y = numbers(left, "coder A"), numbers(right, "coder B")
    return float(np.mean(np.abs(x - y) <= within + 1e-9))


def cohen_kappa(
    a: Iterable[Any],
    b: Iterable[Any],
    weights: Weights = None,
    categories: Sequence[Label] | None = None,
) -> float:
    """Cohen's kappa of two coders; weighted (``"linear"``/``"quadratic"``) over ``categories``.

    Returns :class:`~coder.agreement.undefined.Undefined` (NaN with a reason) when chance
    agreement is 1, e.g. when both coders used one single category.
    """
    return kappa_from_table(confusion(a, b, categories), weights)


def agreement_weights(k: int, weights: Weights) -> np.ndarray:
    """Cohen's agreement weights over category positions: 1 on the diagonal."""
    if weights not in (None, "linear", "quadratic"):
        raise ValueError(f"weights must be None, 'linear' or 'quadratic', got {weights!r}")
    if weights is None or k == 1:
        return np.eye(k)
    distance = np.abs(np.subtract.outer(np.arange(k), np.arange(k))) / (k - 1)
    return 1 - (distance if weights == "linear" else distance**2)


def kappa_from_table(table: Confusion, weights: Weights = None) -> float:
    """Cohen's kappa of an agreement table (weighted with Cohen's 1968 agreement weights)."""
    n = table.n
    if n == 0:
        return Undefined("no units to compare")
    p = table.counts / n
    w = agreement_weights(len(table.categories), weights)
    observed = float((w * p).sum())
    expected = float((w * np.outer(p.sum(axis=1), p.sum(axis=0))).sum())
    if 1 - expected <= 1e-12:
        return Undefined(_why_chance_is_one(table))
    return (observed - expected) / (1 - expected)


def kappa_max(table: Confusion) -> float:
    """The largest kappa the two coders' marginals allow (Cohen 1960; Umesh et al. 1989)."""
    n = table.n
    if n == 0:
        return Undefined("no units to compare")
    p = table.counts / n
    rows, cols = p.sum(axis=1), p.sum(axis=0)
    expected = float(rows @ cols)
    if 1 - expected <= 1e-12:
        return Undefined(_why_chance_is_one(table))
    return (float(np.minimum(rows, cols).sum()) - expected) / (1 - expected)


def proportion_agreeing(table: Confusion) -> float:
    """The share of units on the diagonal of ``table``."""
    return ratio(float(np.trace(table.counts)), table.n, "no units to compare")


def _why_chance_is_one(table: Confusion) -> str:
    rows, cols = table.counts.sum(axis=1), table.counts.sum(axis=0)
    used = [table.categories[i] for i in np.flatnonzero(rows + cols)]
    if len(used) == 1:
        return f"both coders used only one category ({used[0]!r}); kappa is undefined"
    return "chance agreement is 1; kappa is undefined"
