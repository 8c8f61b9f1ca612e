"""The connection to a lab server: transactions, reconnection, and errors a coder can read.

Every write runs inside :meth:`PgConnection.transaction`; the outermost block is ``BEGIN`` …
``COMMIT`` and returns only once the server has committed it (``synchronous_commit`` is
kept on). A server that cannot be reached, or a connection lost mid-action, raises a
:class:`~coder.store.base.StoreError` at once that names the server (never the password) and
says that the action was not saved; the next action connects again (a link found lost as an
action begins, before anything of it was sent, is replaced at once). When the link breaks
during ``COMMIT`` itself the outcome is unknown, and the error says so: the pass's revision
number then refuses further writes from the out-of-date session rather than guessing.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import Any, TypeVar

import psycopg
from psycopg import errors as pg_errors
from psycopg import sql

from coder.scheme import Scheme
from coder.store.base import StoreError
from coder.store.postgres import address
from coder.store.postgres.ddl import SCHEMA
from coder.store.rows import decode_rows

T = TypeVar("T")

#: How long a write waits for a lock another coder holds before giving up (ms).
LOCK_TIMEOUT_MS = 15_000


class ServerUnreachableError(StoreError):
    """The lab server cannot be reached (or the link was lost); nothing was saved."""


class ConflictError(StoreError):
    """A shared record (a setting, a medium) changed on the server since this copy read it."""


def now_text() -> str:
    """The current UTC time as the project stores it (ISO 8601, milliseconds)."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text.removeprefix("connection failed: ") or type(exc).__name__


