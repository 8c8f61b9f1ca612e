"""The tables of a project file and the forward migrations that build and upgrade them.

The schema is written to port to other SQL servers: integer microseconds and frame indexes,
text codes, JSON text for modifiers and schemes, ISO 8601 text timestamps. A file records its
version in ``meta.schema_version``; :data:`MIGRATIONS` step ``i`` turns version ``i`` into
``i + 1``, so a new file is simply every step applied to an empty database.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

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

#: ``MIGRATIONS[i]`` upgrades a file from schema version ``i`` to ``i + 1``.
MIGRATIONS: tuple[Sequence[str], ...] = (_V1, _V2)

#: The schema version this code writes.
SCHEMA_VERSION = len(MIGRATIONS)


def read_version(conn: sqlite3.Connection) -> int:
    """The schema version recorded in the file (0 for a file without a ``meta`` table)."""
    has_meta = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
    ).fetchone()
    if not has_meta:
        return 0
    row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


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
