"""A project on a PostgreSQL lab server: the second backend of :class:`coder.store.base.Store`.

:class:`PostgresStore` (:mod:`~coder.store.postgres.store`) is the store; the schema and its
migrations are in :mod:`~coder.store.postgres.ddl`, coder roles in
:mod:`~coder.store.postgres.roles`, change notices in :mod:`~coder.store.postgres.watch`.
"""

from coder.store.postgres.connection import ConflictError, ServerUnreachableError
from coder.store.postgres.store import PostgresStore

__all__ = ["ConflictError", "PostgresStore", "ServerUnreachableError"]
