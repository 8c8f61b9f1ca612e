"""The store contract: what every backend does alike (run once per backend in BACKENDS)."""

from __future__ import annotations

import time

import pytest

from coder.model import CodingStatus, Episode, Event, Rating, Stamp
from coder.store.base import Store, StoreError
from tests.store_backends import Backend
from tests.test_project_support import SCHEME, fake_medium


@pytest.fixture
def store(backend: Backend, tmp_path):
    store = backend.create(tmp_path)
    yield store
    store.close()


@pytest.fixture
def coding_id(store: Store) -> int:
    medium, timebase = fake_medium(1000)
    obs = store.add_observation("obs1", [medium], [timebase])
    coder = store.ensure_coder("AB", "Ann Bee")
    return store.create_coding(obs.id, coder.id, store.scheme_ids()[0]).id


def point(frame: int, code: str = "reach") -> Event:
    return Event(code, "infant", Stamp(frame, frame * 40_000), None, is_state=False)


def test_event_round_trip_keeps_every_field(store: Store, coding_id: int) -> None:
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


def test_a_raising_block_rolls_back_everything(store: Store, coding_id: int) -> None:
    def code_then_fail() -> None:
        with store.transaction():
            store.insert_event(coding_id, point(1))
            store.put_rating(coding_id, Rating("sens", "session", 5))
            raise ValueError("stop")

    with pytest.raises(ValueError, match="stop"):
        code_then_fail()
    assert store.load_events(coding_id) == []
    assert store.load_ratings(coding_id) == []


def test_a_failing_inner_block_undoes_only_itself(store: Store, coding_id: int) -> None:
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


def test_redo_reinserts_the_same_id_and_ids_are_never_reused(store: Store, coding_id: int) -> None:
    first = store.insert_event(coding_id, point(1))
    second = store.insert_event(coding_id, point(2))
    store.delete_event(coding_id, second)
    again = store.insert_event(coding_id, Event("reach", "infant", Stamp(2, 80_000), None, False,
                                                id=second))  # fmt: skip
    assert again == second
    store.delete_event(coding_id, second)
    fresh = store.insert_event(coding_id, point(3))
    assert fresh > second > first


def test_update_and_delete_of_a_missing_event_are_refused(store: Store, coding_id: int) -> None:
    with pytest.raises(StoreError, match="no event 42"):
        store.update_event(coding_id, Event("reach", "infant", Stamp(1, 1), None, False, id=42))
    with pytest.raises(StoreError, match="no event 42"):
        store.delete_event(coding_id, 42)


def test_ratings_and_episodes_are_replaced_by_key(store: Store, coding_id: int) -> None:
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


def test_writes_bump_the_pass_update_time(store: Store, coding_id: int) -> None:
    before = store.coding(coding_id).updated_at
    time.sleep(0.002)
    store.insert_event(coding_id, point(1))
    assert store.coding(coding_id).updated_at > before
    store.set_status(coding_id, CodingStatus.DONE)
    assert store.coding(coding_id).status is CodingStatus.DONE


def test_schemes_are_stored_once_and_read_back_equal(store: Store, backend: Backend) -> None:
    first = store.scheme_ids()[0]
    assert store.add_scheme(SCHEME) == first
    reopened = backend.reopen(store)
    restored = reopened.scheme(first)
    assert restored.content_hash == SCHEME.content_hash
    assert restored.behaviour("cry").modifiers == ("mild", "strong")
    assert restored.scale("sens").anchors[5] == "mixed"


def test_observation_media_and_timebase_round_trip(store: Store) -> None:
    medium, timebase = fake_medium(500)
    obs = store.add_observation("p01", [medium, medium], [timebase, None], participant="P01")
    assert [m.position for m in obs.media] == [0, 1]
    assert store.timebase(obs.media[0].id) == timebase
    assert store.timebase(obs.media[1].id) is None
    assert store.observations() == [obs]


