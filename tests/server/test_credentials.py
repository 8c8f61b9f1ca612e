"""Credentials follow libpq's conventions: PGPASSWORD, the password file, a service file; Attune
keeps and shows an address without its password."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from coder.project import Project, ProjectError
from coder.server import setup
from coder.sharing import handout
from coder.store.postgres import address
from tests.server.support import new_database
from tests.test_project_support import SCHEME, fake_medium


@pytest.fixture
def coder_url() -> tuple[str, str]:
    """A server project with coder KL, and KL's address with no password in it."""
    url = new_database()
    setup.init_server(url, SCHEME)
    with Project.open(url) as project:
        medium, timebase = fake_medium(500)
        project.store.add_observation("p01", [medium], [timebase])
    role = f"kl_{url[-10:]}"
    setup.add_coder(url, "KL", role=role, password="pw secret")
    params = address.parse(url)
    return f"postgresql://{role}@{params['host']}:{params['port']}/{params['dbname']}", role


def test_the_password_comes_from_pgpassword(
    coder_url: tuple[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url, _role = coder_url
    monkeypatch.setenv("PGPASSFILE", str(tmp_path / "none"))  # no password file for KL
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with pytest.raises(ProjectError, match="asks for a password and none was given") as refused:
        Project.open(url)
    assert "cannot reach" not in str(refused.value)  # it was reached: no network advice
    monkeypatch.setenv("PGPASSWORD", "pw secret")
    with Project.open(url) as project:
        assert project.store.own_coder().initials == "KL"


def test_the_password_comes_from_the_password_file(
    coder_url: tuple[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url, role = coder_url
    params = address.parse(url)
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{params['host']}:{params['port']}:*:{role}:pw secret\n")
    pgpass.chmod(0o600)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with Project.open(url) as project:
        assert project.store.own_coder().initials == "KL"


def test_a_service_file_entry_names_the_server_the_role_and_the_database(
    coder_url: tuple[str, str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    url, role = coder_url
    params = address.parse(url)
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[lab]\nhost={params['host']}\nport={params['port']}\ndbname={params['dbname']}\n"
        f"user={role}\npassword=pw secret\n"
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    monkeypatch.delenv("PGPASSWORD", raising=False)
    with Project.open("postgresql:///?service=lab") as project:
        assert project.store.own_coder().initials == "KL"
        assert project.location == "postgresql:///?service=lab"


def test_a_password_in_the_address_is_never_shown_nor_kept(
    coder_url: tuple[str, str], tmp_path: Path
) -> None:
    url, role = coder_url
    with_password = url.replace(f"{role}@", f"{role}:pw%20secret@")
    with Project.open(with_password) as project:
        assert project.location == url
        assert "secret" not in str(project.path)
        assert all("secret" not in v for v in project.store.meta_items().values())
    record = handout(with_password, "KL", ["p01"], tmp_path / "KL.attune")
    assert record["project"] == url
    assert "secret" not in json.dumps(record)
