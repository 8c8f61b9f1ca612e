"""The one place that turns a project's location into a store.

A path (``study.attune``) is a project file (:class:`~coder.store.sqlite.SqliteStore`); a
server address (``postgresql://…``) is a project on a lab server
(:class:`~coder.store.postgres.PostgresStore`, loaded only when one is named). Everything
above ``coder/store/`` opens and creates projects through :func:`open_store` and
:func:`create_store` and sees only the :class:`~coder.store.base.Store` protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coder.store.base import Store, StoreError
from coder.store.schema import inspect_file
from coder.store.sqlite import SqliteStore

if TYPE_CHECKING:
    from coder.store.postgres import PostgresStore

#: URL schemes that name a database server rather than a file.
SERVER_SCHEMES = ("postgresql://", "postgres://")

Location = str | Path


def is_server(location: Location) -> bool:
    """Whether ``location`` names a database server (else it is a file path)."""
    return isinstance(location, str) and location.lower().startswith(SERVER_SCHEMES)


def _server() -> type[PostgresStore]:
    try:
        from coder.store.postgres import PostgresStore
    except ImportError as exc:  # psycopg missing from this installation
        raise StoreError(
            f"a lab server needs the psycopg package, which is not installed ({exc}); "
            'install it with: pip install "psycopg[binary]"'
        ) from exc
    return PostgresStore


def check_location(location: Location) -> None:
    """Refuse, with a :class:`StoreError` naming it, a location that is not a sound project
    this version can open — without writing to it."""
    if is_server(location):
        store = _server()(str(location), read_only=True)
        try:
            store.inspect()
        finally:
            store.close()
        return
    inspect_file(location)


def unwritable_because(location: Location) -> str | None:
    """Why a project file cannot be written where it lies (a read-only file, folder or
    medium), in a few words; None when it can, or for a server."""
    if is_server(location):
        return None
    return SqliteStore.unwritable_because(Path(location))


def open_store(location: Location, *, read_only: bool = False) -> Store:
    """Open the existing project at ``location``; ``read_only`` refuses every write."""
    if is_server(location):
        return _server().open(str(location), read_only=read_only)
    return SqliteStore.open(location, read_only=read_only)


def create_store(location: Location, setup: Callable[[Store], None]) -> Store:
    """Make a new project at ``location`` (never over an existing one); ``setup`` fills it in
    the same transaction that creates it, so a half-made project never appears."""
    if is_server(location):
        server: Any = _server()
        made: Store = server.create(str(location), setup)
        return made
    return SqliteStore.create(location, setup)
