"""Opening is safe: a file that fails the checks is refused with its name and never written."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest

from coder.model import Episode, Stamp
from coder.project import Project, ProjectError
from coder.store import schema
from coder.store.schema import inspect_file
from tests.test_project_support import (
    SCHEME,
    fake_medium,
    point_at,
    project_with_observation,
    snapshot,
)


def assert_refused_untouched(path: Path, match: str) -> None:
    before = snapshot(path)
    siblings = sorted(p.name for p in path.parent.iterdir())
    with pytest.raises(ProjectError, match=match) as caught:
        Project.open(path)
    assert str(path) in str(caught.value)
    assert snapshot(path) == before
    assert sorted(p.name for p in path.parent.iterdir()) == siblings


def test_a_missing_file_is_refused_and_not_created(tmp_path: Path) -> None:
    path = tmp_path / "nothing.attune"
    with pytest.raises(ProjectError, match="no such project file") as caught:
        Project.open(path)
    assert str(path) in str(caught.value)
    assert list(tmp_path.iterdir()) == []


def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "notes.attune"
    path.write_text("observation 1: infant cries at 0:12\n" * 50)
    assert_refused_untouched(path, "not an SQLite database")


def test_an_empty_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "empty.attune"
    path.touch()
    assert_refused_untouched(path, "empty")


def test_an_sqlite_file_of_another_program_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "other.attune"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO things (name) VALUES ('cup')")
    conn.commit()
    conn.close()
    assert_refused_untouched(path, "another program")


def test_a_file_from_a_newer_attune_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.attune"
    Project.create(path, SCHEME).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    assert_refused_untouched(path, "newer Attune.*format 99")


def test_a_damaged_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "damaged.attune"
    project, obs_id = project_with_observation(path)
    coding = project.start_coding(obs_id, "AB").coding_id
    with project.store.transaction():  # one commit: the test is about the file, not speed
        for frame in range(0, 6000, 3):
            project.store.insert_event(coding, point_at(frame))
    project.close()
    size = path.stat().st_size
    assert size > 100_000
    garbage = random.Random(7).randbytes(8192)
    with path.open("r+b") as handle:
        handle.seek(size // 2)
        handle.write(garbage)
    assert_refused_untouched(path, "damaged")


def test_the_check_reads_through_a_project_open_elsewhere(tmp_path: Path) -> None:
    path = tmp_path / "busy.attune"
    project, obs_id = project_with_observation(path)
    try:
        project.start_coding(obs_id, "AB").point("reach", 3)
        assert inspect_file(path) == schema.SCHEMA_VERSION
        with Project.open(path) as second:
            assert len(second.events_frame()) == 1
    finally:
        project.close()


def _make_v1_file(path: Path) -> None:
    """A project as the first file format wrote it: no episode table yet."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    schema.migrate(conn, target=1)
    medium, timebase = fake_medium(1000)
    rows = [
        "INSERT INTO meta VALUES ('current_scheme', '1')",
        "INSERT INTO scheme VALUES (1, 'Store test scheme', '1', ?, ?, '2024-01-01')",
        "INSERT INTO observation (id, name, created_at) VALUES (1, 'old', '2024-01-01')",
        "INSERT INTO media (observation, position, path, fingerprint, size, duration_us, "
        f"frame_count, fps, timebase) VALUES (1, 0, 'a.mp4', 'x', 1, {medium.duration_us}, "
        "1000, 25.0, ?)",
        "INSERT INTO coder (id, initials) VALUES (1, 'AB')",
        "INSERT INTO coding VALUES (1, 1, 1, 1, 'in_progress', 0, '2024-01-01', '2024-01-01')",
        "INSERT INTO event (coding, behaviour, subject, is_state, onset_us, onset_frame) "
        "VALUES (1, 'reach', 'infant', 0, 400000, 10)",
    ]
    conn.execute("BEGIN")
    for sql in rows:
        params: tuple[object, ...] = ()
        if "INTO scheme" in sql:
            params = (SCHEME.content_hash, json.dumps(SCHEME.to_dict()))
        elif "INTO media" in sql:
            params = (timebase.to_bytes(),)
        conn.execute(sql, params)
    conn.execute("COMMIT")
    conn.close()


def test_an_older_file_is_backed_up_then_migrated_forward(tmp_path: Path) -> None:
    path = tmp_path / "old.attune"
    _make_v1_file(path)
    with Project.open(path) as project:
        assert project.store.get_meta("schema_version") == str(schema.SCHEMA_VERSION)
        assert "old.v1-backup.attune" in (project.store.get_meta("migrated_from") or "")
        session = project.start_coding(1, "AB")
        assert [(e.behaviour, e.onset.frame) for e in session.events] == [("reach", 10)]
        episode = Episode("ep1", Stamp(20, 800_000), Stamp(40, 1_600_000))
        project.store.put_episode(1, episode)  # the table step 2 added
        assert project.store.load_episodes(1) == [episode]
    backup = tmp_path / "old.v1-backup.attune"
    assert backup.is_file()
    conn = sqlite3.connect(backup.as_uri() + "?mode=ro", uri=True)
    try:
        assert schema.read_version(conn) == 1
        assert conn.execute("SELECT COUNT(*) FROM event").fetchone()[0] == 1
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        assert "episode" not in tables
    finally:
        conn.close()
    with Project.open(path) as again:  # a second open needs no migration and no new backup
        assert again.store.get_meta("schema_version") == str(schema.SCHEMA_VERSION)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["old.attune", "old.v1-backup.attune"]


def test_migration_steps_build_the_same_schema_as_a_new_file(tmp_path: Path) -> None:
    stepwise = sqlite3.connect(tmp_path / "a.db", isolation_level=None)
    schema.migrate(stepwise, target=1)
    schema.migrate(stepwise)
    fresh = sqlite3.connect(tmp_path / "b.db", isolation_level=None)
    schema.migrate(fresh)
    query = "SELECT type, name, sql FROM sqlite_master ORDER BY name"
    assert stepwise.execute(query).fetchall() == fresh.execute(query).fetchall()
    assert schema.read_version(stepwise) == schema.SCHEMA_VERSION
    stepwise.close()
    fresh.close()
