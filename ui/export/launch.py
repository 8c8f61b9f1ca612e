"""Opening File → Export… and File → Plot… from a window: the window's job runner and prompts
(so its tests answer the questions), window-modal (the project stays open while they are
shown), deleted once closed and their jobs have ended."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWidget

from ui.export.dialog import ExportDialog
from ui.export.plot_view import PlotView

if TYPE_CHECKING:
    from coder.coding.session import Session
    from coder.project import Project
    from ui.dialogs.prompts import Prompts
    from ui.jobs import JobRunner

D = TypeVar("D", bound=QDialog)


def open_export(
    parent: QWidget, project: Project | None, runner: JobRunner, prompts: Prompts
) -> ExportDialog | None:
    """Show the export dialog of ``project`` (None: no project, nothing shown)."""
    if project is None:
        return None
    dialog = ExportDialog(
        project,
        parent,
        runner=runner,
        confirm=lambda title, text: prompts.confirm(title, text, ok="Replace"),
        error=prompts.error,
    )
    return _open(dialog)


def open_plot(
    parent: QWidget,
    project: Project | None,
    runner: JobRunner,
    prompts: Prompts,
    session: Session | None = None,
) -> PlotView | None:
    """Show the plots of ``project``, starting at the pass of ``session`` when one is open."""
    if project is None:
        return None
    coding = session.info.id if session is not None else None
    return _open(PlotView(project, parent, runner=runner, error=prompts.error, coding=coding))


def _open(dialog: D) -> D:
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