class PgConnection:
    """One connection to a project on a server; writes only inside :meth:`transaction`."""

    durable = True

    def __init__(self, url: str, *, read_only: bool = False, schema: bool = True) -> None:
        self._url = url
        self._where = address.display(url)
        self._lock = threading.RLock()
        self._conn: psycopg.Connection[Any] | None = None
        self._depth = 0
        #: ``BEGIN``/``SAVEPOINT``/``RELEASE`` not sent yet: they go with the next statement
        #: (a block that sends nothing costs nothing; see :meth:`transaction`).
        self._queued: list[str] = []
        #: Revisions of passes this transaction wrote (their rows are locked until it ends).
        self._revisions: dict[int, int] = {}
        self._schemes: dict[int, Scheme] = {}
        self._seen: dict[tuple[str, str], int | None] = {}
        self._pending: dict[tuple[str, str], int | None] = {}
        self.read_only = read_only
        self._closed = False
        self._schema = schema
        self._connect()

    @classmethod
    def maintenance(cls, url: str) -> PgConnection:
        """A connection to the same server's ``postgres`` database (to create databases)."""
        return PgConnection(address.with_database(url, "postgres"), schema=False)

    # ------------------------------------------------------------ connecting
    @property
    def location(self) -> str:
        """The server's address without any password."""
        return self._where

    @property
    def url(self) -> str:
        """The address this store was opened with (as given: it may hold a password)."""
        return self._url

    def _connect(self) -> psycopg.Connection[Any]:
        try:
            conn = psycopg.connect(address.conninfo(self._url), autocommit=True)
        except psycopg.OperationalError as exc:
            reason = _reason(exc)
            if "FATAL:" in reason:  # reached, and refused: a login or a database problem
                refusal = reason.split("FATAL:", 1)[1].strip()
                hint = (
                    "; `attune server init URL --scheme SCHEME` makes it"
                    if "does not exist" in refusal
                    else ""
                )
                raise StoreError(
                    f"{self._where}: the lab server refused the connection ({refusal}){hint}"
                ) from exc
            if "no password supplied" in reason:  # reached: it asks for a password
                raise StoreError(
                    f"{self._where}: the lab server asks for a password and none was given; "
                    "put it in the password file (~/.pgpass, or the file PGPASSFILE names), "
                    "a service file entry, or PGPASSWORD"
                ) from exc
            if "does not support SSL" in reason:  # reached: it cannot do what sslmode asks
                raise StoreError(
                    f"{self._where}: the lab server does not offer SSL, which the address's "
                    "sslmode requires"
                ) from exc
            raise ServerUnreachableError(
                f"{self._where}: cannot reach the lab server ({reason}); nothing was "
                "saved. Check the network and that the server runs, then try again"
            ) from exc
        except psycopg.Error as exc:
            raise StoreError(f"{self._where}: cannot connect ({_reason(exc)})") from exc
        try:
            if self._schema:
                conn.execute(f"SET search_path = {SCHEMA}")
            conn.execute(f"SET lock_timeout = {LOCK_TIMEOUT_MS}")
            if conn.execute("SHOW synchronous_commit").fetchone() == ("off",):
                conn.execute("SET synchronous_commit = on")  # a returned write is committed
            if self.read_only:
                conn.execute("SET default_transaction_read_only = on")
        except psycopg.Error as exc:
            conn.close()
            raise StoreError(
                f"{self._where}: cannot set the connection up ({_reason(exc)})"
            ) from exc
        self._conn = conn
        return conn

    def _connection(self) -> psycopg.Connection[Any]:
        """The open connection; a lost one is replaced (only between transactions)."""
        if self._closed:
            raise StoreError(f"{self._where}: the project is closed")
        conn = self._conn
        if conn is None or conn.closed or conn.broken:
            if self._depth:
                raise ServerUnreachableError(
                    f"{self._where}: the connection to the lab server was lost; this action "
                    "was not saved"
                )
            self._discard()
            conn = self._connect()
        return conn

    def _discard(self) -> None:
        if self._conn is not None:
            with suppress(psycopg.Error):
                self._conn.close()
        self._conn = None

    def close(self) -> None:
        """Close the connection (a transaction left open is rolled back by the server)."""
        with self._lock:
            if self._closed:
                return
            self._discard()
            self._closed = True

    # ------------------------------------------------------------ transactions
    @contextmanager
    def transaction(self) -> Iterator[None]:
        """A block of writes that commits as one; nested blocks are savepoints.

        ``BEGIN``, ``SAVEPOINT`` and ``RELEASE`` wait in a queue and are sent with the next
        statement in one round trip; a block that sent nothing is dropped from the queue, and
        releases still queued at the end are covered by ``COMMIT``. So one coding action costs
        a few round trips to the server, not one per nested block.
        """
        with self._lock:
            if self.read_only:
                self._connection()
                raise StoreError(f"{self._where}: the project is open for reading only")
            depth = self._depth
            if depth == 0:
                self._connection()  # a link known to be lost is replaced before anything
                self._queued = []
                self._revisions.clear()
            opener = f"SAVEPOINT s{depth}" if depth else "BEGIN"
            self._queued.append(opener)
            self._depth = depth + 1
            try:
                yield
            except BaseException:
                self._depth = depth
                self._revisions.clear()  # rolled back: read them again
                if self._queued and self._queued[-1] == opener:
                    self._queued.pop()  # nothing of this block reached the server
                elif depth:
                    self._undo(f"ROLLBACK TO SAVEPOINT s{depth}; RELEASE SAVEPOINT s{depth}")
                else:
                    self._undo("ROLLBACK")
                if depth == 0:
                    self._queued = []
                    self._pending.clear()
                raise
            self._depth = depth
            if self._queued and self._queued[-1] == opener:
                self._queued.pop()
                if depth == 0:
                    self._seen.update(self._pending)
                    self._pending.clear()
                return
            if depth:
                self._queued.append(f"RELEASE SAVEPOINT s{depth}")
                return
            self._queued = []
            self._revisions.clear()
            conn = self._conn
            if conn is None or conn.closed or conn.broken:  # lost inside: rolled back there
                self._pending.clear()
                self._discard()
                raise ServerUnreachableError(
                    f"{self._where}: the connection to the lab server was lost; this action "
                    "was not saved"
                )
            try:
                conn.execute("COMMIT")
            except psycopg.OperationalError as exc:
                self._pending.clear()
                self._discard()
                raise ServerUnreachableError(
                    f"{self._where}: the connection to the lab server was lost while saving "
                    f"({_reason(exc)}); the last action may or may not have been saved — open "
                    "the pass again to see"
                ) from exc
            except psycopg.Error as exc:
                self._pending.clear()
                self._quietly(conn, "ROLLBACK")
                raise self._error(exc) from exc
            self._seen.update(self._pending)
            self._pending.clear()

    def _undo(self, statement: str) -> None:
        """Roll a block back after a failure (what is still queued is sent first)."""
        statement = "; ".join([*self._queued, statement])
        self._queued = []
        conn = self._conn
        if conn is None:
            return
        self._quietly(conn, statement)

    def _flush(self, conn: psycopg.Connection[Any]) -> psycopg.Connection[Any]:
        """Send the queued ``BEGIN``/``SAVEPOINT``/``RELEASE`` in one round trip; returns the
        connection to go on with. A link found lost as a transaction begins, before anything
        of it was sent, is replaced once: a server restarted while the coder paused costs
        nothing."""
        statement = "; ".join(self._queued)
        fresh = self._queued[0] == "BEGIN"
        self._queued = []
        try:
            conn.execute(statement, prepare=False)
            return conn
        except psycopg.Error as exc:
            if not (conn.broken or conn.closed):
                raise self._error(exc) from exc
            self._discard()
            if not fresh:
                raise ServerUnreachableError(
                    f"{self._where}: lost the connection to the lab server "
                    f"({_reason(exc)}); this action was not saved"
                ) from exc
        conn = self._connect()
        try:
            conn.execute(statement, prepare=False)
        except psycopg.Error as exc:
            self._discard()
            raise ServerUnreachableError(
                f"{self._where}: lost the connection to the lab server ({_reason(exc)}); "
                "this action was not saved"
            ) from exc
        return conn

    def _quietly(self, conn: psycopg.Connection[Any], statement: str) -> None:
        """Roll back after a failure; a connection that is gone has rolled back by itself."""
        if conn.closed or conn.broken:
            self._discard()
            return
        try:
            conn.execute(statement, prepare=False)
        except psycopg.Error:
            self._discard()

    def _exec(self, sql: str, params: Sequence[Any] | None = None) -> psycopg.Cursor[Any]:
        conn = self._connection()
        if self._queued:
            conn = self._flush(conn)
        try:
            return conn.execute(sql, params, prepare=None)
        except psycopg.Error as exc:
            if conn.broken or (isinstance(exc, psycopg.OperationalError) and conn.closed):
                self._discard()
                raise ServerUnreachableError(
                    f"{self._where}: lost the connection to the lab server "
                    f"({_reason(exc)}); this action was not saved"
                ) from exc
            raise self._error(exc) from exc

    def _error(self, exc: psycopg.Error) -> StoreError:
        """A server error as a sentence naming the server and, where known, the record."""
        reason = (exc.diag.message_primary or _reason(exc)) if exc.diag else _reason(exc)
        if isinstance(exc, pg_errors.InsufficientPrivilege):
            user = self._conn.info.user if self._conn is not None else "this role"
            return StoreError(
                f"{self._where}: the role {user} may not do this ({reason}); a coder role "
                "writes only its own passes, and a lab lead changes the project"
            )
        if isinstance(exc, pg_errors.LockNotAvailable | pg_errors.QueryCanceled):
            return StoreError(
                f"{self._where}: the project is busy (another coder holds it for more than "
                f"{LOCK_TIMEOUT_MS // 1000} s); try again"
            )
        if isinstance(exc, pg_errors.ReadOnlySqlTransaction):
            return StoreError(f"{self._where}: the project is open for reading only")
        if isinstance(exc, pg_errors.UndefinedTable | pg_errors.InvalidSchemaName):
            return StoreError(f"{self._where}: not an Attune project ({reason})")
        if isinstance(exc, pg_errors.UniqueViolation):
            return StoreError(f"{self._where}: UNIQUE constraint failed ({reason})")
        return StoreError(f"{self._where}: {reason}")

    # ------------------------------------------------------------ helpers for queries
    def _decode(self, rows: Sequence[Any], decode: Callable[[Any], T], name: str) -> list[T]:
        return decode_rows(self._where, rows, decode, name)

    def _write(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        if self._depth == 0:
            raise RuntimeError("writes must run inside store.transaction()")
        return self._exec(sql, params)

    def _write_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if self._depth == 0:
            raise RuntimeError("writes must run inside store.transaction()")
        conn = self._connection()
        if self._queued:
            conn = self._flush(conn)
        try:
            with conn.cursor() as cur:
                cur.executemany(sql, rows)
        except psycopg.Error as exc:
            if conn.broken:
                self._discard()
            raise self._error(exc) from exc

    def _rows(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._lock:
            return self._exec(sql, params).fetchall()

    def _pass_write(self, coding_id: int, sql: str, params: Sequence[Any]) -> psycopg.Cursor[Any]:
        """One write to a coding pass's records; the pass's update time moves with it."""
        with self.transaction():
            self._touch(coding_id)
            return self._write(sql, params)

    def _touch(self, coding_id: int) -> None:
        rows = self._write(
            "UPDATE coding SET updated_at = %s, revision = revision + 1 WHERE id = %s "
            "RETURNING revision",
            (now_text(), coding_id),
        ).fetchall()
        if len(rows) != 1:
            raise StoreError(f"{self._where}: there is no coding pass {coding_id}")
        self._revisions[coding_id] = int(rows[0][0])

    def revision(self, coding_id: int) -> int:
        """The pass's revision. Inside a transaction its row is locked until the end, so
        that no other writer can slip between a session's check of it and its write."""
        with self._lock:
            if self._depth and coding_id in self._revisions:
                return self._revisions[coding_id]
            lock = " FOR UPDATE" if self._depth else ""
            rows = self._rows(f"SELECT revision FROM coding WHERE id = %s{lock}", (coding_id,))
            if not rows:
                raise StoreError(f"{self._where}: there is no coding pass {coding_id}")
            if self._depth:
                self._revisions[coding_id] = int(rows[0][0])
            return int(rows[0][0])

    def _write_sql(self, statement: sql.Composable) -> None:
        """Run a statement composed with quoted names and literals (inside a transaction)."""
        self._write(statement.as_string(self._connection()))

    def _scram(self, password: str, role: str) -> str:
        """The SCRAM-SHA-256 verifier of ``password`` for ``role``, computed here."""
        conn = self._connection()
        return bytes(
            conn.pgconn.encrypt_password(password.encode(), role.encode(), b"scram-sha-256")
        ).decode()

    def role(self) -> str:
        """The database role this connection logs in as."""
        return str(self._rows("SELECT current_user")[0][0])
