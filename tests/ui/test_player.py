"""The player driven from the keyboard: after every key, the painted frame is the one expected.

Clips are generated in memory (``ArrayVideoSource``) with the frame index drawn into each
picture; the tests read that index back from what the view actually painted.
"""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import QApplication

from coder.demo.synth import read_frame_number, render_frame
from coder.keys import SPEEDS
from coder.media import ArrayVideoSource, MediaError
from coder.timebase import TimeBase
from ui.player.player import Player
from ui.player.video_view import VideoView

FPS = 30
FRAMES = 360  # 12 s
WAIT_MS = 3000

Key = Qt.Key
Mod = Qt.KeyboardModifier


def array_clip(frames: int = FRAMES, fps: float = FPS, size: tuple[int, int] = (192, 144)):
    pictures = np.stack([render_frame(i, *size) for i in range(frames)])
    return ArrayVideoSource(pictures, TimeBase.constant(frames, fps))


@pytest.fixture(scope="module")
def clip() -> ArrayVideoSource:
    return array_clip()


def painted_number(view: VideoView) -> int:
    """The frame index read back from the pixels the view painted on screen."""
    image = view.grab(view.picture_rect()).toImage().convertToFormat(QImage.Format.Format_RGB888)
    stride = image.bytesPerLine()
    raw = np.frombuffer(image.constBits(), np.uint8, stride * image.height())
    rgb = raw.reshape(image.height(), stride)[:, : image.width() * 3]
    rgb = rgb.reshape(image.height(), image.width(), 3)
    source = view.frame.rgb  # back to the video's own size, where the code's blocks are laid out
    return read_frame_number(cv2.resize(rgb, (source.shape[1], source.shape[0])))


@pytest.fixture
def player(qtbot) -> Player:
    widget = Player(audio=False)
    qtbot.addWidget(widget)
    widget.resize(480, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is widget, timeout=WAIT_MS)
    yield widget
    widget.close_media()


def open_at_start(qtbot, player: Player, media, offsets=None) -> None:
    player.open(media, offsets)
    qtbot.waitUntil(lambda: player.current_frame == 0, timeout=WAIT_MS)


def expect_frame(qtbot, player: Player, frame: int) -> None:
    qtbot.waitUntil(lambda: player.current_frame == frame, timeout=WAIT_MS)
    assert painted_number(player.views()[0]) == frame
    assert player.shown_frame().index == frame
    assert read_frame_number(player.shown_frame().rgb) == frame


def test_keys_step_skip_and_jump_to_the_expected_frame(qtbot, player, clip):
    open_at_start(qtbot, player, [clip])
    assert painted_number(player.views()[0]) == 0
    presses = [
        (Key.Key_Right, Mod.NoModifier, 1),
        (Key.Key_Right, Mod.NoModifier, 2),
        (Key.Key_Left, Mod.NoModifier, 1),
        (Key.Key_Right, Mod.ShiftModifier, 31),
        (Key.Key_Right, Mod.ControlModifier, 181),
        (Key.Key_Left, Mod.ShiftModifier, 151),
        (Key.Key_Left, Mod.ControlModifier, 1),
        (Key.Key_Left, Mod.ControlModifier, 0),
        (Key.Key_End, Mod.NoModifier, FRAMES - 1),
        (Key.Key_Right, Mod.NoModifier, FRAMES - 1),
        (Key.Key_Left, Mod.NoModifier, FRAMES - 2),
        (Key.Key_Home, Mod.NoModifier, 0),
    ]
    for key, modifier, expected in presses:
        qtbot.keyClick(player, key, modifier)
        expect_frame(qtbot, player, expected)
    assert "frame 0/359" in player.transport_bar.readout
    assert player.transport_bar.slider.value() == 0


def test_readout_shows_time_frame_and_speed(qtbot, player, clip):
    open_at_start(qtbot, player, [clip])
    player.seek(195)  # 6.5 s
    expect_frame(qtbot, player, 195)
    assert player.transport_bar.readout.startswith("0:00:06.500")
    assert "frame 195/359" in player.transport_bar.readout
    assert player.current_time_us == 6_500_000
    assert player.transport_bar.speed_text == "1×"


