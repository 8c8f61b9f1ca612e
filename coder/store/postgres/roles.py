"""Coder roles on a lab server: who may log in, read and write what.

The lab lead owns the project's tables (the role that ran ``attune server init``) and is not
restricted. Each coder logs in as a role of their own, a member of the project's group role
``<database>_coders``, which may read the project and write only coding passes (never which
pass is an observation's master, nor whose or of which observation a pass is); row-level
security (:mod:`~coder.store.postgres.ddl`) then limits a coder to their own passes for
writing, and for reading too while the project is blind. A password, when one is set here,
reaches the server only as a SCRAM verifier computed on this machine; Attune stores none.
"""

from __future__ import annotations

import re

from psycopg import sql

from coder.model import Coder
from coder.store.base import StoreError
from coder.store.postgres import address
from coder.store.postgres.connection import PgConnection
from coder.store.postgres.ddl import SCHEMA
from coder.store.postgres.store import PostgresStore

_PASS_TABLES = ("event", "rating", "episode")
#: The columns of a pass a coder role sets when starting it, and may change afterwards.
_PASS_INSERT = ("observation", "coder", "scheme", "status", "started_at", "updated_at")
_PASS_UPDATE = ("scheme", "status", "updated_at", "revision")


def ensure_database(url: str) -> bool:
    """Create the database ``url`` names when it does not exist (as the role of ``url``,
    which needs CREATEDB); True when it was made."""
    name = address.database(url)
    admin = PgConnection.maintenance(url)
    try:
        if admin._rows("SELECT 1 FROM pg_database WHERE datname = %s", (name,)):
            return False
        admin._exec(admin_sql(admin, sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))))
        return True
    finally:
        admin.close()


def admin_sql(conn: PgConnection, statement: sql.Composable) -> str:
    return statement.as_string(conn._connection())


def group_role(store: PostgresStore) -> str:
    """The group role of the project's coders: ``<database>_coders`` (63 characters at most)."""
    base = re.sub(r"[^a-z0-9_]", "_", address.database(store.url).lower()) or "attune"
    return f"{base[:54]}_coders"


def default_role(initials: str) -> str:
    """The login role a coder gets unless one is named: the initials in lower case."""
    role = re.sub(r"[^a-z0-9_]", "_", initials.strip().lower())
    if not role or role[0].isdigit():
        role = f"coder_{role}"
    return role[:63]


def prepare(store: PostgresStore) -> str:
    """Create the coders' group role (when missing) and grant it what coding needs; returns
    its name. Run by the lab lead; running it again changes nothing."""
    group = group_role(store)
    ident = sql.Identifier(group)
    with store.transaction():
        if not store._rows("SELECT 1 FROM pg_roles WHERE rolname = %s", (group,)):
            store._write_sql(sql.SQL("CREATE ROLE {} NOLOGIN").format(ident))
        statements = [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
                sql.Identifier(address.database(store.url)), ident
            ),
            sql.SQL("GRANT USAGE ON SCHEMA {} TO {}").format(sql.Identifier(SCHEMA), ident),
            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA {} TO {}").format(
                sql.Identifier(SCHEMA), ident
            ),
            sql.SQL("GRANT USAGE ON ALL SEQUENCES IN SCHEMA {} TO {}").format(
                sql.Identifier(SCHEMA), ident
            ),
            # Tables a later migration adds are readable by coders too.
            sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA {} GRANT SELECT ON TABLES TO {}").format(
                sql.Identifier(SCHEMA), ident
            ),
            # A coder starts and works on a pass of their own; which pass is the master, and
            # which observation and coder a pass belongs to, only the lab lead changes.
            sql.SQL("REVOKE INSERT, UPDATE ON {}.coding FROM {}").format(
                sql.Identifier(SCHEMA), ident
            ),
            sql.SQL("GRANT INSERT ({}) ON {}.coding TO {}").format(
                sql.SQL(", ").join(map(sql.Identifier, _PASS_INSERT)),
                sql.Identifier(SCHEMA),
                ident,
            ),
            sql.SQL("GRANT UPDATE ({}) ON {}.coding TO {}").format(
                sql.SQL(", ").join(map(sql.Identifier, _PASS_UPDATE)),
                sql.Identifier(SCHEMA),
                ident,
            ),
            *(
                sql.SQL("GRANT INSERT, UPDATE, DELETE ON {}.{} TO {}").format(
                    sql.Identifier(SCHEMA), sql.Identifier(table), ident
                )
                for table in _PASS_TABLES
            ),
        ]
        for statement in statements:
            store._write_sql(statement)
    return group


def add_coder(
    store: PostgresStore,
    initials: str,
    name: str = "",
    role: str | None = None,
    password: str | None = None,
) -> tuple[Coder, str]:
    """Add (or update) coder ``initials`` with a login role of their own; returns the coder
    and the role. ``password`` is sent only as a SCRAM verifier; without it the role logs
    in however the server's ``pg_hba.conf`` allows (certificates, peer, an existing password).
    """
    login = role or default_role(initials)
    group = prepare(store)
    ident = sql.Identifier(login)
    with store.transaction():
        owner = store._rows(
            "SELECT initials FROM coder WHERE role = %s AND initials <> %s", (login, initials)
        )
        if owner:
            raise StoreError(
                f"{store.location}: the role {login} already codes as {owner[0][0]}; "
                "name another with --role"
            )
        if not store._rows("SELECT 1 FROM pg_roles WHERE rolname = %s", (login,)):
            store._write_sql(sql.SQL("CREATE ROLE {} LOGIN").format(ident))
        store._write_sql(sql.SQL("GRANT {} TO {}").format(sql.Identifier(group), ident))
        if password is not None:
            verifier = store._scram(password, login)
            store._write_sql(
                sql.SQL("ALTER ROLE {} PASSWORD {}").format(ident, sql.Literal(verifier))
            )
        coder = store.ensure_coder(initials, name)
        store._write("UPDATE coder SET role = %s WHERE id = %s", (login, coder.id))
    return coder, login
