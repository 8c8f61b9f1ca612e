"""The project's agreement criteria, edited from the agreement window.

The lab lead sets the least kappa, ICC(2,1) and exact-or-±1 agreement the lab accepts; they are
saved as project settings (``agreement.kappa_min`` …), so every coder's report, the command
line's and the app's, judges by the same criteria.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from coder.agreement.criteria import Criteria


class CriteriaDialog(QDialog):
    """Three minimums; Save is off when the project cannot be written (``read_only`` says why)."""

    def __init__(self, criteria: Criteria, read_only: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Agreement criteria — Attune")
        self.kappa = _spin(criteria.kappa_min, 0.01, 2, "")
        self.icc = _spin(criteria.icc_min, 0.01, 2, "")
        self.within = _spin(criteria.within_one_min * 100, 1, 0, " %")
        self.kappa.setToolTip("Micro-codes (time units and events) and nominal scales")
        self.icc.setToolTip("Rating scales: two-way random, absolute agreement, single rater")
        self.within.setToolTip("Rating scales: share of segments rated alike or one point apart")
        form = QFormLayout()
        form.addRow("Kappa at least", self.kappa)
        form.addRow("ICC(2,1) at least", self.icc)
        form.addRow("Exact or ±1 at least", self.within)
        note = QLabel(
            read_only
            or "Saved in the project: every report on it, here and on the command line, "
            "judges by these."
        )
        note.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setEnabled(not read_only)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addWidget(note)
        box.addWidget(self.buttons)

    def criteria(self) -> Criteria:
        """The criteria as the fields show them."""
        return Criteria(
            kappa_min=round(self.kappa.value(), 2),
            icc_min=round(self.icc.value(), 2),
            within_one_min=round(self.within.value() / 100, 2),
        )


def _spin(value: float, step: float, decimals: int, suffix: str) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setDecimals(decimals)
    spin.setRange(0, 100 if suffix else 1)
    spin.setSingleStep(step)
    spin.setSuffix(suffix)
    spin.setValue(value)
    return spin