def test_held_arrow_key_repeats_the_step(qtbot, player, clip):
    open_at_start(qtbot, player, [clip])
    qtbot.keyPress(player, Key.Key_Right)
    for _ in range(9):  # what the keyboard sends while the key is held
        repeat = QKeyEvent(QEvent.Type.KeyPress, Key.Key_Right, Mod.NoModifier, "", True)
        QApplication.sendEvent(player, repeat)
    qtbot.keyRelease(player, Key.Key_Right)
    expect_frame(qtbot, player, 10)
    play = QKeyEvent(QEvent.Type.KeyPress, Key.Key_Space, Mod.NoModifier, " ", True)
    QApplication.sendEvent(player, play)
    assert not player.is_playing  # play/pause does not repeat


def test_up_and_down_walk_the_speed_list(qtbot, player, clip):
    open_at_start(qtbot, player, [clip])
    seen = []
    player.speedChanged.connect(seen.append)
    for _ in range(5):
        qtbot.keyClick(player, Key.Key_Up)
    assert player.speed == SPEEDS[-1]
    assert seen == [1.5, 2.0, 4.0]
    for _ in range(10):
        qtbot.keyClick(player, Key.Key_Down)
    assert player.speed == SPEEDS[0]
    assert player.transport_bar.speed_text == "0.1×"
    assert seen[3:] == [2.0, 1.5, 1.0, 0.75, 0.5, 0.25, 0.1]


def test_space_plays_and_pauses_and_pause_keeps_the_painted_frame(qtbot, player, clip):
    open_at_start(qtbot, player, [clip])
    qtbot.keyClick(player, Key.Key_Space)
    assert player.is_playing
    qtbot.waitUntil(lambda: player.current_frame >= 8, timeout=WAIT_MS)
    qtbot.keyClick(player, Key.Key_Space)
    assert not player.is_playing
    paused_at = player.current_frame
    assert painted_number(player.views()[0]) == paused_at
    qtbot.wait(250)
    assert player.current_frame == paused_at
    assert painted_number(player.views()[0]) == paused_at
    qtbot.keyClick(player, Key.Key_Right)
    expect_frame(qtbot, player, paused_at + 1)


def test_backspace_jumps_back_three_seconds_and_plays(qtbot, player, clip):
    open_at_start(qtbot, player, [clip])
    player.seek(150)
    expect_frame(qtbot, player, 150)
    frames = []
    player.frameChanged.connect(frames.append)
    qtbot.keyClick(player, Key.Key_Backspace)
    assert player.is_playing
    qtbot.waitUntil(lambda: len(frames) >= 3, timeout=WAIT_MS)
    player.pause()
    assert frames[0] == 60
    assert frames == sorted(frames)


@pytest.mark.parametrize("speed", [1.0, 2.0])
def test_playback_follows_the_wall_clock(qtbot, player, clip, speed):
    open_at_start(qtbot, player, [clip])
    player.set_speed(speed)
    shown = []
    player.frameChanged.connect(shown.append)
    player.play()
    qtbot.wait(1000)
    player.pause()
    expected = FPS * speed  # frames in one second of wall time
    assert expected * 0.85 <= player.current_frame <= expected * 1.15
    assert len(shown) >= 0.85 * player.current_frame  # few frames were skipped
    assert painted_number(player.views()[0]) == player.current_frame


def test_playback_stops_on_the_last_frame(qtbot, player):
    short = array_clip(frames=20)
    open_at_start(qtbot, player, [short])
    player.set_speed(4.0)
    player.play()
    qtbot.waitUntil(lambda: not player.is_playing, timeout=WAIT_MS)
    expect_frame(qtbot, player, 19)
    player.play()  # at the end, play starts over
    assert player.is_playing
    qtbot.waitUntil(lambda: not player.is_playing, timeout=WAIT_MS)


