"""Pick the observation to code; each row shows the status of the coding passes one may see."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ui.dialogs.answers import ObservationRow


class ObservationPicker(QDialog):
    """A table of observations; double-click or OK opens the chosen one."""

    def __init__(
        self,
        rows: list[ObservationRow],
        current: int | None,
        blind: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Choose an observation")
        self._rows = rows
        status = "Your pass" if blind else "Coding passes"
        self._table = QTableWidget(len(rows), 5, self)
        self._table.setHorizontalHeaderLabels(
            ["Observation", "Participant", "Videos", "Length", status]
        )
        self._table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self._table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._table.verticalHeader().hide()
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        for r, row in enumerate(rows):
            values = (row.name, row.participant, row.videos, row.duration, row.status)
            for c, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self._table.setItem(r, c, item)
            if row.observation_id == current:
                self._table.selectRow(r)
        if rows and not self._table.selectedItems():
            self._table.selectRow(0)
        self._table.cellDoubleClicked.connect(lambda *_: self.accept())
        note = QLabel("Blind coding is on: you see only your own passes." if blind else "", self)
        note.setVisible(blind)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self._table)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(720, 360)

    @property
    def table(self) -> QTableWidget:
        return self._table

    def chosen_id(self) -> int | None:
        rows = self._table.selectionModel().selectedRows()
        if not rows:
            return None
        return self._rows[rows[0].row()].observation_id

    def cell_texts(self) -> list[list[str]]:
        """What the table shows, row by row."""
        return [
            [self._table.item(r, c).text() for c in range(self._table.columnCount())]
            for r in range(self._table.rowCount())
        ]
