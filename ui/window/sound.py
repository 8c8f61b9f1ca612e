"""The observation's sound under the timeline: the audio strip and the job that reads it.

The strip shows the envelope of the first medium with sound, shifted by that camera's offset
onto the reference clock. It is read once per file content (the core keeps it on disk); the
first reading runs as a background job with progress while the coder goes on, and a spectrogram
is read only when the coder switches it on.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QVBoxLayout, QWidget

from coder.audio import AudioError, Envelope, NoSound, read_cached, read_sound
from coder.jobs import Progress
from coder.model import Observation
from coder.project import Project
from coder.timebase import TimeBase
from ui.jobs import JobRunner
from ui.timeline.audio_strip import AudioStrip
from ui.timeline.timeline import Timeline

Seek = Callable[[int], None]


def sound_medium(project: Project, observation: Observation) -> tuple[Path, int] | None:
    """The file whose sound is heard, and its offset (µs) on the reference clock."""
    for medium in observation.media:
        if medium.has_audio:
            return project.media_path(medium), medium.offset_us
    return None


def with_strip(timeline: Timeline, strip: AudioStrip) -> QWidget:
    """The timeline with the audio strip under it, as one dock's widget."""
    holder = QWidget()
    holder.setObjectName("timeline_and_sound")
    box = QVBoxLayout(holder)
    box.setContentsMargins(0, 0, 0, 0)
    box.setSpacing(0)
    box.addWidget(timeline, 1)
    box.addWidget(strip)
    return holder


class SoundView:
    """Fills one audio strip with the sound of one observation."""

    def __init__(
        self,
        strip: AudioStrip,
        jobs: JobRunner,
        project: Project,
        observation: Observation,
        timebase: TimeBase,
        seek: Seek,
    ) -> None:
        self.strip = strip
        self._jobs = jobs
        self._source = sound_medium(project, observation)
        strip.seekRequested.connect(lambda us: seek(timebase.index_at(us)))
        strip.spectrogramToggled.connect(self._spectrogram_toggled)
        self._closed = False
        self.read(spectrogram=False)

    def close(self) -> None:
        """The observation was closed: a reading still under way shows nothing."""
        self._closed = True

    def _spectrogram_toggled(self, on: bool) -> None:
        if on and self.strip.spectrogram_missing:
            self.read(spectrogram=True)

    def read(self, spectrogram: bool) -> None:
        """Show the sound at once when it was read before, else read it in the background."""
        if self._source is None:
            self.strip.set_message("This observation has no sound.")
            return
        path, offset = self._source
        try:
            found = read_cached(path, spectrogram=spectrogram)
        except AudioError as exc:
            self.strip.set_message(str(exc))
            return
        if found is not None:
            self.strip.set_envelope(found.shifted(offset))
            return
        self.strip.set_message("Reading the sound…")

        def work(progress: Progress) -> Envelope | NoSound | str:
            try:
                return read_sound(path, spectrogram=spectrogram, progress=progress)
            except AudioError as exc:
                return str(exc)

        self._jobs.start(
            f"Reading the sound of {path.name}",
            work,
            lambda result: self._show(result, offset),
            on_cancel=lambda: self._closed or self.strip.set_message("Reading the sound stopped."),
        )

    def _show(self, result: Envelope | NoSound | str, offset: int) -> None:
        if self._closed:
            return
        if isinstance(result, str):
            self.strip.set_message(result)
        elif isinstance(result, Envelope):
            self.strip.set_envelope(result.shifted(offset))
        else:
            self.strip.set_envelope(result)
