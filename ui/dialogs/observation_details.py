"""Naming observations as they are added: name, participant, visit, recording time and, for
camera views of one session, each view's offset against the first.

The dialog is filled with what the files say (names from the file names, the recording time
from the camera's own tag when it has one) and returns plain drafts; it refuses a name used
twice (in the project or in the list) and offsets that are no number of seconds.
"""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coder.model import recording_start
from ui.dialogs.answers import ObservationDraft

COLUMNS = ("Video", "Observation", "Participant", "Visit", "Recorded", "Offset (s)")
MAX_OFFSET_S = 86_400.0


def draft_problems(drafts: list[ObservationDraft], taken: set[str]) -> list[str]:
    """What keeps ``drafts`` from being added (``taken``: the project's names)."""
    problems: list[str] = []
    seen: set[str] = set()
    for draft in drafts:
        name = draft.name.strip()
        if not name:
            problems.append(f"{draft.videos[0].name}: give the observation a name.")
        elif name in taken or name in seen:
            problems.append(f"{name!r} is already the name of an observation.")
        seen.add(name)
        date = draft.date.strip()
        if date and " " in date.replace("T", " ") and recording_start(date) is None:
            problems.append(f"{name}: {date!r} is no date and time (2026-03-04 10:15:30).")
        for offset in draft.offsets_s:
            if not math.isfinite(offset) or abs(offset) > MAX_OFFSET_S:
                problems.append(f"{name}: an offset is a number of seconds within a day.")
    return problems


class ObservationDetailsDialog(QDialog):
    """One row per observation to add (or per camera view of one)."""

    def __init__(
        self,
        drafts: list[ObservationDraft],
        taken: set[str],
        cameras: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Camera views of one session" if cameras else "Add observations")
        self.setMinimumWidth(760)
        self._drafts = drafts
        self._taken = taken
        self._cameras = cameras
        rows = list(drafts[0].videos) if cameras else [d.videos[0] for d in drafts]
        self._table = QTableWidget(len(rows), len(COLUMNS), self)
        self._table.setHorizontalHeaderLabels(COLUMNS)
        self._table.verticalHeader().hide()
        for row, video in enumerate(rows):
            draft = drafts[0] if cameras else drafts[row]
            first = row == 0 or not cameras
            offset = draft.offsets_s[row] if cameras and row < len(draft.offsets_s) else 0.0
            cells = (
                (video.name, False),
                (draft.name if first else "", first),
                (draft.participant if first else "", first),
                (draft.visit if first else "", first),
                (draft.date if first else "", first),
                (f"{offset:g}" if cameras else "", cameras and row > 0),
            )
            for column, (text, editable) in enumerate(cells):
                item = QTableWidgetItem(text)
                if not editable:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self._table.setItem(row, column, item)
        self._table.setColumnHidden(5, not cameras)
        self._table.resizeColumnsToContents()
        self._table.horizontalHeader().setStretchLastSection(True)
        note = QLabel(
            "The first video is the time reference; an offset says when that view's time 0 "
            "plays on the first one's clock (it can be nudged while coding)."
            if cameras
            else "Each video becomes one observation. Recorded: the date, or date and clock "
            "time of the recording's start (filled from the camera when it says)."
        )
        note.setWordWrap(True)
        self._problem = QLabel(self)
        self._problem.setObjectName("details_problem")
        self._problem.setStyleSheet("color: #b00020")
        self._problem.setWordWrap(True)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self._accept_if_sound)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self._table)
        layout.addWidget(self._problem)
        layout.addWidget(buttons)

    @property
    def table(self) -> QTableWidget:
        return self._table

    def drafts(self) -> list[ObservationDraft]:
        """The drafts as edited now."""

        def cell(row: int, column: int) -> str:
            item = self._table.item(row, column)
            return item.text().strip() if item is not None else ""

        if self._cameras:
            offsets = []
            for row in range(self._table.rowCount()):
                try:
                    offsets.append(float(cell(row, 5).replace(",", ".") or 0) if row else 0.0)
                except ValueError:
                    offsets.append(math.nan)
            first = self._drafts[0]
            return [
                ObservationDraft(
                    first.videos, cell(0, 1), cell(0, 2), cell(0, 3), cell(0, 4), tuple(offsets)
                )
            ]
        return [
            ObservationDraft(d.videos, cell(r, 1), cell(r, 2), cell(r, 3), cell(r, 4))
            for r, d in enumerate(self._drafts)
        ]

    def _accept_if_sound(self) -> None:
        problems = draft_problems(self.drafts(), self._taken)
        self._problem.setText("\n".join(problems))
        if not problems:
            self.accept()
