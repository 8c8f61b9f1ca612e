"""What the player says beside the picture: a variable frame rate with its range, the clock time
of the frame on screen, what to do when nothing is open; and a click on the seek bar going to
the frame under the pointer. Frames are checked against the number burned into the picture."""

from __future__ import annotations

from datetime import datetime
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QApplication, QLabel, QSlider, QStyle, QStyleOptionSlider

from coder.demo.synth import make_clip, read_frame_number, render_frame
from coder.media import ArrayVideoSource
from coder.project import Project
from coder.timebase import TimeBase
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    WAIT_MS,
    Key,
    Mod,
    demo_clip_fixture,
    demo_fixture,
    demo_template_fixture,
    open_and_show,
    press,
    prompts_fixture,
    settings_fixture,
    shown_number,
    wait_frame,
    window_fixture,
)
from ui.player.info import clock_text, rate_range, rate_text
from ui.player.player import Player
from ui.player.video_view import VideoView
from ui.settings import CLOCK_TIME
from ui.window.viewing import NO_OBSERVATION, NO_PROJECT, NO_VIDEOS

Button = Qt.MouseButton
# 30 fps and 18.3 fps stretches, then a last frame that lasts half a second
VFR_STEPS = [33_333] * 20 + [54_645] * 20


@pytest.fixture(scope="module")
def vfr_clip(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("vfr")
    times = [0, *np.cumsum(VFR_STEPS).tolist()]
    return make_clip(folder / "phone.mp4", frames=len(times), vfr_pts_us=times, size=(192, 144))


@pytest.fixture
def player(qtbot) -> Player:
    widget = Player(audio=False)
    qtbot.addWidget(widget)
    widget.resize(800, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=WAIT_MS)
    yield widget
    widget.close_media()


def on_screen(qtbot, player: Player, frame: int) -> None:
    qtbot.waitUntil(lambda: player.current_frame == frame, timeout=WAIT_MS)
    shown = player.shown_frame()
    assert shown is not None
    assert read_frame_number(shown.rgb) == frame


# -- the frame rate ------------------------------------------------------------------------------


def test_the_rate_range_leaves_out_the_last_frames_odd_duration():
    times = [0, *np.cumsum(VFR_STEPS).tolist()]
    timebase = TimeBase(times, times[-1] + 500_000)  # the recording stopped mid-frame
    low, high = rate_range(timebase)
    assert f"{low:.1f}–{high:.1f}" == "18.3–30.0"
    assert rate_range(TimeBase([0], 40_000)) == (25.0, 25.0)


def test_a_variable_frame_rate_video_says_so_beside_the_time(qtbot, player, vfr_clip):
    player.open([vfr_clip])
    on_screen(qtbot, player, 0)
    bar = player.transport_bar
    assert bar.rate_text == "VFR · 18.3–30.0 fps"
    assert "Variable frame rate" in bar.findChild(QLabel, "rate_label").toolTip()
    for _ in range(21):
        qtbot.keyClick(player, Key.Key_Right)
    on_screen(qtbot, player, 21)
    assert bar.readout.startswith("0:00:00.721")  # 20 × 33.333 ms + 54.645 ms: its own time
    player.close_media()
    assert bar.rate_text == ""


def test_a_constant_frame_rate_says_its_rate(qtbot, player, tmp_path):
    ntsc = make_clip(tmp_path / "ntsc.mp4", frames=12, fps=Fraction(30000, 1001), size=(96, 64))
    player.open([ntsc])
    on_screen(qtbot, player, 0)
    assert player.transport_bar.rate_text == "29.97 fps"
    pictures = np.stack([render_frame(i, 96, 64) for i in range(6)])
    memory = ArrayVideoSource(pictures, TimeBase([0, 40_000, 80_000, 100_000, 140_000, 150_000]))
    assert rate_text(memory) == "VFR · 25.0–100.0 fps"


# -- clock time ----------------------------------------------------------------------------------


def test_clock_time_is_shown_beside_media_time(qtbot, player, vfr_clip):
    player.open([vfr_clip])
    on_screen(qtbot, player, 0)
    bar = player.transport_bar
    assert bar.clock_text == ""
    player.set_recording_start(datetime(2026, 3, 4, 10, 15, 30))
    assert bar.clock_text == "10:15:30.000"
    for _ in range(21):
        qtbot.keyClick(player, Key.Key_Right)
    on_screen(qtbot, player, 21)
    assert bar.clock_text == "10:15:30.721"
    assert bar.readout.startswith("0:00:00.721")
    player.set_show_clock(False)
    assert bar.clock_text == ""
    player.set_show_clock(True)
    assert bar.clock_text == "10:15:30.721"
    player.close_media()
    assert bar.clock_text == ""
    assert clock_text(datetime(2026, 3, 4, 23, 59, 59, 999_000), 1_250) == "00:00:00.000"


def clip_project(path: Path, clip: Path, dates: list[str]) -> Path:
    """A project with one observation of ``clip`` per date."""
    with Project.create(path, "responsiveness") as project:
        for number, date in enumerate(dates, start=1):
            project.add_observation(
                [clip], participant=f"P{number}", name=f"Visit {number}", date=date
            )
    return path


def test_an_observation_with_a_recording_time_shows_clock_time(
    qtbot, window, settings, tmp_path, demo_clip
):
    path = clip_project(tmp_path / "timed.attune", demo_clip, ["2026-03-04T10:15:30.250"])
    open_and_show(qtbot, window, path)
    bar = window.player.transport_bar
    assert bar.clock_text == "10:15:30.250"
    for _ in range(3):
        press(qtbot, window, Key.Key_Right)
    press(qtbot, window, Key.Key_Right, Mod.ShiftModifier)
    wait_frame(qtbot, window, 28)  # 1.12 s
    assert bar.clock_text == "10:15:31.370"
    toggle = window.menus.commands["clock_time"]
    assert toggle.isChecked()
    toggle.trigger()
    assert bar.clock_text == ""
    assert not settings.flag(CLOCK_TIME)
    settings.set_flag(CLOCK_TIME, True)
    window.apply_preferences()
    assert toggle.isChecked()
    assert bar.clock_text == "10:15:31.370"


# -- the seek bar --------------------------------------------------------------------------------


def handle_rect(slider: QSlider) -> QRect:
    option = QStyleOptionSlider()
    slider.initStyleOption(option)
    control, handle = QStyle.ComplexControl.CC_Slider, QStyle.SubControl.SC_SliderHandle
    return slider.style().subControlRect(control, option, handle, slider)


def test_a_click_on_the_seek_bar_goes_to_the_point_clicked(qtbot, player):
    pictures = np.stack([render_frame(i, 96, 64) for i in range(300)])
    player.open([ArrayVideoSource(pictures, TimeBase.constant(300, 25))])
    on_screen(qtbot, player, 0)
    slider = player.transport_bar.slider
    last = player.frame_count - 1
    for share in (0.75, 0.2, 0.9):
        point = QPoint(round(slider.width() * share), slider.height() // 2)
        before = player.current_frame
        expected = slider.value_at(point)
        assert abs(expected - share * last) < 0.03 * last  # the frame under the pointer...
        assert abs(expected - before) > 2 * slider.pageStep()  # ...not a page step away
        qtbot.mouseClick(slider, Button.LeftButton, pos=point)
        on_screen(qtbot, player, expected)
        assert handle_rect(slider).left() <= point.x() <= handle_rect(slider).right()
    far_right = QPoint(slider.width() - 1, slider.height() // 2)
    qtbot.mouseClick(slider, Button.LeftButton, pos=far_right)
    on_screen(qtbot, player, last)


# -- with nothing open ---------------------------------------------------------------------------


def placeholders(window) -> set[str]:
    """The texts of the panels' placeholders, and of the player's."""
    texts = {d.widget().text() for d in window.docks.values() if isinstance(d.widget(), QLabel)}
    shown = [v for v in window.player.findChildren(VideoView) if v.isVisible()]
    assert len(shown) == 1
    return texts | {shown[0].message}


def test_after_close_project_the_controls_are_off_and_the_placeholders_say_what_to_do(
    qtbot, window, prompts, demo, demo_clip, tmp_path
):
    player = window.player
    assert player.idle_message == NO_PROJECT
    assert placeholders(window) == {NO_PROJECT}
    open_and_show(qtbot, window, demo)
    press(qtbot, window, Key.Key_Right)
    wait_frame(qtbot, window, 1)
    assert player.transport_bar.rate_text == "25 fps"
    window.menus.commands["close_project"].trigger()
    assert player.views() == []
    assert player.idle_message == NO_PROJECT
    assert placeholders(window) == {NO_PROJECT}
    assert all(not action.isEnabled() for action in player.transport_actions.values())
    bar = player.transport_bar
    assert all(not button.isEnabled() for button in bar.buttons.values())
    assert not bar.slider.isEnabled()
    assert bar.rate_text == ""
    assert bar.clock_text == ""
    press(qtbot, window, Key.Key_Space)
    press(qtbot, window, Key.Key_Right)
    assert not player.is_playing
    assert player.current_frame == -1

    two = clip_project(tmp_path / "two.attune", demo_clip, ["2026-03-04", "2026-04-01"])
    prompts.script("pick", None)  # the coder does not choose yet
    assert window.open_project(two)
    assert "pick" in prompts.asked
    assert window.observation is None
    assert player.idle_message == NO_OBSERVATION
    assert placeholders(window) == {NO_OBSERVATION}
    assert not player.transport_actions["play_pause"].isEnabled()
    empty = tmp_path / "empty.attune"
    Project.create(empty, "responsiveness").close()
    assert window.open_project(empty)
    assert placeholders(window) == {NO_VIDEOS}
