"""Reliability → Agreement: the window a lab lead trains a coder with, against the master pass.

Left: whom to compare (the master pass or a coder, against another coder), which observations,
the time unit and the onset tolerance, Compute; under them the confusion matrix of the chosen
row. Right: the verdict in one line, the table of figures per observation and pooled, and the
two-coder timeline of one observation. The figures are computed in the background; a click on
the timeline seeks the coding window (through ``seek``) to that observation and frame.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelection, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coder.agreement.alignment import NIL
from coder.agreement.criteria import Criteria
from coder.agreement.report import GroupAgreement, PartReport, ScaleAgreement
from coder.agreement.time_units import NONE
from coder.project import Project, ProjectError
from ui.agreement.compute import (
    MASTER,
    Choice,
    Request,
    Result,
    coder_initials,
    comparable_observations,
    compute,
    default_choice,
    describe_choice,
    prepare,
)
from ui.agreement.criteria import CriteriaDialog
from ui.agreement.heatmap import ConfusionHeatMap, HeatTable
from ui.agreement.lanes import timeline_content
from ui.agreement.table import VERDICT_TEXT, ResultRow, ResultsModel
from ui.agreement.timeline import TwoCoderTimeline
from ui.dialogs.messages import show_error
from ui.jobs import Job, JobRunner

Seek = Callable[[int, int], None]
ErrorSink = Callable[[str, str], None]
UNITS = ("1s", "500ms", "2s", "1f")
TOLERANCES = ("2s", "1s", "3s", "500ms", "5f")
LEGEND = (
    "<span style='background:#f7d58a'>&nbsp;▨&nbsp;</span> coded differently &nbsp; "
    "<b>—</b> paired &nbsp; <b style='color:#b35806'>- - -</b> paired, other code &nbsp; "
    "<span style='background:#b2182b;color:white'><b>&nbsp;−&nbsp;</b></span> only the upper "
    "coder (omission) &nbsp; <span style='background:#b2182b;color:white'><b>&nbsp;+&nbsp;</b>"
    "</span> only the lower coder (commission) &nbsp;·&nbsp; "
    "click: seek · Ctrl+wheel: zoom"
)


class AgreementWindow(QDialog):
    """Non-modal; reads ``project`` and calls ``seek(observation_id, frame)``."""

    result_shown = Signal()

    def __init__(
        self,
        project: Project,
        seek: Seek,
        parent: QWidget | None = None,
        error: ErrorSink | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Agreement — Attune")
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.project = project
        self._seek = seek
        self.jobs_error: ErrorSink = error or (lambda title, text: show_error(self, title, text))
        self.jobs = JobRunner(self, self.jobs_error)
        self.result: Result | None = None
        self.request: Request | None = None
        self._job: Job[Result] | None = None
        self._row: ResultRow | None = None
        self._build()
        self.refresh_choices()
        self.resize(1340, 720)

    # ------------------------------------------------------------ building
    def _build(self) -> None:
        self.reference = QComboBox()
        self.other = QComboBox()
        self.observations = QListWidget()
        self.observations.setMinimumHeight(60)
        self.observations.setMaximumHeight(130)
        self.unit = QComboBox()
        self.tolerance = QComboBox()
        for box, items in ((self.unit, UNITS), (self.tolerance, TOLERANCES)):
            box.setEditable(True)
            box.addItems(items)
        self.unit.setToolTip("Length of a time unit: 1s, 500ms, or 1f for one video frame")
        self.tolerance.setToolTip("Greatest onset distance at which two events may be paired")
        self.compute_button = QPushButton("Compute")
        self.compute_button.setDefault(True)
        self.compute_button.clicked.connect(self.compute)
        self.criteria_button = QPushButton("Criteria…")
        self.criteria_button.setAutoDefault(False)
        self.criteria_button.setToolTip("The least agreement the lab accepts (project settings)")
        self.criteria_button.clicked.connect(self.edit_criteria)
        self.criteria_dialog: CriteriaDialog | None = None
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        every = QPushButton("All")
        none = QPushButton("None")
        every.clicked.connect(lambda: self._check_all(True))
        none.clicked.connect(lambda: self._check_all(False))
        picks = QHBoxLayout()
        picks.addWidget(every)
        picks.addWidget(none)
        picks.addStretch(1)
        form = QFormLayout()
        form.addRow("Reference (A)", self.reference)
        form.addRow("Coder (B)", self.other)
        form.addRow("Time unit", self.unit)
        form.addRow("Onset tolerance", self.tolerance)
        compare = QGroupBox("Compare")
        box = QVBoxLayout(compare)
        box.addLayout(form)
        box.addWidget(QLabel("Observations"))
        box.addWidget(self.observations, 1)
        box.addLayout(picks)
        buttons = QHBoxLayout()
        buttons.addWidget(self.compute_button, 1)
        buttons.addWidget(self.criteria_button)
        box.addLayout(buttons)
        box.addWidget(self.message)

        self.heat = ConfusionHeatMap()
        self.by_units = QRadioButton("Time units")
        self.by_events = QRadioButton("Events")
        self.by_units.setChecked(True)
        self._heat_kind = QButtonGroup(self)
        for button in (self.by_units, self.by_events):
            self._heat_kind.addButton(button)
            button.toggled.connect(self._show_heat)
        kinds = QHBoxLayout()
        kinds.addWidget(self.by_units)
        kinds.addWidget(self.by_events)
        kinds.addStretch(1)
        matrix = QGroupBox("Confusion matrix")
        mbox = QVBoxLayout(matrix)
        mbox.addLayout(kinds)
        mbox.addWidget(self.heat, 1)

        left = QWidget()
        lbox = QVBoxLayout(left)
        lbox.setContentsMargins(0, 0, 0, 0)
        lbox.addWidget(compare)
        lbox.addWidget(matrix, 1)
        left.setFixedWidth(290)

        self.headline = QLabel("Choose whom to compare and press Compute.")
        self.headline.setWordWrap(True)
        self.model = ResultsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.selectionModel().selectionChanged.connect(self._selected)

        self.timeline = TwoCoderTimeline()
        self.timeline.frame_clicked.connect(self._clicked)
        self.shown_observation = QComboBox()
        self.shown_observation.currentIndexChanged.connect(self._observation_chosen)
        tools = QHBoxLayout()
        tools.addWidget(QLabel("Timeline of"))
        tools.addWidget(self.shown_observation, 1)
        for text, slot, tip in (
            ("−", self.timeline.zoom_out, "Zoom out (−)"),
            ("+", self.timeline.zoom_in, "Zoom in (+)"),
            ("Fit", self.timeline.zoom_to_fit, "Show the whole observation (0)"),
            ("◀ Previous difference", lambda: self.step_difference(-1), ""),
            ("Next difference ▶", lambda: self.step_difference(1), ""),
        ):
            button = QPushButton(text)
            button.setAutoDefault(False)
            if tip:
                button.setToolTip(tip)
            button.clicked.connect(slot)
            tools.addWidget(button)
        legend = QLabel(LEGEND)
        legend.setWordWrap(True)
        lower = QWidget()
        tbox = QVBoxLayout(lower)
        tbox.setContentsMargins(0, 0, 0, 0)
        tbox.addLayout(tools)
        tbox.addWidget(self.timeline, 1)
        tbox.addWidget(legend)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 5)
        split.setSizes([185, 520])
        right = QWidget()
        rbox = QVBoxLayout(right)
        rbox.setContentsMargins(0, 0, 0, 0)
        rbox.addWidget(self.headline)
        rbox.addWidget(split, 1)

        outer = QHBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.addWidget(left)
        outer.addWidget(right, 1)

    # ------------------------------------------------------------ choices
    def refresh_choices(self) -> None:
        """Fill the coder and observation choices from the project (keeping what was chosen)."""
        keep_ref, keep_other = self.reference.currentData(), self.other.currentData()
        checked = self._checked_ids() if self.observations.count() else None
        found = comparable_observations(self.project)
        coders = coder_initials(self.project)
        default = default_choice(self.project)
        self.reference.clear()
        if any(o.master for o in found):
            self.reference.addItem("Master pass", MASTER)
        for initials in coders:
            self.reference.addItem(initials, initials)
        self.other.clear()
        for initials in coders:
            self.other.addItem(initials, initials)
        self.observations.clear()
        for obs in found:
            who = ", ".join(f"{c}*" if c == obs.master else c for c in obs.coders)
            item = QListWidgetItem(f"{obs.name}  ({who})")
            item.setData(Qt.ItemDataRole.UserRole, obs.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            on = checked is None or obs.id in checked
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            item.setToolTip("* marks the master pass")
            self.observations.addItem(item)
        ref = keep_ref if keep_ref is not None else (default.reference if default else None)
        other = keep_other if keep_other is not None else (default.other if default else None)
        self._select(self.reference, ref)
        self._select(self.other, other)
        empty = not found
        self.compute_button.setEnabled(not empty and self._job is None)
        if empty:
            self.message.setText("No observation has passes of two coders yet.")

    def choice(self) -> Choice:
        """What the fields say now."""
        return Choice(
            reference=self.reference.currentData() or MASTER,
            other=self.other.currentData() or "",
            observations=tuple(self._checked_ids()),
            unit=self.unit.currentText(),
            tolerance=self.tolerance.currentText(),
        )

    def set_choice(self, choice: Choice) -> None:
        self._select(self.reference, choice.reference)
        self._select(self.other, choice.other)
        wanted = set(choice.observations)
        for i in range(self.observations.count()):
            item = self.observations.item(i)
            on = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
        self.unit.setCurrentText(choice.unit)
        self.tolerance.setCurrentText(choice.tolerance)

    def _checked_ids(self) -> list[int]:
        items = [self.observations.item(i) for i in range(self.observations.count())]
        return [
            int(i.data(Qt.ItemDataRole.UserRole))
            for i in items
            if i.checkState() == Qt.CheckState.Checked
        ]

    def _check_all(self, on: bool) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        for i in range(self.observations.count()):
            self.observations.item(i).setCheckState(state)

    @staticmethod
    def _select(box: QComboBox, data: object) -> None:
        index = box.findData(data)
        if index >= 0:
            box.setCurrentIndex(index)

    # ------------------------------------------------------------ computing
    @property
    def computing(self) -> bool:
        return self._job is not None

    def compute(self) -> Job[Result] | None:
        """Read the chosen passes and compute the figures in the background."""
        if self._job is not None:
            return None
        try:
            request = prepare(self.project, self.choice())
        except ValueError as exc:
            self.message.setText(f"<span style='color:#b2182b'>{exc}</span>")
            return None
        self.message.setText("Computing…")
        self.compute_button.setEnabled(False)
        self.compute_button.setText("Computing…")
        self._job = self.jobs.start(
            "Computing agreement",
            lambda progress: compute(request, progress),
            lambda result: self._finished(request, result),
            on_cancel=self._stopped,
        )
        self._job.ended.connect(self._ended)
        return self._job

    def _ended(self) -> None:
        self._job = None
        self.compute_button.setEnabled(True)
        self.compute_button.setText("Compute")

    def _stopped(self) -> None:
        self.message.setText("Cancelled; the figures shown are from before.")

    def _finished(self, request: Request, result: Result) -> None:
        self.request, self.result = request, result
        skipped = "".join(f"<br>Left out: {s}" for s in result.report.skipped)
        self.message.setText(describe_choice(request) + skipped)
        self._show_headline()
        self.model.set_report(result.report)
        self._fit_columns()
        self.shown_observation.blockSignals(True)
        self.shown_observation.clear()
        for pair in result.pairs:
            obs = pair.reference.observation
            self.shown_observation.addItem(obs.name, obs.id)
        self.shown_observation.blockSignals(False)
        if self.model.rowCount():
            self.table.selectRow(0)
        self._observation_chosen(self.shown_observation.currentIndex())
        self.result_shown.emit()

    def _show_headline(self) -> None:
        assert self.result is not None
        report = self.result.report
        verdict = VERDICT_TEXT[report.passed]
        c = report.criteria
        colour = {True: "#1a6e32", False: "#b2182b", None: "#606060"}[report.passed]
        where = report.pooled.label if report.pooled is not None else ""
        self.headline.setText(
            f"<b style='color:{colour}'>{verdict}</b> — {where}; criteria: κ ≥ {c.kappa_min:.2f}, "
            f"ICC(2,1) ≥ {c.icc_min:.2f}, exact or ±1 ≥ {c.within_one_min:.0%} "
            f"(project settings)"
        )

    def _fit_columns(self) -> None:
        """Figures as wide as their text; the measure's name takes the rest (elided)."""
        header = self.table.horizontalHeader()
        self.table.resizeColumnsToContents()
        for column in range(self.model.columnCount()):
            if column != 1:
                header.resizeSection(column, min(header.sectionSize(column) + 8, 150))
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    # ------------------------------------------------------------ criteria
    def edit_criteria(self) -> CriteriaDialog:
        """Open the project's criteria; saving them judges the figures shown again."""
        try:
            current = Criteria.from_settings(self.project.setting)
        except ValueError as exc:  # a setting someone wrote badly: start from the defaults
            self.message.setText(f"<span style='color:#b2182b'>{exc}</span>")
            current = Criteria()
        why = ""
        if self.project.read_only:
            reason = self.project.read_only_reason or "it is open for reading only"
            why = f"The project cannot be changed: {reason}."
        dialog = CriteriaDialog(current, why, self)
        dialog.accepted.connect(lambda: self._save_criteria(dialog.criteria()))
        self.criteria_dialog = dialog
        dialog.open()
        return dialog

    def _save_criteria(self, criteria: Criteria) -> None:
        try:
            for key, value in criteria.settings().items():
                self.project.set_setting(key, value)
        except (ValueError, ProjectError) as exc:
            self.jobs_error("Saving the criteria failed", str(exc))
            return
        if self.result is not None:
            self.compute()

    # ------------------------------------------------------------ showing a row
    def _selected(self, selected: QItemSelection, _: QItemSelection) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        row = self.model.row(rows[0].row())
        self._row = row
        self._show_heat()
        if row.observation_id is not None:
            index = self.shown_observation.findData(row.observation_id)
            if index >= 0 and index != self.shown_observation.currentIndex():
                self.shown_observation.setCurrentIndex(index)
        self.timeline.focus_group(row.code if row.kind == "group" else None)

    def _part(self, row: ResultRow) -> PartReport | None:
        if self.result is None:
            return None
        report = self.result.report
        return report.pooled if row.part is None else report.parts[row.part]

    def _show_heat(self) -> None:
        row, result = self._row, self.result
        part = None if row is None else self._part(row)
        if row is None or part is None or result is None:
            self.heat.set_tables([], "", "")
            return
        names = {b.code: b.name for b in self.project.scheme.behaviours}
        rows_title = f"{part.reference} (A)"
        columns_title = f"{part.other} (B)"
        if row.kind == "scale":
            scale = next(s for s in part.scales if s.code == row.code)
            self._enable_heat_kinds(False)
            self.heat.set_tables(_scale_tables(scale), rows_title, columns_title, scale.name)
            return
        group = next(g for g in part.groups if g.code == row.code)
        self._enable_heat_kinds(True)
        tables, note = _group_tables(group, self.by_events.isChecked(), names)
        self.heat.set_tables(tables, rows_title, columns_title, note)

    def _enable_heat_kinds(self, on: bool) -> None:
        self.by_units.setEnabled(on)
        self.by_events.setEnabled(on)

    def _observation_chosen(self, index: int) -> None:
        result = self.result
        if result is None or index < 0:
            self.timeline.set_content(None)
            return
        pair_index = result.pair_of(int(self.shown_observation.itemData(index)))
        if pair_index is None:
            return
        part = result.report.parts[pair_index]
        spans = {g.code: result.spans.get((pair_index, g.code), ()) for g in part.groups}
        content = timeline_content(result.pairs[pair_index], part.groups, spans)
        self.timeline.set_content(content)
        self.timeline.set_cursor(None)
        if self._row is not None and self._row.kind == "group":
            self.timeline.focus_group(self._row.code)

    # ------------------------------------------------------------ seeking
    def _clicked(self, frame: int) -> None:
        content = self.timeline.content
        if content is not None:
            self._seek(content.observation_id, frame)

    def step_difference(self, direction: int) -> int | None:
        """Show and seek to the next (``direction`` 1) or previous (−1) place the coders differ."""
        content = self.timeline.content
        if content is None:
            return None
        spots = content.differences()
        if not spots:
            return None
        here = self.timeline_cursor()
        if direction > 0:
            ahead = [s for s in spots if here is None or int(s[0]) > here]
            spot = ahead[0] if ahead else spots[0]
        else:
            behind = [s for s in spots if here is not None and int(s[0]) < here]
            spot = behind[-1] if behind else spots[-1]
        frame = int(spot[0])
        self.timeline.centre_on(spot[0], spot[1])
        self.timeline.set_cursor(frame)
        self._seek(content.observation_id, frame)
        return frame

    def timeline_cursor(self) -> int | None:
        return self.timeline._cursor

    # ------------------------------------------------------------ window events
    def showEvent(self, event: QShowEvent) -> None:
        if self._job is None and self.result is None:
            self.refresh_choices()
        super().showEvent(event)

    def done(self, code: int) -> None:
        self.jobs.cancel_all()
        super().done(code)


def _labels(categories: tuple[object, ...], names: dict[str, str]) -> tuple[str, ...]:
    special = {NONE: "no code", NIL: "no event"}
    return tuple(special.get(str(c), names.get(str(c), str(c))) for c in categories)


def _group_tables(
    group: GroupAgreement, events: bool, names: dict[str, str]
) -> tuple[list[HeatTable], str]:
    if events:
        table = group.events.table
        note = f"aligned events, onset tolerance {group.events.tolerance}"
        return [HeatTable("", table, _labels(table.categories, names))], note
    tu = group.time_units
    if tu.table is not None:
        note = f"{tu.units} units of {tu.unit}"
        return [HeatTable("", tu.table, _labels(tu.table.categories, names))], note
    tables = [
        HeatTable(names.get(code, code), t, ("yes", "no"))
        for code, t in zip(tu.codes, tu.tables, strict=True)
    ]
    return tables, f"each code present or not, {tu.units} units of {tu.unit}"


def _scale_tables(scale: ScaleAgreement) -> list[HeatTable]:
    if scale.table is None:
        return []
    return [HeatTable("", scale.table, tuple(str(c) for c in scale.table.categories))]
