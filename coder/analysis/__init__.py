"""Figures computed from coding passes: summaries, contingencies (responsiveness).

- :mod:`~coder.analysis.summary`: per-behaviour figures over a span of time (:func:`summarise`).
- :mod:`~coder.analysis.contingency`: given → target within a window, event- and time-based,
  with Yule's Q (:func:`contingency`, :func:`yules_q`).
- :mod:`~coder.analysis.passes`: the same over whole read-only pass records.

The tables that analysts export (one DataFrame each) are in :mod:`coder.export.tables`.
"""

from coder.analysis.contingency import ContingencyResult, contingency, unit_starts, yules_q
from coder.analysis.passes import PassLike, pass_contingencies, pass_summary, spans_of
from coder.analysis.summary import AnalysisError, BehaviourSummary, Span, pass_spans, summarise

__all__ = [
    "AnalysisError",
    "BehaviourSummary",
    "ContingencyResult",
    "PassLike",
    "Span",
    "contingency",
    "pass_contingencies",
    "pass_spans",
    "pass_summary",
    "spans_of",
    "summarise",
    "unit_starts",
    "yules_q",
]
