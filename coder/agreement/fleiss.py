"""Fleiss' kappa for several raters per unit (Fleiss 1971).

Raters may differ between units and a unit may miss some ratings: each unit's agreement is taken
over the raters it has (at least two), and category shares over all ratings given.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from coder.agreement.undefined import Undefined
from coder.agreement.values import Label, as_table, category_order, codes_of, is_missing


def fleiss_kappa(ratings: Any, categories: Sequence[Label] | None = None) -> float:
    """Fleiss' kappa of ``ratings`` (units × raters, category labels; ``None``/NaN missing)."""
    table = as_table(ratings, "ratings")
    if len(table[0]) < 2:
        raise ValueError(f"ratings: Fleiss' kappa needs at least two raters, got {len(table[0])}")
    given = [v for row in table for v in row if not is_missing(v)]
    if not given:
        raise ValueError("ratings: every rating is missing")
    order = category_order(given, categories)
    counts = np.zeros((len(table), len(order)), dtype=np.int64)
    for u, row in enumerate(table):
        present = [v for v in row if not is_missing(v)]
        codes = codes_of(present, order, f"ratings, unit {u}")
        counts[u] = np.bincount(codes, minlength=len(order))
    return fleiss_kappa_from_counts(counts)


def fleiss_kappa_from_counts(counts: Any) -> float:
    """Fleiss' kappa from a units × categories table of how many raters chose each category."""
    n = np.asarray(counts, dtype=np.float64)
    if n.ndim != 2 or n.shape[0] == 0 or n.shape[1] == 0:
        raise ValueError(f"counts: expected a units × categories table, got shape {n.shape}")
    if np.any(n < 0) or np.any(n != np.round(n)):
        raise ValueError("counts: every cell must be a whole number of raters, 0 or more")
    m = n.sum(axis=1)
    keep = m >= 2
    if not keep.any():
        raise ValueError("counts: no unit has ratings from at least two raters")
    n, m = n[keep], m[keep]
    per_unit = (n * (n - 1)).sum(axis=1) / (m * (m - 1))
    observed = float(per_unit.mean())
    shares = n.sum(axis=0) / m.sum()
    expected = float((shares**2).sum())
    if 1 - expected <= 1e-12:
        return Undefined("every rating is in one category; Fleiss' kappa is undefined")
    return (observed - expected) / (1 - expected)
