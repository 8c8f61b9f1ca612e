"""Opening File → Import… from the main window: its project, coder, job runner and error
dialog; window-modal, deleted once closed. Importing into the open project adds observations
the window's observation chooser then lists; a new project is opened on request."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from ui.interop.dialog import AskFile, ImportDialog

if TYPE_CHECKING:
    from coder.project import Project
    from ui.dialogs.prompts import Prompts
    from ui.jobs import JobRunner


class ImportHost(Protocol):
    """What the dialog needs of the main window."""

    project: Project | None
    jobs: JobRunner
    prompts: Prompts

    @property
    def coder(self) -> str: ...

    def open_project(self, path: str | Path) -> bool: ...


def open_import(window: ImportHost, ask_file: AskFile | None = None) -> ImportDialog:
    """Show the import dialog over ``window`` (into its open project, if any)."""
    project = window.project
    parent = window if isinstance(window, QWidget) else None
    dialog = ImportDialog(
        parent,
        project_path=project.path if project is not None else None,
        coder=window.coder,
        runner=window.jobs,
        error=window.prompts.error,
        ask_file=ask_file,
        open_project=window.open_project,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
