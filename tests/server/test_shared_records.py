"""Shared records of a server project edited by two people at once: the scheme, a camera's
offset, the blind switch. A change made from an out-of-date copy is refused naming who changed
it, and the other copy hears of every change (LISTEN/NOTIFY), also after its link was lost."""

from __future__ import annotations

import time
from dataclasses import replace

import psycopg
import pytest

from coder.project import Project, ProjectError
from coder.store.postgres import PostgresStore
from coder.store.postgres.watch import EVERYTHING, SharedChange, SharedWatch
from tests.server.support import new_database
from tests.test_project_support import SCHEME, fake_medium


@pytest.fixture
def study() -> str:
    url = new_database()
    with Project.create(url, SCHEME) as project:
        first, timebase = fake_medium(500)
        second = replace(first, path="side.mp4", fingerprint="s3-sha256:side")
        project.store.add_observation("p01", [first, second], [timebase, timebase])
    return url


def heard(watch: SharedWatch, wanted: int = 1) -> list[SharedChange]:
    seen: list[SharedChange] = []
    deadline = time.monotonic() + 5
    while len(seen) < wanted and time.monotonic() < deadline:
        seen += watch.poll(timeout=0.5)
    return seen


def test_a_scheme_changed_by_another_lead_is_not_overwritten(study: str) -> None:
    with Project.open(study) as mine, Project.open(study) as theirs:
        assert mine.scheme.version == SCHEME.version  # read here
        theirs.set_scheme(replace(SCHEME, version="2"))
        with pytest.raises(ProjectError, match=r"'current_scheme' was changed by \w+ at 20"):
            mine.set_scheme(replace(SCHEME, version="3"))
        assert theirs.scheme.version == "2"
        assert mine.scheme.version == "2"  # read again: now it may change
        mine.set_scheme(replace(SCHEME, version="3"))
        assert theirs.scheme.version == "3"


def test_a_camera_offset_changed_by_another_lead_is_not_overwritten(study: str) -> None:
    with Project.open(study) as mine, Project.open(study) as theirs:
        side = mine.observations[0].media[1]
        theirs.set_camera_offset(theirs.observations[0].media[1], 250_000)
        with pytest.raises(ProjectError, match=r"medium 'side\.mp4' was changed by"):
            mine.set_camera_offset(side, -400_000)
        assert mine.observations[0].media[1].offset_us == 250_000
        mine.set_camera_offset(mine.observations[0].media[1], -400_000)
        assert theirs.observations[0].media[1].offset_us == -400_000


def test_the_other_copy_hears_of_scheme_blind_and_media_changes(study: str) -> None:
    watcher = PostgresStore.open(study)
    watch = watcher.watch_shared()
    try:
        with Project.open(study) as lead:
            lead.set_scheme(replace(SCHEME, version="2"))
            lead.set_blind(False)
            lead.set_camera_offset(lead.observations[0].media[1], 40_000)
        seen = {(c.table, c.key, c.op) for c in heard(watch, 4)}
        assert ("scheme", "2", "insert") in seen
        assert ("meta", "current_scheme", "update") in seen
        assert ("meta", "blind_coding", "insert") in seen
        assert any(table == "media" and op == "update" for table, _key, op in seen)
    finally:
        watch.close()
        watcher.close()


def test_a_watch_whose_link_was_lost_asks_for_everything_to_be_read_again(study: str) -> None:
    watch = SharedWatch(study)
    try:
        with psycopg.connect(study, autocommit=True) as admin:
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND query LIKE 'LISTEN%%'"
            )
            time.sleep(0.2)
            assert EVERYTHING in heard(watch)  # notices may have been missed meanwhile
            admin.execute("UPDATE attune.meta SET value = value WHERE key = 'current_scheme'")
        assert SharedChange("meta", "current_scheme", "update", "attune_admin") in heard(watch)
    finally:
        watch.close()
