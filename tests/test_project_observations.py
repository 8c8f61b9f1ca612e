"""Observations as a lab names, syncs and dates them: unique names, camera offsets kept,
and the clock time of the recording's start."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from coder.demo.synth import make_clip
from coder.model import Observation
from coder.project import Project, ProjectError
from tests.test_project_support import SCHEME


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    folder = tmp_path_factory.mktemp("views")
    (folder / "other").mkdir()
    return [
        make_clip(folder / "front.mp4", frames=20, fps=25),
        make_clip(folder / "side.mp4", frames=20, fps=25),
        make_clip(folder / "other" / "front.mp4", frames=20, fps=25),
    ]


def test_two_observations_never_share_a_name(tmp_path: Path, clips: list[Path]) -> None:
    with Project.create(tmp_path / "s.attune", SCHEME) as project:
        first = project.add_observation(clips[0])
        again = project.add_observation(clips[2])  # another folder's front.mp4
        views = project.add_observation(clips[:2])  # two camera views, named by the first
        assert [first.name, again.name, views.name] == ["front", "front (2)", "front (3)"]
        with pytest.raises(ProjectError, match="an observation is already named 'front'"):
            project.add_observation(clips[1], name="front")
        assert len(project.observations) == 3


def test_a_camera_offset_is_kept(tmp_path: Path, clips: list[Path]) -> None:
    path = tmp_path / "s.attune"
    with Project.create(path, SCHEME) as project:
        obs = project.add_observation(clips[:2], offsets_us=[0, 480_000])
        side = obs.media[1]
        moved = project.set_camera_offset(side, side.offset_us - 40_000)  # one frame earlier
        assert moved.offset_us == 440_000
        with pytest.raises(ProjectError, match="the first video is the time reference"):
            project.set_camera_offset(obs.media[0], 40_000)
        with pytest.raises(ProjectError, match="over a day"):
            project.set_camera_offset(side, 90_000 * 1_000_000)
    with Project.open(path) as project:
        assert [m.offset_us for m in project.observations[0].media] == [0, 440_000]


@pytest.mark.parametrize(
    ("date", "start"),
    [
        ("2026-03-04", None),
        ("", None),
        ("spring 2026", None),
        ("2026-03-04T10:15:30.250", datetime(2026, 3, 4, 10, 15, 30, 250_000)),
        ("2026-03-04 10:15", datetime(2026, 3, 4, 10, 15)),
    ],
)
def test_the_recording_start_is_a_date_with_a_clock_time(date: str, start: datetime | None) -> None:
    assert Observation(1, "o", date=date).recording_start == start


def test_add_video_takes_the_recording_time(
    tmp_path: Path, clips: list[Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.test_cli import assert_one_error_line, run

    target = tmp_path / "s.attune"
    Project.create(target, SCHEME).close()
    code, _out, err = run(
        capsys, "add-video", str(target), str(clips[0]), "--recorded", "2026-03-04T10:15:30"
    )
    assert (code, err) == (0, "")
    code, _out, err = run(capsys, "add-video", str(target), str(clips[1]), "--recorded", "monday")
    assert code == 2
    assert_one_error_line(err, "--recorded 'monday'", "date")
    with Project.open(target) as project:
        (observation,) = project.observations
    assert observation.recording_start == datetime(2026, 3, 4, 10, 15, 30)