def test_frame_changed_fires_only_on_real_change(qtbot, player, clip):
    open_at_start(qtbot, player, [clip])
    changes = []
    player.frameChanged.connect(changes.append)
    qtbot.keyClick(player, Key.Key_Left)  # already at the start
    player.seek(0)
    qtbot.wait(100)
    assert changes == []
    player.seek(7)
    expect_frame(qtbot, player, 7)
    player.seek(7)
    qtbot.wait(100)
    assert changes == [7]


def test_rapid_steps_all_count_and_the_newest_request_wins(qtbot, player, clip):
    open_at_start(qtbot, player, [clip])
    for _ in range(25):
        player.step(1)
    player.seek(200)
    player.step(-3)
    expect_frame(qtbot, player, 197)
    qtbot.wait(100)
    assert player.current_frame == 197


def test_two_cameras_step_together_with_an_offset(qtbot, player, clip):
    second = array_clip(frames=250, fps=25, size=(256, 144))
    open_at_start(qtbot, player, [clip, second], offsets=[0, 1_000_000])
    left, right = player.views()
    assert right.frame is not None
    assert right.frame.index == 0
    assert "before" in right.note  # the second camera starts 1 s later
    player.seek(60)  # 2 s: the second camera is 1 s in
    qtbot.waitUntil(lambda: right.frame.index == 25 and player.current_frame == 60)
    assert painted_number(right) == 25
    for step, reference, other in [(1, 61, 25), (1, 62, 26), (2, 64, 28), (-4, 60, 25)]:
        player.step(step)
        expect_frame(qtbot, player, reference)
        qtbot.waitUntil(lambda o=other: right.frame.index == o, timeout=WAIT_MS)
        assert painted_number(right) == other
    player.play()
    qtbot.wait(600)
    player.pause()
    reference_us = clip.pts_us(player.current_frame)
    match = second.index_at(reference_us - 1_000_000)
    qtbot.waitUntil(lambda: right.frame.index == match, timeout=WAIT_MS)
    assert painted_number(right) == match
    assert painted_number(left) == player.current_frame
    assert player.media_count == 2


def test_picture_keeps_its_aspect_ratio(qtbot, player, clip):
    open_at_start(qtbot, player, [clip])
    rect = player.views()[0].picture_rect()
    assert abs(rect.width() / rect.height() - 4 / 3) < 0.02
    view = player.views()[0]
    assert rect.height() == view.height() or rect.width() == view.width()


def test_unreadable_file_shows_its_error_and_never_raises(qtbot, player, tmp_path):
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video at all" * 100)
    with qtbot.waitSignal(player.errorOccurred, timeout=WAIT_MS) as signal:
        player.open([broken])
    assert "broken.mp4" in signal.args[0]
    assert "broken.mp4" in player.views()[0].message
    assert player.frame_count == 0
    assert player.current_frame == -1
    qtbot.keyClick(player, Key.Key_Space)
    qtbot.keyClick(player, Key.Key_Right)
    assert not player.is_playing


class FailingSource(ArrayVideoSource):
    """Frames from 5 on cannot be decoded."""

    def frame(self, index: int) -> np.ndarray:
        if index >= 5:
            raise MediaError(f"damaged.mp4: frame {index} cannot be decoded")
        return super().frame(index)


def test_a_frame_that_fails_to_decode_shows_the_error(qtbot, player, clip):
    pictures = np.stack([render_frame(i, 64, 48) for i in range(10)])
    source = FailingSource(pictures, TimeBase.constant(10, 25))
    open_at_start(qtbot, player, [source])
    with qtbot.waitSignal(player.errorOccurred, timeout=WAIT_MS) as signal:
        player.seek(6)
    assert "damaged.mp4" in signal.args[0]
    assert "damaged.mp4" in player.views()[0].message
    player.seek(2)
    expect_frame(qtbot, player, 2)


