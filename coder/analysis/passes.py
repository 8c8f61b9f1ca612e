"""Figures of whole coding passes: every span × behaviour summary, every contingency.

The functions take any read-only pass record with the shape of
:class:`coder.project.records.PassRecord` (see :class:`PassLike`), so they need nothing but the
records themselves.
"""

from __future__ import annotations

from typing import Protocol

from coder.analysis.contingency import ContingencyResult, contingency, unit_starts
from coder.analysis.summary import BehaviourSummary, Span, pass_spans, summarise
from coder.model import CodingInfo, Episode, Event, Observation, Rating, Segment
from coder.scheme import Scheme
from coder.timebase import TimeBase


class PassLike(Protocol):
    """What the figures read of a pass (a :class:`~coder.project.records.PassRecord`)."""

    @property
    def info(self) -> CodingInfo: ...
    @property
    def observation(self) -> Observation: ...
    @property
    def scheme(self) -> Scheme: ...
    @property
    def events(self) -> tuple[Event, ...]: ...
    @property
    def ratings(self) -> tuple[Rating, ...]: ...
    @property
    def episodes(self) -> tuple[Episode, ...]: ...
    @property
    def timebase(self) -> TimeBase: ...
    @property
    def duration_us(self) -> int: ...
    def segments(self, scale: str) -> list[Segment]: ...


def spans_of(record: PassLike) -> list[Span]:
    """The session (from the first frame to the end of the media), the scheme's intervals and
    the episodes this pass marked."""
    return pass_spans(record.scheme, record.timebase.start_us, record.duration_us, record.episodes)


def pass_summary(record: PassLike) -> list[BehaviourSummary]:
    """Every behaviour of the pass's scheme in every span of :func:`spans_of`, span by span."""
    rows: list[BehaviourSummary] = []
    for span in spans_of(record):
        rows.extend(summarise(record.events, record.scheme.behaviours, span, record.duration_us))
    return rows


def pass_contingencies(record: PassLike, unit_s: float | None = None) -> list[ContingencyResult]:
    """Every contingency the pass's scheme declares, over frames (or ``unit_s`` units)."""
    units = unit_starts(record.timebase.pts, record.duration_us, unit_s)
    unit = "frame" if unit_s is None else f"{unit_s:g} s"
    return [
        contingency(rule, record.events, units, record.duration_us, unit)
        for rule in record.scheme.contingencies
    ]
