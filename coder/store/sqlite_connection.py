"""The connection under the project file: transactions and the helpers every query uses.

Stored text is read with ``surrogateescape``, so a byte that is not UTF-8 (a flipped bit) reaches
the row decoders, which refuse it naming the record (:mod:`coder.store.rows`) instead of
SQLite's decoder ending the read in a bare exception. Before every outermost write the side files
are checked (:class:`~coder.store.sqlite_files.SideFileWatch`): when the ``-wal`` or ``-shm``
the connection writes was removed or replaced, what the connection logged is written back into
the main file, the connection starts afresh, and the write is refused with a message saying so.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from coder.scheme import Scheme
from coder.store.base import StoreError
from coder.store.rows import decode_rows
from coder.store.schema import BUSY_TIMEOUT_MS, COMMITS_KEY, PENDING_KEY, describe_failure
from coder.store.sqlite_files import SideFileWatch, side_files

T = TypeVar("T")

#: Writes after which a long run without a pause is checkpointed all the same.
CHECKPOINT_EVERY = 500


def now_text() -> str:
    """The current UTC time as the file stores it (ISO 8601, milliseconds)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def stored_text(data: bytes) -> str:
    """How text columns are read: invalid UTF-8 is kept as surrogates for the decoders to refuse."""
    return data.decode("utf-8", "surrogateescape")


def new_id(cursor: sqlite3.Cursor) -> int:
    """The id the database gave the row an INSERT just made."""
    if cursor.lastrowid is None:
        raise StoreError("the database gave the new row no id")
    return cursor.lastrowid


