"""What only the project file does: WAL, its id and version, safe creation, waiting writers."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from coder.model import Event, Stamp
from coder.store.base import StoreError
from coder.store.schema import APPLICATION_ID, SCHEMA_VERSION
from coder.store.sqlite import SqliteStore
from tests.test_project_support import SCHEME, fake_medium


@pytest.fixture
def store(tmp_path: Path):
    def setup(s: SqliteStore) -> None:
        s.set_meta("current_scheme", str(s.add_scheme(SCHEME)))

    store = SqliteStore.create(tmp_path / "s.attune", setup)
    yield store
    store.close()


@pytest.fixture
def coding_id(store: SqliteStore) -> int:
    medium, timebase = fake_medium(1000)
    obs = store.add_observation("obs1", [medium], [timebase])
    return store.create_coding(obs.id, store.ensure_coder("AB").id, store.scheme_ids()[0]).id


def point(frame: int) -> Event:
    return Event("reach", "infant", Stamp(frame, frame * 40_000), None, is_state=False)


def test_new_file_is_wal_with_attune_id_and_version(store: SqliteStore) -> None:
    conn = sqlite3.connect(Path(store.location).as_uri() + "?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    finally:
        conn.close()
    assert store.get_meta("schema_version") == str(SCHEMA_VERSION)
    assert store.get_meta("created_by").startswith("Attune")


def test_create_refuses_an_existing_file_and_leaves_no_temporary_files(tmp_path: Path) -> None:
    target = tmp_path / "taken.attune"
    target.write_text("precious")
    with pytest.raises(StoreError, match=r"taken\.attune"):
        SqliteStore.create(target)
    assert target.read_text() == "precious"
    SqliteStore.create(tmp_path / "fresh.attune").close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fresh.attune", "taken.attune"]


def test_a_failing_setup_leaves_no_project_behind(tmp_path: Path) -> None:
    def setup(_store: SqliteStore) -> None:
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        SqliteStore.create(tmp_path / "half.attune", setup)
    assert list(tmp_path.iterdir()) == []


def test_a_write_waits_for_another_writer_instead_of_failing(
    store: SqliteStore, coding_id: int
) -> None:
    other = sqlite3.connect(store.location, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    released = threading.Event()

    def release() -> None:
        time.sleep(0.3)
        other.execute("COMMIT")
        released.set()

    thread = threading.Thread(target=release)
    started = time.perf_counter()
    thread.start()
    store.insert_event(coding_id, point(1))
    waited = time.perf_counter() - started
    thread.join()
    other.close()
    assert released.is_set()
    assert waited >= 0.25
    assert len(store.load_events(coding_id)) == 1


def test_storage_problems_find_rows_that_point_nowhere(store: SqliteStore, coding_id: int) -> None:
    assert list(store.storage_problems()) == []
    raw = sqlite3.connect(store.location, isolation_level=None)
    raw.execute("PRAGMA foreign_keys = OFF")
    raw.execute(
        "INSERT INTO event (coding, behaviour, subject, is_state, onset_us, onset_frame) "
        "VALUES (777, 'reach', 'infant', 0, 0, 0)"
    )
    raw.close()
    problems = list(store.storage_problems())
    assert any("event row" in p and "missing coding" in p for p in problems), problems
