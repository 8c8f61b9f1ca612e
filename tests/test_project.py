"""The Project API: creating, adding videos, relinking moved media, coding, tables, checks."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml

from coder import media as media_module
from coder.demo.synth import make_clip
from coder.media.fingerprint import fingerprint
from coder.model import Coder, CodingStatus
from coder.project import EVENT_COLUMNS, RATING_COLUMNS, Project, ProjectError
from coder.scheme import SchemeError
from tests.test_project_support import SCHEME, project_with_observation


@pytest.fixture(scope="module")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_clip(tmp_path_factory.mktemp("clips") / "p01.mp4", frames=50, fps=25)


@pytest.fixture
def study(tmp_path: Path, clip: Path) -> Path:
    """A study folder holding a video in ``videos/``."""
    (tmp_path / "videos").mkdir()
    shutil.copy(clip, tmp_path / "videos" / "p01.mp4")
    return tmp_path


def test_create_accepts_a_scheme_a_file_or_a_bundled_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    scheme_file = tmp_path / "gaze.yaml"
    scheme_file.write_text(yaml.safe_dump(SCHEME.to_dict(), sort_keys=False))
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    shutil.copy(scheme_file, bundled / "gaze_demo.yaml")
    monkeypatch.setattr("coder.scheme.load.BUNDLED_DIR", bundled)
    for name, source in (("a", SCHEME), ("b", scheme_file), ("c", "gaze_demo")):
        with Project.create(tmp_path / f"{name}.attune", source) as project:
            assert project.scheme.content_hash == SCHEME.content_hash


def test_create_refuses_to_overwrite_and_a_bad_scheme_writes_nothing(tmp_path: Path) -> None:
    existing = tmp_path / "study.attune"
    existing.write_text("keep me")
    with pytest.raises(ProjectError, match=r"study\.attune.*already exists"):
        Project.create(existing, SCHEME)
    assert existing.read_text() == "keep me"
    with pytest.raises(SchemeError):
        Project.create(tmp_path / "new.attune", tmp_path / "missing.yaml")
    assert not (tmp_path / "new.attune").exists()


def test_add_observation_probes_fingerprints_and_stores_a_relative_path(study: Path) -> None:
    video = study / "videos" / "p01.mp4"
    with Project.create(study / "study.attune", SCHEME) as project:
        obs = project.add_observation([video], participant="P01", visit="T1")
        info = media_module.probe(video)
        (medium,) = obs.media
        assert medium.path == "videos/p01.mp4"
        assert medium.fingerprint == fingerprint(video)
        assert medium.size_bytes == video.stat().st_size
        assert (medium.frame_count, medium.duration_us) == (50, info.duration_us)
        assert project.store.timebase(medium.id) == info.timebase
        assert (obs.name, obs.participant, obs.visit) == ("p01", "P01", "T1")
        assert project.media_path(medium) == video.resolve()
        assert project.observations == [obs]


def test_a_video_outside_the_project_folder_keeps_an_absolute_path(
    tmp_path: Path, clip: Path
) -> None:
    far = tmp_path / "a" / "b" / "c" / "proj"  # more than two folders up from the clip
    far.mkdir(parents=True)
    with Project.create(far / "s.attune", SCHEME) as project:
        obs = project.add_observation(clip, offsets_us=[0])
        assert Path(obs.media[0].path).is_absolute()
        assert project.media_path(obs.media[0]) == clip.resolve()


def test_add_observation_refuses_missing_and_unreadable_files(study: Path) -> None:
    junk = study / "junk.mp4"
    junk.write_text("not a video")
    with Project.create(study / "study.attune", SCHEME) as project:
        with pytest.raises(ProjectError, match=r"nothing\.mp4: no such video file"):
            project.add_observation([study / "nothing.mp4"])
        with pytest.raises(media_module.MediaError, match=r"junk\.mp4"):
            project.add_observation([junk])
        assert project.observations == []


def test_a_moved_folder_keeps_working_and_a_moved_video_is_found_and_relinked(
    study: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    with Project.create(study / "study.attune", SCHEME) as project:
        project.add_observation([study / "videos" / "p01.mp4"])
    moved = tmp_path_factory.mktemp("elsewhere") / "study"
    shutil.move(study, moved)
    with Project.open(moved / "study.attune") as project:
        (medium,) = project.observations[0].media
        assert project.media_path(medium).is_file()  # relative path survives the move
        archive = moved / "archive" / "2024"
        archive.mkdir(parents=True)
        (archive / "decoy.mp4").write_bytes(b"x" * medium.size_bytes)  # same size, other bytes
        shutil.move(moved / "videos" / "p01.mp4", archive / "renamed.mp4")
        assert not project.media_path(medium).exists()
        found = project.find_moved_media(medium, [moved / "archive"])
        assert found == (archive / "renamed.mp4").resolve()
        assert project.find_moved_media(medium, str(moved / "archive")) == found  # one folder
        with pytest.raises(ProjectError, match=r"decoy\.mp4: not the same video"):
            project.relink(medium, archive / "decoy.mp4")
        relinked = project.relink(medium, found)
        assert relinked.path == "archive/2024/renamed.mp4"
        assert project.observations[0].media[0] == relinked
        forced = project.relink(relinked, archive / "decoy.mp4", force=True)
        assert forced.fingerprint == fingerprint(archive / "decoy.mp4")
    assert project.find_moved_media(medium, [moved / "videos"]) is None


def test_start_coding_resumes_the_coders_pass(tmp_path: Path) -> None:
    project, obs_id = project_with_observation(tmp_path / "s.attune")
    with project:
        session = project.start_coding(obs_id, "AB")
        session.start("cry", 10, modifiers=["mild"])
        session.point("reach", 12)
        again = project.start_coding(project.observation(obs_id), Coder("AB"))
        assert [e.behaviour for e in again.events] == ["cry", "reach"]
        assert again.coding_id == session.coding_id
        other = project.start_coding(obs_id, Coder("CD", "Cee Dee"))
        assert other.coding_id != session.coding_id
        assert [(c.initials, c.name) for c in project.coders] == [("AB", ""), ("CD", "Cee Dee")]
        assert len(project.codings()) == 2


def test_a_resumed_pass_moves_to_an_extended_scheme_but_keeps_one_that_lost_codes(
    tmp_path: Path,
) -> None:
    from dataclasses import replace

    from coder.scheme import Behaviour

    project, obs_id = project_with_observation(tmp_path / "s.attune")
    with project:
        first = project.start_coding(obs_id, "AB")
        first.point("reach", 5)
        old_id = first.info.scheme_id
        extra = Behaviour("smile", "Smile", "point", "infant", "m")
        project.set_scheme(replace(SCHEME, version="2", behaviours=(*SCHEME.behaviours, extra)))
        resumed = project.start_coding(obs_id, "AB")
        assert resumed.scheme.has_behaviour("smile")
        assert resumed.info.scheme_id == project.scheme_id != old_id
        without_reach = tuple(b for b in SCHEME.behaviours if b.code != "reach")
        project.set_scheme(replace(SCHEME, version="3", behaviours=without_reach))
        kept = project.start_coding(obs_id, "AB")
        assert kept.scheme.has_behaviour("reach")
        assert kept.info.scheme_id != project.scheme_id


def test_events_and_ratings_frames(tmp_path: Path) -> None:
    project, obs_id = project_with_observation(tmp_path / "s.attune")
    with project:
        session = project.start_coding(obs_id, "AB")
        session.start("cry", 10, modifiers=["mild", "strong"], comment="loud")
        session.stop("cry", 35)
        session.point("reach", 12)
        session.start("look_cg", 40)
        session.rate("sens", 7)
        session.rate("coop", 3, segment="interval_2")
        events = project.events_frame()
        ratings = project.ratings_frame()
    assert list(events.columns) == list(EVENT_COLUMNS)
    assert list(ratings.columns) == list(RATING_COLUMNS)
    by_code = events.set_index("behaviour")
    cry, reach, look = by_code.loc["cry"], by_code.loc["reach"], by_code.loc["look_cg"]
    assert (cry["kind"], cry["onset_s"], cry["offset_s"]) == ("state", 0.4, 1.4)
    assert cry["duration_s"] == pytest.approx(1.0)
    assert (cry["onset_frame"], cry["offset_frame"]) == (10, 35)
    assert (cry["modifiers"], cry["comment"], cry["coder"]) == ("mild|strong", "loud", "AB")
    assert reach["kind"] == "point"
    assert pd.isna(reach["offset_frame"])
    assert pd.isna(look["offset_s"])
    assert events["offset_frame"].dtype == "Int64"
    assert events["onset_frame"].dtype == "int64"
    assert events["participant"].tolist() == ["P01"] * 3
    assert sorted(zip(ratings["scale"], ratings["segment"], ratings["value"], strict=True)) == [
        ("coop", "interval_2", 3.0),
        ("sens", "session", 7.0),
    ]


def test_empty_project_gives_empty_frames_with_the_columns(tmp_path: Path) -> None:
    with Project.create(tmp_path / "s.attune", SCHEME) as project:
        assert project.events_frame().empty
        assert list(project.events_frame().columns) == list(EVENT_COLUMNS)
        assert list(project.ratings_frame().columns) == list(RATING_COLUMNS)


def test_a_sound_project_checks_clean_and_status_is_kept(tmp_path: Path) -> None:
    project, obs_id = project_with_observation(tmp_path / "s.attune")
    with project:
        session = project.start_coding(obs_id, "AB")
        session.start("look_cg", 1)
        session.start("look_obj", 20)
        session.mark_done(close_open_at=30)
        assert project.check() == []
        assert project.codings()[0].status is CodingStatus.DONE


def test_fingerprints_sample_start_middle_and_end_of_large_files(tmp_path: Path) -> None:
    from coder.media.fingerprint import SAMPLE_BYTES, matches

    data = bytearray(random_bytes(10 * SAMPLE_BYTES))
    path = tmp_path / "big.bin"
    path.write_bytes(data)
    original = fingerprint(path)
    assert original.startswith("s3-sha256:")
    for where in (0, len(data) // 2, len(data) - 1):  # inside each sample
        changed = bytearray(data)
        changed[where] ^= 0xFF
        path.write_bytes(changed)
        assert fingerprint(path) != original, where
    path.write_bytes(data + b"\0")  # the size counts too
    assert not matches(path, original)
    path.write_bytes(data)
    assert matches(path, original, size=len(data))
    assert not matches(tmp_path / "gone.bin", original)
    small = tmp_path / "small.bin"
    small.write_bytes(b"abc")
    before = fingerprint(small)
    small.write_bytes(b"abd")
    assert fingerprint(small) != before  # small files are hashed whole


def random_bytes(count: int) -> bytes:
    import random

    return random.Random(5).randbytes(count)
