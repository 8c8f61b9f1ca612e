"""Watches the open project's writes: a failed one is shown at once, and the file is made whole
after every short pause.

A write that fails (a full disk, a file that became read-only, side files removed) turns the
status bar's save label to "NOT SAVED" until a write succeeds again, and the first failure of a
run opens a dialog that says what failed and what to do. Nothing of the failed command was
applied (the session writes before it changes what it shows). After :data:`IDLE_MS` without a
write, :meth:`coder.project.Project.checkpoint` writes SQLite's log into the project file, so a
copy or a sync folder that takes the ``.attune`` file alone has every returned action.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

from coder.project import NotSavedError, Project, ProjectError
from ui.dialogs.prompts import Prompts
from ui.window.status import StatusPanel

IDLE_MS = 2000
"""How long after the last write the project file is made whole."""


def advice(message: str) -> str:
    """What the coder can do about a failed write, from what failed."""
    text = message.lower()
    if "lab server" in text or "postgresql://" in text:
        return (
            "Check the network and that the lab server runs (ask whoever keeps it), then do "
            "the action again. Everything coded before it is on the server."
        )
    if "disk is full" in text or "size limit" in text:
        return (
            "Free some space on the disk that holds the project (empty the bin, move videos "
            "elsewhere), then do the action again."
        )
    if "read-only" in text or "reading only" in text or "readonly" in text:
        return (
            "The project file can no longer be written where it lies. Check that the drive is "
            "still connected and writable, or close the project, copy it to a writable folder "
            "and open the copy."
        )
    if "side file" in text:
        return (
            "Do the action again. Then move the project out of any folder that a sync client "
            "(Dropbox, OneDrive, Box) or a clean-up tool watches while you code."
        )
    if "busy" in text:
        return "Another program holds the project: wait a moment and do the action again."
    return "Check the disk and the project file, then do the action again."


def not_saved_text(message: str) -> str:
    """The dialog's text for a failed write."""
    return (
        f"{message[:1].upper()}{message[1:]}\n\n"
        "Nothing of this action was applied: the screen shows what is stored. Everything "
        f"coded before it is safe.\n\n{advice(message)}"
    )


class SaveWatch(QObject):
    """Tells the coder about the open project's writes; see the module notes."""

    def __init__(self, parent: QObject, status: StatusPanel, prompts: Callable[[], Prompts]):
        super().__init__(parent)
        self._status = status
        self._prompts = prompts
        self._project: Project | None = None
        self._stop: Callable[[], None] | None = None
        self._failing = False
        self.idle = QTimer(self)
        self.idle.setSingleShot(True)
        self.idle.setInterval(IDLE_MS)
        self.idle.timeout.connect(self.checkpoint)

    @property
    def failing(self) -> bool:
        """Whether the last write failed (the bar says NOT SAVED)."""
        return self._failing

    def watch(self, project: Project) -> None:
        self.unwatch()
        self._project = project
        self._stop = project.watch_saves(self._saved)

    def unwatch(self) -> None:
        """Stop watching (before the project is closed; closing makes the file whole)."""
        self.idle.stop()
        if self._stop is not None:
            self._stop()
        self._stop = None
        self._project = None
        self._failing = False
        self._status.show_not_saved(None)

    def _saved(self, failure: NotSavedError | None) -> None:
        if failure is None:
            if self._failing:
                self._failing = False
                self._status.show_not_saved(None)
                self._status.note("Saved again: the last action is in the project file.")
            self.idle.start()
            return
        self._report(str(failure))

    def _report(self, message: str) -> None:
        first = not self._failing
        self._failing = True
        self._status.show_not_saved(message)
        if first:
            self._prompts().error("Not saved", not_saved_text(message))

    def checkpoint(self) -> bool:
        """Make the project file whole now (the idle timer calls this); False if it is not."""
        self.idle.stop()
        project = self._project
        if project is None or project.read_only:
            return True
        try:
            whole = project.checkpoint()
        except ProjectError as exc:  # side files removed: what they held was written back
            self._prompts().error("The project's side files were removed", str(exc))
            return False
        if not whole:
            self.idle.start()  # another program reads the file: try again after a pause
        return whole
