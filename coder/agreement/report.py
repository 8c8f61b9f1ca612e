"""The agreement report over pairs of passes: per observation, and pooled.

For each pair (a reference pass, often the master's, and another coder's pass of the same
observation): every rating scale (percent exact and within ±1 point, kappa unweighted and
weighted over the scale's declared points, ICC(2,1) with its interval, Krippendorff's alpha at
the scale's level) and every group of behaviours (time-unit agreement and event alignment),
each with a verdict against the :class:`~coder.agreement.criteria.Criteria`. Pooled figures come
from all rated segments together and from the summed tables of all observations.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from coder.agreement.alignment import EventAlignment, align_events, combine_alignments
from coder.agreement.alpha import Level, krippendorff_alpha
from coder.agreement.categorical import Confusion, cohen_kappa, confusion, percent_agreement
from coder.agreement.criteria import Check, Criteria, Verdict, overall
from coder.agreement.durations import Duration, parse_duration
from coder.agreement.icc import icc
from coder.agreement.qsorts import QSortAgreement, pooled_qsorts, qsort_agreements
from coder.agreement.time_units import TimeUnitAgreement, combine, time_unit_kappa
from coder.agreement.undefined import Undefined
from coder.project import PassRecord
from coder.scheme import Scale, Scheme

UNGROUPED = "(ungrouped)"
"""The group of behaviours that belong to no group; compared code by code."""


@dataclass(frozen=True, slots=True)
class PassPair:
    """Two passes over one observation: the reference (coder A, rows) and the other (B)."""

    reference: PassRecord
    other: PassRecord


@dataclass(frozen=True, slots=True)
class RatedUnit:
    """One segment both coders rated on one scale."""

    observation: str
    segment: str
    a: float
    b: float


@dataclass(frozen=True, eq=False)
class ScaleAgreement:
    """Agreement on one rating scale."""

    code: str
    name: str
    kind: str
    units: tuple[RatedUnit, ...]
    exact: float
    within_one: float
    kappa: float
    kappa_linear: float
    kappa_quadratic: float
    icc: float
    """ICC(2,1): two-way random, absolute agreement, single rater."""
    icc_low: float
    icc_high: float
    alpha: float
    table: Confusion | None
    verdict: Verdict


@dataclass(frozen=True, eq=False)
class GroupAgreement:
    """Agreement on one group of behaviours: per time unit and per event."""

    code: str
    name: str
    exclusive: bool
    time_units: TimeUnitAgreement
    events: EventAlignment
    verdict: Verdict


@dataclass(frozen=True, eq=False)
class PartReport:
    """One observation's pair of passes, or all of them pooled (``observation_id`` None)."""

    label: str
    observation_id: int | None
    reference: str
    other: str
    scales: tuple[ScaleAgreement, ...]
    groups: tuple[GroupAgreement, ...]
    notes: tuple[str, ...] = ()
    qsorts: tuple[QSortAgreement, ...] = ()
    """Two observers' Q-sorts (no verdict: labs judge a Q-sort's r against their own norm)."""

    @property
    def passed(self) -> bool | None:
        return overall([s.verdict for s in self.scales] + [g.verdict for g in self.groups])


@dataclass(frozen=True, eq=False)
class AgreementReport:
    """The whole report: one part per observation, the pooled part, and what was left out."""

    parts: tuple[PartReport, ...]
    pooled: PartReport | None
    criteria: Criteria
    unit: Duration
    tolerance: Duration
    skipped: tuple[str, ...] = ()

    @property
    def passed(self) -> bool | None:
        """The pooled verdict (None when nothing could be judged)."""
        return None if self.pooled is None else self.pooled.passed


def agreement_report(
    pairs: Sequence[PassPair],
    *,
    unit: Duration | str | float = "1s",
    tolerance: Duration | str | float = "2s",
    criteria: Criteria | None = None,
    skipped: Sequence[str] = (),
) -> AgreementReport:
    """The report over ``pairs`` (see the module docstring)."""
    step = parse_duration(unit, "unit")
    window = parse_duration(tolerance, "tolerance")
    rules = criteria or Criteria()
    parts = tuple(_part(pair, step, window, rules) for pair in pairs)
    pooled = _pooled(pairs, parts, rules) if parts else None
    return AgreementReport(parts, pooled, rules, step, window, tuple(skipped))


