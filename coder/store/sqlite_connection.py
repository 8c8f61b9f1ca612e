"""The connection under the project file: transactions and the helpers every query uses."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from coder.scheme import Scheme
from coder.store.base import StoreError
from coder.store.rows import decode_rows
from coder.store.schema import BUSY_TIMEOUT_MS

T = TypeVar("T")


def now_text() -> str:
    """The current UTC time as the file stores it (ISO 8601, milliseconds)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def new_id(cursor: sqlite3.Cursor) -> int:
    """The id the database gave the row an INSERT just made."""
    if cursor.lastrowid is None:
        raise StoreError("the database gave the new row no id")
    return cursor.lastrowid


class SqliteConnection:
    """One connection to a project file; writes only inside :meth:`transaction`."""

    durable = True

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self._conn = conn
        self._path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._schemes: dict[int, Scheme] = {}
        self.read_only = False
        self._closed = False

    @property
    def location(self) -> str:
        return str(self._path)

    @property
    def path(self) -> Path:
        return self._path

    def close(self) -> None:
        """Close the file (a transaction left open is rolled back)."""
        with self._lock:
            if self._closed:
                return
            try:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                if not self.read_only:
                    self._conn.execute("PRAGMA optimize")
            except sqlite3.Error:
                pass
            self._conn.close()
            self._closed = True

    # ------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A block of writes that commits as one; nested blocks are savepoints."""
        with self._lock:
            if self._closed:
                raise StoreError(f"{self._path}: the project is closed")
            if self.read_only:
                raise StoreError(f"{self._path}: the project is open for reading only")
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

    def _write_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        """One statement run for many rows (inside a transaction)."""
        if self._depth == 0:
            raise RuntimeError("writes must run inside store.transaction()")
        try:
            self._conn.executemany(sql, rows)
        except sqlite3.IntegrityError as exc:
            raise StoreError(f"{self._path}: {exc}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"{self._path}: {exc}") from exc

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            if self._closed:
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
            (now_text(), coding_id),
        )
        if cur.rowcount != 1:
            raise StoreError(f"{self._path}: there is no coding pass {coding_id}")

    def revision(self, coding_id: int) -> int:
        rows = self._rows("SELECT revision FROM coding WHERE id = ?", (coding_id,))
        if not rows:
            raise StoreError(f"{self._path}: there is no coding pass {coding_id}")
        return int(rows[0][0])
