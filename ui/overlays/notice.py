"""A refusal shown over the video, where the coder is looking when a key is refused.

The status bar keeps the message too; this notice makes sure it is seen. It stays a few
seconds (longer for longer text), a new refusal replaces it, and it never takes the keyboard
focus or a mouse click.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QLabel, QWidget

SHOW_MS = 3500
"""How long a short notice stays; each further 60 characters add a second."""
MARGIN = 12


class Notice(QLabel):
    """A short-lived label at the bottom of its parent (the video)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("refusal_notice")
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setStyleSheet(
            "#refusal_notice { background: rgba(150, 0, 24, 225); color: white; "
            "font-weight: 600; border-radius: 6px; padding: 6px 12px; }"
        )
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.hide)
        parent.installEventFilter(self)
        self.hide()

    def show_text(self, text: str) -> None:
        """Show ``text`` (first letter raised) for a few seconds."""
        text = text[:1].upper() + text[1:]
        self.setText(text)
        self._place()
        self.show()
        self.raise_()
        self._timer.start(SHOW_MS + 1000 * (len(text) // 60))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def _place(self) -> None:
        parent = self.parentWidget()
        if parent is None:
            return
        width = min(parent.width() - 2 * MARGIN, max(320, parent.width() * 2 // 3))
        self.setFixedWidth(max(width, 120))
        self.adjustSize()
        x = (parent.width() - self.width()) // 2
        y = max(MARGIN, parent.height() * 2 // 3 - self.height())
        self.move(x, y)
