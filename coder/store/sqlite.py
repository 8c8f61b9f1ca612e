"""The project file: one SQLite database (``*.attune``) in WAL mode.

:func:`~coder.store.schema.inspect_file` validates a file through a read-only connection and
never writes to it; :meth:`SqliteStore.open` opens a file read-write only after that check
passes, and backs it up (``name.v1-backup.attune``) before migrating an older file forward.
Every write runs inside :meth:`SqliteStore.transaction`, whose outermost block is
``BEGIN IMMEDIATE`` … ``COMMIT`` with ``synchronous=FULL``: a returned write is on disk.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from coder import __version__
from coder.model import Coder, CodingInfo, CodingStatus, Media, Observation
from coder.scheme import Scheme, SchemeError, scheme_from_dict
from coder.store import schema
from coder.store.base import StoreError
from coder.store.rows import (
    CODING_QUERY,
    MEDIA_COLUMNS,
    clean_text,
    coder_from_row,
    coding_from_row,
    media_from_row,
    media_values,
    observation_from_row,
    timebase_blob,
    timebase_from_row,
)
from coder.store.schema import (
    BUSY_TIMEOUT_MS,
    PENDING_KEY,
    backup_to,
    configure,
    describe_failure,
    file_problems,
    inspect_file,
    read_only_uri,
    sqlite_uri,
)
from coder.store.sqlite_connection import new_id, now_text
from coder.store.sqlite_files import (
    creating_path,
    place_is_read_only,
    remove_leftovers,
    side_files,
)
from coder.store.sqlite_passes import PassTables
from coder.timebase import TimeBase


class SqliteStore(PassTables):
    """A project stored in one SQLite file (implements :class:`coder.store.base.Store`)."""

    # ------------------------------------------------------------ opening
    @classmethod
    def create(
        cls, path: str | Path, setup: Callable[[SqliteStore], None] | None = None
    ) -> SqliteStore:
        """Make a new project file at ``path`` (refused if anything is there) and open it.

        The file is built under a temporary name beside ``path``, ``setup`` fills it, and only
        then is it moved into place: a half-made project never appears under ``path``.
        """
        path = Path(path)
        try:
            path.stat()
        except FileNotFoundError:
            pass
        except OSError as exc:
            why = describe_failure(exc)
            raise StoreError(f"{path}: cannot create the project file ({why})") from exc
        if path.exists():
            kind = "folder" if path.is_dir() else "file"
            raise StoreError(f"{path}: a {kind} of that name already exists; not overwritten")
        if not path.parent.is_dir():
            raise StoreError(f"{path}: the folder {path.parent} does not exist")
        remove_leftovers(path)
        temp = creating_path(path)
        for leftover in (temp, *side_files(temp)):
            leftover.unlink(missing_ok=True)
        try:
            store = cls(sqlite3.connect(temp, isolation_level=None, check_same_thread=False), temp)
            try:
                store._configure()
                schema.migrate(store._conn)
                with store.transaction():
                    store.set_meta("created_at", now_text())
                    store.set_meta("created_by", f"Attune {__version__}")
                    if setup is not None:
                        setup(store)
            finally:
                store.close()
            if path.exists():
                raise StoreError(f"{path}: a file of that name appeared meanwhile; not replaced")
            os.replace(temp, path)
        except (sqlite3.Error, OSError) as exc:
            why = describe_failure(exc, path.parent)
            raise StoreError(f"{path}: cannot create the project file ({why})") from exc
        except StoreError as exc:
            why = str(exc).removeprefix(f"{temp}: ")
            if "input/output" in why and isinstance(exc.__cause__, sqlite3.Error):
                why = describe_failure(exc.__cause__, path.parent)
            raise StoreError(f"{path}: cannot create the project file ({why})") from exc
        finally:
            for leftover in (temp, *side_files(temp)):
                leftover.unlink(missing_ok=True)
        return cls.open(path)

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        migrate: bool = True,
        read_only: bool = False,
        fall_back: bool = True,
    ) -> SqliteStore:
        """Open an existing project read-write after :func:`inspect_file` found it sound.

        An older file is copied to a backup (the SQLite backup API) and migrated forward;
        with ``migrate=False`` it is refused instead. ``read_only`` opens it for reading only
        (a file on a read-only medium, an export): every write is refused, nothing is migrated.
        A file that cannot be written where it lies (a read-only file, folder or medium) opens
        for reading only too, with ``read_only_reason`` saying why, unless ``fall_back`` is
        False. Temporary files of killed creations and migrations beside it are removed.
        """
        path = Path(path)
        version = inspect_file(path, full=not read_only)
        if read_only:
            return cls._open_read_only(path, version)
        why = place_is_read_only(path)
        if why is not None and fall_back:
            return cls._open_read_only(path, version, why)
        remove_leftovers(path)
        try:
            conn = cls._connect_rw(path)
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the project file for writing ({exc})") from exc
        store = cls(conn, path)
        try:
            store._configure()
            if version < schema.SCHEMA_VERSION:
                if not migrate:
                    raise StoreError(f"{path}: file format {version} needs upgrading")
                store._upgrade(version)
        except sqlite3.Error as exc:
            conn.close()
            if fall_back and _refused_write(exc):
                return cls._open_read_only(path, version, "the file cannot be written here")
            raise StoreError(f"{path}: cannot open the project file ({exc})") from exc
        except BaseException:
            conn.close()
            raise
        store._remember_side_files()
        store._pending = store.get_meta(PENDING_KEY) is not None
        store._reconnect = lambda: store._configured(cls._connect_rw(path))
        return store

    @staticmethod
    def unwritable_because(path: Path) -> str | None:
        """Why the project file at ``path`` cannot be written where it lies (None: it can)."""
        return place_is_read_only(path)

    @staticmethod
    def _connect_rw(path: Path) -> sqlite3.Connection:
        return sqlite3.connect(
            sqlite_uri(path.absolute(), "mode=rw"),
            uri=True,
            isolation_level=None,
            check_same_thread=False,
        )

    def _configured(self, conn: sqlite3.Connection) -> sqlite3.Connection:
        configure(conn)
        return conn

    @classmethod
    def _open_read_only(cls, path: Path, version: int, reason: str = "") -> SqliteStore:
        if version < schema.SCHEMA_VERSION:
            where = f" ({reason})" if reason else ""
            raise StoreError(
                f"{path}: file format {version} is older than this Attune's "
                f"({schema.SCHEMA_VERSION}) and can be read only after an upgrade, which "
                f"writes to it{where}; copy it to a writable folder and open it there"
            )
        try:
            conn = sqlite3.connect(
                read_only_uri(path), uri=True, isolation_level=None, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            conn.execute("PRAGMA query_only = ON")
        except sqlite3.Error as exc:
            raise StoreError(f"{path}: cannot open the project file for reading ({exc})") from exc
        store = cls(conn, path)
        store.read_only = True
        store.read_only_reason = reason
        return store

    def _configure(self) -> None:
        mode = configure(self._conn)
        if mode != "wal":
            raise StoreError(f"{self._path}: cannot switch the file to WAL mode (got {mode})")

    def _upgrade(self, version: int) -> None:
        backup = backup_to(self._conn, self._path, version)
        schema.migrate(self._conn)
        self.set_meta("migrated_from", f"{version} (backup: {backup.name})")

    # ------------------------------------------------------------ codings and coders
    def set_status(self, coding_id: int, status: CodingStatus) -> None:
        self._pass_write(
            coding_id,
            "UPDATE coding SET status = ? WHERE id = ?",
            (CodingStatus(status).value, coding_id),
        )

    def coding(self, coding_id: int) -> CodingInfo:
        found = self._codings("WHERE coding.id = ?", (coding_id,))
        if not found:
            raise StoreError(f"{self._path}: there is no coding pass {coding_id}")
        return found[0]

    def codings(self, observation_id: int | None = None) -> list[CodingInfo]:
        if observation_id is None:
            return self._codings("ORDER BY coding.observation, coding.id")
        return self._codings("WHERE coding.observation = ? ORDER BY coding.id", (observation_id,))

    def find_coding(self, observation_id: int, coder_id: int) -> CodingInfo | None:
        where = "WHERE coding.observation = ? AND coding.coder = ?"
        found = self._codings(where, (observation_id, coder_id))
        return found[0] if found else None

    def _codings(self, tail: str, params: Sequence[Any] = ()) -> list[CodingInfo]:
        rows = self._rows(f"{CODING_QUERY} {tail}", params)
        return self._decode(rows, coding_from_row, "coding pass {}")

    def create_coding(self, observation_id: int, coder_id: int, scheme_id: int) -> CodingInfo:
        now = now_text()
        with self.transaction():
            cur = self._write(
                "INSERT INTO coding (observation, coder, scheme, status, is_master, started_at, "
                "updated_at) VALUES (?,?,?,?,0,?,?)",
                (observation_id, coder_id, scheme_id, CodingStatus.IN_PROGRESS.value, now, now),
            )
            return self.coding(new_id(cur))

    def set_coding_scheme(self, coding_id: int, scheme_id: int) -> None:
        """Move a coding pass to another stored scheme version."""
        self._pass_write(
            coding_id, "UPDATE coding SET scheme = ? WHERE id = ?", (scheme_id, coding_id)
        )

    def set_master(self, coding_id: int, is_master: bool) -> None:
        """Mark a pass as the reference of its observation (un-marking any other)."""
        with self.transaction():
            info = self.coding(coding_id)
            if is_master:
                self._write(
                    "UPDATE coding SET is_master = 0 WHERE observation = ?", (info.observation_id,)
                )
            self._write("UPDATE coding SET is_master = ? WHERE id = ?", (int(is_master), coding_id))

    def ensure_coder(self, initials: str, name: str = "") -> Coder:
        initials = initials.strip()
        if not initials:
            raise ValueError("a coder needs initials")
        with self.transaction():
            rows = self._rows("SELECT id, name FROM coder WHERE initials = ?", (initials,))
            if rows:
                coder_id, stored = rows[0]
                if name and name != stored:
                    self._write("UPDATE coder SET name = ? WHERE id = ?", (name, coder_id))
                    stored = name
                return Coder(initials, stored, coder_id)
            cur = self._write("INSERT INTO coder (initials, name) VALUES (?, ?)", (initials, name))
            return Coder(initials, name, new_id(cur))

    def coders(self) -> list[Coder]:
        rows = self._rows("SELECT id, initials, name FROM coder ORDER BY initials")
        return self._decode(rows, coder_from_row, "coder {}")

    # ------------------------------------------------------------ metadata and schemes
    def get_meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        if not rows:
            return None
        return self._decode(rows, lambda r: clean_text(r[0]), f"the setting {key!r} ({{}})")[0]

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self._write(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )

    def add_scheme(self, scheme: Scheme) -> int:
        digest = scheme.content_hash
        with self.transaction():
            rows = self._rows("SELECT id FROM scheme WHERE content_hash = ?", (digest,))
            if rows:
                return int(rows[0][0])
            text = json.dumps(scheme.to_dict(), sort_keys=True, ensure_ascii=False)
            cur = self._write(
                "INSERT INTO scheme (name, version, content_hash, json, created_at) "
                "VALUES (?,?,?,?,?)",
                (scheme.name, scheme.version, digest, text, now_text()),
            )
            scheme_id = new_id(cur)
        self._schemes[scheme_id] = scheme
        return scheme_id

    def scheme(self, scheme_id: int) -> Scheme:
        cached = self._schemes.get(scheme_id)
        if cached is not None:
            return cached
        rows = self._rows("SELECT json FROM scheme WHERE id = ?", (scheme_id,))
        if not rows:
            raise StoreError(f"{self._path}: there is no stored scheme {scheme_id}")
        try:
            scheme = scheme_from_dict(
                json.loads(clean_text(rows[0][0])),
                source=f"{self._path} (scheme {scheme_id})",
                reserved_keys=(),
            )
        except (SchemeError, ValueError, TypeError, RecursionError) as exc:
            raise StoreError(f"{self._path}: stored scheme {scheme_id} is unusable: {exc}") from exc
        self._schemes[scheme_id] = scheme
        return scheme

    def scheme_ids(self) -> list[int]:
        return [r[0] for r in self._rows("SELECT id FROM scheme ORDER BY id")]

    # ------------------------------------------------------------ observations and media
    def add_observation(
        self,
        name: str,
        media: Sequence[Media],
        timebases: Sequence[TimeBase | None],
        participant: str = "",
        visit: str = "",
        date: str = "",
        notes: str = "",
    ) -> Observation:
        if len(timebases) != len(media):
            raise ValueError("one time base (or None) per medium is needed")
        with self.transaction():
            cur = self._write(
                "INSERT INTO observation (name, participant, visit, date, notes, created_at) "
                "VALUES (?,?,?,?,?,?)",
                (name, participant, visit, date, notes, now_text()),
            )
            observation_id = new_id(cur)
            for position, (medium, timebase) in enumerate(zip(media, timebases, strict=True)):
                self._write(
                    f"INSERT INTO media ({MEDIA_COLUMNS}, timebase) "
                    "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (*media_values(medium, observation_id, position), timebase_blob(timebase)),
                )
            return self.observation(observation_id)

    def observations(self) -> list[Observation]:
        rows = self._rows(
            "SELECT id, name, participant, visit, date, notes FROM observation ORDER BY id"
        )
        media: dict[int, list[Media]] = {}
        for r in self._rows(f"SELECT {MEDIA_COLUMNS} FROM media ORDER BY observation, position"):
            media.setdefault(r[1], []).append(self._medium(r))
        return [self._observation(r, media.get(r[0], ())) for r in rows]

    def observation(self, observation_id: int) -> Observation:
        rows = self._rows(
            "SELECT id, name, participant, visit, date, notes FROM observation WHERE id = ?",
            (observation_id,),
        )
        if not rows:
            raise StoreError(f"{self._path}: there is no observation {observation_id}")
        media = self._rows(
            f"SELECT {MEDIA_COLUMNS} FROM media WHERE observation = ? ORDER BY position",
            (observation_id,),
        )
        return self._observation(rows[0], [self._medium(m) for m in media])

    def _observation(self, row: Sequence[Any], media: Sequence[Media]) -> Observation:
        return self._decode([row], lambda r: observation_from_row(r, media), "observation {}")[0]

    def _medium(self, row: Any) -> Media:
        return self._decode([row], media_from_row, "medium {}")[0]

    def update_media(self, media: Media) -> None:
        if media.id is None:
            raise ValueError("a medium without an id cannot be updated")
        with self.transaction():
            cur = self._write(
                "UPDATE media SET path = ?, fingerprint = ?, size = ?, offset_us = ? WHERE id = ?",
                (media.path, media.fingerprint, media.size_bytes, media.offset_us, media.id),
            )
            if cur.rowcount != 1:
                raise StoreError(f"{self._path}: there is no medium {media.id}")

    def timebase(self, media_id: int) -> TimeBase | None:
        rows = self._rows("SELECT timebase FROM media WHERE id = ?", (media_id,))
        if not rows:
            raise StoreError(f"{self._path}: there is no medium {media_id}")
        return self._decode(rows, timebase_from_row, f"the frame times of medium {media_id}")[0]

    # ------------------------------------------------------------ checks
    def storage_problems(self) -> Iterator[str]:
        """SQLite's own integrity check, foreign keys, and rows that point nowhere."""
        with self._lock:
            try:
                problems = list(file_problems(self._conn))
            except sqlite3.Error as exc:
                problems = [f"the file is damaged: {exc}"]
        yield from problems


def _refused_write(exc: sqlite3.Error) -> bool:
    """Whether SQLite refused to set the file up because it cannot write there."""
    text = str(exc).lower()
    return "readonly" in text or "unable to open database file" in text
