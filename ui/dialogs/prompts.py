"""Everything the main window asks the user, behind one interface.

The window never opens a modal dialog itself: it calls a :class:`Prompts` object. The app
uses :class:`DialogPrompts` (real dialogs); tests pass their own object that answers from a
script and records what was shown, so no test waits on a modal ``exec``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, Protocol, TypeVar

from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QWidget

from coder.model import Coder, Media
from ui.dialogs.answers import (
    CoderAnswer,
    NewProjectAnswer,
    ObservationDraft,
    ObservationRow,
    RelinkAnswer,
)
from ui.dialogs.messages import show_error
from ui.dialogs.new_project import NewProjectDialog
from ui.dialogs.observation_details import ObservationDetailsDialog
from ui.dialogs.observation_picker import ObservationPicker
from ui.dialogs.relink import RelinkDialog
from ui.dialogs.who import WhoDialog

P = ParamSpec("P")
R = TypeVar("R")


class Prompts(Protocol):
    """The questions and messages of the main window."""

    def error(self, title: str, message: str) -> None:
        """Tell the user something went wrong (the message names the file and the cause)."""
        ...

    def confirm(self, title: str, message: str, ok: str = "OK") -> bool: ...

    def who_are_you(self, known: list[Coder], last: str) -> CoderAnswer | None: ...

    def pick_observation(
        self, rows: list[ObservationRow], current: int | None, blind: bool
    ) -> int | None: ...

    def relink(self, media: Media, expected: Path) -> RelinkAnswer | None: ...

    def open_project(self, start: Path) -> Path | None: ...

    def new_project(self, start: Path) -> NewProjectAnswer | None: ...

    def video_files(self, start: Path, title: str = "") -> list[Path]: ...

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        """One line of text (None when cancelled)."""
        ...

    def observation_details(
        self, drafts: list[ObservationDraft], taken: set[str], cameras: bool
    ) -> list[ObservationDraft] | None:
        """Names, participants and recording times of observations being added (camera
        views: one draft, with offsets); None when cancelled."""
        ...


def _gives_focus_back(method: Callable[P, R]) -> Callable[P, R]:
    """After the dialog closes, make the parent's window active again, so that the coding keys
    work at once (without a window manager to do it, keys would go nowhere until a click)."""

    @functools.wraps(method)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return method(*args, **kwargs)
        finally:
            parent = getattr(args[0], "_parent", None)
            if isinstance(parent, QWidget) and parent.window().isVisible():
                parent.window().activateWindow()

    return wrapper


class DialogPrompts:
    """:class:`Prompts` answered with the app's dialogs, parented to ``parent``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._parent = parent

    @_gives_focus_back
    def error(self, title: str, message: str) -> None:

        show_error(self._parent, title, message)

    @_gives_focus_back
    def confirm(self, title: str, message: str, ok: str = "OK") -> bool:
        box = QMessageBox(QMessageBox.Icon.Question, title, message, parent=self._parent)
        yes = box.addButton(ok, QMessageBox.ButtonRole.AcceptRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(yes)
        box.exec()
        return box.clickedButton() is yes

    @_gives_focus_back
    def who_are_you(self, known: list[Coder], last: str) -> CoderAnswer | None:

        dialog = WhoDialog(known, last, self._parent)
        return dialog.answer() if dialog.exec() else None

    @_gives_focus_back
    def pick_observation(
        self, rows: list[ObservationRow], current: int | None, blind: bool
    ) -> int | None:

        dialog = ObservationPicker(rows, current, blind, self._parent)
        return dialog.chosen_id() if dialog.exec() else None

    @_gives_focus_back
    def relink(self, media: Media, expected: Path) -> RelinkAnswer | None:

        dialog = RelinkDialog(media, expected, self._parent)
        return dialog.answer() if dialog.exec() else None

    @_gives_focus_back
    def open_project(self, start: Path) -> Path | None:
        path, _ = QFileDialog.getOpenFileName(
            self._parent, "Open project", str(start), "Attune projects (*.attune);;All files (*)"
        )
        return Path(path) if path else None

    @_gives_focus_back
    def new_project(self, start: Path) -> NewProjectAnswer | None:

        dialog = NewProjectDialog(start, self._parent)
        return dialog.answer() if dialog.exec() else None

    @_gives_focus_back
    def video_files(self, start: Path, title: str = "") -> list[Path]:
        paths, _ = QFileDialog.getOpenFileNames(
            self._parent,
            title or "Add videos (one observation each)",
            str(start),
            "Videos (*.mp4 *.mov *.m4v *.mkv *.avi *.webm *.mts *.wmv);;All files (*)",
        )
        return [Path(p) for p in paths]

    @_gives_focus_back
    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        answer, ok = QInputDialog.getText(self._parent, title, label, text=text)
        return answer if ok else None

    @_gives_focus_back
    def observation_details(
        self, drafts: list[ObservationDraft], taken: set[str], cameras: bool
    ) -> list[ObservationDraft] | None:
        dialog = ObservationDetailsDialog(drafts, taken, cameras, self._parent)
        return dialog.drafts() if dialog.exec() else None