def test_one_master_per_observation(store: Store, coding_id: int) -> None:
    obs_id = store.coding(coding_id).observation_id
    other = store.create_coding(obs_id, store.ensure_coder("CD").id, store.scheme_ids()[0])
    store.set_master(coding_id, True)
    store.set_master(other.id, True)
    assert [c.is_master for c in store.codings(obs_id)] == [False, True]


def test_a_second_pass_by_the_same_coder_is_refused(store: Store, coding_id: int) -> None:
    info = store.coding(coding_id)
    with pytest.raises(StoreError, match=r"UNIQUE|already has a pass"):
        store.create_coding(info.observation_id, info.coder.id, info.scheme_id)


def test_a_closed_store_refuses_work(store: Store, coding_id: int) -> None:
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.load_events(coding_id)
    store.close()  # twice is harmless


def test_many_events_at_once_get_new_ids_in_order_that_are_never_reused(
    store: Store, coding_id: int
) -> None:
    first = store.insert_event(coding_id, point(1))
    store.delete_event(coding_id, first)
    revision = store.revision(coding_id)
    ids = store.insert_events(coding_id, [point(f) for f in (5, 3, 9)])
    assert ids == sorted(ids)
    assert ids[0] > first
    assert [e.id for e in store.load_events(coding_id)] == [ids[1], ids[0], ids[2]]  # by onset
    assert store.revision(coding_id) > revision
    again = store.insert_events(coding_id, [Event("vocal", "caregiver", Stamp(7, 280_000), None,
                                                   False, id=first)])  # fmt: skip
    assert again == [first]


def test_many_passes_are_read_at_once_as_each_is_alone(store: Store, coding_id: int) -> None:
    obs_id = store.coding(coding_id).observation_id
    other = store.create_coding(obs_id, store.ensure_coder("CD").id, store.scheme_ids()[0]).id
    store.insert_events(coding_id, [point(4), point(2)])
    store.insert_event(other, point(8, "vocal"))
    store.put_rating(coding_id, Rating("sens", "session", 4))
    store.put_rating(other, Rating("sens", "session", 6))
    store.put_episode(other, Episode("ep1", Stamp(0, 0), Stamp(5, 200_000)))
    for wanted in (None, [coding_id, other], [other]):
        chosen = [coding_id, other] if wanted is None else wanted
        assert store.events_by_pass(wanted) == {c: store.load_events(c) for c in chosen}
        assert store.ratings_by_pass(wanted) == {c: store.load_ratings(c) for c in chosen}
    assert store.episodes_by_pass() == {other: store.load_episodes(other)}
    assert store.events_by_pass([]) == {}


def test_a_failed_batch_of_events_stores_none_of_them(store: Store, coding_id: int) -> None:
    existing = store.insert_event(coding_id, point(1))
    taken = Event("vocal", "caregiver", Stamp(2, 80_000), None, False, id=existing)
    with pytest.raises(StoreError):
        store.insert_events(coding_id, [point(3), taken])
    assert [e.id for e in store.load_events(coding_id)] == [existing]


def test_revisions_count_writes_to_a_pass(store: Store, coding_id: int) -> None:
    start = store.revision(coding_id)
    store.insert_event(coding_id, point(1))
    store.put_rating(coding_id, Rating("sens", "session", 2))
    assert store.revision(coding_id) == start + 2
    with pytest.raises(StoreError, match="no coding pass 999"):
        store.revision(999)


def test_settings_and_coders_round_trip(store: Store) -> None:
    assert store.get_meta("nothing") is None
    store.set_meta("blind_coding", "0")
    assert store.get_meta("blind_coding") == "0"
    ann = store.ensure_coder("AB", "Ann")
    assert store.ensure_coder("AB") == ann
    assert store.ensure_coder("AB", "Ann Bee").name == "Ann Bee"
    assert [c.initials for c in store.coders()] == ["AB"]
