"""Q-sort scores: a sort's correlation with each criterion sort, and two observers' agreement.

A sort's score on a criterion (security, dependency, sensitivity…) is Pearson's r between its
piles and the criterion sort's piles across all items; it is defined only for a complete sort
(every item in a pile). Two observers agree as the correlation of their sorts across items; the
composite sort is the item-by-item mean of the two, and is scored against the criteria like a
sort. r is None where it is undefined (a sort or criterion with every item on one pile).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from coder.analysis.passes import PassLike
from coder.coding.qsort import distribution_problems, placements_in
from coder.scheme import QSort

PASS_COLUMNS = ("observation_id", "observation", "participant", "visit", "coder", "status")
SCORE_COLUMNS = (*PASS_COLUMNS, "qsort", "criterion", "criterion_name", "r", "items", "complete")
AGREEMENT_COLUMNS = (
    "observation_id", "observation", "participant", "visit", "qsort", "coder_a", "coder_b",
    "items", "r", "criterion", "r_a", "r_b", "r_composite",
)  # fmt: skip


def pearson(x: Sequence[float], y: Sequence[float]) -> float | None:
    """Pearson's r of two equally long sequences; None when either does not vary."""
    if len(x) != len(y):
        raise ValueError(f"r needs two sequences of one length, got {len(x)} and {len(y)}")
    if len(x) < 2:
        return None
    mx, my = math.fsum(x) / len(x), math.fsum(y) / len(y)
    sxy = math.fsum((a - mx) * (b - my) for a, b in zip(x, y, strict=True))
    sxx = math.fsum((a - mx) ** 2 for a in x)
    syy = math.fsum((b - my) ** 2 for b in y)
    if sxx == 0 or syy == 0:
        return None
    return max(-1.0, min(1.0, sxy / math.sqrt(sxx * syy)))


def sort_vector(qsort: QSort, placements: Mapping[str, float]) -> list[float] | None:
    """The piles in the Q-sort's item order; None unless every item is placed."""
    if any(i not in placements for i in qsort.item_ids):
        return None
    return [float(placements[i]) for i in qsort.item_ids]


def criterion_scores(qsort: QSort, placements: Mapping[str, float]) -> dict[str, float | None]:
    """Criterion code → r of the sort with that criterion sort (None: sort not complete)."""
    vector = sort_vector(qsort, placements)
    scores: dict[str, float | None] = {}
    for criterion in qsort.criteria:
        wanted = [float(criterion.sort[i]) for i in qsort.item_ids]
        scores[criterion.code] = None if vector is None else pearson(vector, wanted)
    return scores


@dataclass(frozen=True, slots=True)
class ObserverAgreement:
    """Two observers' sorts of one Q-sort: their r across items and the composite sort."""

    r: float | None
    composite: dict[str, float]
    """Item → mean of the two piles."""
    scores_a: dict[str, float | None]
    scores_b: dict[str, float | None]
    composite_scores: dict[str, float | None]
    """Criterion code → r of the composite with that criterion sort."""


def observer_agreement(
    qsort: QSort, a: Mapping[str, float], b: Mapping[str, float]
) -> ObserverAgreement:
    """Agreement of two complete sorts ``a`` and ``b`` (item → pile) of ``qsort``."""
    first, second = sort_vector(qsort, a), sort_vector(qsort, b)
    if first is None or second is None:
        raise ValueError(f"both sorts of {qsort.name} must place every item to be compared")
    composite = {i: (x + y) / 2 for i, x, y in zip(qsort.item_ids, first, second, strict=True)}
    return ObserverAgreement(
        pearson(first, second),
        composite,
        criterion_scores(qsort, a),
        criterion_scores(qsort, b),
        criterion_scores(qsort, composite),
    )


def _pass_columns(record: PassLike) -> tuple[object, ...]:
    obs = record.observation
    return (obs.id, obs.name, obs.participant, obs.visit, record.info.coder.initials,
            record.info.status.value)  # fmt: skip


def qsort_scores_frame(records: Sequence[PassLike]) -> pd.DataFrame:
    """One row per pass × Q-sort × criterion sort: r of the pass's sort with the criterion
    (empty when the sort is not complete), the items placed, and whether the sort meets its
    forced distribution."""
    rows: list[tuple[object, ...]] = []
    for record in records:
        for qsort in record.scheme.qsorts:
            placements = placements_in(qsort, record.ratings)
            complete = not distribution_problems(qsort, placements)
            scores = criterion_scores(qsort, placements)
            for criterion in qsort.criteria or ():
                r = scores[criterion.code]
                rows.append((*_pass_columns(record), qsort.code, criterion.code, criterion.name,
                             r, len(placements), complete))  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(SCORE_COLUMNS))
    frame["r"] = frame["r"].astype("float64")
    return frame


def qsort_agreement_frame(records: Sequence[PassLike]) -> pd.DataFrame:
    """Per observation × Q-sort × pair of passes with complete sorts: their r across items,
    and per criterion sort each one's r and the composite's (one row per criterion; a
    Q-sort without criteria gives one row with no criterion)."""
    rows: list[tuple[object, ...]] = []
    by_observation: dict[int, list[PassLike]] = {}
    for record in records:
        by_observation.setdefault(record.observation.id, []).append(record)
    for group in by_observation.values():
        obs = group[0].observation
        for qsort in group[0].scheme.qsorts:
            sorts = [
                (r.info.coder.initials, placements_in(qsort, r.ratings))
                for r in group
                if any(q.code == qsort.code for q in r.scheme.qsorts)
            ]
            sorts = [(c, p) for c, p in sorts if sort_vector(qsort, p) is not None]
            for (coder_a, a), (coder_b, b) in itertools.combinations(sorts, 2):
                found = observer_agreement(qsort, a, b)
                head = (obs.id, obs.name, obs.participant, obs.visit, qsort.code, coder_a,
                        coder_b, len(qsort.items), found.r)  # fmt: skip
                if not qsort.criteria:
                    rows.append((*head, "", None, None, None))
                for criterion in qsort.criteria:
                    code = criterion.code
                    rows.append((*head, code, found.scores_a[code], found.scores_b[code],
                                 found.composite_scores[code]))  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(AGREEMENT_COLUMNS))
    for column in ("r", "r_a", "r_b", "r_composite"):
        frame[column] = frame[column].astype("float64")
    return frame
