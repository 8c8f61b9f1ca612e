"""A project: observations, their videos, coders and coding passes, in one ``*.attune`` file.

>>> with Project.create("study.attune", "my_scheme.yaml") as project:
...     obs = project.add_observation(["videos/p01.mp4"], participant="P01")
...     session = project.start_coding(obs, "AB")
...     session.toggle("look_cg", frame=120)      # on disk when it returns

Opening never writes to a file that fails the checks (missing, not a project, from a newer
Attune, damaged): :class:`ProjectError` says which file and why. Media paths are stored
relative to the project file when the video lies in the project's folder, so a folder moved
as a whole keeps working; :meth:`Project.find_moved_media` and :meth:`Project.relink` find a
video again by its content fingerprint.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from coder.coding.session import Session
from coder.media import fingerprint as _fingerprint
from coder.model import Coder, CodingInfo, CodingStatus, Event, Media, Observation, Rating
from coder.project import integrity
from coder.scheme import Scheme, load_scheme
from coder.store.base import StoreError
from coder.store.sqlite import SqliteStore
from coder.timebase import TimeBase

if TYPE_CHECKING:
    import pandas as pd

    from coder.media import MediaInfo

#: The file name ending of project files.
SUFFIX = ".attune"
_CURRENT_SCHEME = "current_scheme"
#: How far above the project's folder a video may sit and still be stored relative to it.
MAX_FOLDERS_UP = 2

EVENT_COLUMNS = (
    "observation_id", "observation", "participant", "visit", "coding_id", "coder", "status",
    "is_master", "event_id", "behaviour", "subject", "kind", "onset_s", "offset_s", "duration_s",
    "onset_us", "offset_us", "onset_frame", "offset_frame", "modifiers", "comment",
)  # fmt: skip
RATING_COLUMNS = (
    "observation_id", "observation", "participant", "visit", "coding_id", "coder", "status",
    "is_master", "scale", "segment", "value", "comment",
)  # fmt: skip


class ProjectError(Exception):
    """A project that cannot be created, opened or changed; the message names the file."""


def file_problem(path: Path, kind: str) -> str | None:
    """Why ``path`` is not a usable ``kind`` file ("video"), in one line naming it; or None."""
    if path.is_dir():
        return f"{path}: a folder, not a {kind} file"
    if not path.is_file():
        return f"{path}: no such {kind} file"
    return None


class Project:
    """An open project file. Make one with :meth:`create` or :meth:`open`; close it after."""

    def __init__(self, store: SqliteStore) -> None:
        self._store = store
        self._path = store.path
        self._folder = store.path.resolve().parent  # fixed now: a later chdir changes nothing

    # ------------------------------------------------------------ life cycle
    @classmethod
    def create(cls, path: str | Path, scheme: Scheme | str | Path) -> Project:
        """Make a new project with ``scheme`` (a Scheme, a YAML path or a bundled name).

        Refuses to overwrite an existing file. A bad scheme raises
        :class:`~coder.scheme.model.SchemeError` and nothing is written.
        """
        path = Path(path)
        chosen = scheme if isinstance(scheme, Scheme) else load_scheme(scheme)

        def setup(store: SqliteStore) -> None:
            store.set_meta(_CURRENT_SCHEME, str(store.add_scheme(chosen)))

        try:
            return cls(SqliteStore.create(path, setup))
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc

    @classmethod
    def open(cls, path: str | Path) -> Project:
        """Open an existing project (an older file is backed up and upgraded first)."""
        try:
            return cls(SqliteStore.open(path))
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Project({str(self._path)!r})"

    @property
    def path(self) -> Path:
        return self._path

    @property
    def store(self) -> SqliteStore:
        """The storage behind the project (for tools that need more than this API)."""
        return self._store

    # ------------------------------------------------------------ scheme
    @property
    def scheme_id(self) -> int:
        value = self._store.get_meta(_CURRENT_SCHEME)
        if value is None:
            raise ProjectError(f"{self._path}: the project has no current scheme")
        return int(value)

    @property
    def scheme(self) -> Scheme:
        """The scheme new coding passes use."""
        try:
            return self._store.scheme(self.scheme_id)
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc

    def set_scheme(self, scheme: Scheme | str | Path) -> int:
        """Make ``scheme`` the current one (earlier versions stay stored for their passes)."""
        chosen = scheme if isinstance(scheme, Scheme) else load_scheme(scheme)
        with self._store.transaction():
            scheme_id = self._store.add_scheme(chosen)
            self._store.set_meta(_CURRENT_SCHEME, str(scheme_id))
        return scheme_id

    # ------------------------------------------------------------ observations and media
    def add_observation(
        self,
        media_paths: str | Path | Sequence[str | Path],
        participant: str | None = None,
        name: str | None = None,
        visit: str | None = None,
        offsets_us: Sequence[int] | None = None,
        date: str = "",
        notes: str = "",
        probed: Sequence[MediaInfo] | None = None,
    ) -> Observation:
        """Add one observation with its videos (the first is the time reference).

        Each file is probed (frame times, duration, size; ``probed`` passes probes already
        made, one per video) and fingerprinted. Raises
        :class:`ProjectError` for a missing file and :class:`~coder.media.source.MediaError` for a
        file that is not a readable video; nothing is stored then.
        """
        from coder import media as _media  # video libraries load on first use

        if isinstance(media_paths, str | Path):
            media_paths = [media_paths]
        paths = [Path(p).resolve() for p in media_paths]
        if not paths:
            raise ProjectError(f"{self._path}: an observation needs at least one video")
        offsets = list(offsets_us) if offsets_us is not None else [0] * len(paths)
        if len(offsets) != len(paths):
            raise ProjectError(f"{self._path}: {len(offsets)} offsets for {len(paths)} videos")
        media: list[Media] = []
        timebases: list[TimeBase | None] = []
        if probed is not None and len(probed) != len(paths):
            raise ProjectError(f"{self._path}: {len(probed)} probes for {len(paths)} videos")
        for position, (path, offset) in enumerate(zip(paths, offsets, strict=True)):
            if (problem := file_problem(path, "video")) is not None:
                raise ProjectError(problem)
            info = probed[position] if probed is not None else _media.probe(path)
            try:
                digest, size = _fingerprint.fingerprint(path), path.stat().st_size
            except OSError as exc:
                raise ProjectError(f"{path}: cannot read the file ({exc})") from exc
            media.append(
                Media(
                    path=self._portable(path),
                    fingerprint=digest,
                    size_bytes=size,
                    duration_us=info.duration_us,
                    frame_count=info.frame_count,
                    fps=info.fps,
                    width=info.width,
                    height=info.height,
                    has_audio=info.has_audio,
                    variable_frame_rate=info.variable_frame_rate,
                    offset_us=int(offset),
                    position=position,
                )
            )
            timebases.append(info.timebase)
        try:
            return self._store.add_observation(
                name or paths[0].stem,
                media,
                timebases,
                participant=participant or "",
                visit=visit or "",
                date=date,
                notes=notes,
            )
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc

    @property
    def observations(self) -> list[Observation]:
        return self._store.observations()

    def observation(self, observation_id: int) -> Observation:
        try:
            return self._store.observation(observation_id)
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc

    def _portable(self, path: Path) -> str:
        """Relative to the project's folder when the video sits in it or near it (at most
        two folders up, e.g. ``../videos/a.mp4``, so a study folder can move whole), else
        absolute; always with ``/`` separators."""
        try:
            relative = Path(os.path.relpath(path, self._folder))
        except ValueError:  # another drive (Windows)
            return path.as_posix()
        ups = sum(part == ".." for part in relative.parts)
        return relative.as_posix() if ups <= MAX_FOLDERS_UP else path.as_posix()

    def media_path(self, media: Media) -> Path:
        """Where ``media`` is expected on this machine (absolute)."""
        stored = Path(media.path)
        return stored if stored.is_absolute() else Path(os.path.normpath(self._folder / stored))

    def find_moved_media(
        self, media: Media, search_dirs: str | Path | Iterable[str | Path]
    ) -> Path | None:
        """Search ``search_dirs`` (one folder or several, recursively) for a file with
        ``media``'s fingerprint.

        Files of the same name are tried first; only files of the right size are hashed.
        """
        if isinstance(search_dirs, str | Path):
            search_dirs = [search_dirs]
        wanted_name = Path(media.path).name
        for folder in search_dirs:
            candidates: list[Path] = []
            for root, _dirs, files in os.walk(folder):
                for file_name in files:
                    candidate = Path(root) / file_name
                    try:
                        if candidate.stat().st_size == media.size_bytes:
                            candidates.append(candidate)
                    except OSError:
                        continue
            candidates.sort(key=lambda p: p.name != wanted_name)
            for candidate in candidates:
                if _fingerprint.matches(candidate, media.fingerprint, media.size_bytes):
                    return candidate.resolve()
        return None

    def relink(self, media: Media, new_path: str | Path, force: bool = False) -> Media:
        """Point ``media`` at ``new_path``; a file with other content is refused unless forced."""
        path = Path(new_path).resolve()
        if (problem := file_problem(path, "video")) is not None:
            raise ProjectError(problem)
        try:
            digest, size = _fingerprint.fingerprint(path), path.stat().st_size
        except OSError as exc:
            raise ProjectError(f"{path}: cannot read the file ({exc})") from exc
        if digest != media.fingerprint and not force:
            raise ProjectError(
                f"{path}: not the same video as {media.path} (its content differs); "
                "relink with force=True to use it anyway"
            )
        updated = replace(media, path=self._portable(path), fingerprint=digest, size_bytes=size)
        try:
            self._store.update_media(updated)
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc
        return updated

    # ------------------------------------------------------------ coders and codings
    @property
    def coders(self) -> list[Coder]:
        return self._store.coders()

    def add_coder(self, initials: str, name: str = "") -> Coder:
        return self._store.ensure_coder(initials, name)

    def codings(self, observation: Observation | int | None = None) -> list[CodingInfo]:
        """Every coding pass (of one observation when given)."""
        if isinstance(observation, Observation):
            observation = observation.id
        return self._store.codings(observation)

    def start_coding(self, observation: Observation | int, coder: str | Coder) -> Session:
        """Open ``coder``'s pass over ``observation``, creating it if it does not exist yet.

        A new pass uses the project's current scheme. A resumed pass keeps the scheme it was
        coded with, unless it is still in progress and the current scheme holds all it has
        coded (:func:`coder.project.integrity.scheme_problems` finds nothing): then it moves to the
        current one. A pass marked done keeps its version, the record of what it was coded
        with. Frames refer to the observation's first video.
        """
        obs_id = observation.id if isinstance(observation, Observation) else int(observation)
        store = self._store
        try:
            obs = store.observation(obs_id)
            if not obs.media:
                raise ProjectError(f"{self._path}: observation {obs.name!r} has no video")
            first = obs.media[0]
            timebase = store.timebase(first.id or 0) or TimeBase.constant(
                first.frame_count, first.fps
            )
            with store.transaction():
                if isinstance(coder, str):
                    who = store.ensure_coder(coder)
                else:
                    who = store.ensure_coder(coder.initials, coder.name)
                info = store.find_coding(obs_id, who.id or 0)
                if info is None:
                    info = store.create_coding(obs_id, who.id or 0, self.scheme_id)
                elif (
                    info.scheme_id != self.scheme_id
                    and info.status is CodingStatus.IN_PROGRESS
                    and not integrity.scheme_problems(
                        self.scheme,
                        store.load_events(info.id),
                        store.load_ratings(info.id),
                        store.load_episodes(info.id),
                        timebase.duration_us,
                    )
                ):
                    store.set_coding_scheme(info.id, self.scheme_id)
                    info = store.coding(info.id)
            return Session(store, info, store.scheme(info.scheme_id), timebase)
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc

    def event_counts(self) -> dict[int, int]:
        """Events per coding pass id (passes without events are left out)."""
        return self._store.event_counts()

    def rating_counts(self) -> dict[int, int]:
        """Ratings per coding pass id (passes without ratings are left out)."""
        return self._store.rating_counts()

    # ------------------------------------------------------------ tables
    def events_frame(self) -> pd.DataFrame:
        """One row per event of every pass (columns: :data:`EVENT_COLUMNS`).

        Times are floats in seconds (``offset_s``/``duration_s`` are NaN for points and open
        states) plus µs and frame indexes (nullable ``Int64``); ``kind`` is ``"state"`` or
        ``"point"``; ``modifiers`` are joined with ``|``.
        """
        import pandas as pd

        rows = []
        for info, obs in self._passes():
            pass_cols = _pass_columns(info, obs)
            for e in self._store.load_events(info.id):
                rows.append((*pass_cols, *_event_columns(e)))
        frame = pd.DataFrame(rows, columns=list(EVENT_COLUMNS))
        for column in ("observation_id", "coding_id", "event_id", "onset_us", "onset_frame"):
            frame[column] = frame[column].astype("int64")
        for column in ("offset_us", "offset_frame"):
            frame[column] = frame[column].astype("Int64")
        for column in ("onset_s", "offset_s", "duration_s"):
            frame[column] = frame[column].astype("float64")
        frame["is_master"] = frame["is_master"].astype(bool)
        return frame

    def ratings_frame(self) -> pd.DataFrame:
        """One row per rating of every pass (columns: :data:`RATING_COLUMNS`)."""
        import pandas as pd

        rows = []
        for info, obs in self._passes():
            pass_cols = _pass_columns(info, obs)
            for r in self._store.load_ratings(info.id):
                rows.append((*pass_cols, *_rating_columns(r)))
        frame = pd.DataFrame(rows, columns=list(RATING_COLUMNS))
        frame["observation_id"] = frame["observation_id"].astype("int64")
        frame["coding_id"] = frame["coding_id"].astype("int64")
        frame["value"] = frame["value"].astype("float64")
        frame["is_master"] = frame["is_master"].astype(bool)
        return frame

    def _passes(self) -> list[tuple[CodingInfo, Observation]]:
        observations = {o.id: o for o in self._store.observations()}
        return [(c, observations[c.observation_id]) for c in self._store.codings()]

    # ------------------------------------------------------------ checks
    def check(self) -> list[str]:
        """Every problem :func:`~coder.project.integrity.check` finds (none: a sound project)."""
        return integrity.check(self._store)


def _pass_columns(info: CodingInfo, obs: Observation) -> tuple[object, ...]:
    return (
        obs.id,
        obs.name,
        obs.participant,
        obs.visit,
        info.id,
        info.coder.initials,
        info.status.value,
        info.is_master,
    )


def _event_columns(e: Event) -> tuple[object, ...]:
    offset = e.offset
    return (
        e.id,
        e.behaviour,
        e.subject,
        "state" if e.is_state else "point",
        e.onset.us / 1e6,
        None if offset is None else offset.us / 1e6,
        None if offset is None else (offset.us - e.onset.us) / 1e6,
        e.onset.us,
        None if offset is None else offset.us,
        e.onset.frame,
        None if offset is None else offset.frame,
        "|".join(e.modifiers),
        e.comment,
    )


def _rating_columns(r: Rating) -> tuple[object, ...]:
    return (r.scale, r.segment, r.value, r.comment)
