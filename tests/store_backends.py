"""Every store backend the contract suite runs against: one entry per backend.

A new backend (a lab server) is one more :class:`Backend` in :data:`BACKENDS`; the store
contract tests, the coding-pass state machine and (for durable backends) the kill test then
run against it too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from coder.store.base import Store
from coder.store.memory import MemoryStore
from coder.store.sqlite import SqliteStore
from tests.server.support import new_database
from tests.test_project_support import SCHEME


@dataclass(frozen=True)
class Backend:
    """How to make an empty project store (holding :data:`SCHEME`) and open it again."""

    name: str
    durable: bool
    #: A new store in the folder given (its location is what Project.open takes).
    create: Callable[[Path], Store]
    #: A second handle on the same project (for a durable store: opened anew).
    reopen: Callable[[Store], Store]
    #: Where a new project for ``Project.create`` goes (durable backends: another process
    #: can open it there).
    location: Callable[[Path], str] | None = None


def _setup(store: Store) -> None:
    store.set_meta("current_scheme", str(store.add_scheme(SCHEME)))


def _memory(_folder: Path) -> Store:
    store = MemoryStore()
    _setup(store)
    return store


def _sqlite(folder: Path) -> Store:
    return SqliteStore.create(folder / "contract.attune", _setup)


def _postgres(_folder: Path) -> Store:
    from coder.store.postgres import PostgresStore

    return PostgresStore.create(new_database(), _setup)


def _postgres_again(store: Store) -> Store:
    from coder.store.postgres import PostgresStore

    assert isinstance(store, PostgresStore)
    return PostgresStore.open(store.url)


BACKENDS = (
    Backend("memory", False, _memory, lambda store: store),
    Backend(
        "sqlite",
        True,
        _sqlite,
        lambda store: SqliteStore.open(store.location),
        lambda folder: str(folder / "project.attune"),
    ),
    # A lab server: skipped when no PostgreSQL can be started (an error in CI).
    Backend("postgres", True, _postgres, _postgres_again, lambda _folder: new_database()),
)
DURABLE = tuple(b for b in BACKENDS if b.durable)
