"""The bundled demo: made once, nothing downloaded, every frame readable, ready to code."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from coder.demo import (
    CLIP_NAME,
    DEMO_FOLDER,
    PROJECT_NAME,
    demo_scheme,
    ensure_demo_project,
    make_demo_clip,
    make_demo_project,
    read_demo_frame_number,
)
from coder.demo.scene import CODE_HEIGHT, level, pose_at, render_demo_frame
from coder.media import fingerprint, open_video, probe
from coder.project import Project
from coder.scheme import load_scheme

SMALL = {"seconds": 2.0, "size": (320, 180), "fps": 25}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    return ensure_demo_project(tmp_path_factory.mktemp("data"), **SMALL)


def test_demo_project_has_one_observation_with_the_scheme_and_a_sound_track(demo):
    with Project.open(demo) as project:
        (observation,) = project.observations
        scheme = project.scheme
        media = observation.media[0]
        clip = project.media_path(media)
    responsiveness = load_scheme("responsiveness")
    assert [b.code for b in scheme.behaviours] == [b.code for b in responsiveness.behaviours]
    assert scheme.scales, "the demo needs a rating scale to try the digits on"
    assert all(s.rated_on == ("session",) for s in scheme.scales)
    assert media.frame_count == 50
    assert media.has_audio
    assert (media.width, media.height) == (320, 180)
    assert clip == demo.parent / CLIP_NAME
    assert clip.is_file()


def test_every_demo_frame_carries_its_index(demo):
    clip = demo.parent / CLIP_NAME
    source = open_video(clip)
    try:
        order = [0, 49, 7, 8, 31, 30, 1]
        assert [read_demo_frame_number(source.frame(i)) for i in order] == order
    finally:
        source.close()


def test_demo_is_made_once_and_a_deleted_clip_is_made_again(demo):
    clip = demo.parent / CLIP_NAME
    stamp = demo.stat().st_mtime_ns
    assert ensure_demo_project(demo.parent.parent, **SMALL) == demo
    assert demo.stat().st_mtime_ns == stamp
    clip.unlink()
    assert ensure_demo_project(demo.parent.parent, **SMALL) == demo
    with Project.open(demo) as project:
        media = project.observations[0].media[0]
        assert fingerprint.matches(clip, media.fingerprint, media.size_bytes)
    assert sorted(p.name for p in demo.parent.iterdir()) == sorted([CLIP_NAME, PROJECT_NAME])


def test_full_size_demo_clip_is_25_fps_640_by_360_and_20_to_30_seconds(tmp_path):
    info = probe(make_demo_clip(tmp_path / "clip.mp4"))
    assert (info.width, info.height) == (640, 360)
    assert info.fps == pytest.approx(25)
    assert 20 <= info.duration_us / 1e6 <= 30
    assert info.has_audio


def test_a_second_demo_project_in_the_same_folder_is_refused(tmp_path):
    make_demo_project(tmp_path / DEMO_FOLDER, **SMALL)
    with pytest.raises(FileExistsError, match=PROJECT_NAME):
        make_demo_project(tmp_path / DEMO_FOLDER, **SMALL)


def test_the_figures_move_between_moments_of_the_script():
    still = render_demo_frame(10, 640, 360, 25, 1.0)
    later = render_demo_frame(14, 640, 360, 25, 1.0)
    reaching = render_demo_frame(int(7.5 * 25), 640, 360, 25, 1.0)
    body = slice(CODE_HEIGHT + 20, None)
    small = np.abs(still[body].astype(int) - later[body].astype(int)).mean()
    big = np.abs(still[body].astype(int) - reaching[body].astype(int)).mean()
    assert big > 4 * small > 0


def test_script_levels_ease_in_and_out():
    spans = ((1.0, 2.0),)
    assert level(0.0, spans) == 0
    assert level(1.5, spans) == 1
    assert 0 < level(2.1, spans) < 1
    assert pose_at(7.5).caregiver_reach == 1  # the caregiver reaches for the infant
    assert pose_at(12.5).caregiver_gaze == -1  # and later looks away while it fusses
    assert pose_at(12.5).infant_fuss == 1


def test_demo_scheme_is_the_bundled_responsiveness_with_session_ratings():
    """The bundled file repeats two others; this catches them drifting apart."""
    scheme = demo_scheme()
    assert scheme == load_scheme("responsiveness_ratings")
    micro = load_scheme("responsiveness")
    assert (scheme.subjects, scheme.groups, scheme.behaviours) == (
        micro.subjects,
        micro.groups,
        micro.behaviours,
    )
    assert scheme.contingencies == micro.contingencies
    ratings = load_scheme("ainsworth_sensitivity")
    assert [replace(s, rated_on=("session",)) for s in ratings.scales] == list(scheme.scales)
    assert not {b.key for b in scheme.behaviours} & set("0123456789")
