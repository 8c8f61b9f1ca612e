"""One video of the player: its source, its decode thread and its view, kept together."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from pathlib import Path

from coder.jobs import Progress
from coder.media import MediaError, VideoSource, index_is_kept, open_video, read_packet_index
from ui.player.playback import DecodedFrame, FrameWorker
from ui.player.video_view import VideoView
from ui.settings import stored_frame_cache_mb


def needs_preparing(paths: Sequence[Path]) -> list[Path]:
    """The videos among ``paths`` that :meth:`Medium.load` could not open at once: their frame
    index is not kept yet, so opening would read all their packets (seconds for an hour of
    video). Takes a few milliseconds a file."""
    return [path for path in paths if not index_is_kept(path)]


def prepare_videos(paths: Sequence[Path], progress: Progress) -> None:
    """Read and keep the frame index of each of ``paths`` (a background job's work, see
    :class:`ui.jobs.JobRunner`), so that the player then opens them at once. ``progress``
    hears the bytes read of all files; its cancel stops the work. A file that cannot be read is
    left for the player to report when it opens it."""
    sizes = [path.stat().st_size if path.is_file() else 0 for path in paths]
    total = max(sum(sizes), 1)
    before = 0
    for path, size in zip(paths, sizes, strict=True):

        def step(done: int, of: int, text: str = "", base: int = before, size: int = size) -> None:
            share = min(done / of, 1.0) if of > 0 else 0.0  # bytes read, or packets counted
            progress(base + round(size * share), total, text)

        with contextlib.suppress(MediaError):
            read_packet_index(path, step)
        before += size
    progress(total, total, "")


class Medium:
    """A video the player shows; ``offset_us`` places its time 0 on the reference clock."""

    def __init__(
        self,
        source: VideoSource,
        view: VideoView,
        offset_us: int = 0,
        path: Path | None = None,
        owned: bool = False,
        label: str = "",
    ) -> None:
        if source.frame_count < 1:
            raise MediaError(f"{label or 'video'}: has no frames")
        self.source = source
        self.view = view
        self.offset_us = int(offset_us)
        self.path = path
        self.owned = owned
        self.label = label
        self.worker = FrameWorker(source, self.offset_us, label)
        self.wanted: int | None = None
        """The frame last asked for as a still (answers for other frames are stale)."""

    @classmethod
    def load(
        cls, item: Path | str | VideoSource, offset_us: int, view: VideoView, number: int = 0
    ) -> Medium:
        """Open ``item`` (a path, or a source the caller keeps ownership of); a path is opened
        with the frame memory of the preference ``player/frame_cache_mb``. Opening a long file
        whose frame index is not kept yet reads all its packets: see :func:`prepare_videos`."""
        if isinstance(item, str | Path):
            path = Path(item)
            source = open_video(path, cache_mb=stored_frame_cache_mb())
            try:
                return cls(source, view, offset_us, path, owned=True, label=path.name)
            except MediaError:
                source.close()
                raise
        path = getattr(item, "path", None)
        path = Path(path) if isinstance(path, str | Path) else None
        label = path.name if path is not None else f"video {number + 1}"
        return cls(item, view, offset_us, path, owned=False, label=label)

    @property
    def has_audio(self) -> bool | None:
        """Whether the file has sound, when the source says (``None``: unknown)."""
        value = getattr(self.source, "has_audio", None)
        if value is None:
            info = getattr(self.source, "info", None)
            value = getattr(info, "has_audio", None)
        return value if isinstance(value, bool) else None

    @property
    def pixel_aspect(self) -> float:
        """Width / height of one pixel as shown (sources that do not say: square)."""
        value = getattr(self.source, "sample_aspect", 1.0)
        return float(value) if isinstance(value, int | float) and value > 0 else 1.0

    @property
    def interlaced(self) -> bool:
        """Whether the source says its pictures are interlaced."""
        return getattr(self.source, "interlaced", False) is True

    @property
    def shown_index(self) -> int | None:
        frame = self.view.frame
        return frame.index if frame is not None else None

    def request_at(self, reference_us: int) -> None:
        """Ask for the frame on screen at reference time ``reference_us`` (as a still)."""
        index = self.worker.local_index(reference_us)
        self.wanted = index
        if self.shown_index == index:
            self.worker.halt()  # forget an older request still under way
            self.view.set_frame(self.view.frame, self.note(reference_us))
            return
        self.worker.request(index)

    def show(self, frame: DecodedFrame, reference_us: int) -> None:
        self.view.set_frame(frame, self.note(reference_us))

    def note(self, reference_us: int) -> str:
        """A caption when the reference time lies outside this video."""
        local_us = reference_us - self.offset_us
        if local_us < self.source.timebase.start_us:
            return "before this video starts"
        if local_us >= self.source.duration_us:
            return "after this video ends"
        return ""

    def close(self) -> None:
        """Close the source if the player opened it."""
        if self.owned:
            self.source.close()
