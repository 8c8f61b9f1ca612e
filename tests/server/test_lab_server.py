"""A lab server: roles and blind coding enforced by the database, shared records under
optimistic concurrency, change notices, push and pull, and the command line."""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import psycopg
import pytest

from coder.model import Media
from coder.project import Project, ProjectError
from coder.server import cli as server_cli
from coder.server import pull as pull_cli
from coder.server import push as push_cli
from coder.server import setup
from coder.store.postgres import ConflictError, PostgresStore, address
from coder.store.postgres.watch import SharedChange
from tests.server.cluster import free_port
from tests.server.support import new_database
from tests.test_project_support import SCHEME, fake_medium, point_at


def as_role(url: str, role: str, password: str) -> str:
    """``url`` logging in as ``role`` (the password given as libpq's PGPASSWORD would)."""
    params = address.parse(url)
    return f"postgresql://{role}:{password}@{params['host']}:{params['port']}/{params['dbname']}"


@pytest.fixture
def lab() -> str:
    """A server project with one observation and two coders, KL and CD, each with a role."""
    url = new_database()
    setup.init_server(url, SCHEME)
    with Project.open(url) as project:
        medium, timebase = fake_medium(500)
        project.store.add_observation("p01", [medium], [timebase], participant="P01")
    for initials in ("KL", "CD"):
        setup.add_coder(
            url, initials, role=f"{initials.lower()}_{url[-10:]}", password="pw-" + initials
        )
    return url


def role_of(url: str, initials: str) -> str:
    return f"{initials.lower()}_{url[-10:]}"


def code_a_little(url: str, initials: str, frames: list[int]) -> int:
    with Project.open(as_role(url, role_of(url, initials), "pw-" + initials)) as project:
        session = project.start_coding(project.observations[0], initials)
        for frame in frames:
            session.point("reach", frame)
        return session.coding_id


