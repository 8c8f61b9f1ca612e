"""Project files are opened by a URI SQLite accepts for every path a lab may use: Windows drive
letters (mapped network drives included), network paths, spaces, ``#``, ``?``, ``%`` and
letters of any script."""

from __future__ import annotations

from pathlib import Path, PurePosixPath, PureWindowsPath

import pytest

from coder.project import Project
from coder.store.schema import inspect_file, sqlite_uri
from tests.test_project_support import SCHEME


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        (
            PureWindowsPath(r"H:\Studies\baby study\s.attune"),
            "file:///H:/Studies/baby%20study/s.attune",
        ),
        (PureWindowsPath(r"\\labserver\studies\s.attune"), "file:////labserver/studies/s.attune"),
        (PurePosixPath("/data/ü #1?%.attune"), "file:///data/%C3%BC%20%231%3F%25.attune"),
    ],
)
def test_the_uri_of_a_path_has_no_host_and_escapes_what_a_uri_reserves(path, uri) -> None:
    assert sqlite_uri(path, "mode=ro") == f"{uri}?mode=ro"


def test_a_project_with_reserved_characters_in_its_path_opens(tmp_path: Path) -> None:
    folder = tmp_path / "lab #2 (ü)"
    folder.mkdir()
    path = folder / "visit ?1 100%.attune"
    Project.create(path, SCHEME).close()
    assert inspect_file(path) >= 1
    with Project.open(path) as project:
        assert project.scheme.content_hash == SCHEME.content_hash
        project.store.set_meta("note", "written through the URI")
    with Project.open(path) as project:
        assert project.store.get_meta("note") == "written through the URI"
    assert sorted(p.name for p in folder.iterdir()) == ["visit ?1 100%.attune"]


def test_a_project_opened_by_a_relative_path_is_the_same_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Project.create(tmp_path / "s.attune", SCHEME).close()
    monkeypatch.chdir(tmp_path)
    with Project.open(Path("s.attune")) as project:
        project.store.set_meta("via", "a relative path")
    monkeypatch.chdir(tmp_path.parent)
    with Project.open(tmp_path / "s.attune") as project:
        assert project.store.get_meta("via") == "a relative path"
