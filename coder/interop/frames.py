"""Frames of imported events whose video was missing: which they are, and filling them in.

An import without its videos stores provisional media (:mod:`coder.interop.media_refs`): the
events keep the file's exact µs, and their frames come from the frame rate the file gave.
:func:`events_with_frame_status` says which events have provisional frames;
:func:`fill_frames` links the real video once it is found and checks those frames against it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from coder.interop.errors import InteropError
from coder.model import Observation
from coder.project.records import media_timebases

if TYPE_CHECKING:
    import pandas as pd

    from coder.project import Project


@dataclass(frozen=True, slots=True)
class FillResult:
    """What :func:`fill_frames` did: media linked to their video, media still missing."""

    linked: tuple[str, ...]
    missing: tuple[str, ...]
    events_checked: int


def events_with_frame_status(project: Project) -> pd.DataFrame:
    """:meth:`Project.events_frame`, whose column ``frame_provisional`` is True where the
    observation's first video was not found at import, so the frames are not yet checked."""
    return project.events_frame()


def fill_frames(
    project: Project,
    observation: Observation | int,
    videos: Mapping[int, str | Path] | None = None,
    search: Iterable[str | Path] = (),
) -> FillResult:
    """Link the provisional media of ``observation`` to their videos and check the frames.

    A video is taken from ``videos`` (position → path), else from the stored path, else by
    name in the ``search`` folders. Its frame times are compared with the provisional ones:
    when they agree (the frame rate and length the imported file gave were right) the medium
    is relinked and no longer provisional, and every event's frame stands. When they differ,
    an :class:`InteropError` says so and nothing changes: recomputing the frames needs the
    core to replace a medium's frame times, which its store cannot do yet.
    """
    from coder import media as media_module

    obs_id = observation.id if isinstance(observation, Observation) else int(observation)
    obs = project.observation(obs_id)
    pending = project.provisional_media()
    chosen = {int(k): Path(v) for k, v in (videos or {}).items()}
    folders = [Path(f) for f in search]
    timebases = media_timebases(project.store, obs)
    linked: list[str] = []
    missing: list[str] = []
    for medium, provisional_tb in zip(obs.media, timebases, strict=True):
        if medium.id not in pending:
            continue
        where = chosen.get(medium.position) or _find(project.media_path(medium), folders)
        if where is None or not where.is_file():
            missing.append(medium.path)
            continue
        info = media_module.probe(where)
        if info.timebase != provisional_tb:
            raise InteropError(
                str(where),
                f"its frames ({info.frame_count} at {info.fps:g} fps, {info.duration_us / 1e6:g} s)"
                f" differ from what the imported file said ({medium.frame_count} at "
                f"{medium.fps:g} fps, {medium.duration_us / 1e6:g} s); the frames stay "
                "provisional until the core can replace a medium's frame times",
            )
        project.relink(medium, where, force=True)  # no fingerprint was known: record it now
        pending.discard(medium.id or -1)
        linked.append(str(where))
    if linked:
        project.set_provisional_media(pending)
    checked = sum(project.event_counts().get(c.id, 0) for c in project.codings(obs_id))
    return FillResult(tuple(linked), tuple(missing), checked if linked else 0)


def _find(stored: Path, folders: list[Path]) -> Path | None:
    if stored.is_file():
        return stored
    for folder in folders:
        for candidate in sorted(folder.rglob(stored.name)):
            if candidate.is_file():
                return candidate
    return None
