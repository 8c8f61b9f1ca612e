"""Camera offsets adjusted while coding: Ctrl+Alt+Left/Right move the second camera (or the one
whose picture was clicked) a frame against the first, both views show at once the frames the new
offset says (read from the pictures), the offset is in the project at once and a reopened
project keeps it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from coder.demo.synth import make_clip, read_frame_number, vfr_times
from coder.project import Project, ProjectError
from coder.timebase import TimeBase
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    WAIT_MS,
    Key,
    Mod,
    open_and_show,
    press,
    prompts_fixture,
    settings_fixture,
    window_fixture,
)
from ui.player.cameras import nudged_offset
from ui.window.main_window import MainWindow

FPS = 25
FRAME_US = 40_000
NUDGE = Mod.ControlModifier | Mod.AltModifier


@pytest.fixture(scope="module")
def clips(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("cameras")
    return {
        name: make_clip(folder / f"{name}.mp4", frames=100, fps=FPS, size=(192, 144))
        for name in ("front", "side", "top")
    }


def camera_project(folder: Path, clips: dict[str, Path], offsets: list[int]) -> Path:
    """A project with one observation seen by ``len(offsets)`` cameras."""
    names = ["front", "side", "top"][: len(offsets)]
    folder.mkdir(parents=True, exist_ok=True)
    paths = [Path(shutil.copy(clips[name], folder / f"{name}.mp4")) for name in names]
    path = folder / "study.attune"
    with Project.create(path, "responsiveness") as project:
        project.add_observation(paths, participant="P01", name="Visit 1", offsets_us=offsets)
    return path


def picture(window: MainWindow, camera: int) -> int:
    """The frame number burned into what camera ``camera`` shows now."""
    shown = window.player.shown_frame(camera)
    assert shown is not None
    return read_frame_number(shown.rgb)


def expect(qtbot, window: MainWindow, reference: int, **others: int) -> None:
    """Reference frame ``reference`` and, per camera number (``c1=…``), that camera's frame,
    each checked against the picture."""
    player = window.player

    def shown() -> bool:
        if player.current_frame != reference:
            return False
        return all(
            (f := player.shown_frame(int(k[1:]))) is not None and f.index == v
            for k, v in others.items()
        )

    qtbot.waitUntil(shown, timeout=WAIT_MS)
    assert picture(window, 0) == reference
    for key, frame in others.items():
        assert picture(window, int(key[1:])) == frame


def stored_offsets(path: Path) -> list[int]:
    with Project.open(path) as project:
        return [m.offset_us for m in project.observations[0].media]


def test_keys_nudge_the_second_camera_by_a_frame_and_the_offset_is_saved(
    qtbot, window, tmp_path, clips
):
    path = camera_project(tmp_path / "study", clips, [0, 480_000])
    open_and_show(qtbot, window, path)
    player = window.player
    player.seek(40)  # 1.6 s: the side camera started 0.48 s later, so it is 12 frames behind
    expect(qtbot, window, 40, c1=28)
    press(qtbot, window, Key.Key_Right, NUDGE)
    expect(qtbot, window, 40, c1=29)
    assert player.offsets_us[1] == 440_000
    assert window.observation.media[1].offset_us == 440_000
    assert stored_offsets(path) == [0, 440_000]  # on disk at once
    press(qtbot, window, Key.Key_Right, NUDGE)
    for _ in range(3):
        press(qtbot, window, Key.Key_Left, NUDGE)
    expect(qtbot, window, 40, c1=27)
    assert stored_offsets(path) == [0, 520_000]
    assert "+0.520 s" in player.views()[1].title
    assert "now starts at +0.520 s" in window.status.message
    press(qtbot, window, Key.Key_Right)  # an ordinary step moves both, at the new offset
    expect(qtbot, window, 41, c1=28)
    press(qtbot, window, Key.Key_Left, Mod.ShiftModifier)  # 1 s back
    expect(qtbot, window, 16, c1=3)

    window.close_project()
    assert stored_offsets(path) == [0, 520_000]
    open_and_show(qtbot, window, path)
    window.player.seek(40)
    expect(qtbot, window, 40, c1=27)
    assert window.player.offsets_us == {0: 0, 1: 520_000}


def test_a_nudge_while_playing_keeps_both_views_in_lock_step(qtbot, window, tmp_path, clips):
    path = camera_project(tmp_path / "study", clips, [0, 480_000])
    open_and_show(qtbot, window, path)
    player = window.player
    player.seek(30)
    expect(qtbot, window, 30, c1=18)
    press(qtbot, window, Key.Key_Space)
    qtbot.waitUntil(lambda: player.current_frame >= 36, timeout=WAIT_MS)
    press(qtbot, window, Key.Key_Right, NUDGE)
    press(qtbot, window, Key.Key_Right, NUDGE)
    qtbot.wait(300)
    press(qtbot, window, Key.Key_Space)
    assert not player.is_playing
    assert player.offsets_us[1] == 400_000
    reference = player.current_frame
    expect(qtbot, window, reference, c1=reference - 10)
    assert stored_offsets(path) == [0, 400_000]


def test_a_click_on_a_picture_chooses_the_camera_the_keys_move(qtbot, window, tmp_path, clips):
    path = camera_project(tmp_path / "study", clips, [0, 480_000, -200_000])
    open_and_show(qtbot, window, path)
    player = window.player
    player.seek(40)
    expect(qtbot, window, 40, c1=28, c2=45)
    assert player.chosen_camera == 1
    assert player.views()[1].title.startswith("▸")
    qtbot.mouseClick(player.views()[2], Qt.MouseButton.LeftButton)
    assert player.chosen_camera == 2
    assert player.views()[2].title.startswith("▸")
    assert not player.views()[1].title.startswith("▸")
    press(qtbot, window, Key.Key_Left, NUDGE)
    expect(qtbot, window, 40, c1=28, c2=44)
    assert stored_offsets(path) == [0, 480_000, -160_000]
    qtbot.mouseClick(player.views()[0], Qt.MouseButton.LeftButton)  # the reference is never moved
    press(qtbot, window, Key.Key_Right, NUDGE)
    expect(qtbot, window, 40, c1=28, c2=45)
    assert stored_offsets(path) == [0, 480_000, -200_000]


def test_an_offset_that_cannot_be_saved_is_refused_and_the_camera_goes_back(
    qtbot, window, tmp_path, clips, monkeypatch
):
    path = camera_project(tmp_path / "study", clips, [0, 480_000])
    open_and_show(qtbot, window, path)
    window.player.seek(40)
    expect(qtbot, window, 40, c1=28)

    def refuse(media, offset_us):
        raise ProjectError(f"{media.path}: the disk is full")

    monkeypatch.setattr(window.project, "set_camera_offset", refuse)
    press(qtbot, window, Key.Key_Right, NUDGE)
    expect(qtbot, window, 40, c1=28)
    assert window.player.offsets_us[1] == 480_000
    assert "not saved" in window.notice.text()
    assert "disk is full" in window.notice.text()
    assert stored_offsets(path) == [0, 480_000]


def test_one_camera_has_nothing_to_nudge(qtbot, window, tmp_path, clips):
    path = camera_project(tmp_path / "study", clips, [0])
    open_and_show(qtbot, window, path)
    actions = window.player.transport_actions
    assert not actions["camera_forward"].isEnabled()
    window.player.nudge_camera(1)
    assert window.player.offsets_us == {0: 0}
    assert stored_offsets(path) == [0]


@pytest.mark.parametrize("frames", [1, -1, 2, -3])
def test_a_nudge_shows_exactly_the_next_frame_on_a_variable_frame_rate(frames):
    timebase = TimeBase(vfr_times(80, seed=5), None)
    offset = 1_000_000
    for reference_us in range(1_100_000, 3_000_000, 7_919):
        shown = timebase.index_at(reference_us - offset)
        target = shown + frames
        if not 0 <= target < timebase.frame_count:
            continue
        moved = nudged_offset(timebase, 25.0, offset, reference_us, frames)
        assert timebase.index_at(reference_us - moved) == target
        assert timebase.start_us <= reference_us - moved < timebase.duration_us


def test_before_its_start_a_camera_moves_by_nominal_frames():
    timebase = TimeBase.constant(50, FPS)
    assert nudged_offset(timebase, FPS, 2_000_000, 500_000, 1) == 2_000_000 - FRAME_US
    assert nudged_offset(timebase, FPS, 2_000_000, 500_000, -2) == 2_000_000 + 2 * FRAME_US
