"""The tables of whole instruments, added to an export where they apply.

- ``QSort`` and ``QSortAgreement`` (when a scheme of the exported passes declares a Q-sort):
  each pass's correlation with each criterion sort, and two observers' agreement
  (:func:`coder.instruments.qsort_scores_frame`, :func:`coder.instruments.qsort_agreement_frame`).
- ``Consistency`` (when a participant has two or more exported observations): every figure's
  mean, SD and range across the visits (:func:`coder.instruments.consistency_frame`).

The frames are the core's, unchanged, so an export holds exactly what the analysis API gives.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from coder.analysis import PassLike
from coder.instruments import consistency_frame, qsort_agreement_frame, qsort_scores_frame

QSORT, QSORT_AGREEMENT, CONSISTENCY = "QSort", "QSortAgreement", "Consistency"
#: Every instrument table an export may hold, in sheet order.
INSTRUMENT_SHEETS = (QSORT, QSORT_AGREEMENT, CONSISTENCY)

#: What each instrument table holds, for the About sheet.
DESCRIPTIONS = {
    QSORT: (
        "per pass x Q-sort x criterion sort: r, Pearson's r of the pass's sort with the "
        "criterion sort across all items (empty unless every item is in a pile); items, the "
        "items placed; complete, whether the forced distribution is met"
    ),
    QSORT_AGREEMENT: (
        "per observation x Q-sort x pair of passes with complete sorts: r, the two sorts' "
        "Pearson r across items; per criterion sort r_a and r_b, each sort's r with it, and "
        "r_composite, the r of the item-by-item mean of the two sorts"
    ),
    CONSISTENCY: (
        "per participant observed at two or more visits x figure (each rating, each "
        "behaviour's rate per minute over the session, each contingency's proportion "
        "followed, each Q-sort score): visits, mean, SD (n - 1), min, max, range and the "
        "value of each visit; a visit's value is its master pass's when the export holds "
        "it, else the mean over its passes; visits in order of visit label, date, id"
    ),
}


def has_qsorts(records: Sequence[PassLike]) -> bool:
    """Whether a scheme of ``records`` declares a Q-sort."""
    return any(record.scheme.qsorts for record in records)


def instrument_sheets(records: Sequence[PassLike]) -> dict[str, pd.DataFrame]:
    """The instrument tables that apply to ``records``, by sheet name in sheet order."""
    sheets: dict[str, pd.DataFrame] = {}
    if has_qsorts(records):
        sheets[QSORT] = qsort_scores_frame(records)
        sheets[QSORT_AGREEMENT] = qsort_agreement_frame(records)
    visits = consistency_frame(repeated(records))
    if len(visits):
        sheets[CONSISTENCY] = visits
    return sheets


def repeated(records: Sequence[PassLike]) -> list[PassLike]:
    """The passes of participants with two or more observations (the only ones the
    consistency table holds; the others' figures are not worked out for nothing)."""
    seen: dict[str, set[int]] = {}
    for record in records:
        if record.observation.participant:
            seen.setdefault(record.observation.participant, set()).add(record.observation.id)
    return [r for r in records if len(seen.get(r.observation.participant, ())) > 1]
