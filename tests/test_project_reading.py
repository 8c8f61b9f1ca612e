"""The read-only analysis API: passes, load_pass and the tables never write a byte."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from coder.model import CodingStatus, Stamp
from coder.project import PassRecord, Project, ProjectError
from coder.scheme import Behaviour
from tests.test_project_support import SCHEME, fake_medium, snapshot


def build(path: Path) -> None:
    """Two passes over one observation: AB done with the current scheme, CD in progress
    with an older version of it."""
    with Project.create(path, SCHEME) as project:
        medium, timebase = fake_medium(500)
        obs = project.store.add_observation("visit 1", [medium], [timebase], participant="P01")
        cd = project.start_coding(obs.id, "CD")
        cd.point("reach", 12)
        cd.toggle("cry", 20)  # left open
        newer = replace(
            SCHEME,
            version="2",
            behaviours=(*SCHEME.behaviours, Behaviour("smile", "Smile", "point", "infant", "m")),
        )
        project.set_scheme(newer)
        ab = project.start_coding(obs.id, "AB")
        ab.start("look_cg", 10, modifiers=())
        ab.stop("look_cg", 30)
        ab.toggle("cry", 40)
        ab.edit_event(ab.events[-1].id, modifiers=("mild",), comment="=SUM(A1)")
        ab.toggle("cry", 60)
        ab.point("smile", 45)
        ab.rate("sens", 7, comment="warm")
        ab.rate("coop", 3, segment="interval_2")
        ab.mark_done()


@pytest.fixture
def study(tmp_path: Path) -> Path:
    path = tmp_path / "study.attune"
    build(path)
    return path


def test_reading_every_pass_and_table_leaves_the_file_untouched(study: Path) -> None:
    before = snapshot(study)
    with Project.open(study) as project:
        records = [project.load_pass(info) for info in project.passes()]
        project.load_passes(project.passes())
        project.events_frame()
        project.ratings_frame()
        project.episodes_frame()
        project.master_of(records[0].observation)
    assert snapshot(study) == before
    assert {r.coder: r.info.status for r in records} == {
        "CD": CodingStatus.IN_PROGRESS,
        "AB": CodingStatus.DONE,
    }


def test_a_pass_on_an_older_scheme_is_read_with_it_and_not_moved(study: Path) -> None:
    with Project.open(study) as project:
        (cd,) = project.passes(coders=["CD"])
        record = project.load_pass(cd)
        assert record.scheme.version == "1"
        assert not record.scheme.has_behaviour("smile")
        assert project.passes(coders=["CD"])[0].scheme_id == cd.scheme_id  # not moved
        assert project.scheme.version == "2"


def test_a_pass_record_holds_what_was_coded(study: Path) -> None:
    with Project.open(study) as project:
        (ab,) = project.passes(coders=["AB"], status="done")
        record = project.load_pass(ab.id)
    assert isinstance(record, PassRecord)
    assert record.coder == "AB"
    assert record.observation.participant == "P01"
    assert [(e.behaviour, e.onset.frame) for e in record.events] == [
        ("look_cg", 10), ("cry", 40), ("smile", 45),
    ]  # fmt: skip
    assert record.events[1].offset == Stamp(60, 2_400_000)
    assert record.events[1].modifiers == ("mild",)
    assert {(r.scale, r.segment, r.value) for r in record.ratings} == {
        ("sens", "session", 7.0), ("coop", "interval_2", 3.0),
    }  # fmt: skip
    assert record.timebase.frame_count == 500
    assert record.duration_us == 20_000_000
    assert [s.code for s in record.segments("coop")][:3] == [
        "interval_1", "interval_2", "interval_3",
    ]  # fmt: skip
    with pytest.raises(AttributeError):
        record.events = ()  # type: ignore[misc]


def test_passes_filter_by_observation_coder_and_status(study: Path) -> None:
    with Project.open(study) as project:
        obs = project.observations[0]
        assert len(project.passes()) == 2
        assert len(project.passes(observations=[obs])) == 2
        assert project.passes(observations=[obs.id + 1]) == []
        assert [p.coder.initials for p in project.passes(status="in_progress")] == ["CD"]
        assert [p.coder.initials for p in project.passes(coders=["AB", "XX"])] == ["AB"]
        with pytest.raises(ValueError, match="finished"):
            project.passes(status="finished")


def test_the_master_pass_of_an_observation(study: Path) -> None:
    with Project.open(study) as project:
        obs = project.observations[0]
        ab, cd = (project.passes(coders=[c])[0] for c in ("AB", "CD"))
        assert project.master_of(obs) is None
        assert project.set_master(ab).is_master
        assert project.master_of(obs).id == ab.id
        project.set_master(cd)
        assert project.master_of(obs.id).id == cd.id
        project.set_master(cd, is_master=False)
        assert project.master_of(obs) is None


def test_tables_name_things_by_each_pass_scheme_and_read_each_table_once(
    study: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Project.open(study) as project:

        def refuse(*_args: object) -> None:
            raise AssertionError("a table read one pass at a time")

        for name in ("load_events", "load_ratings", "load_episodes"):
            monkeypatch.setattr(project.store, name, refuse)
        events = project.events_frame()
        ratings = project.ratings_frame()
        episodes = project.episodes_frame()
    ab = events[events.coder == "AB"]
    assert list(ab.behaviour_name) == ["Look at caregiver", "Cry", "Smile"]
    assert set(ab.scheme_version) == {"2"}
    assert set(events[events.coder == "CD"].scheme_version) == {"1"}
    cry = ab[ab.behaviour == "cry"].iloc[0]
    assert (cry.onset_frame, cry.offset_frame, cry.duration_s) == (40, 60, 0.8)
    assert cry.modifiers == "mild"
    assert cry.comment == "=SUM(A1)"
    assert cry.subject_name == "Infant"
    assert cry.fps == 25.0
    assert cry.media == "videos/none.mp4"
    open_cry = events[(events.coder == "CD") & (events.behaviour == "cry")].iloc[0]
    assert open_cry.offset_frame is pd_na()
    assert list(ratings.sort_values("scale").scale_name) == ["Cooperation", "Sensitivity"]
    assert episodes.empty
    assert list(episodes.columns)[:3] == ["observation_id", "observation", "participant"]


def pd_na() -> object:
    import pandas as pd

    return pd.NA


def test_a_project_opened_read_only_reads_and_refuses_every_change(study: Path) -> None:
    before = snapshot(study)
    with Project.open(study, read_only=True) as project:
        assert project.read_only
        assert len(project.events_frame()) == 5
        with pytest.raises(ProjectError, match="reading only"):
            project.set_blind(False)
        with pytest.raises(ProjectError, match="reading only"):
            project.start_coding(project.observations[0], "EF")
        with pytest.raises(ProjectError, match="reading only"):
            project.start_coding(project.observations[0], "CD")  # even a pass that exists
    assert snapshot(study) == before
