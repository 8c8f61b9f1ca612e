"""The error dialog: a title, the message that names the file and the cause, and a reassurance."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

NOTHING_LOST = "Nothing was changed or lost."


def error_box(parent: QWidget | None, title: str, message: str) -> QMessageBox:
    """A critical message box whose text can be selected and copied into a bug report."""
    box = QMessageBox(QMessageBox.Icon.Critical, title, message, parent=parent)
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_error(parent: QWidget | None, title: str, message: str) -> None:
    """Show :func:`error_box` and wait until it is closed."""
    error_box(parent, title, message).exec()
