"""The rest of the raw exceptions: each is a clear error of its module's own type, and what a
message says is what really happened."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from coder.coding import SessionError
from coder.demo.synth import make_clip
from coder.project import Project, ProjectError
from coder.store import schema
from coder.store.sqlite_files import creating_path, partial_path
from tests.core.session_fixtures import make_session
from tests.test_cli import assert_one_error_line, run
from tests.test_project_support import SCHEME, project_with_observation


def test_a_text_schema_version_is_damage_named_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "s.attune"
    project_with_observation(path)[0].close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = 'three' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(ProjectError, match="file format version 'three' is not a number"):
        Project.open(path)
    code, out, err = run(capsys, "check", str(path))
    assert code == 1
    assert "is damaged" in out
    code, _, err = run(capsys, "info", str(path))
    assert code == 2
    assert_one_error_line(err, "s.attune", "not a number")


def test_a_damaged_index_is_caught_at_open_before_any_write(tmp_path: Path) -> None:
    path = tmp_path / "s.attune"
    project, obs_id = project_with_observation(path)
    with project:
        project.start_coding(obs_id, "AB").point("reach", 5)
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA writable_schema = ON")  # the index loses its entry for the event
    root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name='event_by_coding'")
    page = root.fetchone()[0]
    conn.close()
    data = bytearray(path.read_bytes())
    size = int.from_bytes(data[16:18], "big")
    start = (page - 1) * size
    data[start + 3 : start + 5] = (0).to_bytes(2, "big")  # the index page now holds no cells
    path.write_bytes(bytes(data))
    before = path.read_bytes()
    with pytest.raises(ProjectError, match="damaged"):
        Project.open(path)
    assert path.read_bytes() == before


def test_disk_full_while_creating_says_disk_full_not_cannot_rollback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = schema.configure

    def small_disk(conn: sqlite3.Connection) -> str:
        mode = real(conn)
        conn.execute("PRAGMA max_page_count = 3")  # the disk fills while the file is made
        return mode

    monkeypatch.setattr("coder.store.sqlite.configure", small_disk)
    with pytest.raises(ProjectError) as refused:
        Project.create(tmp_path / "new.attune", SCHEME)
    assert "disk is full" in str(refused.value)
    assert "rollback" not in str(refused.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing half-made is left


def test_an_over_long_name_says_the_name_is_too_long(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="too long"):
        Project.create(tmp_path / ("n" * 300 + ".attune"), SCHEME)


def test_leftovers_of_killed_creations_and_backups_are_never_projects_and_go_away(
    tmp_path: Path,
) -> None:
    path = tmp_path / "s.attune"
    project_with_observation(path)[0].close()
    dead = 2**22 + 12345  # no such process
    leftovers = [
        creating_path(path).with_name(f".s.attune.{dead}.creating"),
        creating_path(path).with_name(f".s.attune.{dead}.creating-wal"),
        partial_path(tmp_path / "s.v2-backup.attune").with_name(
            f".s.v2-backup.attune.{dead}.partial"
        ),
    ]
    for leftover in leftovers:
        leftover.write_bytes(b"half")
        assert not leftover.name.endswith(".attune")
    live = tmp_path / f".s.attune.{os.getpid()}.creating"
    live.write_bytes(b"being made now")
    Project.open(path).close()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["s.attune", live.name])


def test_an_observation_missing_under_a_pass_is_a_project_error(tmp_path: Path) -> None:
    path = tmp_path / "s.attune"
    project, obs_id = project_with_observation(path)
    with project:
        info = project.start_coding(obs_id, "AB").info
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA foreign_keys = OFF")
    conn.execute("DELETE FROM media")
    conn.execute("DELETE FROM observation")
    conn.commit()
    conn.close()
    with Project.open(path, read_only=True) as project:
        assert any("points to a missing observation" in p for p in project.check())
        with pytest.raises(ProjectError, match="observation"):
            project.load_pass(info.id)


@pytest.mark.parametrize("offset", ["nan", "inf", "1e300", "-86401"])
def test_camera_offsets_that_are_no_time_are_refused_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], offset: str
) -> None:
    target = tmp_path / "study.attune"
    Project.create(target, SCHEME).close()
    clips = [make_clip(tmp_path / f"cam{n}.mp4", frames=10, fps=25) for n in (1, 2)]
    argv = ["add-video", str(target), *map(str, clips), "--cameras", "--offsets", "0", offset]
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert_one_error_line(err, "--offsets", "seconds")
    with Project.open(target) as project:
        assert project.observations == []


def test_a_comment_of_none_is_no_comment_and_other_objects_are_refused() -> None:
    session, store = make_session()
    point = session.point("reach", 5, comment=None)  # type: ignore[arg-type]
    assert point.comment == ""
    state = session.start("touch", 7, comment=None)  # type: ignore[arg-type]
    assert state.comment == ""
    with pytest.raises(SessionError, match="a comment is text, not int"):
        session.point("reach", 9, comment=3)  # type: ignore[arg-type]
    rating = session.rate("sens", 5, comment=None)
    assert rating.comment == ""
    assert [e.comment for e in store.events_by_pass([1])[1]] == ["", ""]


def test_a_rating_too_large_for_a_float_is_refused_with_a_short_message() -> None:
    session, _ = make_session()
    with pytest.raises(SessionError) as refused:
        session.rate("sens", 10**400)
    message = str(refused.value)
    assert "is not a value of sens (1–9 in steps of 1)" in message
    assert len(message) < 100
    assert session.ratings == ()
