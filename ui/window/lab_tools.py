"""The window's doors to the work around coding: import, export and plots, the agreement
window, and the master (reference) pass. Each opens a window of its own over the open
project; the coding window stays usable while they are shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

from coder.project import ProjectError
from ui.agreement.window import AgreementWindow
from ui.export.launch import open_export, open_plot
from ui.interop.launch import open_import

if TYPE_CHECKING:
    from ui.window.main_window import MainWindow


class LabTools:
    """Opens the lab lead's and analyst's windows for ``window``."""

    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.agreement: AgreementWindow | None = None

    def import_file(self) -> None:
        open_import(self._window)

    def export(self) -> None:
        window = self._window
        if open_export(window, window.project, window.jobs, window.prompts) is None:
            window.status.error("Open a project first: its passes are what is exported.")

    def plot(self) -> None:
        window = self._window
        view = open_plot(window, window.project, window.jobs, window.prompts, window.session)
        if view is None:
            window.status.error("Open a project first: its passes are what is drawn.")

    def show_agreement(self) -> None:
        """Reliability → Agreement over the open project (one such window at a time)."""
        window = self._window
        if window.project is None:
            window.status.error("Open a project first: agreement compares its passes.")
            return
        if self.agreement is None or self.agreement.project is not window.project:
            self.close_agreement()
            self.agreement = AgreementWindow(
                window.project, self._seek, window, error=window.prompts.error
            )
            self.agreement.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.agreement.destroyed.connect(self._forget_agreement)
        self.agreement.show()
        self.agreement.raise_()
        self.agreement.activateWindow()

    def close_agreement(self) -> None:
        if self.agreement is not None:
            self.agreement.close()
        self.agreement = None

    def _forget_agreement(self) -> None:
        self.agreement = None

    def _seek(self, observation_id: int, frame: int) -> None:
        """A click in the agreement timeline: show that observation at that frame."""
        window = self._window
        if window.observation is not None and window.observation.id == observation_id:
            window.player.seek(frame)
        else:
            window.open_observation(observation_id, frame=frame)

    def toggle_master(self, checked: bool) -> None:
        """The menu's check box was switched (by the coder, not by :meth:`show_master_state`)."""
        if checked != self.is_master():
            self.set_master(checked)

    def show_master_state(self) -> None:
        """Check the menu's box when the open pass is the master, quietly."""
        master = self._window.menus.master
        master.blockSignals(True)
        master.setChecked(self.is_master())
        master.blockSignals(False)

    def set_master(self, is_master: bool) -> None:
        """Mark (or unmark) the open pass as its observation's master (reference) pass."""
        window = self._window
        if window.project is None or window.session is None:
            return
        try:
            window.project.set_master(window.session.info.id, is_master)
        except ProjectError as exc:
            window.prompts.error("Not saved", str(exc))
        self.show_master_state()
        window.status.note(
            "This pass is now the master pass of the observation: agreement compares with it."
            if self.is_master()
            else "This pass is no longer the master pass."
        )

    def is_master(self) -> bool:
        window = self._window
        if window.project is None or window.session is None:
            return False
        master = window.project.master_of(window.session.info.observation_id)
        return master is not None and master.id == window.session.info.id
