"""Checking and coding the values coders gave: missing values, categories, numbers."""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Sequence
from typing import Any

import numpy as np

Label = Hashable
"""A category: a number on a scale or a code (text)."""


def is_missing(value: object) -> bool:
    """``None`` and NaN are missing values."""
    if value is None:
        return True
    try:
        return bool(isinstance(value, float | np.floating) and math.isnan(value))
    except TypeError:
        return False


def as_list(values: Iterable[Any], name: str) -> list[Any]:
    """``values`` as a flat list (a 1-D array, list or tuple); ValueError naming ``name``."""
    if isinstance(values, str | bytes):
        raise ValueError(f"{name}: expected a sequence of values, got a single string")
    out = list(values)
    for value in out:
        if isinstance(value, list | tuple | np.ndarray):
            raise ValueError(f"{name}: expected one value per unit, got a nested sequence")
    return [_plain(v) for v in out]


def as_table(values: Any, name: str) -> list[list[Any]]:
    """A 2-D table of values (rows of equal length) as lists; ValueError naming ``name``."""
    if isinstance(values, str | bytes):
        raise ValueError(f"{name}: expected a table (rows of values), got a single string")
    try:
        rows = [_row(row, i, name) for i, row in enumerate(values)]
    except TypeError:
        raise ValueError(
            f"{name}: expected a table (a sequence of rows, each a sequence of values)"
        ) from None
    if not rows:
        raise ValueError(f"{name}: the table is empty")
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            raise ValueError(f"{name}: row {i} has {len(row)} values, row 0 has {width}")
    return [[_plain(v) for v in row] for row in rows]


def _row(row: Any, i: int, name: str) -> list[Any]:
    if isinstance(row, str | bytes):
        raise ValueError(f"{name}: row {i} is a single string, not a row of values")
    cells = list(row)
    if any(isinstance(v, list | tuple | np.ndarray) for v in cells):
        raise ValueError(f"{name}: row {i} holds a nested sequence; expected one value per cell")
    return cells


def paired(a: Iterable[Any], b: Iterable[Any]) -> tuple[list[Any], list[Any]]:
    """The units both coders coded (missing values dropped), checked for equal lengths."""
    left, right = as_list(a, "coder A"), as_list(b, "coder B")
    if len(left) != len(right):
        raise ValueError(
            f"the coders' values differ in length: coder A has {len(left)}, coder B {len(right)}"
        )
    pairs = [
        (x, y) for x, y in zip(left, right, strict=True) if not is_missing(x) and not is_missing(y)
    ]
    if not pairs:
        raise ValueError("no unit has a value from both coders (all units missing)")
    return [x for x, _ in pairs], [y for _, y in pairs]


def category_order(observed: Iterable[Label], categories: Sequence[Label] | None) -> list[Label]:
    """The declared categories, or the observed ones in sorted order (first seen if unsortable)."""
    if categories is not None:
        declared = [_plain(c) for c in categories]
        if len(set(declared)) != len(declared):
            raise ValueError(f"categories: {declared!r} lists a category twice")
        if not declared:
            raise ValueError("categories: the list is empty")
        return declared
    unique = list(dict.fromkeys(observed))
    try:
        return sorted(unique)  # type: ignore[type-var]
    except TypeError:
        return unique


def codes_of(values: Sequence[Label], order: Sequence[Label], who: str) -> np.ndarray:
    """Each value's position in ``order``; ValueError naming a value outside the categories."""
    index = {c: i for i, c in enumerate(order)}
    out = np.empty(len(values), dtype=np.int64)
    for u, value in enumerate(values):
        position = index.get(value)
        if position is None:
            raise ValueError(
                f"{who}, unit {u}: {value!r} is not one of the categories {_show(order)}"
            )
        out[u] = position
    return out


def numbers(values: Sequence[Any], who: str) -> np.ndarray:
    """``values`` as floats; ValueError naming the first value that is not a number."""
    out = np.empty(len(values), dtype=np.float64)
    for u, value in enumerate(values):
        if isinstance(value, bool) or not isinstance(value, int | float | np.number):
            raise ValueError(f"{who}, unit {u}: {value!r} is not a number")
        out[u] = float(value)
    return out


def _plain(value: Any) -> Any:
    """NumPy scalars as Python numbers, so 3, 3.0 and np.int64(3) are one category."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _show(order: Sequence[Label]) -> str:
    if len(order) > 8:
        return f"{order[0]!r}..{order[-1]!r} ({len(order)} categories)"
    return ", ".join(repr(c) for c in order)
