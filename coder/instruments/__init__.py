"""Scores of whole instruments, over read-only pass records.

- :mod:`~coder.instruments.qsort_scores`: a Q-sort's correlation with each criterion sort, two
  observers' r across items and their composite sort (:func:`criterion_scores`,
  :func:`observer_agreement`, and the tables :func:`qsort_scores_frame`,
  :func:`qsort_agreement_frame`).
- :mod:`~coder.instruments.consistency`: consistency of care across visits, per participant:
  mean, SD and range of every rating and summary rate (:func:`consistency`,
  :func:`consistency_frame`, :func:`visits_frame`), and its picture
  (:func:`~coder.instruments.plot.visits_figure`).

Computed scales (sums and means of component ratings, e.g. the Emotional Availability Scales'
4th-edition dimension scores) are kept by the coding session itself and stored as ratings
(:mod:`coder.coding.computed`).
"""

from coder.instruments.consistency import (
    Consistency,
    VisitValue,
    consistency,
    consistency_frame,
    pass_figures,
    visits_frame,
)
from coder.instruments.qsort_scores import (
    ObserverAgreement,
    criterion_scores,
    observer_agreement,
    pearson,
    qsort_agreement_frame,
    qsort_scores_frame,
    sort_vector,
)

__all__ = [
    "Consistency",
    "ObserverAgreement",
    "VisitValue",
    "consistency",
    "consistency_frame",
    "criterion_scores",
    "observer_agreement",
    "pass_figures",
    "pearson",
    "qsort_agreement_frame",
    "qsort_scores_frame",
    "sort_vector",
    "visits_frame",
]
