"""Qt signals for a Qt-free coding session.

Views are built with a :class:`SessionBridge` and repaint from ``bridge.session`` when
``changed`` tells them what a command touched; they never keep study data of their own.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from coder.coding.changes import Change
from coder.coding.session import Session


class SessionBridge(QObject):
    """Relays a session's :class:`~coder.coding.changes.Change` notifications as a Qt signal."""

    changed = Signal(object)
    """Emitted with the :class:`Change` after every command, undo and redo."""

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._unsubscribe = session.subscribe(self._relay)

    @property
    def session(self) -> Session:
        return self._session

    def _relay(self, change: Change) -> None:
        self.changed.emit(change)

    def detach(self) -> None:
        """Stop listening to the session (before it is replaced)."""
        self._unsubscribe()
