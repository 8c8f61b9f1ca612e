"""Every metadata entry of any store (the protocol reads one key at a time): what copying a
whole project between a file and a server needs."""

from __future__ import annotations

from coder.store.base import Store
from coder.store.memory import MemoryStore
from coder.store.postgres.store import PostgresStore
from coder.store.sqlite import SqliteStore


def meta_items(store: Store) -> dict[str, str]:
    """Every metadata key and value of ``store`` (settings included)."""
    if isinstance(store, PostgresStore):
        return store.meta_items()
    if isinstance(store, SqliteStore):
        return {r[0]: r[1] for r in store._rows("SELECT key, value FROM meta ORDER BY key")}
    if isinstance(store, MemoryStore):
        return dict(store._meta)
    raise TypeError(f"cannot list the metadata of {type(store).__name__}")
