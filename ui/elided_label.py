"""A one-line label that ends in "…" when it is too narrow, with its whole text in the tooltip."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget


class ElidedLabel(QLabel):
    """Shows as much of its text as fits; the tooltip holds the whole text while it is cut.

    ``full_text()`` is the text as set; ``text()`` is what is on screen. A tooltip set by the
    caller with ``setToolTip`` is kept when ``own_tooltip`` is False.
    """

    def __init__(
        self, text: str = "", parent: QWidget | None = None, *, own_tooltip: bool = True
    ) -> None:
        super().__init__(parent)
        self._full = text
        self._own_tooltip = own_tooltip
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        if text != self._full:
            self._full = text
            self._elide()

    def is_elided(self) -> bool:
        return self.text() != self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(
            self._full, Qt.TextElideMode.ElideRight, max(self.width(), 1)
        )
        if shown != self.text():
            self.setText(shown)
        if self._own_tooltip:
            self.setToolTip(self._full if shown != self._full else "")
