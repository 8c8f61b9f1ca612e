"""The report as plain data (for ``--json``) and as text for a terminal.

Undefined figures are ``null`` in the data, with their reason under ``"why"`` beside them.
"""

from __future__ import annotations

import math
from typing import Any

from coder.agreement.alignment import AlignedPair, EventAlignment
from coder.agreement.categorical import Confusion
from coder.agreement.criteria import Verdict
from coder.agreement.qsorts import QSortAgreement
from coder.agreement.report import AgreementReport, GroupAgreement, PartReport, ScaleAgreement
from coder.agreement.time_units import TimeUnitAgreement
from coder.agreement.undefined import why_undefined


def report_data(report: AgreementReport) -> dict[str, Any]:
    """The whole report as JSON-ready data."""
    return {
        "unit": str(report.unit),
        "tolerance": str(report.tolerance),
        "criteria": {
            "kappa_min": report.criteria.kappa_min,
            "icc_min": report.criteria.icc_min,
            "within_one_min": report.criteria.within_one_min,
        },
        "passed": report.passed,
        "observations": [part_data(p) for p in report.parts],
        "pooled": None if report.pooled is None else part_data(report.pooled),
        "skipped": list(report.skipped),
    }


def part_data(part: PartReport) -> dict[str, Any]:
    return {
        "label": part.label,
        "observation_id": part.observation_id,
        "reference": part.reference,
        "other": part.other,
        "passed": part.passed,
        "notes": list(part.notes),
        "scales": [_scale(s) for s in part.scales],
        "groups": [_group(g) for g in part.groups],
        "qsorts": [_qsort(q) for q in part.qsorts],
    }


def _qsort(q: QSortAgreement) -> dict[str, Any]:
    return {
        "code": q.code,
        "name": q.name,
        "observations": q.observations,
        **_figures(r=q.r),
        "composite_scores": _figures(**q.composite_scores),
    }


def _figures(**values: float) -> dict[str, Any]:
    out: dict[str, Any] = {k: _number(v) for k, v in values.items()}
    why = {k: why_undefined(v) for k, v in values.items() if why_undefined(v) is not None}
    if why:
        out["why"] = why
    return out


def _number(value: float) -> float | None:
    return None if math.isnan(value) else float(value)


def _verdict(verdict: Verdict) -> dict[str, Any]:
    return {
        "passed": verdict.passed,
        "checks": [
            {
                "figure": c.figure,
                "value": _number(c.value),
                "minimum": c.minimum,
                "passed": c.passed,
            }
            for c in verdict.checks
        ],
    }


def _table(table: Confusion | None) -> dict[str, Any] | None:
    if table is None:
        return None
    return {"categories": list(table.categories), "counts": table.counts.tolist()}


def _scale(s: ScaleAgreement) -> dict[str, Any]:
    return {
        "scale": s.code,
        "name": s.name,
        "kind": s.kind,
        "units": len(s.units),
        **_figures(
            exact=s.exact,
            within_one=s.within_one,
            kappa=s.kappa,
            kappa_linear=s.kappa_linear,
            kappa_quadratic=s.kappa_quadratic,
            icc=s.icc,
            icc_ci_low=s.icc_low,
            icc_ci_high=s.icc_high,
            alpha=s.alpha,
        ),
        "table": _table(s.table),
        "verdict": _verdict(s.verdict),
    }


def _group(g: GroupAgreement) -> dict[str, Any]:
    return {
        "group": g.code,
        "name": g.name,
        "exclusive": g.exclusive,
        "time_units": _time_units(g.time_units),
        "events": _events(g.events),
        "verdict": _verdict(g.verdict),
    }


def _time_units(t: TimeUnitAgreement) -> dict[str, Any]:
    return {
        "unit": str(t.unit),
        "units": t.units,
        **_figures(kappa=t.kappa, percent=t.percent, kappa_max=t.kappa_max),
        "table": _table(t.table),
        "per_code": [
            {
                "code": c.code,
                "units_a": c.units_a,
                "units_b": c.units_b,
                "both": c.both,
                **_figures(positive_agreement=c.positive_agreement, kappa=c.kappa),
                "table": _table(table),
            }
            for c, table in zip(t.per_code, t.tables, strict=True)
        ],
    }


