"""Two observers' Q-sorts of one observation: their correlation across items, the composite
sort (the mean of the two) and its score against each criterion sort; pooled as the mean r
over observations (averaged through Fisher's z, as correlations are)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from coder.agreement.undefined import Undefined
from coder.coding.qsort import placements_in
from coder.instruments import observer_agreement
from coder.project import PassRecord
from coder.scheme import Scheme


@dataclass(frozen=True, eq=False)
class QSortAgreement:
    """Agreement on one Q-sort: ``r`` across items (Undefined with the reason when a sort is
    incomplete or does not vary), and per criterion sort the composite's score."""

    code: str
    name: str
    r: float
    observations: int
    composite_scores: dict[str, float] = field(default_factory=dict)


def qsort_agreements(reference: PassRecord, other: PassRecord) -> tuple[QSortAgreement, ...]:
    """Each Q-sort of the reference pass's scheme, compared between the two passes."""
    found = []
    for qsort in reference.scheme.qsorts:
        a = placements_in(qsort, reference.ratings)
        b = placements_in(qsort, other.ratings)
        incomplete = [
            f"{p.coder}'s sort places {len(s)} of {len(qsort.items)} items"
            for p, s in ((reference, a), (other, b))
            if len(s) < len(qsort.items)
        ]
        if not a and not b:
            continue  # neither coder sorted: nothing to report
        if incomplete:
            found.append(
                QSortAgreement(qsort.code, qsort.name, Undefined("; ".join(incomplete)), 0)
            )
            continue
        result = observer_agreement(qsort, a, b)
        r = result.r if result.r is not None else Undefined("a sort puts every item alike")
        scores = {
            code: (value if value is not None else Undefined("the composite does not vary"))
            for code, value in result.composite_scores.items()
        }
        found.append(QSortAgreement(qsort.code, qsort.name, r, 1, scores))
    return tuple(found)


def pooled_qsorts(
    scheme: Scheme, parts: Sequence[Sequence[QSortAgreement]]
) -> tuple[QSortAgreement, ...]:
    """The mean r of each Q-sort over the observations where it could be computed."""
    pooled = []
    for qsort in scheme.qsorts:
        rs = [
            q.r
            for part in parts
            for q in part
            if q.code == qsort.code and not isinstance(q.r, Undefined) and not math.isnan(q.r)
        ]
        if not rs:
            continue
        pooled.append(QSortAgreement(qsort.code, qsort.name, fisher_mean(rs), len(rs)))
    return tuple(pooled)


def fisher_mean(rs: Sequence[float]) -> float:
    """The mean of correlations through Fisher's z (r = ±1 is kept just inside the bounds)."""
    zs = [math.atanh(max(-0.999999, min(0.999999, r))) for r in rs]
    return math.tanh(sum(zs) / len(zs))
