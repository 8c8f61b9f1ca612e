"""Who is coding: initials (remembered) and, for a new coder, a name."""

from __future__ import annotations

import re

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from coder.model import Coder
from ui.dialogs.answers import CoderAnswer

INITIALS = re.compile(r"[A-Za-z][A-Za-z0-9]{0,7}")


def initials_problem(text: str) -> str:
    """Why ``text`` cannot be a coder's initials ("" when it can)."""
    if not text.strip():
        return "Type your initials."
    if not INITIALS.fullmatch(text.strip()):
        return "Initials are 1–8 letters or digits, starting with a letter (e.g. AB or MK2)."
    return ""


class WhoDialog(QDialog):
    """Asks for the coder's initials; known coders of the project are offered."""

    def __init__(self, known: list[Coder], last: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is coding?")
        self.setMinimumWidth(440)
        self._names = {c.initials.upper(): c.name for c in known}
        self._initials = QComboBox(self)
        self._initials.setEditable(True)
        self._initials.addItems(sorted(self._names))
        self._initials.setCurrentText(last)
        self._initials.currentTextChanged.connect(self._on_initials)
        self._name = QLineEdit(self)
        self._name.setPlaceholderText("optional, for the export")
        self._problem = QLabel(self)
        self._problem.setStyleSheet("color: #b00020")
        note = QLabel(
            "Your codes are stored under these initials. Use the same initials every time; "
            "in blind projects you see only your own coding passes.",
            self,
        )
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Initials", self._initials)
        form.addRow("&Name", self._name)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self._problem)
        layout.addWidget(buttons)
        self._on_initials(last)

    def set_initials(self, text: str) -> None:
        self._initials.setCurrentText(text)

    def answer(self) -> CoderAnswer:
        return CoderAnswer(self._initials.currentText().strip().upper(), self._name.text().strip())

    def accept(self) -> None:
        problem = initials_problem(self._initials.currentText())
        self._problem.setText(problem)
        if not problem:
            super().accept()

    def _on_initials(self, text: str) -> None:
        known = self._names.get(text.strip().upper())
        if known is not None:
            self._name.setText(known)
        self._name.setEnabled(known is None)