def test_keys_can_be_rebound(qtbot, player, clip):
    open_at_start(qtbot, player, [clip])
    player.apply_keymap({"step_forward": ["F6"], "undo": ["Ctrl+Z"]})
    qtbot.keyClick(player, Key.Key_F6)
    expect_frame(qtbot, player, 1)
    qtbot.keyClick(player, Key.Key_Right)
    qtbot.wait(100)
    assert player.current_frame == 1
    assert "F6" in player.transport_actions["step_forward"].toolTip()


def test_closing_shows_no_video_and_disables_the_transport(qtbot, player, clip):
    open_at_start(qtbot, player, [clip])
    player.play()
    player.close_media()
    assert not player.is_playing
    assert player.frame_count == 0
    assert player.views() == []
    assert not player.transport_actions["play_pause"].isEnabled()
    player.open([clip])
    qtbot.waitUntil(lambda: player.current_frame == 0, timeout=WAIT_MS)
    assert player.transport_actions["play_pause"].isEnabled()


def test_seek_bar_and_buttons_move_the_picture(qtbot, player, clip):
    open_at_start(qtbot, player, [clip])
    bar = player.transport_bar
    bar.slider.setValue(100)  # as a drag of the handle does
    expect_frame(qtbot, player, 100)
    qtbot.mouseClick(bar.buttons["step_forward"], Qt.MouseButton.LeftButton)
    expect_frame(qtbot, player, 101)
    qtbot.mouseClick(bar.buttons["skip_back_1s"], Qt.MouseButton.LeftButton)
    expect_frame(qtbot, player, 71)
    assert bar.slider.value() == 71
    qtbot.mouseClick(bar.buttons["speed_up"], Qt.MouseButton.LeftButton)
    assert player.speed == 1.5


def test_resizing_redraws_the_frame_at_the_new_size(qtbot, player, clip):
    open_at_start(qtbot, player, [clip])
    player.seek(42)
    expect_frame(qtbot, player, 42)
    player.resize(800, 700)
    view = player.views()[0]
    qtbot.waitUntil(
        lambda: view.frame.image.width() == view.display_size()[0] and view.width() > 700,
        timeout=WAIT_MS,
    )
    assert player.current_frame == 42
    assert painted_number(view) == 42


def test_with_nothing_open_the_video_area_says_what_to_do(qtbot, player, clip):
    player.set_idle_message("Open a project: File → Open project…")
    open_at_start(qtbot, player, [clip])
    assert not player.transport_actions["camera_forward"].isEnabled()  # one camera: none to move
    player.close_media()
    shown = [v for v in player.findChildren(VideoView) if v.isVisible()]
    assert [v.message for v in shown] == ["Open a project: File → Open project…"]
    assert not player.transport_bar.slider.isEnabled()
    assert not any(b.isEnabled() for b in player.transport_bar.buttons.values())


def test_ctrl_alt_arrows_move_the_second_camera_and_report_its_offset(qtbot, player, clip):
    second = array_clip(frames=250, fps=25, size=(256, 144))
    open_at_start(qtbot, player, [clip, second], offsets=[0, 1_000_000])
    right = player.views()[1]
    player.seek(60)  # 2 s: the second camera is 1 s in, at its frame 25
    qtbot.waitUntil(lambda: right.frame.index == 25 and player.current_frame == 60)
    with qtbot.waitSignal(player.offsetNudged, timeout=WAIT_MS) as signal:
        qtbot.keyClick(player, Key.Key_Right, Mod.ControlModifier | Mod.AltModifier)
    assert signal.args == [1, 960_000]
    qtbot.waitUntil(lambda: right.frame.index == 26, timeout=WAIT_MS)
    assert painted_number(right) == 26
    expect_frame(qtbot, player, 60)
    qtbot.keyClick(player, Key.Key_Left)
    expect_frame(qtbot, player, 59)
    qtbot.waitUntil(lambda: right.frame.index == 25, timeout=WAIT_MS)
    assert painted_number(right) == 25
