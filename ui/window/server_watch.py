"""Another coder's change on a lab server, seen in this window.

A project on a lab server announces every change to its shared records (settings, scheme,
observations and media, coders) with LISTEN/NOTIFY. The window polls those notices once a
second (a poll that waits for nothing), and re-reads what they name: the blind switch, the
scheme's keys, the open observation's cameras and offsets. The status bar says who changed
what. Pass records are never announced, so blind coding hides as much as before. A project
file has no such notices: nothing is watched.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

from PySide6.QtCore import QObject, QTimer

from coder.project import Project

if TYPE_CHECKING:
    from coder.model import Observation
    from ui.window.menus import Menus
    from ui.window.status import StatusPanel

POLL_MS = 1000
TABLE_WORDS = {
    "meta": "a project setting",
    "scheme": "the scheme",
    "observation": "an observation",
    "media": "a camera's video or offset",
    "coder": "the coders",
}


class WatchHost(Protocol):
    """What the watch re-reads and reports in the window."""

    project: Project | None
    observation: Observation | None
    menus: Menus
    status: StatusPanel

    def reload_shared(self, tables: set[str]) -> None: ...


class SharedWatch(QObject):
    """Polls a server project's notices while it is open in ``window``."""

    def __init__(self, window: WatchHost) -> None:
        assert isinstance(window, QObject)
        super().__init__(window)
        self._window = window
        self._watch: Any = None
        self._me = ""
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.poll)

    @property
    def watching(self) -> bool:
        return self._watch is not None

    def watch(self, project: Project) -> None:
        """Start listening when ``project`` lives on a server (a file has nothing to hear)."""
        self.unwatch()
        start = getattr(project.store, "watch_shared", None)
        if start is None:
            return
        try:
            self._watch = start()
            self._me = str(getattr(project.store, "role", lambda: "")())
        except Exception as exc:  # a watch that cannot start leaves coding as it was
            self._watch = None
            self._window.status.note(f"Changes by other coders will not show at once: {exc}")
            return
        self._timer.start()

    def unwatch(self) -> None:
        self._timer.stop()
        if self._watch is not None:
            self._watch.close()
        self._watch = None

    def poll(self) -> list[str]:
        """Take the notices that arrived; re-read what they name. Returns the tables."""
        if self._watch is None:
            return []
        changes = self._watch.poll(0)
        if not changes:
            return []
        tables = {c.table for c in changes}
        if "*" in tables:
            tables = set(TABLE_WORDS)
        self._window.reload_shared(tables)
        others = [c for c in changes if c.by and c.by != self._me]
        if others:
            last = others[-1]
            what = TABLE_WORDS.get(last.table, last.table)
            self._window.status.note(f"{last.by} changed {what} on the lab server.")
        return sorted(tables)
