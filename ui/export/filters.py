"""The export dialog's choice of passes: observations, coders, status, master passes, and the
time unit of the contingency tables. Reads the project's lists; answers with core
:class:`~coder.export.tables.Filters`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from coder.export.tables import Filters
from coder.project import Project

#: Status choices: label → the core's status (None: any).
STATUSES: dict[str, str | None] = {
    "any status": None,
    "done only": "done",
    "in progress only": "in_progress",
}


def _ticked_list(parent: QWidget, rows: list[tuple[str, str]]) -> QListWidget:
    """A list of ticked items (text, key kept as the item's data)."""
    widget = QListWidget(parent)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    for text, key in rows:
        item = QListWidgetItem(text, widget)
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
    widget.setMaximumHeight(min(110, 22 * max(2, len(rows)) + 6))
    return widget


def _ticked(widget: QListWidget) -> tuple[str, ...] | None:
    """The keys ticked; None when all are (no filter: what is added later is exported too)."""
    items = [widget.item(i) for i in range(widget.count())]
    keys = tuple(
        str(i.data(Qt.ItemDataRole.UserRole))
        for i in items
        if i.checkState() == Qt.CheckState.Checked
    )
    return None if len(keys) == len(items) else keys


class FilterForm(QWidget):
    """Which passes an export holds, and the contingency unit."""

    def __init__(self, project: Project, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        observations = [
            (f"{o.name}" + (f" ({o.participant})" if o.participant else ""), str(o.id))
            for o in project.observations
        ]
        self.observations = _ticked_list(self, observations)
        coders = [
            (c.initials + (f" — {c.name}" if c.name else ""), c.initials) for c in project.coders
        ]
        self.coders = _ticked_list(self, coders)
        self.status = QComboBox(self)
        self.status.addItems(list(STATUSES))
        self.include_master = QCheckBox("include master (reference) passes", self)
        self.unit = QDoubleSpinBox(self)
        self.unit.setRange(0.0, 60.0)
        self.unit.setDecimals(3)
        self.unit.setSingleStep(0.1)
        self.unit.setSuffix(" s")
        self.unit.setSpecialValueText("one video frame")  # shown at 0
        self.unit.setToolTip("the time unit of the contingency 2×2 tables (Yule's Q)")
        form.addRow("Observations", self.observations)
        form.addRow("Coders", self.coders)
        form.addRow("Passes", self.status)
        form.addRow("", self.include_master)
        form.addRow("Contingency unit", self.unit)

    def filters(self) -> Filters:
        """The core filters these choices make."""
        return Filters(
            observations=_ticked(self.observations),
            coders=_ticked(self.coders),
            status=STATUSES[self.status.currentText()],
            include_master=self.include_master.isChecked(),
        )

    def unit_s(self) -> float | None:
        """The contingency unit in seconds (None: one video frame)."""
        value = self.unit.value()
        return value if value > 0 else None

    def nothing_chosen(self) -> str:
        """Why these choices can hold no pass ("" when they can)."""
        for label, widget in (("observation", self.observations), ("coder", self.coders)):
            if widget.count() and _ticked(widget) == ():
                return f"Tick at least one {label}."
        return ""
