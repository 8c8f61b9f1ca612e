"""Many coders at once on one server project, and a server that goes away mid-session."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

from coder.coding.session import SessionError
from coder.project import Project
from coder.store.base import StoreError
from coder.store.postgres import address
from tests.server.cluster import Cluster, available
from tests.server.support import new_database
from tests.test_durability import CODER_SCRIPT, verify
from tests.test_project_support import project_with_observation, start_child

CODERS = {"AB": 5, "CD": 6, "EF": 7, "GH": 8}
ACTIONS = 1000


def test_four_coders_code_a_thousand_actions_each_at_once() -> None:
    url = new_database()
    project, obs_id = project_with_observation(url)
    project.close()
    procs = {
        who: start_child(CODER_SCRIPT, url, str(obs_id), str(ACTIONS), str(seed), who)
        for who, seed in CODERS.items()
    }
    outputs = {}
    for who, proc in procs.items():
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        outputs[who] = out.splitlines()
    with Project.open(url) as reopened:
        assert reopened.check() == []
        passes = {c.coder.initials: c.id for c in reopened.codings()}
        assert sorted(passes) == sorted(CODERS)
        counts = reopened.event_counts()
        for who, lines in outputs.items():
            assert lines[-1] == "finished"
            assert verify(reopened, passes[who], lines[:-1]) >= ACTIONS
            kept = {p.split()[1] for line in lines[:-1] for p in line.split(";") if p[0] in "PS"}
            undone = {line.split()[1] for line in lines[:-1] if line[0] == "X"}
            assert counts[passes[who]] == len(kept - undone)


@pytest.fixture
def own_server():
    """A cluster of this test's own, which it may stop and start."""
    if not available():
        if os.environ.get("ATTUNE_REQUIRE_POSTGRES") == "1":
            pytest.fail("PostgreSQL is not installed (ATTUNE_REQUIRE_POSTGRES=1)")
        pytest.skip("PostgreSQL is not installed")
    cluster = Cluster(Path(tempfile.mkdtemp(prefix="attune-outage-")))
    cluster.init()
    cluster.start()
    old = os.environ.get("PGPASSFILE")
    os.environ["PGPASSFILE"] = str(cluster.pgpass)
    try:
        yield cluster
    finally:
        if old is None:
            os.environ.pop("PGPASSFILE", None)
        else:
            os.environ["PGPASSFILE"] = old
        cluster.remove()


@pytest.mark.parametrize("mode", ["fast", "immediate"])
def test_a_server_stopped_mid_session_refuses_actions_and_loses_none_acknowledged(
    own_server: Cluster, mode: str
) -> None:
    import psycopg

    with psycopg.connect(own_server.url, autocommit=True) as admin:
        admin.execute("CREATE DATABASE outage")
    url = address.with_database(own_server.url, "outage")
    project, obs_id = project_with_observation(url)
    session = project.start_coding(obs_id, "AB")
    acknowledged: list[int] = []
    for frame in range(1, 101):
        acknowledged.append(session.point("reach", frame).onset.frame)
    own_server.stop(mode)  # "immediate" is a crash: recovery replays the log
    refused = 0
    for frame in range(101, 111):
        with pytest.raises(StoreError, match="lab server"):
            session.point("reach", frame)
        refused += 1
    assert [e.onset.frame for e in session.events] == acknowledged  # nothing half-applied
    own_server.start()
    for frame in range(111, 161):
        try:
            acknowledged.append(session.point("reach", frame).onset.frame)
        except SessionError:
            pytest.fail("a refused action must not leave the session out of date")
    session.rate("sens", 5)
    project.close()
    with Project.open(url) as reopened:
        (coding,) = reopened.codings()
        stored = [e.onset.frame for e in reopened.store.load_events(coding.id)]
        assert stored == acknowledged
        assert refused == 10
        assert not set(range(101, 111)) & set(stored)
        assert [r.value for r in reopened.store.load_ratings(coding.id)] == [5.0]
