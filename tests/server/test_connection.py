"""The link to the server: a restart while the coder pauses costs nothing, and two copies of
one pass writing at once cannot slip past each other."""

from __future__ import annotations

import threading
import time

import psycopg

from coder.coding.session import SessionError
from coder.project import Project
from coder.store.postgres import PostgresStore, address
from tests.server.cluster import Cluster
from tests.server.support import new_database
from tests.server.test_many_coders import own_server  # noqa: F401 (fixture)
from tests.test_project_support import point_at, project_with_observation


def test_a_server_restarted_while_the_coder_pauses_costs_no_action(
    own_server: Cluster,  # noqa: F811
) -> None:
    with psycopg.connect(own_server.url, autocommit=True) as admin:
        admin.execute("CREATE DATABASE pause")
    url = address.with_database(own_server.url, "pause")
    project, obs_id = project_with_observation(url)
    session = project.start_coding(obs_id, "AB")
    session.point("reach", 1)
    own_server.stop("fast")
    own_server.start()
    session.point("reach", 2)  # the lost link is found as the action begins, and replaced
    assert project.last_save_failed is None
    project.close()
    with Project.open(url) as reopened:
        (coding,) = reopened.codings()
        assert [e.onset.frame for e in reopened.store.load_events(coding.id)] == [1, 2]


def test_two_copies_of_a_pass_writing_at_once_refuse_the_later_one() -> None:
    url = new_database()
    project, obs_id = project_with_observation(url)
    session = project.start_coding(obs_id, "AB")
    session.point("reach", 1)
    other = PostgresStore.open(url)
    outcome: list[BaseException | None] = []

    def write_from_the_session() -> None:
        try:
            session.point("reach", 2)
            outcome.append(None)
        except BaseException as exc:  # handed to the test's thread
            outcome.append(exc)

    try:
        with other.transaction():  # another copy of the pass is in the middle of a write
            other.revision(session.coding_id)
            writer = threading.Thread(target=write_from_the_session)
            writer.start()
            time.sleep(0.5)  # the session now waits for the other copy's write
            assert not outcome
            other.insert_event(session.coding_id, point_at(7))
        writer.join(timeout=20)
    finally:
        other.close()
    assert len(outcome) == 1
    assert isinstance(outcome[0], SessionError)
    assert "changed elsewhere" in str(outcome[0])
    frames = [e.onset.frame for e in project.store.load_events(session.coding_id)]
    assert frames == [1, 7]  # the other copy's write kept, the stale one refused
    project.close()
