"""The one place that turns a project's location into a store.

A path (``study.attune``) is a project file (:class:`~coder.store.sqlite.SqliteStore`); a
server address (``postgresql://…``) is a lab server. Everything above ``coder/store/`` opens
and creates projects through :func:`open_store` and :func:`create_store` and sees only the
:class:`~coder.store.base.Store` protocol.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coder.store.base import Store, StoreError
from coder.store.schema import inspect_file
from coder.store.sqlite import SqliteStore

#: URL schemes that name a database server rather than a file.
SERVER_SCHEMES = ("postgresql://", "postgres://")

Location = str | Path


def is_server(location: Location) -> bool:
    """Whether ``location`` names a database server (else it is a file path)."""
    return isinstance(location, str) and location.lower().startswith(SERVER_SCHEMES)


def check_location(location: Location) -> None:
    """Refuse, with a :class:`StoreError` naming it, a location that is not a sound project
    this version can open — without writing to it."""
    if is_server(location):
        raise _no_server(str(location))
    inspect_file(location)


def open_store(location: Location, *, read_only: bool = False) -> Store:
    """Open the existing project at ``location``; ``read_only`` refuses every write."""
    if is_server(location):
        raise _no_server(str(location))
    return SqliteStore.open(location, read_only=read_only)


def create_store(location: Location, setup: Callable[[Store], None]) -> Store:
    """Make a new project at ``location`` (never over an existing one); ``setup`` fills it in
    the same transaction that creates it, so a half-made project never appears."""
    if is_server(location):
        raise _no_server(str(location))
    return SqliteStore.create(location, setup)


def _no_server(location: str) -> StoreError:
    scheme = location.split("://", 1)[0]
    return StoreError(
        f"{scheme}://…: this build of Attune keeps projects in files only; "
        "give the path of a .attune file"
    )
