"""The project file format: its tables, forward migrations, and the read-only checks of a file.

The schema is written to port to other SQL servers: integer microseconds and frame indexes,
text codes, JSON text for modifiers and schemes, ISO 8601 text timestamps. A file records its
version in ``meta.schema_version``; :data:`MIGRATIONS` step ``i`` turns version ``i`` into
``i + 1``, so a new file is simply every step applied to an empty database.
:func:`inspect_file` tells whether a file is a sound project of a version this code reads,
without writing to it.
"""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path, PurePath

from coder.store.base import DamagedFileError, StoreError
from coder.store.sqlite_files import (
    partial_path,
    place_is_read_only,
    side_file_problem,
    side_files,
)

#: ``PRAGMA application_id`` of every Attune project file (the bytes ``ATUN``).
APPLICATION_ID = 0x4154554E

# Step 1: the core records of a project.
_V1 = (
    """CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    )""",
    """CREATE TABLE scheme (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        version TEXT NOT NULL,
        content_hash TEXT NOT NULL UNIQUE,
        json TEXT NOT NULL,
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE observation (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        participant TEXT NOT NULL DEFAULT '',
        visit TEXT NOT NULL DEFAULT '',
        date TEXT NOT NULL DEFAULT '',
        notes TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    )""",
    """CREATE TABLE media (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        observation INTEGER NOT NULL REFERENCES observation(id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        path TEXT NOT NULL,
        fingerprint TEXT NOT NULL,
        size INTEGER NOT NULL,
        duration_us INTEGER NOT NULL,
        frame_count INTEGER NOT NULL,
        fps REAL NOT NULL,
        width INTEGER NOT NULL DEFAULT 0,
        height INTEGER NOT NULL DEFAULT 0,
        has_audio INTEGER NOT NULL DEFAULT 0,
        vfr INTEGER NOT NULL DEFAULT 0,
        offset_us INTEGER NOT NULL DEFAULT 0,
        timebase BLOB,
        UNIQUE (observation, position)
    )""",
    """CREATE TABLE coder (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        initials TEXT NOT NULL UNIQUE,
        name TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE coding (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        observation INTEGER NOT NULL REFERENCES observation(id) ON DELETE CASCADE,
        coder INTEGER NOT NULL REFERENCES coder(id),
        scheme INTEGER NOT NULL REFERENCES scheme(id),
        status TEXT NOT NULL DEFAULT 'in_progress',
        is_master INTEGER NOT NULL DEFAULT 0,
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        UNIQUE (observation, coder)
    )""",
    """CREATE TABLE event (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        coding INTEGER NOT NULL REFERENCES coding(id) ON DELETE CASCADE,
        behaviour TEXT NOT NULL,
        subject TEXT NOT NULL DEFAULT '',
        is_state INTEGER NOT NULL,
        onset_us INTEGER NOT NULL,
        onset_frame INTEGER NOT NULL,
        offset_us INTEGER,
        offset_frame INTEGER,
        modifiers TEXT NOT NULL DEFAULT '[]',
        comment TEXT NOT NULL DEFAULT ''
    )""",
    """CREATE TABLE rating (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        coding INTEGER NOT NULL REFERENCES coding(id) ON DELETE CASCADE,
        scale TEXT NOT NULL,
        segment TEXT NOT NULL,
        value REAL NOT NULL,
        comment TEXT NOT NULL DEFAULT '',
        UNIQUE (coding, scale, segment)
    )""",
    "CREATE INDEX event_by_coding ON event (coding, onset_us)",
    "CREATE INDEX media_by_observation ON media (observation, position)",
)