def test_a_coder_role_reads_only_its_own_passes_while_the_project_is_blind(lab: str) -> None:
    kl_pass = code_a_little(lab, "KL", [1, 2, 3])
    cd_pass = code_a_little(lab, "CD", [10, 20])
    kl = psycopg.connect(as_role(lab, role_of(lab, "KL"), "pw-KL"), autocommit=True)
    try:
        assert kl.execute("SELECT id FROM attune.coding").fetchall() == [(kl_pass,)]
        assert kl.execute("SELECT count(*) FROM attune.event").fetchone() == (3,)
        assert kl.execute(
            "SELECT count(*) FROM attune.event WHERE coding = %s", (cd_pass,)
        ).fetchone() == (0,)
        assert kl.execute("SELECT count(*) FROM attune.rating").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            kl.execute("UPDATE attune.meta SET value = '0' WHERE key = 'blind_coding'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # RLS: not their pass
            kl.execute(
                "INSERT INTO attune.event (coding, behaviour, is_state, onset_us, onset_frame) "
                "VALUES (%s, 'reach', 0, 0, 0)",
                (cd_pass,),
            )
        with Project.open(lab) as lead:  # the lab lead sees everyone, and lifts blindness
            assert {c.id for c in lead.passes()} == {kl_pass, cd_pass}
            lead.set_blind(False)
        assert {r[0] for r in kl.execute("SELECT id FROM attune.coding")} == {kl_pass, cd_pass}
        assert kl.execute("SELECT count(*) FROM attune.event").fetchone() == (5,)
        cur = kl.execute("DELETE FROM attune.event WHERE coding = %s", (cd_pass,))
        assert cur.rowcount == 0  # readable now, never writable
    finally:
        kl.close()


def test_a_coder_cannot_write_another_coders_pass_through_attune(lab: str) -> None:
    cd_pass = code_a_little(lab, "CD", [5])
    with Project.open(as_role(lab, role_of(lab, "KL"), "pw-KL")) as project:
        with pytest.raises(Exception, match="no coding pass"):
            project.store.insert_event(cd_pass, point_at(9))
        with pytest.raises(ProjectError, match="may not"):
            project.set_blind(False)
        assert project.blind


def test_a_coder_works_on_their_pass_but_never_makes_it_the_master(lab: str) -> None:
    kl_url = as_role(lab, role_of(lab, "KL"), "pw-KL")
    with Project.open(kl_url) as project:
        session = project.start_coding(project.observations[0], "KL")
        session.toggle("cry", 3)
        session.toggle("cry", 8)
        session.rate("sens", 6)
        session.mark_done()
        kl_pass = session.coding_id
        assert project.store.coding(kl_pass).status.value == "done"
        with pytest.raises(ProjectError, match="may not"):
            project.set_master(kl_pass)
        assert not project.store.coding(kl_pass).is_master
    kl = psycopg.connect(kl_url, autocommit=True)
    try:
        for column, value in (("is_master", 1), ("observation", 1), ("started_at", "x")):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                kl.execute(f"UPDATE attune.coding SET {column} = %s WHERE id = %s",
                           (value, kl_pass))  # fmt: skip
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            kl.execute(
                "INSERT INTO attune.coding (observation, coder, scheme, status, is_master, "
                "started_at, updated_at) SELECT 1, id, 1, 'done', 1, '', '' FROM attune.coder "
                "WHERE initials = 'KL'"  # its own: only the column grants refuse it
            )
    finally:
        kl.close()
    with Project.open(lab) as lead:  # the lab lead marks it
        lead.set_master(kl_pass)
        assert lead.store.coding(kl_pass).is_master


def test_an_edit_of_a_shared_setting_from_an_old_copy_is_refused_naming_who(lab: str) -> None:
    first, second = PostgresStore.open(lab), PostgresStore.open(lab)
    try:
        assert first.get_meta("setting.unit") is None
        assert second.get_meta("setting.unit") is None
        second.set_meta("setting.unit", "1s")
        with pytest.raises(ConflictError, match=r"setting\.unit.*changed by attune_admin"):
            first.set_meta("setting.unit", "2s")
        assert second.get_meta("setting.unit") == "1s"
        assert first.get_meta("setting.unit") == "1s"  # read again: now it may change
        first.set_meta("setting.unit", "2s")
        assert second.get_meta("setting.unit") == "2s"
    finally:
        first.close()
        second.close()


def test_relinking_a_medium_another_coder_just_moved_is_refused(lab: str) -> None:
    first, second = PostgresStore.open(lab), PostgresStore.open(lab)
    try:
        medium = first.observations()[0].media[0]
        other = second.observations()[0].media[0]
        second.update_media(_moved(other, "b.mp4"))
        with pytest.raises(ConflictError, match=r"medium 'a\.mp4'.*changed by"):
            first.update_media(_moved(medium, "a.mp4"))
        assert first.observations()[0].media[0].path == "b.mp4"
    finally:
        first.close()
        second.close()


def _moved(medium: Media, path: str) -> Media:
    return Media(path, medium.fingerprint, medium.size_bytes, medium.duration_us,
                 medium.frame_count, medium.fps, id=medium.id)  # fmt: skip


def test_other_coders_changes_to_shared_records_are_announced(lab: str) -> None:
    watcher, writer = PostgresStore.open(lab), PostgresStore.open(lab)
    watch = watcher.watch_shared()
    try:
        assert watch.poll() == []
        writer.set_meta("setting.tolerance", "2s")
        deadline = time.monotonic() + 5
        seen: list[SharedChange] = []
        while not seen and time.monotonic() < deadline:
            seen = watch.poll(timeout=0.5)
        assert SharedChange("meta", "setting.tolerance", "insert", "attune_admin") in seen
    finally:
        watch.close()
        watcher.close()
        writer.close()


def test_push_then_pull_keeps_every_record(tmp_path: Path) -> None:
    source = tmp_path / "study.attune"
    with Project.create(source, SCHEME) as project:
        medium, timebase = fake_medium(500)
        obs = project.store.add_observation("p01", [medium], [timebase])
        session = project.start_coding(obs, "KL")
        session.toggle("cry", 3)
        session.toggle("cry", 9)
        session.point("reach", 12)
        session.rate("sens", 7)
        project.set_blind(False)
        project.set_master(session.coding_id)
        before = project.events_frame().drop(columns=["event_id", "coding_id"])
    url = new_database()
    counts = setup.push(source, url)
    assert counts["events"] == 2
    assert counts["ratings"] == 1
    back = tmp_path / "back.attune"
    setup.pull(url, back)
    with Project.open(back) as project:
        after = project.events_frame().drop(columns=["event_id", "coding_id"])
        assert after.equals(before)
        assert not project.blind
        assert project.passes()[0].is_master
        assert project.ratings_frame()["value"].tolist() == [7.0]
    with pytest.raises(ProjectError, match="already exists"):
        setup.push(source, url)


def run_cli(module: object, *argv: str) -> int:
    parser = argparse.ArgumentParser()
    module.add_arguments(parser)  # type: ignore[attr-defined]
    return int(module.run(parser.parse_args(list(argv))))  # type: ignore[attr-defined]


def test_the_command_line_sets_a_server_up(tmp_path: Path, capsys, monkeypatch) -> None:
    url = new_database()
    assert run_cli(server_cli, "init", url, "--scheme", "responsiveness") == 0
    monkeypatch.setenv("ATTUNE_NEW_PASSWORD", "s3cret")
    role = f"ab_{url[-10:]}"
    assert run_cli(server_cli, "add-coder", url, "AB", "--role", role, "--password") == 0
    out = capsys.readouterr().out
    assert "s3cret" not in out
    assert role in out
    with Project.open(as_role(url, role, "s3cret")) as project:
        assert project.store.own_coder().initials == "AB"
        assert project.scheme.name
    file = tmp_path / "archive.attune"
    assert run_cli(pull_cli, url, str(file)) == 0
    assert run_cli(push_cli, str(file), new_database()) == 0


def test_an_unreachable_server_is_reported_at_once_without_the_password() -> None:
    url = f"postgresql://kl:topsecret@127.0.0.1:{free_port()}/study"
    started = time.monotonic()
    with pytest.raises(ProjectError) as refused:
        Project.open(url)
    assert time.monotonic() - started < 6
    message = str(refused.value)
    assert "cannot reach the lab server" in message
    assert "postgresql://kl@127.0.0.1" in message
    assert "topsecret" not in message


def test_a_database_without_a_project_is_refused_clearly() -> None:
    with pytest.raises(ProjectError, match="no Attune project in this database"):
        Project.open(new_database())


def test_sslmode_in_the_url_is_honoured_and_refusals_are_told_apart() -> None:
    url = new_database()
    with pytest.raises(ProjectError, match="does not offer SSL") as refused:  # no certificate
        Project.open(url + "?sslmode=require")
    assert "cannot reach" not in str(refused.value)
    with pytest.raises(ProjectError, match=r"refused the connection \(database .* not exist\)"):
        Project.open(address.with_database(url, "no_such_study"))
    params = address.parse(url)
    wrong = f"postgresql://attune_admin:wrong@{params['host']}:{params['port']}/postgres"
    with pytest.raises(ProjectError, match="password authentication failed") as refused:
        Project.open(wrong)
    assert "wrong" not in str(refused.value).replace("password authentication failed", "")


def test_a_project_of_a_newer_attune_is_refused_and_read_only_refuses_writes(lab: str) -> None:
    with Project.open(lab, read_only=True) as project:
        assert project.read_only
        assert project.observations
        with pytest.raises(ProjectError, match="reading only"):
            project.set_blind(False)
    with psycopg.connect(lab, autocommit=True) as admin:
        admin.execute("UPDATE attune.meta SET value = '99' WHERE key = 'schema_version'")
    with pytest.raises(ProjectError, match=r"newer Attune \(format 99"):
        Project.open(lab)
