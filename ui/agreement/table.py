"""The results table: one row per observation and measure (a behaviour group or a rating scale),
then the pooled rows, each with its verdict in words and colour.

:func:`result_rows` turns a report into plain rows (text, tooltip, whether a figure fell below
its criterion); :class:`ResultsModel` is a thin Qt model over them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from coder.agreement.criteria import Verdict
from coder.agreement.report import AgreementReport, GroupAgreement, PartReport, ScaleAgreement
from coder.agreement.undefined import why_undefined

COLUMNS = (
    "Observation",
    "Measure",
    "Verdict",
    "Time-unit κ",
    "% units",
    "Event κ",
    "Paired",
    "Rating κ",
    "ICC(2,1)",
    "Exact",
    "±1",
)
VERDICT = 2
PASS_COLOUR, FAIL_COLOUR, NOT_JUDGED_COLOUR = "#d6f0d9", "#f8d3cf", "#ececec"
VERDICT_TEXT = {True: "✓ pass", False: "✗ below criterion", None: "– not judged"}

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True, slots=True)
class Cell:
    text: str = ""
    tip: str = ""
    below: bool = False
    """The figure was held against a criterion and fell short."""


@dataclass(frozen=True, slots=True)
class ResultRow:
    """One measure of one part (``part`` None: pooled), as the table shows it."""

    part: int | None
    observation_id: int | None
    kind: str
    """``"group"`` or ``"scale"``."""
    code: str
    cells: tuple[Cell, ...]
    passed: bool | None

    @property
    def pooled(self) -> bool:
        return self.part is None


def number(value: float, percent: bool = False) -> Cell:
    """A figure as text (two decimals, or a whole percentage); undefined ones as a dash."""
    why = why_undefined(value)
    if why is not None:
        return Cell("—", f"undefined: {why}")
    return Cell(f"{value:.0%}" if percent else f"{value:.2f}")


def _checked(cell: Cell, verdict: Verdict, figure: str, value: float) -> Cell:
    check = next((c for c in verdict.checks if c.figure == figure), None)
    if check is None or math.isnan(value):
        return cell
    relation = "≥" if check.passed else "<"
    tip = f"{figure} {value:.2f} {relation} criterion {check.minimum:.2f}"
    return Cell(cell.text, "\n".join(t for t in (tip, cell.tip) if t), not check.passed)


def _verdict(verdict: Verdict) -> Cell:
    lines = []
    for check in verdict.checks:
        if check.passed is None:
            lines.append(f"{check.figure}: undefined, not judged")
        else:
            relation = "≥" if check.passed else "<"
            lines.append(f"{check.figure} {check.value:.2f} {relation} {check.minimum:.2f}")
    return Cell(VERDICT_TEXT[verdict.passed], "\n".join(lines), verdict.passed is False)


def _group_cells(label: str, g: GroupAgreement) -> tuple[Cell, ...]:
    tu, ev = g.time_units, g.events
    kind = "one code at a time" if tu.exclusive else "codes compared one by one (pooled κ)"
    tu_cell = number(tu.kappa)
    tu_cell = Cell(
        tu_cell.text,
        "\n".join(
            t
            for t in (
                f"{tu.units} units of {tu.unit}; {kind}",
                f"κ max {number(tu.kappa_max).text}",
                tu_cell.tip,
            )
            if t
        ),
    )
    ev_cell = number(ev.kappa)
    ev_cell = Cell(
        ev_cell.text,
        "\n".join(
            t
            for t in (
                f"onset tolerance {ev.tolerance}",
                f"κ max {number(ev.kappa_max).text}",
                ev_cell.tip,
            )
            if t
        ),
    )
    lines = len(ev.pairs)
    matched = Cell(
        f"{ev.matches} of {lines}" if lines else "—",
        f"{ev.matches} matched, {ev.mismatches} with different codes, "
        f"{ev.omissions} only coder A coded (omissions), "
        f"{ev.commissions} only coder B coded (commissions)",
    )
    return (
        Cell(label),
        Cell(f"{g.name} (micro-codes)", g.name),
        _verdict(g.verdict),
        _checked(tu_cell, g.verdict, "time-unit kappa", tu.kappa),
        number(tu.percent, percent=True),
        _checked(ev_cell, g.verdict, "event kappa", ev.kappa),
        matched,
        Cell(),
        Cell(),
        Cell(),
        Cell(),
    )


def _scale_cells(label: str, s: ScaleAgreement) -> tuple[Cell, ...]:
    nominal = s.kind == "nominal"
    kappa = s.kappa if nominal else s.kappa_quadratic
    kappa_cell = number(kappa)
    which = "unweighted" if nominal else "quadratic weights over the scale's points"
    kappa_cell = Cell(kappa_cell.text, "\n".join(t for t in (which, kappa_cell.tip) if t))
    icc_cell = number(s.icc)
    if not math.isnan(s.icc):
        icc_cell = Cell(f"{s.icc:.2f} [{s.icc_low:.2f}, {s.icc_high:.2f}]", "95% interval")
    n = len(s.units)
    return (
        Cell(label),
        Cell(f"{s.name} (rating, {n} segment{'s' if n != 1 else ''})", s.name),
        _verdict(s.verdict),
        Cell(),
        Cell(),
        Cell(),
        Cell(),
        _checked(kappa_cell, s.verdict, "kappa", kappa) if nominal else kappa_cell,
        _checked(icc_cell, s.verdict, "ICC(2,1)", s.icc),
        number(s.exact, percent=True),
        _checked(number(s.within_one, percent=True), s.verdict, "exact or ±1", s.within_one),
    )


def _part_rows(part: PartReport, index: int | None) -> list[ResultRow]:
    label = part.label if index is not None else part.label.capitalize()
    rows = [
        ResultRow(
            index, part.observation_id, "group", g.code, _group_cells(label, g), g.verdict.passed
        )
        for g in part.groups
    ]
    rows += [
        ResultRow(
            index, part.observation_id, "scale", s.code, _scale_cells(label, s), s.verdict.passed
        )
        for s in part.scales
    ]
    return rows


def result_rows(report: AgreementReport) -> list[ResultRow]:
    """Every part's rows, then the pooled rows (only when there are several observations)."""
    rows = [r for i, part in enumerate(report.parts) for r in _part_rows(part, i)]
    if report.pooled is not None and len(report.parts) > 1:
        rows += _part_rows(report.pooled, None)
    return rows


class ResultsModel(QAbstractTableModel):
    """The rows of :func:`result_rows` for a ``QTableView``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ResultRow] = []
        self._bold = QFont()
        self._bold.setBold(True)

    @property
    def rows(self) -> list[ResultRow]:
        return list(self._rows)

    def set_report(self, report: AgreementReport | None) -> None:
        self.beginResetModel()
        self._rows = [] if report is None else result_rows(report)
        self.endResetModel()

    def row(self, index: int) -> ResultRow:
        return self._rows[index]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        cell = row.cells[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == Qt.ItemDataRole.ToolTipRole:
            return cell.tip or None
        if role == Qt.ItemDataRole.BackgroundRole:
            if index.column() == VERDICT:
                colour = {True: PASS_COLOUR, False: FAIL_COLOUR, None: NOT_JUDGED_COLOUR}
                return QColor(colour[row.passed])
            return QColor(FAIL_COLOUR) if cell.below else None
        if role == Qt.ItemDataRole.ForegroundRole and (cell.below or index.column() == VERDICT):
            return QColor("#202020")
        if role == Qt.ItemDataRole.FontRole and (row.pooled or cell.below):
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and index.column() > VERDICT:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None
