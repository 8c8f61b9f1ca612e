"""Adding videos from the window: each file read in the background (the window keeps
answering), then named in a dialog and added as one observation, or several files as the
camera views of one session."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from coder.project import Project
from ui.window.project_flow import Probe, add_camera_views, add_observations, probe_videos

if TYPE_CHECKING:
    from coder.coding.session import Session
    from ui.dialogs.prompts import Prompts
    from ui.jobs import JobRunner
    from ui.window.status import StatusPanel


class AddingHost(Protocol):
    """What adding videos needs of the coding window."""

    project: Project | None
    session: Session | None
    jobs: JobRunner
    prompts: Prompts
    status: StatusPanel

    def open_observation(self, observation_id: int, frame: int = 0) -> bool: ...

    def choose_observation(self) -> None: ...


class VideoAdder:
    """File → Add videos… and Add camera views… of ``window``."""

    def __init__(self, window: AddingHost) -> None:
        self._window = window

    def add_videos(self) -> None:
        """Add one observation per chosen video file (probed in the background)."""
        if self._window.project is None:
            self._window.status.error("Open or create a project first.")
            return
        paths = self._window.prompts.video_files(self._window.project.path.parent)
        if paths:
            project = self._window.project
            self._window.jobs.start(
                "Reading videos",
                lambda progress: probe_videos(paths, progress),
                lambda probes: self._videos_probed(project, paths, probes),
            )

    def _videos_probed(self, project: Project, paths: list[Path], probes: list[Probe]) -> None:
        if project is not self._window.project:
            return  # the project was closed meanwhile: nothing is added to another one
        added = add_observations(project, paths, probes, self._window.prompts)
        if added:
            self._window.status.note(f"Added {added} observation{'s' if added > 1 else ''}.")
            if self._window.session is None:
                observations = project.observations
                if len(observations) == 1:  # nothing to choose between
                    self._window.open_observation(observations[0].id)
                else:
                    self._window.choose_observation()

    def add_camera_views(self) -> None:
        """Add one observation with several videos of one session, shown side by side."""
        if self._window.project is None:
            self._window.status.error("Open or create a project first.")
            return
        title = "Camera views of one session (played side by side, first = time reference)"
        paths = self._window.prompts.video_files(self._window.project.path.parent, title)
        if paths:
            project = self._window.project
            self._window.jobs.start(
                "Reading camera views",
                lambda progress: probe_videos(paths, progress),
                lambda probes: self._views_probed(project, paths, probes),
            )

    def _views_probed(self, project: Project, paths: list[Path], probes: list[Probe]) -> None:
        if project is not self._window.project:
            return
        observation = add_camera_views(project, paths, probes, self._window.prompts)
        if observation is not None:
            self._window.open_observation(observation.id)
            views = len(observation.media)
            self._window.status.note(f"Added {observation.name} with {views} camera view(s).")