# Step 2: coder-marked episodes, and indexes for the lookups by coder and by scheme.
_V2 = (
    """CREATE TABLE episode (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        coding INTEGER NOT NULL REFERENCES coding(id) ON DELETE CASCADE,
        code TEXT NOT NULL,
        start_us INTEGER NOT NULL,
        start_frame INTEGER NOT NULL,
        end_us INTEGER,
        end_frame INTEGER,
        UNIQUE (coding, code)
    )""",
    "CREATE INDEX coding_by_coder ON coding (coder)",
    "CREATE INDEX coding_by_scheme ON coding (scheme)",
)

# Step 3: a revision number per coding pass, raised by every write to the pass, so that a copy
# of a pass open elsewhere (another window, a script) cannot write over newer work.
_V3 = ("ALTER TABLE coding ADD COLUMN revision INTEGER NOT NULL DEFAULT 0",)

#: ``MIGRATIONS[i]`` upgrades a file from schema version ``i`` to ``i + 1``.
MIGRATIONS: tuple[Sequence[str], ...] = (_V1, _V2, _V3)

#: The schema version this code writes.
SCHEMA_VERSION = len(MIGRATIONS)


def read_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the file (0 for a file without a ``meta`` table).

    A version that is not a whole number raises :class:`DamagedFileError` (without the file's
    name, which the caller adds)."""
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if not has_meta:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    if not row:
        return 0
    value = row[0]
    if isinstance(value, bytes | bytearray):
        value = bytes(value).decode("utf-8", "replace")
    text = str(value).strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 6:
        raise DamagedFileError(f"its file format version {str(value)[:40]!r} is not a number")
    return int(text)


def migrate(conn: sqlite3.Connection, target: int = SCHEMA_VERSION) -> int:
    """Apply the steps from the file's version up to ``target`` in one transaction.

    The connection must be in autocommit mode (``isolation_level=None``). Returns the version
    the file had before. A failing step rolls everything back.
    """
    if not 0 <= target <= SCHEMA_VERSION:
        raise ValueError(f"no schema version {target} (known: 0..{SCHEMA_VERSION})")
    conn.execute("BEGIN IMMEDIATE")
    try:
        start = read_version(conn)
        for step in MIGRATIONS[start:target]:
            for statement in step:
                conn.execute(statement)
        if target > start:
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(
                "INSERT INTO meta (key, value) VALUES ('schema_version', ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(target),),
            )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return start


#: How long a write waits for another process holding the file before giving up (ms).
BUSY_TIMEOUT_MS = 15_000
#: The meta key that marks a main file lacking writes still in its log (``-wal``); see
#: :class:`coder.store.sqlite_connection.SqliteConnection`.
PENDING_KEY = "log_pending_since"
#: The meta key counting the file's write transactions (what a pending mark compares).
COMMITS_KEY = "writes"
_SQLITE_MAGIC = b"SQLite format 3\x00"


def sqlite_uri(path: PurePath, query: str) -> str:
    """The ``file:`` URI of the absolute ``path`` as SQLite reads it, with ``query``.

    SQLite refuses a URI with a host (``file://server/share/...``), which is how a Windows
    network path (``\\\\server\\share\\...``) is written as a URI; it is written with an
    empty host instead (``file:////server/share/...``). Callers make paths absolute with
    ``Path.absolute()``, not ``resolve()``: on Windows, resolving turns a mapped drive letter
    into such a network path.
    """
    uri = path.as_uri()
    if not uri.startswith("file:///"):
        uri = "file:////" + uri.removeprefix("file://")
    return f"{uri}?{query}"


def read_only_uri(path: Path) -> str:
    """A read-only URI; ``immutable`` when no other connection is using the file.

    A read-only connection to a WAL file would otherwise leave ``-wal``/``-shm`` files beside
    a file it refuses. With neither present, nobody has the file open and its whole content
    is in the main file.
    """
    query = "mode=ro"
    if not any(side.exists() for side in side_files(path)[:2]):
        query += "&immutable=1"
    return sqlite_uri(path.absolute(), query)


def inspect_file(path: str | Path, *, full: bool = True) -> int:
    """Check that ``path`` is a sound Attune project this code can read; return its version.

    Reads only (a ``mode=ro`` connection): the file's bytes and time stamps are left as they
    were. Raises :class:`StoreError` naming the file for a missing file, a file that is not
    SQLite, an SQLite file of another program, a file from a newer Attune, or a damaged file.
    ``full`` checks indexes against their tables too (before any write); without it the
    quicker check of every page and row is enough for a file opened for reading only.
    """
    path = Path(path)
    try:
        path.stat()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise StoreError(f"{path}: cannot open the project file ({describe_failure(exc)})") from exc
    if path.is_dir():
        raise StoreError(f"{path}: a folder, not an Attune project file")
    if not path.is_file():
        raise StoreError(f"{path}: no such project file")
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError as exc:
        raise StoreError(f"{path}: cannot read the file ({exc.strerror or exc})") from exc
    if len(header) == 0:
        raise StoreError(f"{path}: the file is empty, not an Attune project")
    if not header.startswith(_SQLITE_MAGIC):
        raise StoreError(f"{path}: not an Attune project (not an SQLite database)")
    if (problem := side_file_problem(path)) is not None:
        raise DamagedFileError(f"{path}: {problem}; the file was not opened")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"{path}: cannot open the file ({exc})") from exc
    try:
        return _inspect(conn, path, full)
    except sqlite3.OperationalError as exc:
        why = place_is_read_only(path)
        if why is not None and any(side.exists() for side in side_files(path)[:2]):
            raise StoreError(
                f"{path}: cannot read the project: {why} and its side files "
                f"({path.name}-wal, -shm) still hold changes SQLite must write back; copy the "
                "project file with its side files to a writable folder and open it there"
            ) from exc
        raise StoreError(f"{path}: cannot read the project file ({exc})") from exc
    except sqlite3.Error as exc:
        raise DamagedFileError(f"{path}: the project file is damaged ({exc})") from exc
    finally:
        conn.close()


def _inspect(conn: sqlite3.Connection, path: Path, full: bool = True) -> int:
    """The checks of :func:`inspect_file` over an open read-only connection."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    if app_id != APPLICATION_ID:
        raise StoreError(f"{path}: not an Attune project (an SQLite database of another program)")
    try:
        version = read_version(conn)
    except DamagedFileError as exc:
        raise DamagedFileError(f"{path}: the project file is damaged ({exc})") from exc
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path}: made by a newer Attune (file format {version}; this version reads "
            f"up to {SCHEMA_VERSION}); update Attune to open it"
        )
    wal = side_files(path)[0]
    if (since := _missing_writes_since(conn)) and (not wal.is_file() or wal.stat().st_size == 0):
        raise DamagedFileError(
            f"{path}: the file lacks what was saved after {since}: that is in "
            f"its side file {wal.name}, which is missing (a copy or sync took the file alone, "
            "or the side file was removed). If the project is open in Attune, on this or "
            "another computer, leave it idle for a few seconds or close it there, then copy "
            "it again; the file was not opened"
        )
    # The full check (indexes against their tables too): about 40 ms for 100 000 events; the
    # quick one (pages and rows, not indexes) about a third of that.
    check = "integrity_check" if full else "quick_check"
    problems = [_plain(row[0]) for row in conn.execute(f"PRAGMA {check}(5)")]
    if problems != ["ok"]:
        raise DamagedFileError(f"{path}: the project file is damaged ({problems[0]})")
    return version


def _missing_writes_since(conn: sqlite3.Connection) -> str | None:
    """When the file is marked as lacking logged writes and has none since the mark: the
    mark's time (else None; a mark followed by writes was carried over by a checkpoint)."""
    rows = dict(
        conn.execute(
            "SELECT key, value FROM meta WHERE key IN (?, ?)", (PENDING_KEY, COMMITS_KEY)
        ).fetchall()
    )
    mark = _plain(rows.get(PENDING_KEY) or "")
    if not mark:
        return None
    count, _, when = mark.partition(" ")
    writes = _plain(rows.get(COMMITS_KEY) or "0")
    if count.isdigit() and writes.isdigit() and int(writes) > int(count):
        return None
    return when[:23] or "an unknown time"


def _plain(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _backup_path(path: Path, version: int) -> Path:
    candidate = path.with_name(f"{path.stem}.v{version}-backup{path.suffix}")
    if not candidate.exists():
        return candidate
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%f")
    return path.with_name(f"{path.stem}.v{version}-backup-{stamp}{path.suffix}")


def backup_to(conn: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the open database beside ``path`` (``name.v1-backup.attune``) with the backup API.

    The copy is one self-contained file (rollback journal mode). Returns its path.
    """
    backup = _backup_path(path, version)
    partial = partial_path(backup)  # a killed copy never looks like a project
    try:
        target = sqlite3.connect(partial, isolation_level=None)
        try:
            conn.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
        finally:
            target.close()
        os.replace(partial, backup)
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        raise StoreError(
            f"{path}: cannot make the backup copy {backup.name} before upgrading the file "
            f"({describe_failure(exc)}); the file was not changed"
        ) from exc
    return backup


def configure(conn: sqlite3.Connection) -> str:
    """Set a read-write connection up: waits for other writers, WAL, fsync on every commit,
    foreign keys. Returns the journal mode in force (``"wal"`` unless the file system refuses).

    ``synchronous=FULL`` fsyncs the log at each commit, so a commit survives a power cut too;
    measured p99 of one durable action stays well under 5 ms (``benchmarks/bench_store.py``).
    """
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")  # the store checkpoints (sqlite_connection)
    conn.execute("PRAGMA foreign_keys = ON")
    return mode


def file_problems(conn: sqlite3.Connection) -> Iterator[str]:
    """SQLite's integrity check, foreign keys, and rows that point nowhere, as sentences."""
    found = [row[0] for row in conn.execute("PRAGMA integrity_check(20)")]
    if found != ["ok"]:
        yield from (f"the file is damaged: {text}" for text in found)
    for table, rowid, parent, _ in conn.execute("PRAGMA foreign_key_check").fetchall():
        yield f"{table} row {rowid} points to a missing {parent}"
    for obs_id, name in conn.execute(
        "SELECT id, name FROM observation WHERE id NOT IN (SELECT observation FROM media)"
    ).fetchall():
        yield f"observation {name!r} (id {obs_id}) has no media"
    current = conn.execute("SELECT value FROM meta WHERE key = 'current_scheme'").fetchone()
    stored = current and conn.execute("SELECT 1 FROM scheme WHERE id = ?", current).fetchone()
    if not stored:
        yield f"the project's current scheme ({current[0] if current else None}) is not stored"


def describe_failure(exc: BaseException, folder: Path | None = None) -> str:
    """What really went wrong in a failed write, in words for people (a full disk, a read-only
    file, a name too long) rather than SQLite's follow-on complaint. With ``folder``, an
    input/output error on a disk with (almost) no free space is told as the full disk it is."""
    text = str(exc)
    if folder is not None and "disk i/o error" in text.lower():
        try:
            if shutil.disk_usage(folder).free < 1_000_000:
                return "the disk is full (or the file reached its size limit): free some space"
        except OSError:
            pass
    lower = text.lower()
    code = getattr(exc, "errno", None)
    if code == errno.ENOSPC or "disk is full" in lower or "database or disk is full" in lower:
        return "the disk is full (or the file reached its size limit): free some space"
    if code in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in lower:
        return "the file or its folder cannot be written (read-only)"
    if code == errno.ENAMETOOLONG or "name too long" in lower:
        return "the file name or path is too long for this file system"
    if "disk i/o error" in lower or code == errno.EIO:
        return "the disk reported an input/output error"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return text
