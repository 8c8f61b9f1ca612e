"""Coding → Q-sort…: the Q-sort panel of the open pass in a window of its own.

A coder sorts after watching, so the panel gets a large window beside the video rather than
a dock. It works on the same session as the coding window (every placement is a durable,
undoable command there), takes the window's Undo and Redo, and closes with the pass.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from ui.qsort.panel import QSortPanel
from ui.window.session_bridge import SessionBridge

if TYPE_CHECKING:
    from ui.window.coding_keys import CodingKeys
    from ui.window.status import StatusPanel


class QSortWindow(QDialog):
    """One pass's Q-sort, non-modal."""

    def __init__(
        self,
        bridge: SessionBridge,
        parent: QWidget,
        refuse: Callable[[str], None],
        actions: Iterable[QAction],
    ) -> None:
        super().__init__(parent)
        self.setObjectName("qsort_window")
        self.setModal(False)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.panel = QSortPanel(bridge, parent=self)
        self.setWindowTitle(f"{self.panel.qsort.name} — Attune")
        self.panel.errorOccurred.connect(refuse)
        self.addActions(list(actions))  # Undo and Redo reach the session from here too
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.panel)
        self.resize(1280, 760)

    def show_for_sorting(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
        self.panel.setFocus()


class QSortHost(Protocol):
    """What opening the Q-sort needs of the coding window."""

    bridge: SessionBridge | None
    keys: CodingKeys
    status: StatusPanel

    def refuse(self, text: str) -> None: ...


class QSortDoor:
    """Opens (and closes with the pass) the Q-sort window of ``window``'s open pass."""

    def __init__(self, window: QSortHost) -> None:
        self._window = window
        self.shown: QSortWindow | None = None

    def available(self) -> bool:
        """Whether the open pass's scheme declares a Q-sort."""
        bridge = self._window.bridge
        return bridge is not None and bool(bridge.session.scheme.qsorts)

    def open(self) -> QSortWindow | None:
        window = self._window
        if window.bridge is None or not self.available():
            window.status.error("The open pass's scheme has no Q-sort.")
            return None
        if self.shown is None:
            assert isinstance(window, QWidget)
            actions = [window.keys.actions["undo"], window.keys.actions["redo"]]
            self.shown = QSortWindow(window.bridge, window, window.refuse, actions)
        self.shown.show_for_sorting()
        return self.shown

    def close(self) -> None:
        """The pass is being closed: so is its Q-sort."""
        if self.shown is not None:
            self.shown.close()
            self.shown.deleteLater()
        self.shown = None
