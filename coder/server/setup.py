"""Setting a lab server project up: the database, the project, the coders' roles."""

from __future__ import annotations

from pathlib import Path

from coder.model import Coder
from coder.project import Project, ProjectError
from coder.scheme import Scheme
from coder.server.transfer import copy_project
from coder.store.base import StoreError
from coder.store.factory import create_store, is_server, open_store
from coder.store.postgres import PostgresStore, roles


def _server_url(url: str) -> str:
    if not is_server(url):
        raise ProjectError(f"{url}: not a server address (postgresql://user@host/database)")
    return url


def init_server(url: str, scheme: Scheme | str | Path) -> str:
    """Make the database ``url`` names (when missing), a project in it with ``scheme``, and
    the coders' group role; returns the group role's name. Run as the lab lead."""
    _server_url(url)
    try:
        roles.ensure_database(url)
        with Project.create(url, scheme) as project:
            store = project.store
            assert isinstance(store, PostgresStore)
            return roles.prepare(store)
    except StoreError as exc:
        raise ProjectError(str(exc)) from exc


def add_coder(
    url: str, initials: str, name: str = "", role: str | None = None, password: str | None = None
) -> tuple[Coder, str]:
    """Give coder ``initials`` a login role on the project at ``url``; returns the coder and
    the role's name."""
    _server_url(url)
    try:
        store = open_store(url)
        try:
            assert isinstance(store, PostgresStore)
            return roles.add_coder(store, initials, name, role, password)
        finally:
            store.close()
    except StoreError as exc:
        raise ProjectError(str(exc)) from exc


def push(path: str | Path, url: str) -> dict[str, int]:
    """Upload the project file ``path`` to a new project at ``url`` (the database is made
    when missing; an existing project there is never overwritten)."""
    _server_url(url)
    try:
        source = open_store(Path(path), read_only=True)
        try:
            roles.ensure_database(url)
            counts: dict[str, int] = {}
            made = create_store(url, lambda target: counts.update(copy_project(source, target)))
            try:
                assert isinstance(made, PostgresStore)
                roles.prepare(made)
            finally:
                made.close()
            return counts
        finally:
            source.close()
    except StoreError as exc:
        raise ProjectError(str(exc)) from exc


def pull(url: str, path: str | Path) -> dict[str, int]:
    """Archive the project at ``url`` to a new project file ``path`` (what this role may
    read: a coder of a blind project gets their own passes only)."""
    _server_url(url)
    try:
        source = open_store(url, read_only=True)
        try:
            counts: dict[str, int] = {}
            made = create_store(
                Path(path), lambda target: counts.update(copy_project(source, target))
            )
            made.close()
            return counts
        finally:
            source.close()
    except StoreError as exc:
        raise ProjectError(str(exc)) from exc
