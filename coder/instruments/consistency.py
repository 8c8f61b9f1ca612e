"""Consistency of care across visits: each figure of a participant's observations side by side.

When a participant was observed several times (visits, waves), a lab reports how consistent care
was: per participant and per figure, the mean, SD (n − 1) and range across the visits. The
figures are every rating (scale × segment, computed scales too), every behaviour's rate per
minute over the whole session, every contingency's proportion of cues followed within its
window (the rate of caregiver responses), and every Q-sort criterion score.

Each observation gives one value per figure: that of its master pass when one of the given
records is the master, otherwise the mean over the given passes (coders). Observations are
ordered by visit label, then recording date, then id; observations without a participant are
left out, and so are participants with a single observation.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import pandas as pd

from coder.analysis.passes import PassLike, pass_contingencies, pass_summary
from coder.coding.qsort import placements_in
from coder.instruments.qsort_scores import criterion_scores
from coder.model import Observation

RATING = "rating"
RATE = "rate per minute"
RESPONSE = "proportion followed"
QSORT = "Q-sort score"
KIND_ORDER = (RATING, RATE, RESPONSE, QSORT)

Key = tuple[str, str, str]
"""(kind, code, segment) of one figure."""

CONSISTENCY_COLUMNS = (
    "participant", "kind", "code", "name", "segment", "visits", "mean", "sd", "min", "max",
    "range", "values",
)  # fmt: skip
VISIT_COLUMNS = ("participant", "visit", "observation_id", "observation", "kind", "code", "name",
                 "segment", "value", "passes")  # fmt: skip


@dataclass(frozen=True, slots=True)
class VisitValue:
    """One figure of one observation (the mean over ``passes`` passes, or the master's)."""

    observation: Observation
    value: float
    passes: int


@dataclass(frozen=True, slots=True)
class Consistency:
    """One figure of one participant across visits."""

    participant: str
    kind: str
    code: str
    name: str
    segment: str
    values: tuple[VisitValue, ...]

    @property
    def numbers(self) -> list[float]:
        return [v.value for v in self.values]

    @property
    def mean(self) -> float:
        return statistics.fmean(self.numbers)

    @property
    def sd(self) -> float | None:
        """SD with n − 1 (as SPSS and R); None below two visits."""
        return statistics.stdev(self.numbers) if len(self.values) > 1 else None

    @property
    def low(self) -> float:
        return min(self.numbers)

    @property
    def high(self) -> float:
        return max(self.numbers)

    @property
    def range(self) -> float:
        return self.high - self.low


def pass_figures(record: PassLike) -> dict[Key, tuple[str, float]]:
    """Every figure of one pass: (kind, code, segment) → (name, value); undefined ones (a
    proportion without cues, an incomplete Q-sort) are left out."""
    scheme = record.scheme
    found: dict[Key, tuple[str, float]] = {}
    for rating in record.ratings:
        if scheme.qsort_placement(rating.scale) is None:
            found[(RATING, rating.scale, rating.segment)] = (
                scheme.name_of(rating.scale),
                rating.value,
            )
    for row in pass_summary(record):
        if row.span.kind == "session":
            name = scheme.name_of(row.behaviour)
            found[(RATE, row.behaviour, "session")] = (name, row.rate_per_min)
    for result in pass_contingencies(record):
        if not math.isnan(result.proportion):
            found[(RESPONSE, result.code, "session")] = (result.name, result.proportion)
    for qsort in scheme.qsorts:
        scores = criterion_scores(qsort, placements_in(qsort, record.ratings))
        for criterion in qsort.criteria:
            score = scores[criterion.code]
            if score is not None:
                name = f"{qsort.name}: {criterion.name}"
                found[(QSORT, f"{qsort.code}.{criterion.code}", "session")] = (name, score)
    return found


def _visit_order(observation: Observation) -> tuple[str, str, int]:
    return observation.visit, observation.date, observation.id


def visit_values(records: Iterable[PassLike]) -> dict[str, dict[Key, tuple[str, list[VisitValue]]]]:
    """Participant → figure → (name, one value per observation in visit order)."""
    by_observation: dict[int, list[PassLike]] = {}
    for record in records:
        if record.observation.participant:
            by_observation.setdefault(record.observation.id, []).append(record)
    groups = sorted(by_observation.values(), key=lambda g: _visit_order(g[0].observation))
    result: dict[str, dict[Key, tuple[str, list[VisitValue]]]] = {}
    for group in groups:
        masters = [r for r in group if r.info.is_master]
        chosen = masters[:1] or group
        figures = [pass_figures(r) for r in chosen]
        observation = group[0].observation
        participant = result.setdefault(observation.participant, {})
        for key in dict.fromkeys(k for f in figures for k in f):
            values = [f[key][1] for f in figures if key in f]
            name = next(f[key][0] for f in figures if key in f)
            entry = participant.setdefault(key, (name, []))
            entry[1].append(VisitValue(observation, statistics.fmean(values), len(values)))
    return result


def consistency(records: Iterable[PassLike]) -> list[Consistency]:
    """Every figure of every participant seen at two or more visits, across those visits."""
    found: list[Consistency] = []
    for participant, figures in sorted(visit_values(records).items()):
        visits = {v.observation.id for _, values in figures.values() for v in values}
        if len(visits) < 2:
            continue
        for key in sorted(figures, key=lambda k: (KIND_ORDER.index(k[0]), k[1], k[2])):
            name, values = figures[key]
            found.append(Consistency(participant, key[0], key[1], name, key[2], tuple(values)))
    return found


def consistency_frame(records: Sequence[PassLike]) -> pd.DataFrame:
    """One row per participant × figure: visits, mean, SD, min, max, range and the values."""
    rows = [
        (
            c.participant, c.kind, c.code, c.name, c.segment, len(c.values), c.mean, c.sd,
            c.low, c.high, c.range,
            "; ".join(f"{v.observation.visit or v.observation.name}: {v.value:g}"
                      for v in c.values),
        )
        for c in consistency(records)
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(CONSISTENCY_COLUMNS))
    for column in ("mean", "sd", "min", "max", "range"):
        frame[column] = frame[column].astype("float64")
    return frame


def visits_frame(records: Sequence[PassLike]) -> pd.DataFrame:
    """One row per participant × visit × figure (the long form a plot across visits reads)."""
    rows = [
        (c.participant, v.observation.visit, v.observation.id, v.observation.name, c.kind,
         c.code, c.name, c.segment, v.value, v.passes)
        for c in consistency(records)
        for v in c.values
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(VISIT_COLUMNS))
    frame["value"] = frame["value"].astype("float64")
    return frame
