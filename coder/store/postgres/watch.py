"""Notices of changes to a lab server project's shared records (LISTEN/NOTIFY).

Every insert, update or delete of a setting, scheme, observation, medium or coder is announced
by a trigger on the channel :data:`~coder.store.postgres.ddl.CHANNEL` when its transaction
commits. A :class:`SharedWatch` listens on a connection of its own (so a coder's writes never
wait behind it) and hands the notices out from :meth:`SharedWatch.poll`, which a window calls
from a timer or a background thread. Notices are pushed by the server, so nothing is
re-read until something changed; but they are not kept for a listener that was away, so
after the listening connection was lost :meth:`~SharedWatch.poll` returns one
:data:`EVERYTHING` notice: read all shared records again. Notices carry no pass records, so
they reveal nothing that blind coding hides.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import psycopg

from coder.store.postgres import address
from coder.store.postgres.ddl import CHANNEL


@dataclass(frozen=True, slots=True)
class SharedChange:
    """One shared record changed: its table, key (a setting's name or a row's id), the
    operation (``insert``, ``update``, ``delete``) and the role that made it."""

    table: str
    key: str
    op: str
    by: str


#: "Read everything again": notices may have been missed while the watch was disconnected.
EVERYTHING = SharedChange("*", "", "reload", "")


class SharedWatch:
    """Listens for changes to shared records of the project at ``url``."""

    def __init__(self, url: str) -> None:
        self._url = url
        self._conn: psycopg.Connection[Any] | None = None
        self._missed = False
        self._listen()

    def _listen(self) -> bool:
        try:
            conn = psycopg.connect(address.conninfo(self._url), autocommit=True)
            conn.execute(f"LISTEN {CHANNEL}")
        except psycopg.Error:
            self._conn = None
            return False
        self._conn = conn
        return True

    def poll(self, timeout: float = 0.0) -> list[SharedChange]:
        """The notices that arrived (waiting up to ``timeout`` seconds for a first one)."""
        conn = self._conn
        if conn is None or conn.closed or conn.broken:
            self._missed = True
            if not self._listen():
                return []
            conn = self._conn
            assert conn is not None
        found: list[SharedChange] = [EVERYTHING] if self._missed else []
        self._missed = False
        try:
            # Each generator is run to its end: leaving one early drops the rest of the
            # notices that arrived in the same packet.
            for notice in conn.notifies(timeout=max(timeout, 0.0), stop_after=1):
                found.append(_change(notice.payload))
            for notice in conn.notifies(timeout=0.0):
                found.append(_change(notice.payload))
        except psycopg.Error:
            self._missed = True
        return found

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def _change(payload: str) -> SharedChange:
    try:
        data = json.loads(payload)
        return SharedChange(str(data["table"]), str(data["key"]), str(data["op"]), str(data["by"]))
    except (ValueError, KeyError, TypeError):
        return EVERYTHING