def scale_categories(scale: Scale) -> list[float | int]:
    """The declared points of a scale, min to max by step (whole numbers as ints)."""
    count = round((scale.max - scale.min) / scale.step) + 1
    points = [scale.min + i * scale.step for i in range(count)]
    return [int(p) if float(p).is_integer() else round(p, 9) for p in points]


def on_scale(values: Sequence[float], categories: Sequence[float | int]) -> list[float | int]:
    """Each value as the declared point it stands for (a computed mean such as 16/3 is the
    point 5.333333333); a value off the scale is kept as it is, for the figures to name."""
    points = np.asarray(categories, dtype=np.float64)
    out: list[float | int] = []
    for value in values:
        nearest = int(np.argmin(np.abs(points - value)))
        close = abs(points[nearest] - value) <= 1e-6 * max(1.0, abs(value))
        out.append(categories[nearest] if close else value)
    return out


def behaviour_groups(scheme: Scheme) -> list[tuple[str, str, bool, tuple[str, ...]]]:
    """(code, name, exclusive, behaviour codes) of each group that has behaviours."""
    out = []
    for group in scheme.groups:
        codes = tuple(b.code for b in scheme.behaviours if b.group == group.code)
        if codes:
            out.append((group.code, group.name, group.exclusive, codes))
    loose = tuple(b.code for b in scheme.behaviours if b.group is None)
    if loose:
        out.append((UNGROUPED, "Behaviours in no group", False, loose))
    return out


def _part(pair: PassPair, unit: Duration, window: Duration, rules: Criteria) -> PartReport:
    ref, other = pair.reference, pair.other
    scheme = ref.scheme
    scales = []
    for scale in scheme.scales:
        units = _rated_units(pair, scale.code)
        if units:
            scales.append(scale_agreement(scale, units, rules))
    groups = [
        _group_agreement(code, name, exclusive, codes, pair, unit, window, rules)
        for code, name, exclusive, codes in behaviour_groups(scheme)
    ]
    notes = tuple(
        f"{p.coder}'s pass is still in progress" for p in (ref, other) if p.status.value != "done"
    )
    return PartReport(
        label=ref.observation.name,
        observation_id=ref.observation.id,
        reference=ref.coder,
        other=other.coder,
        scales=tuple(scales),
        groups=tuple(groups),
        notes=notes,
        qsorts=qsort_agreements(ref, other),
    )


def _rated_units(pair: PassPair, scale: str) -> list[RatedUnit]:
    mine = {r.segment: r.value for r in pair.reference.ratings if r.scale == scale}
    theirs = {r.segment: r.value for r in pair.other.ratings if r.scale == scale}
    name = pair.reference.observation.name
    return [RatedUnit(name, s, mine[s], theirs[s]) for s in mine if s in theirs]


def scale_agreement(scale: Scale, units: Sequence[RatedUnit], rules: Criteria) -> ScaleAgreement:
    """The figures and verdict of one scale over the segments both coders rated."""
    categories = scale_categories(scale)
    a = on_scale([u.a for u in units], categories)
    b = on_scale([u.b for u in units], categories)
    level: Level = "ordinal" if scale.kind == "ordinal" else scale.kind
    table = _safe_table(lambda: confusion(a, b, categories))
    value, low, high = _icc_or_why(a, b)
    exact = _safe(lambda: percent_agreement(a, b))
    within = _safe(lambda: percent_agreement(a, b, within=1))
    kappa = _safe(lambda: cohen_kappa(a, b, categories=categories))
    if scale.kind == "nominal":
        checks: tuple[Check, ...] = (Check("kappa", kappa, rules.kappa_min),)
    else:
        checks = (
            Check("ICC(2,1)", value, rules.icc_min),
            Check("exact or ±1", within, rules.within_one_min),
        )
    return ScaleAgreement(
        code=scale.code,
        name=scale.name,
        kind=scale.kind,
        units=tuple(units),
        exact=exact,
        within_one=within,
        kappa=kappa,
        kappa_linear=_safe(lambda: cohen_kappa(a, b, "linear", categories)),
        kappa_quadratic=_safe(lambda: cohen_kappa(a, b, "quadratic", categories)),
        icc=value,
        icc_low=low,
        icc_high=high,
        alpha=_safe(lambda: krippendorff_alpha([a, b], level, categories)),
        table=table,
        verdict=Verdict(checks),
    )


