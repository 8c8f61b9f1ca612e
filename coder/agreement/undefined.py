"""Figures that cannot be computed: NaN that says why.

A statistic that is undefined for the data (kappa when both coders used one category, alpha when
every value is the same) is returned as :class:`Undefined`: a ``float`` that is NaN, so
arithmetic and ``math.isnan`` behave as usual, carrying a ``reason`` for people.
"""

from __future__ import annotations

import math


class Undefined(float):
    """NaN with the reason the figure is undefined."""

    reason: str

    def __new__(cls, reason: str) -> Undefined:
        value = super().__new__(cls, math.nan)
        value.reason = reason
        return value

    def __repr__(self) -> str:
        return f"Undefined({self.reason!r})"

    def __reduce__(self) -> tuple[type[Undefined], tuple[str]]:
        return (Undefined, (self.reason,))


def why_undefined(value: float) -> str | None:
    """The reason a figure is NaN (``None`` for a number; a generic text for a bare NaN)."""
    if isinstance(value, Undefined):
        return value.reason
    if isinstance(value, float) and math.isnan(value):
        return "undefined"
    return None


def ratio(numerator: float, denominator: float, reason: str) -> float:
    """``numerator / denominator``, or :class:`Undefined` with ``reason`` when it is 0/0 or x/0."""
    if denominator == 0 or not math.isfinite(denominator):
        return Undefined(reason)
    return float(numerator / denominator)
