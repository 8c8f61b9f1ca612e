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
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from coder import __version__
from coder.model import Coder, CodingInfo, CodingStatus, Episode, Event, Media, Observation, Rating
from coder.scheme import Scheme, SchemeError, scheme_from_dict
from coder.store import schema
from coder.store.base import StoreError
from coder.store.rows import (
    CODING_QUERY,
    EPISODE_COLUMNS,
    EVENT_COLUMNS,
    MEDIA_COLUMNS,
    RATING_COLUMNS,
    coding_from_row,
    decode_rows,
    episode_from_row,
    event_from_row,
    event_values,
    media_from_row,
    media_values,
    rating_from_row,
    timebase_blob,
    timebase_from_row,
)
from coder.store.schema import (
    BUSY_TIMEOUT_MS,
    backup_to,
    configure,
    file_problems,
    inspect_file,
    side_files,
    sqlite_uri,
)
from coder.timebase import TimeBase

T = TypeVar("T")


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


class SqliteStore:
    """A project stored in one SQLite file (implements :class:`coder.store.base.Store`)."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._schemes: dict[int, Scheme] = {}

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
        if path.exists():
            kind = "folder" if path.is_dir() else "file"
            raise StoreError(f"{path}: a {kind} of that name already exists; not overwritten")
        if not path.parent.is_dir():
            raise StoreError(f"{path}: the folder {path.parent} does not exist")
        temp = path.with_name(f".{path.name}.{os.getpid()}.creating")
        for leftover in (temp, *side_files(temp)):
            leftover.unlink(missing_ok=True)
        try:
            store = cls(sqlite3.connect(temp, isolation_level=None, check_same_thread=False), temp)
            try:
                store._configure()
                schema.migrate(store._conn)
                with store.transaction():
                    store.set_meta("created_at", _now())
                    store.set_meta("created_by", f"Attune {__version__}")
                    if setup is not None:
                        setup(store)
            finally:
                store.close()
            if path.exists():
                raise StoreError(f"{path}: a file of that name appeared meanwhile; not replaced")
            os.replace(temp, path)
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(f"{path}: cannot create the project file ({exc})") from exc
        finally:
            for leftover in (temp, *side_files(temp)):
                leftover.unlink(missing_ok=True)
        return cls.open(path)

    @classmethod
    def open(cls, path: str | Path, *, migrate: bool = True) -> SqliteStore:
        """Open an existing project read-write after :func:`inspect_file` found it sound.

        An older file is copied to a backup (the SQLite backup API) and migrated forward;
        with ``migrate=False`` it is refused instead.
        """
        path = Path(path)
        version = inspect_file(path)
        try:
            conn = sqlite3.connect(
                sqlite_uri(path.absolute(), "mode=rw"),
                uri=True,
                isolation_level=None,
                check_same_thread=False,
            )
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
            raise StoreError(f"{path}: cannot open the project file ({exc})") from exc
        except BaseException:
            conn.close()
            raise
        return store

    def _configure(self) -> None:
        mode = configure(self._conn)
        if mode != "wal":
            raise StoreError(f"{self._path}: cannot switch the file to WAL mode (got {mode})")

    def _upgrade(self, version: int) -> None:
        backup = backup_to(self._conn, self._path, version)
        schema.migrate(self._conn)
        self.set_meta("migrated_from", f"{version} (backup: {backup.name})")

    @property
    def location(self) -> str:
        return str(self._path)

    @property
    def path(self) -> Path:
        return self._path

    def close(self) -> None:
        """Close the file (a transaction left open is rolled back)."""
        with self._lock:
            if self._conn is None:
                return
            try:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                self._conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass
            self._conn.close()
            self._conn = None  # type: ignore[assignment]

    # ------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A block of writes that commits as one; nested blocks are savepoints."""
        with self._lock:
            if self._conn is None:
                raise StoreError(f"{self._path}: the project is closed")
            depth = self._depth
            begin, ok, undo = (
                ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
                if depth == 0
                else (f"SAVEPOINT s{depth}", f"RELEASE s{depth}", f"ROLLBACK TO s{depth}")
            )
            self._run(begin)
            self._depth = depth + 1
            try:
                yield
            except BaseException:
                self._depth = depth
                self._conn.execute(undo)
                if depth:
                    self._conn.execute(ok)
                raise
            self._depth = depth
            try:
                self._run(ok)
            except BaseException:
                if depth == 0 and self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise

    def _run(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(
                    f"{self._path}: the project is busy in another program (waited "
                    f"{BUSY_TIMEOUT_MS // 1000} s); try again"
                ) from exc
            raise StoreError(f"{self._path}: {exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"{self._path}: {exc}") from exc

    def _decode(self, rows: Sequence[Any], decode: Callable[[Any], T], name: str) -> list[T]:
        return decode_rows(str(self._path), rows, decode, name)

    def _write(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        if self._depth == 0:
            raise RuntimeError("writes must run inside store.transaction()")
        return self._run(sql, params)

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            if self._conn is None:
                raise StoreError(f"{self._path}: the project is closed")
            return self._run(sql, params).fetchall()

    def _pass_write(self, coding_id: int, sql: str, params: Sequence[Any]) -> sqlite3.Cursor:
        """One write to a coding pass's records; the pass's update time moves with it."""
        with self.transaction():
            self._touch(coding_id)
            return self._write(sql, params)

    def _touch(self, coding_id: int) -> None:
        cur = self._write(
            "UPDATE coding SET updated_at = ?, revision = revision + 1 WHERE id = ?",
            (_now(), coding_id),
        )
        if cur.rowcount != 1:
            raise StoreError(f"{self._path}: there is no coding pass {coding_id}")

    def revision(self, coding_id: int) -> int:
        rows = self._rows("SELECT revision FROM coding WHERE id = ?", (coding_id,))
        if not rows:
            raise StoreError(f"{self._path}: there is no coding pass {coding_id}")
        return int(rows[0][0])

    # ------------------------------------------------------------ events
    def insert_event(self, coding_id: int, event: Event) -> int:
        cur = self._pass_write(
            coding_id,
            "INSERT INTO event (id, coding, behaviour, subject, is_state, onset_us, "
            "onset_frame, offset_us, offset_frame, modifiers, comment) "
            "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (event.id, coding_id, *event_values(event)),
        )
        return int(cur.lastrowid if event.id is None else event.id)

    def update_event(self, coding_id: int, event: Event) -> None:
        if event.id is None:
            raise ValueError("an event without an id cannot be updated")
        cur = self._pass_write(
            coding_id,
            "UPDATE event SET behaviour = ?, subject = ?, is_state = ?, onset_us = ?, "
            "onset_frame = ?, offset_us = ?, offset_frame = ?, modifiers = ?, comment = ? "
            "WHERE id = ? AND coding = ?",
            (*event_values(event), event.id, coding_id),
        )
        if cur.rowcount != 1:
            raise StoreError(f"{self._path}: coding {coding_id} has no event {event.id}")

    def delete_event(self, coding_id: int, event_id: int) -> None:
        cur = self._pass_write(
            coding_id, "DELETE FROM event WHERE id = ? AND coding = ?", (event_id, coding_id)
        )
        if cur.rowcount != 1:
            raise StoreError(f"{self._path}: coding {coding_id} has no event {event_id}")

    def load_events(self, coding_id: int) -> list[Event]:
        rows = self._rows(
            f"SELECT {EVENT_COLUMNS} FROM event WHERE coding = ? ORDER BY onset_us, id",
            (coding_id,),
        )
        return self._decode(rows, event_from_row, f"event {{}} of coding pass {coding_id}")

    def event_counts(self) -> dict[int, int]:
        """Number of events of every coding pass that has any."""
        return dict(self._rows("SELECT coding, COUNT(*) FROM event GROUP BY coding"))

    # ------------------------------------------------------------ ratings and episodes
    def put_rating(self, coding_id: int, rating: Rating) -> None:
        self._pass_write(
            coding_id,
            "INSERT INTO rating (coding, scale, segment, value, comment) VALUES (?,?,?,?,?) "
            "ON CONFLICT (coding, scale, segment) DO UPDATE SET value = excluded.value, "
            "comment = excluded.comment",
            (coding_id, rating.scale, rating.segment, float(rating.value), rating.comment),
        )

    def delete_rating(self, coding_id: int, scale: str, segment: str) -> None:
        self._pass_write(
            coding_id,
            "DELETE FROM rating WHERE coding = ? AND scale = ? AND segment = ?",
            (coding_id, scale, segment),
        )

    def load_ratings(self, coding_id: int) -> list[Rating]:
        rows = self._rows(
            f"SELECT {RATING_COLUMNS} FROM rating WHERE coding = ? ORDER BY id", (coding_id,)
        )
        return self._decode(rows, rating_from_row, f"rating {{}} of coding pass {coding_id}")

    def rating_counts(self) -> dict[int, int]:
        """Number of ratings of every coding pass that has any."""
        return dict(self._rows("SELECT coding, COUNT(*) FROM rating GROUP BY coding"))

    def put_episode(self, coding_id: int, episode: Episode) -> None:
        end = episode.end
        start = (episode.start.us, episode.start.frame)
        self._pass_write(
            coding_id,
            f"INSERT INTO episode (coding, {EPISODE_COLUMNS}) VALUES (?,?,?,?,?,?) "
            "ON CONFLICT (coding, code) DO UPDATE SET start_us = excluded.start_us, "
            "start_frame = excluded.start_frame, end_us = excluded.end_us, "
            "end_frame = excluded.end_frame",
            (coding_id, episode.code, *start, *((end.us, end.frame) if end else (None, None))),
        )

    def delete_episode(self, coding_id: int, code: str) -> None:
        self._pass_write(
            coding_id, "DELETE FROM episode WHERE coding = ? AND code = ?", (coding_id, code)
        )

    def load_episodes(self, coding_id: int) -> list[Episode]:
        rows = self._rows(
            f"SELECT {EPISODE_COLUMNS} FROM episode WHERE coding = ? ORDER BY start_us, id",
            (coding_id,),
        )
        return self._decode(rows, episode_from_row, f"episode {{}} of coding pass {coding_id}")

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
        now = _now()
        with self.transaction():
            cur = self._write(
                "INSERT INTO coding (observation, coder, scheme, status, is_master, started_at, "
                "updated_at) VALUES (?,?,?,?,0,?,?)",
                (observation_id, coder_id, scheme_id, CodingStatus.IN_PROGRESS.value, now, now),
            )
            return self.coding(int(cur.lastrowid))

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
            return Coder(initials, name, int(cur.lastrowid))

    def coders(self) -> list[Coder]:
        rows = self._rows("SELECT id, initials, name FROM coder ORDER BY initials")
        return [Coder(r[1], r[2], r[0]) for r in rows]

    # ------------------------------------------------------------ metadata and schemes
    def get_meta(self, key: str) -> str | None:
        rows = self._rows("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

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
                (scheme.name, scheme.version, digest, text, _now()),
            )
            scheme_id = int(cur.lastrowid)
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
                json.loads(rows[0][0]),
                source=f"{self._path} (scheme {scheme_id})",
                reserved_keys=(),
            )
        except (SchemeError, ValueError) as exc:
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
                (name, participant, visit, date, notes, _now()),
            )
            observation_id = int(cur.lastrowid)
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
        return [Observation(*r, media=tuple(media.get(r[0], ()))) for r in rows]

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
        return Observation(*rows[0], media=tuple(self._medium(m) for m in media))

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