def _icc_or_why(a: Sequence[float], b: Sequence[float]) -> tuple[float, float, float]:
    """ICC(2,1) and its interval, or Undefined with the reason."""
    if len(a) < 2:
        why = Undefined(f"an ICC needs at least two rated segments; {len(a)} was rated by both")
        return why, why, why
    frame = icc(np.column_stack([a, b]))
    value, low, high = (
        float(v) for v in frame.loc["ICC(2,1)", ["value", "ci_low", "ci_high"]].to_numpy(float)
    )
    if math.isnan(value):
        notes = frame.attrs.get("notes") or ["the ratings have no variance"]
        why = Undefined(str(notes[0]))
        return why, why, why
    return value, low, high


def _safe(figure: Callable[[], float]) -> float:
    """A figure, or Undefined with the reason when the data cannot give it."""
    try:
        return figure()
    except ValueError as exc:
        return Undefined(str(exc))


def _safe_table(make: Callable[[], Confusion]) -> Confusion | None:
    try:
        return make()
    except ValueError:
        return None


def _group_agreement(
    code: str,
    name: str,
    exclusive: bool,
    codes: tuple[str, ...],
    pair: PassPair,
    unit: Duration,
    window: Duration,
    rules: Criteria,
) -> GroupAgreement:
    ref, other = pair.reference, pair.other
    states = tuple(c for c in codes if ref.scheme.behaviour(c).is_state)
    by_units = exclusive and bool(states)
    time_units = time_unit_kappa(
        ref.events,
        other.events,
        states if by_units else codes,
        unit=unit,
        exclusive=by_units,
        timebase=ref.timebase,
        end_us=ref.duration_us,
    )
    events = align_events(ref.events, other.events, window, codes)
    return GroupAgreement(
        code, name, by_units, time_units, events, _group_verdict(time_units, events, rules)
    )


def _group_verdict(
    time_units: TimeUnitAgreement, events: EventAlignment, rules: Criteria
) -> Verdict:
    return Verdict(
        (
            Check("time-unit kappa", time_units.kappa, rules.kappa_min),
            Check("event kappa", events.kappa, rules.kappa_min),
        )
    )


def _pooled(pairs: Sequence[PassPair], parts: Sequence[PartReport], rules: Criteria) -> PartReport:
    first = pairs[0].reference.scheme
    scales = []
    for scale in first.scales:
        units = [u for part in parts for s in part.scales if s.code == scale.code for u in s.units]
        if units:
            scales.append(scale_agreement(scale, units, rules))
    groups = []
    notes = []
    for code, name, _, _ in behaviour_groups(first):
        found = [g for part in parts for g in part.groups if g.code == code]
        same = [g for g in found if g.time_units.codes == found[0].time_units.codes]
        if len(same) < len(found):
            notes.append(f"{name}: {len(found) - len(same)} observation(s) coded with other codes")
        time_units = combine([g.time_units for g in same])
        events = combine_alignments([g.events for g in same])
        verdict = _group_verdict(time_units, events, rules)
        groups.append(GroupAgreement(code, name, same[0].exclusive, time_units, events, verdict))
    references = ", ".join(dict.fromkeys(p.reference for p in parts))
    others = ", ".join(dict.fromkeys(p.other for p in parts))
    return PartReport(
        label=f"pooled ({len(parts)} observation{'s' if len(parts) != 1 else ''})",
        observation_id=None,
        reference=references,
        other=others,
        scales=tuple(scales),
        groups=tuple(groups),
        notes=tuple(notes),
        qsorts=pooled_qsorts(first, [part.qsorts for part in parts]),
    )
