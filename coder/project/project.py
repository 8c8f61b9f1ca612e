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

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, TypeVar

from coder.coding.session import Session
from coder.media import fingerprint as _fingerprint
from coder.model import Coder, CodingInfo, CodingStatus, Media, Observation
from coder.project import integrity, tables
from coder.project.media_files import (
    PROVISIONAL_SETTING,
    find_by_content,
    ids_text,
    parse_ids,
    portable_path,
    stored_path,
    unique_name,
)
from coder.project.records import PassRecord, load_passes, media_timebases
from coder.project.saving import NotSavedError, SaveListener, SaveWatchers, SavingStore
from coder.scheme import Scheme, load_scheme
from coder.store.base import Store, StoreError
from coder.store.factory import Location, create_store, is_server, open_store
from coder.timebase import TimeBase

if TYPE_CHECKING:
    import pandas as pd

    from coder.media import MediaInfo

T = TypeVar("T")

#: The file name ending of project files.
SUFFIX = ".attune"
_CURRENT_SCHEME = "current_scheme"
#: Project setting: "1" (the default when absent) hides other coders' passes from a coder.
BLIND_SETTING = "blind_coding"
#: Project settings are stored as meta keys with this prefix (the blind switch predates it).
_SETTING_PREFIX = "setting."

EVENT_COLUMNS = tables.EVENT_COLUMNS
RATING_COLUMNS = tables.RATING_COLUMNS
EPISODE_COLUMNS = tables.EPISODE_COLUMNS


