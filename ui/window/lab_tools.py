"""The window's doors to the work around coding: import, export and plots, the agreement
window, and the master (reference) pass. Each opens a window of its own over the open
project; the coding window stays usable while they are shown. Their modules (and the
plotting and statistics libraries behind them) load when first opened, not at start.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from coder.project import ProjectError

if TYPE_CHECKING:
    from coder.coding.session import Session
    from coder.model import Observation
    from coder.project import Project
    from ui.agreement.window import AgreementWindow
    from ui.dialogs.prompts import Prompts
    from ui.jobs import JobRunner
    from ui.player.player import Player
    from ui.window.menus import Menus
    from ui.window.status import StatusPanel


class LabHost(Protocol):
    """What the tools need of the coding window."""

    project: Project | None
    observation: Observation | None
    session: Session | None
    jobs: JobRunner
    prompts: Prompts
    player: Player
    status: StatusPanel
    menus: Menus

    @property
    def coder(self) -> str: ...

    def open_project(self, path: str | Path) -> bool: ...

    def open_observation(self, observation_id: int, frame: int = 0) -> bool: ...


class LabTools:
    """Opens the lab lead's and analyst's windows for ``window``."""

    def __init__(self, window: LabHost) -> None:
        self._window = window
        self.agreement: AgreementWindow | None = None

    @property
    def _parent(self) -> QWidget:
        assert isinstance(self._window, QWidget)
        return self._window

    def import_file(self) -> None:
        from ui.interop.launch import open_import

        open_import(self._window)

    def export(self) -> None:
        from ui.export.launch import open_export

        window = self._window
        if open_export(self._parent, window.project, window.jobs, window.prompts) is None:
            window.status.error("Open a project first: its passes are what is exported.")

    def plot(self) -> None:
        from ui.export.launch import open_plot

        window = self._window
        view = open_plot(self._parent, window.project, window.jobs, window.prompts, window.session)
        if view is None:
            window.status.error("Open a project first: its passes are what is drawn.")

    def show_agreement(self) -> None:
        """Reliability → Agreement over the open project (one such window at a time)."""
        from ui.agreement.window import AgreementWindow

        window = self._window
        if window.project is None:
            window.status.error("Open a project first: agreement compares its passes.")
            return
        if self.agreement is None or self.agreement.project is not window.project:
            self.close_agreement()
            self.agreement = AgreementWindow(
                window.project, self._seek, self._parent, error=window.prompts.error
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
