"""Videos named by an imported file: found on this machine, or stored as provisional.

A lab's old project rarely travels with its videos. A video is looked for where the file says,
relative to the imported file, and by name beside it; one that is not found is stored as a
*provisional* medium: the path the file gives, no fingerprint, and a constant frame rate from
what the file says (its fps and length, or 25 fps and the last event), so events keep their
exact µs and get frames that :func:`coder.interop.frames.fill_frames` checks once the real
video is relinked. The project keeps the ids of provisional media
(:meth:`coder.project.Project.provisional_media`), and its events table marks their events
(``frame_provisional``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath
from typing import TYPE_CHECKING

from coder.interop.model import MediaRef
from coder.model import Media
from coder.timebase import TimeBase

if TYPE_CHECKING:
    pass

#: The frame rate assumed for a video the file gives none for.
DEFAULT_FPS = 25.0


def locate(ref: MediaRef, imported: Path) -> Path | None:
    """Where the video ``ref`` names is on this machine, if anywhere: the path itself, the
    path relative to the imported file, or a file of that name beside it (or one folder down)."""
    if not ref.path:
        return None
    given = Path(ref.path)
    name = PureWindowsPath(ref.path).name if "\\" in ref.path else given.name
    folder = imported.resolve().parent
    candidates = [given, folder / given, folder / name]
    if folder.is_dir():
        candidates.extend(sorted(folder.glob(f"*/{name}")))
    for candidate in candidates:
        try:
            if candidate.is_file():
                return candidate.resolve()
        except OSError:
            continue
    return None


@dataclass(frozen=True, slots=True)
class Provisional:
    """A medium to store without its video, and its constant time base."""

    media: Media
    timebase: TimeBase


def provisional(ref: MediaRef, position: int, last_event_us: int) -> Provisional:
    """A provisional medium for ``ref`` long enough to hold every event (the file's length,
    or the last event and one more frame)."""
    fps = ref.fps or DEFAULT_FPS
    frame_us = 1e6 / fps
    needed = max(ref.duration_us or 0, last_event_us + math.ceil(frame_us))
    frames = max(1, math.ceil(needed / frame_us - 1e-9))
    timebase = TimeBase.constant(frames, fps)
    media = Media(
        path=ref.path.replace("\\", "/") if ref.path else "(no video)",
        fingerprint="",
        size_bytes=0,
        duration_us=timebase.duration_us,
        frame_count=frames,
        fps=fps,
        offset_us=ref.offset_us,
        position=position,
    )
    return Provisional(media, timebase)
