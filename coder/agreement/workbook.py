"""The report as an Excel workbook: one sheet per part, with the agreement tables.

Sheets: Summary (every verdict), Ratings, Time units and Events (one row per observation and
scale or group, then each agreement table), Aligned events (every line of every alignment).
The file is written under a temporary name beside the target and moved into place, so a
crash never leaves half a workbook; an existing file is replaced only with ``force``.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from coder.agreement.categorical import Confusion
from coder.agreement.report import AgreementReport, PartReport
from coder.agreement.undefined import why_undefined

BOLD = Font(bold=True)


def write_workbook(report: AgreementReport, path: str | Path, force: bool = False) -> Path:
    """Write ``report`` to ``path`` (.xlsx); FileExistsError when it exists and not ``force``."""
    target = Path(path)
    if target.suffix.lower() != ".xlsx":
        raise ValueError(f"{target}: the workbook's name must end in .xlsx")
    if target.exists() and not force:
        raise FileExistsError(f"{target}: already exists (use --force to replace it)")
    if not target.parent.is_dir():
        raise FileNotFoundError(f"{target.parent}: no such folder")
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Summary"
    parts = [*report.parts, *([report.pooled] if report.pooled else [])]
    _summary(summary, report, parts)
    _ratings(book.create_sheet("Ratings"), parts)
    _time_units(book.create_sheet("Time units"), parts)
    _events(book.create_sheet("Events"), parts)
    _pairs(book.create_sheet("Aligned events"), report.parts)
    if any(part.qsorts for part in parts):
        _qsorts(book.create_sheet("Q-sorts"), parts)
    handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    try:
        book.save(temporary)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target


def _cell(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _row(sheet: Any, values: Sequence[Any], bold: bool = False) -> None:
    sheet.append([_cell(v) for v in values])
    if bold:
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD


def _why(*values: float) -> str:
    return "; ".join(dict.fromkeys(w for v in values if (w := why_undefined(v)) is not None))


def _verdict(passed: bool | None) -> str:
    return {True: "pass", False: "below criterion", None: "not judged"}[passed]


def _summary(sheet: Any, report: AgreementReport, parts: Sequence[PartReport]) -> None:
    rules = report.criteria
    _row(sheet, ["Time unit", str(report.unit)])
    _row(sheet, ["Onset tolerance", str(report.tolerance)])
    _row(sheet, ["Kappa at least", rules.kappa_min])
    _row(sheet, ["ICC at least", rules.icc_min])
    _row(sheet, ["Exact or ±1 at least", rules.within_one_min])
    _row(sheet, [])
    _row(
        sheet, ["Part", "Reference", "Other", "What", "Figure", "Value", "Minimum", "Verdict"], True
    )
    for part in parts:
        items = [(f"scale {s.code}", s.verdict) for s in part.scales]
        items += [(f"group {g.code}", g.verdict) for g in part.groups]
        for what, verdict in items:
            for check in verdict.checks:
                _row(
                    sheet,
                    [part.label, part.reference, part.other, what, check.figure, check.value,
                     check.minimum, _verdict(check.passed)],
                )  # fmt: skip
    if report.skipped:
        _row(sheet, [])
        _row(sheet, ["Left out"], True)
        for line in report.skipped:
            _row(sheet, [line])


def _tables(sheet: Any, tables: Sequence[tuple[str, Confusion | None]]) -> None:
    for title, table in tables:
        if table is None:
            continue
        _row(sheet, [])
        _row(sheet, [f"{title} (rows: reference coder, columns: other coder)"], True)
        _row(sheet, ["", *table.categories], True)
        for category, counts in zip(table.categories, table.counts.tolist(), strict=True):
            _row(sheet, [category, *counts])


def _ratings(sheet: Any, parts: Sequence[PartReport]) -> None:
    header = ["Part", "Scale", "Segments", "Exact", "Within ±1", "Kappa", "Kappa linear",
              "Kappa quadratic", "ICC(2,1)", "ICC low", "ICC high", "Alpha", "Verdict",
              "Why"]  # fmt: skip
    _row(sheet, header, True)
    tables = []
    for part in parts:
        for s in part.scales:
            figures = [s.exact, s.within_one, s.kappa, s.kappa_linear, s.kappa_quadratic, s.icc,
                       s.icc_low, s.icc_high, s.alpha]  # fmt: skip
            _row(
                sheet, [part.label, s.code, len(s.units), *figures, s.verdict.text, _why(*figures)]
            )
            tables.append((f"{part.label} · {s.name}", s.table))
    _tables(sheet, tables)


def _time_units(sheet: Any, parts: Sequence[PartReport]) -> None:
    header = ["Part", "Group", "Code", "Unit", "Units", "Kappa", "Percent", "Kappa max",
              "Units A", "Units B", "Both", "Verdict", "Why"]  # fmt: skip
    _row(sheet, header, True)
    tables = []
    for part in parts:
        for g in part.groups:
            t = g.time_units
            figures = [t.kappa, t.percent, t.kappa_max]
            _row(sheet, [part.label, g.code, "(all)", str(t.unit), t.units, *figures, None, None,
                         None, g.verdict.text, _why(*figures)])  # fmt: skip
            for c in t.per_code:
                _row(sheet, [part.label, g.code, c.code, str(t.unit), c.units, c.kappa,
                             c.positive_agreement, None, c.units_a, c.units_b, c.both, None,
                             _why(c.kappa, c.positive_agreement)])  # fmt: skip
            if t.table is not None:
                tables.append((f"{part.label} · {g.name} · time units", t.table))
            else:  # codes compared one by one: a present/absent table each
                tables.extend(
                    (f"{part.label} · {g.name} · {code} · time units", table)
                    for code, table in zip(t.codes, t.tables, strict=True)
                )
    _tables(sheet, tables)


def _events(sheet: Any, parts: Sequence[PartReport]) -> None:
    header = ["Part", "Group", "Tolerance", "Lines", "Matches", "Mismatches", "Omissions",
              "Commissions", "Kappa", "Percent", "Kappa max", "Verdict", "Why"]  # fmt: skip
    _row(sheet, header, True)
    tables = []
    for part in parts:
        for g in part.groups:
            e = g.events
            figures = [e.kappa, e.percent, e.kappa_max]
            _row(sheet, [part.label, g.code, str(e.tolerance), len(e.pairs), e.matches,
                         e.mismatches, e.omissions, e.commissions, *figures, g.verdict.text,
                         _why(*figures)])  # fmt: skip
            tables.append((f"{part.label} · {g.name} · events", e.table))
    _tables(sheet, tables)


def _pairs(sheet: Any, parts: Sequence[PartReport]) -> None:
    header = ["Observation", "Group", "Line", "Reference code", "Reference onset (s)",
              "Reference frame", "Other code", "Other onset (s)", "Other frame",
              "Difference (s)"]  # fmt: skip
    _row(sheet, header, True)
    for part in parts:
        for g in part.groups:
            for p in g.events.pairs:
                a, b = p.a, p.b
                diff = p.onset_difference_us
                _row(sheet, [part.label, g.code, p.kind,
                             a.behaviour if a else None, a.onset.seconds if a else None,
                             a.onset.frame if a else None,
                             b.behaviour if b else None, b.onset.seconds if b else None,
                             b.onset.frame if b else None,
                             None if diff is None else diff / 1e6])  # fmt: skip


def _qsorts(sheet: Any, parts: Sequence[PartReport]) -> None:
    """One row per part and Q-sort: r across items, then each criterion's composite score."""
    criteria = sorted({c for part in parts for q in part.qsorts for c in q.composite_scores})
    _row(sheet, ["Part", "Reference", "Other", "Q-sort", "r", "Observations", "Why undefined",
                 *[f"composite r with {c}" for c in criteria]], True)  # fmt: skip
    for part in parts:
        for q in part.qsorts:
            scores = [q.composite_scores.get(c, math.nan) for c in criteria]
            _row(sheet, [part.label, part.reference, part.other, q.name, q.r, q.observations,
                         _why(q.r), *scores])  # fmt: skip