MAX_OFFSET_US = 86_400_000_000
"""The largest camera offset (a day, either way)."""


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

    def __init__(self, store: Store, folder: Path | None = None) -> None:
        """Front ``store``; ``folder`` is where relative media paths start (for a project
        file: its folder, fixed now, so a later change of directory changes nothing)."""
        self._store = store
        self._location = store.location
        self._saves = SaveWatchers()
        if folder is None and not is_server(store.location):
            folder = Path(store.location).resolve().parent
        self._folder = folder or Path.cwd()

    # ------------------------------------------------------------ life cycle
    @classmethod
    def create(cls, location: Location, scheme: Scheme | str | Path) -> Project:
        """Make a new project at ``location`` with ``scheme`` (a Scheme, a YAML path or a
        bundled name).

        Refuses to overwrite an existing project. A bad scheme raises
        :class:`~coder.scheme.SchemeError` and nothing is written.
        """
        chosen = scheme if isinstance(scheme, Scheme) else load_scheme(scheme)

        def setup(store: Store) -> None:
            store.set_meta(_CURRENT_SCHEME, str(store.add_scheme(chosen)))

        try:
            return cls(create_store(location, setup))
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc

    @classmethod
    def open(cls, location: Location, *, read_only: bool = False) -> Project:
        """Open an existing project (an older file is backed up and upgraded first).

        ``read_only`` opens it for reading only (a read-only medium, a report): nothing is
        migrated and every change is refused with :class:`ProjectError`.
        """
        try:
            return cls(open_store(location, read_only=read_only))
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc

    def close(self) -> None:
        """Close the project; a file is left whole (its log written into it)."""
        self._store.close()

    def checkpoint(self) -> bool:
        """Make the project file hold every returned write on its own (SQLite keeps recent
        writes in a ``-wal`` side file until then), so that a copy or a sync folder that takes
        the ``.attune`` file alone has everything. Cheap when nothing changed; does not wait
        for other programs reading the file (False then: try again later).

        Raises :class:`ProjectError` when a side file was removed or replaced while the project
        was open (what it held is written back first; the message says so). The app calls
        this when the coder has paused for a moment.
        """
        flush = getattr(self._store, "checkpoint", None)
        if flush is None:
            return True
        try:
            whole = flush()
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc
        return bool(whole)

    def watch_saves(self, listener: SaveListener) -> Callable[[], None]:
        """Call ``listener`` after every write of a coding session of this project: with None
        when it was saved, with the :class:`NotSavedError` when it was not. Returns a function
        that stops the calls."""
        return self._saves.add(listener)

    @property
    def last_save_failed(self) -> NotSavedError | None:
        """Why the last write of a session failed, or None when it was saved."""
        return self._saves.last_failure

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
        return f"Project({self._location!r})"

    @property
    def location(self) -> str:
        """Where the project lives: a file path or a server address."""
        return self._location

    @property
    def path(self) -> Path:
        """The project file (for a server, its address as a path-like name)."""
        return Path(self._location)

    @property
    def read_only(self) -> bool:
        return self._store.read_only

    @property
    def read_only_reason(self) -> str:
        """Why a project asked for read-write is open for reading only (its file, folder or
        medium cannot be written); "" otherwise."""
        return str(getattr(self._store, "read_only_reason", "") or "")

    @property
    def store(self) -> Store:
        """The storage behind the project (for tools that need more than this API)."""
        return self._store

    # ------------------------------------------------------------ settings
    def setting(self, key: str) -> str | None:
        """A project setting (text), shared by everyone who codes the project."""
        return self._store.get_meta(_SETTING_PREFIX + key)

    def set_setting(self, key: str, value: str) -> None:
        self._write(lambda: self._store.set_meta(_SETTING_PREFIX + key, str(value)))

    @property
    def blind(self) -> bool:
        """Whether coders see only their own passes (on unless switched off)."""
        return self._store.get_meta(BLIND_SETTING) != "0"

    def set_blind(self, blind: bool) -> None:
        self._write(lambda: self._store.set_meta(BLIND_SETTING, "1" if blind else "0"))

    def _write(self, action: Callable[[], T]) -> T:
        """Run one write of the project's own (not a pass's), as a ProjectError on failure."""
        try:
            return action()
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc

    # ------------------------------------------------------------ scheme
    @property
    def scheme_id(self) -> int:
        value = self._store.get_meta(_CURRENT_SCHEME)
        if value is None:
            raise ProjectError(f"{self.location}: the project has no current scheme")
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

        def store_it() -> int:
            with self._store.transaction():
                scheme_id = self._store.add_scheme(chosen)
                self._store.set_meta(_CURRENT_SCHEME, str(scheme_id))
            return scheme_id

        return self._write(store_it)

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
            raise ProjectError(f"{self.location}: an observation needs at least one video")
        offsets = list(offsets_us) if offsets_us is not None else [0] * len(paths)
        if len(offsets) != len(paths):
            raise ProjectError(f"{self.location}: {len(offsets)} offsets for {len(paths)} videos")
        media: list[Media] = []
        timebases: list[TimeBase | None] = []
        if probed is not None and len(probed) != len(paths):
            raise ProjectError(f"{self.location}: {len(probed)} probes for {len(paths)} videos")
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
        taken = {o.name for o in self._store.observations()}
        if name and name in taken:
            raise ProjectError(f"{self.location}: an observation is already named {name!r}")
        try:
            return self._store.add_observation(
                name or unique_name(paths[0].stem, taken),
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
        return self._read(self._store.observations)

    def observation(self, observation_id: int) -> Observation:
        try:
            return self._store.observation(observation_id)
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc

    def _portable(self, path: Path) -> str:
        return portable_path(self._folder, path)

    def media_path(self, media: Media) -> Path:
        """Where ``media`` is expected on this machine (absolute)."""
        return stored_path(self._folder, media)

    def find_moved_media(
        self, media: Media, search_dirs: str | Path | Iterable[str | Path]
    ) -> Path | None:
        """Search ``search_dirs`` (one folder or several, recursively) for a file with
        ``media``'s fingerprint.

        Files of the same name are tried first; only files of the right size are hashed.
        """
        if isinstance(search_dirs, str | Path):
            search_dirs = [search_dirs]
        return find_by_content(media, search_dirs)

    def set_camera_offset(self, media: Media, offset_us: int) -> Media:
        """Shift a camera against the observation's first medium (its time 0 plays at
        ``offset_us`` on the first medium's clock); the first medium keeps offset 0."""
        if media.position == 0 and offset_us != 0:
            raise ProjectError(
                f"{media.path}: the first video is the time reference; shift the other"
            )
        if abs(offset_us) > MAX_OFFSET_US:
            raise ProjectError(f"{media.path}: an offset of {offset_us / 1e6:g} s is over a day")
        updated = replace(media, offset_us=int(offset_us))
        if updated != media:
            self._write(lambda: self._store.update_media(updated))
        return updated

    def provisional_media(self) -> set[int]:
        """Ids of media stored without their video (see :data:`PROVISIONAL_SETTING`)."""
        return parse_ids(self.setting(PROVISIONAL_SETTING))

    def set_provisional_media(self, ids: Iterable[int]) -> None:
        self.set_setting(PROVISIONAL_SETTING, ids_text(ids))

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
        return self._read(self._store.coders)

    def add_coder(self, initials: str, name: str = "") -> Coder:
        return self._write(lambda: self._store.ensure_coder(initials, name))

    def codings(self, observation: Observation | int | None = None) -> list[CodingInfo]:
        """Every coding pass (of one observation when given)."""
        if isinstance(observation, Observation):
            observation = observation.id
        return self._read(lambda: self._store.codings(observation))

    def start_coding(self, observation: Observation | int, coder: str | Coder) -> Session:
        """Open ``coder``'s pass over ``observation``, creating it if it does not exist yet.

        A new pass uses the project's current scheme. A resumed pass keeps the scheme it was
        coded with, unless it is still in progress and the current scheme holds all it has
        coded (:func:`coder.project.integrity.scheme_problems` finds nothing): then it moves to the
        current one. A pass marked done keeps its version, the record of what it was coded
        with. Frames refer to the observation's first video.
        """
        obs_id = _obs_id(observation)
        store = self._store
        try:
            obs = store.observation(obs_id)
            if not obs.media:
                raise ProjectError(f"{self.location}: observation {obs.name!r} has no video")
            timebase = media_timebases(store, obs)[0]
            current_id, current = self.scheme_id, self.scheme  # refused here, before any write
            with store.transaction():
                if isinstance(coder, str):
                    who = store.ensure_coder(coder)
                else:
                    who = store.ensure_coder(coder.initials, coder.name)
                info = store.find_coding(obs_id, who.id or 0)
                if info is None:
                    info = store.create_coding(obs_id, who.id or 0, current_id)
                elif (
                    info.scheme_id != current_id
                    and info.status is CodingStatus.IN_PROGRESS
                    and not integrity.scheme_problems(
                        current,
                        store.load_events(info.id),
                        store.load_ratings(info.id),
                        store.load_episodes(info.id),
                        timebase.duration_us,
                    )
                ):
                    store.set_coding_scheme(info.id, current_id)
                    info = store.coding(info.id)
                scheme = store.scheme(info.scheme_id)  # unusable: the new pass rolls back
            return Session(SavingStore(store, self._saves), info, scheme, timebase)
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc

    def event_counts(self) -> dict[int, int]:
        """Events per coding pass id (passes without events are left out)."""
        return self._read(self._store.event_counts)

    def rating_counts(self) -> dict[int, int]:
        """Ratings per coding pass id (passes without ratings are left out)."""
        return self._read(self._store.rating_counts)

    # ------------------------------------------------------------ reading (never writes)
    def passes(
        self,
        observations: Iterable[Observation | int] | None = None,
        coders: Iterable[str] | None = None,
        status: CodingStatus | str | None = None,
    ) -> list[CodingInfo]:
        """The coding passes, by observation: of these observations (ids or records), by
        these coders (initials), with this status (``"done"``, ``"in_progress"``)."""
        wanted_obs = None if observations is None else {_obs_id(o) for o in observations}
        wanted_coders = None if coders is None else set(coders)
        wanted_status = None if status is None else CodingStatus(status)
        return [
            info
            for info in self._read(self._store.codings)
            if (wanted_obs is None or info.observation_id in wanted_obs)
            and (wanted_coders is None or info.coder.initials in wanted_coders)
            and (wanted_status is None or info.status is wanted_status)
        ]

    def load_pass(self, coding: CodingInfo | int) -> PassRecord:
        """A frozen record of one pass as stored; writes, migrates and moves nothing."""
        coding_id = coding.id if isinstance(coding, CodingInfo) else int(coding)
        return self.load_passes([coding_id])[0]

    def load_passes(self, codings: Iterable[CodingInfo | int]) -> list[PassRecord]:
        """Frozen records of many passes, read with one query per table."""
        store = self._store

        def load() -> list[PassRecord]:
            infos = [store.coding(c.id if isinstance(c, CodingInfo) else int(c)) for c in codings]
            return load_passes(store, infos)

        return self._read(load)

    def master_of(self, observation: Observation | int) -> CodingInfo | None:
        """The reference (master) pass of ``observation``, if one is marked."""
        obs_id = _obs_id(observation)
        return next((c for c in self.passes([obs_id]) if c.is_master), None)

    def set_master(self, coding: CodingInfo | int, is_master: bool = True) -> CodingInfo:
        """Mark ``coding`` as the reference pass of its observation (un-marking any other)."""
        coding_id = coding.id if isinstance(coding, CodingInfo) else int(coding)

        def mark() -> CodingInfo:
            self._store.set_master(coding_id, is_master)
            return self._store.coding(coding_id)

        return self._write(mark)

    def events_frame(self, passes: Iterable[CodingInfo] | None = None) -> pd.DataFrame:
        """One row per event (columns :data:`EVENT_COLUMNS`) of ``passes`` (default: all).

        Times are seconds (``offset_s``/``duration_s`` NaN for points and open states) plus
        µs and frames (nullable ``Int64``); names come from each pass's scheme version;
        ``modifiers`` are joined with ``|``; ``frame_provisional`` is True where the
        observation's first video was not at hand when the events were imported, so their
        frames come from the rate the imported file gave and are not yet checked.
        """
        chosen = self.passes() if passes is None else list(passes)
        pending = self.provisional_media()
        return self._read(lambda: tables.events_frame(self._store, chosen, pending))

    def ratings_frame(self, passes: Iterable[CodingInfo] | None = None) -> pd.DataFrame:
        """One row per rating (columns :data:`RATING_COLUMNS`) of ``passes`` (default: all)."""
        chosen = self.passes() if passes is None else list(passes)
        return self._read(lambda: tables.ratings_frame(self._store, chosen))

    def episodes_frame(self, passes: Iterable[CodingInfo] | None = None) -> pd.DataFrame:
        """One row per marked episode (columns :data:`EPISODE_COLUMNS`)."""
        chosen = self.passes() if passes is None else list(passes)
        return self._read(lambda: tables.episodes_frame(self._store, chosen))

    def _read(self, action: Callable[[], T]) -> T:
        try:
            return action()
        except StoreError as exc:
            raise ProjectError(str(exc)) from exc

    # ------------------------------------------------------------ checks
    def check(self) -> list[str]:
        """Every problem :func:`~coder.project.integrity.check` finds (none: a sound project)."""
        return integrity.check(self._store)


def _obs_id(observation: Observation | int) -> int:
    return observation.id if isinstance(observation, Observation) else int(observation)