def _events(e: EventAlignment) -> dict[str, Any]:
    return {
        "tolerance": str(e.tolerance),
        "matches": e.matches,
        "mismatches": e.mismatches,
        "omissions": e.omissions,
        "commissions": e.commissions,
        **_figures(kappa=e.kappa, percent=e.percent, kappa_max=e.kappa_max),
        "table": _table(e.table),
        "pairs": [pair_data(p) for p in e.pairs],
    }


def pair_data(pair: AlignedPair) -> dict[str, Any]:
    def side(event: Any) -> dict[str, Any] | None:
        if event is None:
            return None
        return {"code": event.behaviour, "onset_s": event.onset.seconds, "frame": event.onset.frame}

    return {"kind": pair.kind, "a": side(pair.a), "b": side(pair.b)}


def report_text(report: AgreementReport) -> str:
    """A readable summary: one block per part, one line per scale and group."""
    rules = report.criteria
    lines = [
        f"Agreement (time units {report.unit}, onset tolerance {report.tolerance}; criteria: "
        f"kappa >= {rules.kappa_min:.2f}, ICC >= {rules.icc_min:.2f}, "
        f"exact or ±1 >= {rules.within_one_min:.0%})",
    ]
    for part in (*report.parts, *([report.pooled] if report.pooled else [])):
        lines.append("")
        verdict = {True: "PASS", False: "BELOW CRITERION", None: "not judged"}[part.passed]
        lines.append(f"{part.label}: {part.reference} (reference) vs {part.other} — {verdict}")
        lines.extend(f"  note: {n}" for n in part.notes)
        for s in part.scales:
            lines.append(
                f"  scale {s.code:<14} n={len(s.units):<4} exact {_pct(s.exact)}  ±1 "
                f"{_pct(s.within_one)}  kappa {_f(s.kappa)}  kw(quad) {_f(s.kappa_quadratic)}  "
                f"ICC(2,1) {_f(s.icc)} [{_f(s.icc_low)}, {_f(s.icc_high)}]  alpha {_f(s.alpha)}"
                f"  {s.verdict.text}"
            )
        for g in part.groups:
            t, e = g.time_units, g.events
            lines.append(
                f"  group {g.code:<14} units {t.units:<5} kappa {_f(t.kappa)} ({_pct(t.percent)})"
                f"  events kappa {_f(e.kappa)} ({_pct(e.percent)}; {e.matches} match, "
                f"{e.mismatches} mismatch, {e.omissions} omitted, {e.commissions} added)"
                f"  {g.verdict.text}"
            )
            if part.observation_id is not None:
                lines.extend(_differing_lines(e, part.reference, part.other))
        for q in part.qsorts:
            scores = "  ".join(f"{c} {_f(v)}" for c, v in q.composite_scores.items())
            why = f" ({why_undefined(q.r)})" if why_undefined(q.r) else ""
            mean = f" mean over {q.observations}" if part.observation_id is None else ""
            lines.append(
                f"  q-sort {q.code:<13} r{mean} {_f(q.r)}{why}"
                + (f"  composite: {scores}" if scores else "")
            )
    if report.skipped:
        lines.append("")
        lines.append(f"Left out ({len(report.skipped)}):")
        lines.extend(f"  {s}" for s in report.skipped[:20])
        if len(report.skipped) > 20:
            lines.append(f"  … and {len(report.skipped) - 20} more")
    return "\n".join(lines)


TEXT_LINES = 25
"""At most this many differing lines of one alignment in the text report (all in --json)."""


def _differing_lines(e: EventAlignment, reference: str, other: str) -> list[str]:
    """The aligned lines where the coders differ, in time order, for a terminal."""
    differing = [p for p in e.pairs if p.kind != "match"]
    out = []
    for pair in differing[:TEXT_LINES]:
        a, b = pair.a, pair.b
        if a is not None and b is not None:
            what = f"{a.behaviour} ≠ {b.behaviour} (at {b.onset.seconds:.2f} s)"
        elif a is not None:
            what = f"{a.behaviour} only in {reference}'s pass"
        else:
            assert b is not None
            what = f"{b.behaviour} only in {other}'s pass"
        first = a if a is not None else b
        assert first is not None
        out.append(f"      {first.onset.seconds:9.2f} s  {pair.kind:<10}  {what}")
    if len(differing) > TEXT_LINES:
        out.append(f"      … and {len(differing) - TEXT_LINES} more (all in --json and --xlsx)")
    return out


def _f(value: float) -> str:
    return "  n/a" if math.isnan(value) else f"{value:5.2f}"


def _pct(value: float) -> str:
    return " n/a" if math.isnan(value) else f"{value:4.0%}"