class SqliteConnection:
    """One connection to a project file; writes only inside :meth:`transaction`."""

    durable = True

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        conn.text_factory = stored_text
        self._conn = conn
        self._path = path
        self._lock = threading.RLock()
        self._depth = 0
        self._schemes: dict[int, Scheme] = {}
        self.read_only = False
        #: Why the project is open for reading only ("" when it was asked for).
        self.read_only_reason = ""
        self._closed = False
        self._watch = SideFileWatch(path)
        self._pending = False  # whether the main file is marked as lacking logged writes
        self._since_checkpoint = 0
        self._wrote = False
        #: Opens a fresh read-write connection (set by the store once it is configured).
        self._reconnect: Callable[[], sqlite3.Connection] | None = None

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
                if not self.read_only and self._watch.problem() is None:
                    if self._wrote:
                        self._conn.execute("PRAGMA optimize")
                    self._clear_pending()
                    self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error:
                pass
            self._conn.close()
            self._closed = True

    # ------------------------------------------------------------ the file on its own
    def checkpoint(self) -> bool:
        """Write what the log holds into the main file, so that the ``.attune`` file alone
        holds every returned write (a sync folder or a copy takes only it).

        Does not wait for other programs reading the file; returns True when the main file
        holds everything. A side file removed or replaced meanwhile raises
        :class:`StoreError` after what was logged is written back (see the module notes).
        """
        with self._lock:
            if self._closed or self.read_only or self._depth:
                return self._closed or self.read_only
            self._check_side_files(writing=False)
            try:
                was_pending = self._clear_pending()
                busy, logged, copied = self._conn.execute(
                    "PRAGMA wal_checkpoint(PASSIVE)"
                ).fetchone()
            except sqlite3.Error as exc:
                self._undo("ROLLBACK", "")
                raise StoreError(
                    f"{self._path}: cannot write the log into the project file "
                    f"({describe_failure(exc)})"
                ) from exc
            whole = not busy and logged == copied
            self._pending = was_pending and not whole
            return whole

    # The main file says while it lacks logged writes: the first write after a checkpoint
    # records PENDING_KEY with the count of writes so far (COMMITS_KEY, raised by every
    # write) and checkpoints it, so that the mark is in the main file; the next checkpoint
    # clears it. SQLite's own checkpoints are off (configure), so a main file still marked
    # with its count is missing the writes after it when its log is gone.
    def _mark_pending(self) -> None:
        if self._pending and self._since_checkpoint < CHECKPOINT_EVERY:
            return
        if self._pending:  # a long run of writes without a pause: checkpoint now and then
            self._clear_pending()
            self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            self._conn.execute(
                "INSERT INTO meta (key, value) SELECT ?, COALESCE("
                "(SELECT value FROM meta WHERE key = ?), '0') || ' ' || ? WHERE true "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (PENDING_KEY, COMMITS_KEY, now_text()),
            )
            self._conn.execute("COMMIT")
            self._conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as exc:
            self._undo("ROLLBACK", "")
            raise StoreError(f"{self._path}: {describe_failure(exc)}") from exc
        self._pending = True
        self._since_checkpoint = 0

    def _clear_pending(self) -> bool:
        """Take the mark away (in the log; a checkpoint then carries it to the main file)."""
        if not self._pending:
            return False
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            self._conn.execute("DELETE FROM meta WHERE key = ?", (PENDING_KEY,))
            self._conn.execute("COMMIT")
        except BaseException:
            self._undo("ROLLBACK", "")
            raise
        return True

    def side_file_problem(self) -> str | None:
        """Whether the side files this connection writes were removed or replaced."""
        with self._lock:
            return None if self.read_only or self._closed else self._watch.problem()

    def _remember_side_files(self) -> None:
        self._watch.remember()

    def _check_side_files(self, writing: bool = True) -> None:
        problem = self._watch.problem()
        if problem is None:
            return
        rescued = self._rescue()
        action = "This action was not saved: do it again. " if writing else ""
        raise StoreError(
            f"{self._path}: {problem} (by a sync client or another program?). {rescued} "
            f"{action}Keep the project out of folders that sync or clean up files while it "
            "is open."
        )

    def _rescue(self) -> str:
        """Write the log this connection still holds into the main file, then start afresh."""
        try:
            self._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            saved = "Everything saved before was written back into the project file."
        except sqlite3.Error as exc:
            saved = f"Writing the saved work back into the project file failed ({exc})."
        if self._reconnect is not None:
            try:
                self._conn.close()
                for side in side_files(self._path)[:2]:  # another program's, made meanwhile:
                    side.unlink(missing_ok=True)  # replayed over this file they would damage it
                self._conn = self._reconnect()
                self._conn.text_factory = stored_text
            except sqlite3.Error as exc:
                self._closed = True
                return f"{saved} The project could not be opened again ({exc}): reopen it."
        self._watch.remember()
        return saved

    # ------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A block of writes that commits as one; nested blocks are savepoints."""
        with self._lock:
            if self._closed:
                raise StoreError(f"{self._path}: the project is closed")
            if self.read_only:
                why = f" ({self.read_only_reason})" if self.read_only_reason else ""
                raise StoreError(f"{self._path}: the project is open for reading only{why}")
            depth = self._depth
            begin, ok, undo = (
                ("BEGIN IMMEDIATE", "COMMIT", "ROLLBACK")
                if depth == 0
                else (f"SAVEPOINT s{depth}", f"RELEASE s{depth}", f"ROLLBACK TO s{depth}")
            )
            if depth == 0:
                self._check_side_files()
                self._mark_pending()
                self._wrote = True
            self._run(begin)
            self._depth = depth + 1
            try:
                yield
            except BaseException:
                self._depth = depth
                self._undo(undo, ok if depth else "")
                raise
            self._depth = depth
            try:
                if depth == 0:
                    self._count_write()
                self._run(ok)
            except BaseException:
                if depth == 0:
                    self._undo("ROLLBACK", "")
                raise

    def _count_write(self) -> None:
        self._run(
            "INSERT INTO meta (key, value) VALUES (?, '1') ON CONFLICT (key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1",
            (COMMITS_KEY,),
        )
        self._since_checkpoint += 1

    def _undo(self, undo: str, release: str) -> None:
        """Roll a failed block back. SQLite may have rolled the whole transaction back itself
        (a full disk does); its complaint then must not hide the failure that caused it."""
        if not self._conn.in_transaction:
            return
        try:
            self._conn.execute(undo)
            if release:
                self._conn.execute(release)
        except sqlite3.Error:
            if self._conn.in_transaction and self._depth == 0:
                with suppress(sqlite3.Error):
                    self._conn.execute("ROLLBACK")

    def _run(self, sql: str, params: Sequence[Any] = ()) -> sqlite3.Cursor:
        try:
            return self._conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreError(
                    f"{self._path}: the project is busy in another program (waited "
                    f"{BUSY_TIMEOUT_MS // 1000} s); try again"
                ) from exc
            raise StoreError(f"{self._path}: {describe_failure(exc)}") from exc
        except sqlite3.Error as exc:
            raise StoreError(f"{self._path}: {describe_failure(exc)}") from exc

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
        except sqlite3.Error as exc:
            raise StoreError(f"{self._path}: {describe_failure(exc)}") from exc

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            if self._closed:
                raise StoreError(f"{self._path}: the project is closed")
            cursor = self._run(sql, params)
            try:
                return cursor.fetchall()
            except sqlite3.Error as exc:
                raise StoreError(f"{self._path}: cannot read the project file ({exc})") from exc

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
