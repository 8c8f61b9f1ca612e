"""The SQLite store: transactions, ids, upserts, pragmas, waiting for other writers."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest

from coder.model import CodingStatus, Episode, Event, Rating, Stamp
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
    coder = store.ensure_coder("AB", "Ann Bee")
    return store.create_coding(obs.id, coder.id, store.scheme_ids()[0]).id


def point(frame: int, code: str = "reach") -> Event:
    return Event(code, "infant", Stamp(frame, frame * 40_000), None, is_state=False)


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


def test_event_round_trip_keeps_every_field(store: SqliteStore, coding_id: int) -> None:
    event = Event(
        "cry", "infant", Stamp(10, 400_000), Stamp(25, 1_000_000), True, ("mild",), "fussy"
    )
    with store.transaction():
        event_id = store.insert_event(coding_id, event)
    open_state = Event("look_cg", "infant", Stamp(30, 1_200_000))
    open_id = store.insert_event(coding_id, open_state)
    loaded = store.load_events(coding_id)
    assert loaded == [
        Event("cry", "infant", Stamp(10, 400_000), Stamp(25, 1_000_000), True, ("mild",),
              "fussy", event_id),
        Event("look_cg", "infant", Stamp(30, 1_200_000), None, True, (), "", open_id),
    ]  # fmt: skip
    assert loaded[1].is_open


def test_a_raising_block_rolls_back_everything(store: SqliteStore, coding_id: int) -> None:
    def code_then_fail() -> None:
        with store.transaction():
            store.insert_event(coding_id, point(1))
            store.put_rating(coding_id, Rating("sens", "session", 5))
            raise ValueError("stop")

    with pytest.raises(ValueError, match="stop"):
        code_then_fail()
    assert store.load_events(coding_id) == []
    assert store.load_ratings(coding_id) == []


def test_a_failing_inner_block_undoes_only_itself(store: SqliteStore, coding_id: int) -> None:
    def inner_block() -> None:
        with store.transaction():
            store.insert_event(coding_id, point(2))
            store.insert_event(999, point(3))  # no such coding: refused

    with store.transaction():
        store.insert_event(coding_id, point(1))
        with pytest.raises(StoreError, match="no coding pass 999"):
            inner_block()
        store.insert_event(coding_id, point(4))
    assert [e.onset.frame for e in store.load_events(coding_id)] == [1, 4]


def test_redo_reinserts_the_same_id_and_ids_are_never_reused(
    store: SqliteStore, coding_id: int
) -> None:
    first = store.insert_event(coding_id, point(1))
    second = store.insert_event(coding_id, point(2))
    store.delete_event(coding_id, second)
    again = store.insert_event(coding_id, Event("reach", "infant", Stamp(2, 80_000), None, False,
                                                id=second))  # fmt: skip
    assert again == second
    store.delete_event(coding_id, second)
    fresh = store.insert_event(coding_id, point(3))
    assert fresh > second > first


def test_update_and_delete_of_a_missing_event_are_refused(
    store: SqliteStore, coding_id: int
) -> None:
    with pytest.raises(StoreError, match="no event 42"):
        store.update_event(coding_id, Event("reach", "infant", Stamp(1, 1), None, False, id=42))
    with pytest.raises(StoreError, match="no event 42"):
        store.delete_event(coding_id, 42)


def test_ratings_and_episodes_are_replaced_by_key(store: SqliteStore, coding_id: int) -> None:
    store.put_rating(coding_id, Rating("sens", "session", 3))
    store.put_rating(coding_id, Rating("sens", "session", 7, "warm"))
    store.put_rating(coding_id, Rating("coop", "interval_1", 2))
    assert store.load_ratings(coding_id) == [
        Rating("sens", "session", 7.0, "warm"),
        Rating("coop", "interval_1", 2.0),
    ]
    store.delete_rating(coding_id, "coop", "interval_1")
    assert len(store.load_ratings(coding_id)) == 1
    store.put_episode(coding_id, Episode("ep1", Stamp(0, 0)))
    store.put_episode(coding_id, Episode("ep1", Stamp(5, 200_000), Stamp(9, 360_000)))
    assert store.load_episodes(coding_id) == [Episode("ep1", Stamp(5, 200_000), Stamp(9, 360_000))]
    store.delete_episode(coding_id, "ep1")
    assert store.load_episodes(coding_id) == []


def test_writes_bump_the_pass_update_time(store: SqliteStore, coding_id: int) -> None:
    before = store.coding(coding_id).updated_at
    time.sleep(0.002)
    store.insert_event(coding_id, point(1))
    assert store.coding(coding_id).updated_at > before
    store.set_status(coding_id, CodingStatus.DONE)
    assert store.coding(coding_id).status is CodingStatus.DONE


def test_schemes_are_stored_once_and_read_back_equal(store: SqliteStore) -> None:
    first = store.scheme_ids()[0]
    assert store.add_scheme(SCHEME) == first
    reopened = SqliteStore.open(store.location)
    try:
        restored = reopened.scheme(first)
    finally:
        reopened.close()
    assert restored.content_hash == SCHEME.content_hash
    assert restored.behaviour("cry").modifiers == ("mild", "strong")
    assert restored.scale("sens").anchors[5] == "mixed"


def test_observation_media_and_timebase_round_trip(store: SqliteStore) -> None:
    medium, timebase = fake_medium(500)
    obs = store.add_observation("p01", [medium, medium], [timebase, None], participant="P01")
    assert [m.position for m in obs.media] == [0, 1]
    assert store.timebase(obs.media[0].id) == timebase
    assert store.timebase(obs.media[1].id) is None
    assert store.observations() == [obs]


def test_one_master_per_observation(store: SqliteStore, coding_id: int) -> None:
    obs_id = store.coding(coding_id).observation_id
    other = store.create_coding(obs_id, store.ensure_coder("CD").id, store.scheme_ids()[0])
    store.set_master(coding_id, True)
    store.set_master(other.id, True)
    assert [c.is_master for c in store.codings(obs_id)] == [False, True]


def test_a_second_pass_by_the_same_coder_is_refused(store: SqliteStore, coding_id: int) -> None:
    info = store.coding(coding_id)
    with pytest.raises(StoreError, match="UNIQUE"):
        store.create_coding(info.observation_id, info.coder.id, info.scheme_id)


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


def test_a_closed_store_refuses_work(store: SqliteStore, coding_id: int) -> None:
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.load_events(coding_id)
    store.close()  # twice is harmless
