"""A PostgreSQL server for the tests, and a fresh database per project.

The server is the one ``ATTUNE_TEST_POSTGRES`` names (``.ci/run`` starts a throw-away cluster
and exports it, with ``PGPASSFILE``); without it, one is started here for this test run when
PostgreSQL is installed. With neither, the tests that need a server are skipped — unless
``ATTUNE_REQUIRE_POSTGRES=1`` (set by CI), which turns the skip into a failure.
"""

from __future__ import annotations

import atexit
import os
import secrets
import tempfile
from pathlib import Path

import pytest

from tests.server.cluster import Cluster, available

_state: dict[str, object] = {}
_made: list[str] = []


def _start_private() -> str | None:
    if not available():
        return None
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="attune-pg-")))
    cluster.init()
    cluster.start()
    atexit.register(cluster.remove)
    os.environ.update(cluster.env())
    _state["cluster"] = cluster
    return cluster.url


def admin_url() -> str:
    """The test server's admin URL; skips (or fails, in CI) when there is no server."""
    if "url" not in _state:
        url = os.environ.get("ATTUNE_TEST_POSTGRES") or None
        problem = ""
        if url is None:
            try:
                url = _start_private()
            except (RuntimeError, OSError) as exc:
                problem = str(exc)
        _state["url"] = url
        _state["problem"] = (
            problem or "PostgreSQL is not installed and ATTUNE_TEST_POSTGRES is unset"
        )
    url = _state["url"]
    if not isinstance(url, str):
        message = f"no PostgreSQL server for the tests: {_state['problem']}"
        if os.environ.get("ATTUNE_REQUIRE_POSTGRES") == "1":
            pytest.fail(message + " (ATTUNE_REQUIRE_POSTGRES=1: a skip is an error here)")
        pytest.skip(message)
    return url


def private_cluster() -> Cluster | None:
    """The cluster started for this run (None when the server came from outside)."""
    cluster = _state.get("cluster")
    return cluster if isinstance(cluster, Cluster) else None


def admin_connect(dbname: str = "postgres"):
    import psycopg

    from coder.store.postgres import address

    return psycopg.connect(address.with_database(admin_url(), dbname), autocommit=True)


def new_database(prefix: str = "attune_t") -> str:
    """The URL of a new, empty database on the test server (dropped when the run ends)."""
    from coder.store.postgres import address

    name = f"{prefix}_{secrets.token_hex(5)}"
    with admin_connect() as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    if not _made:
        atexit.register(_drop_all)
    _made.append(name)
    return address.with_database(admin_url(), name)


def _drop_all() -> None:
    if private_cluster() is not None or not _made:
        return  # the whole cluster goes
    try:
        with admin_connect() as conn:
            for name in _made:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except Exception:
        pass
