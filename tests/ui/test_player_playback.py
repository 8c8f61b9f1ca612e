"""The player on real files (generated H.264 clips): exact frames while playing, VFR, sound;
frames made ready while paused, served only for their own index and size."""

from __future__ import annotations

import sys
import threading
import time
from typing import Any

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from coder.demo.synth import make_clip, read_frame_number, render_frame, vfr_times
from coder.media import ArrayVideoSource, open_video
from coder.timebase import TimeBase
from ui.player.audio import AudioTrack, audible_speed
from ui.player.playback import FrameWorker
from ui.player.player import Player

WAIT_MS = 5000


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clips")
    return {
        "cfr": make_clip(folder / "cfr.mp4", frames=90, fps=30, size=(320, 240)),
        "vfr": make_clip(folder / "vfr.mp4", frames=60, size=(320, 240), vfr_pts_us=vfr_times(60)),
        "sound": make_clip(folder / "sound.mp4", frames=75, fps=25, size=(256, 144), audio=True),
    }


def make_player(qtbot, audio: bool = False) -> Player:
    player = Player(audio=audio)
    qtbot.addWidget(player)
    player.resize(560, 380)
    player.show()
    qtbot.waitExposed(player)
    player.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is player, timeout=WAIT_MS)
    return player


def test_every_frame_painted_while_playing_is_the_frame_reported(qtbot, clips):
    player = make_player(qtbot)
    player.open([clips["cfr"]])
    qtbot.waitUntil(lambda: player.current_frame == 0, timeout=WAIT_MS)
    checked = []

    def check(index: int) -> None:
        checked.append((index, read_frame_number(player.shown_frame().rgb)))

    player.frameChanged.connect(check)
    qtbot.keyClick(player, Qt.Key.Key_Space)
    qtbot.wait(1000)
    qtbot.keyClick(player, Qt.Key.Key_Space)
    assert 25 <= player.current_frame <= 35
    assert len(checked) >= 20
    assert all(index == painted for index, painted in checked)
    player.close_media()


def test_variable_frame_rate_steps_and_skips_by_true_times(qtbot, clips):
    player = make_player(qtbot)
    player.open([clips["vfr"]])
    qtbot.waitUntil(lambda: player.current_frame == 0, timeout=WAIT_MS)
    timebase = player.timebase
    assert timebase.is_variable
    for key, modifier, expected in [
        (Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier, 1),
        (
            Qt.Key.Key_Right,
            Qt.KeyboardModifier.ShiftModifier,
            timebase.index_at(timebase.pts_us(1) + 1_000_000),
        ),
        (Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier, None),
        (Qt.Key.Key_End, Qt.KeyboardModifier.NoModifier, 59),
        (Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier, 58),
    ]:
        before = player.current_frame
        qtbot.keyClick(player, key, modifier)
        target = expected if expected is not None else before - 1
        qtbot.waitUntil(lambda t=target: player.current_frame == t, timeout=WAIT_MS)
        assert read_frame_number(player.shown_frame().rgb) == target
        assert player.current_time_us == timebase.pts_us(target)
    player.close_media()


def test_two_files_play_in_lock_step(qtbot, clips):
    player = make_player(qtbot)
    player.open([clips["cfr"], clips["sound"]], offsets_us=[0, -400_000])
    qtbot.waitUntil(lambda: player.current_frame == 0, timeout=WAIT_MS)
    second = player.views()[1]
    qtbot.waitUntil(lambda: second.frame is not None and second.frame.index == 10)
    player.play()
    qtbot.wait(500)
    player.pause()
    reference_us = player.current_time_us
    with open_video(clips["sound"]) as other:
        expected = other.index_at(reference_us + 400_000)
    qtbot.waitUntil(lambda: second.frame.index == expected, timeout=WAIT_MS)
    assert read_frame_number(second.frame.rgb) == expected
    assert read_frame_number(player.shown_frame(0).rgb) == player.current_frame
    player.close_media()


def test_sound_plays_at_half_to_double_speed_and_is_silent_otherwise(qtbot, clips):
    player = make_player(qtbot, audio=True)
    player.open([clips["sound"]])
    qtbot.waitUntil(lambda: player.current_frame == 0, timeout=WAIT_MS)
    track = player.findChild(AudioTrack)
    assert track is not None
    qtbot.waitUntil(lambda: track.has_audio, timeout=WAIT_MS)
    player.play()
    assert track.is_playing
    player.set_speed(4.0)
    assert not track.is_playing
    player.set_speed(0.5)
    assert track.is_playing
    player.pause()
    assert not track.is_playing
    assert [audible_speed(s) for s in (0.25, 0.5, 1.0, 2.0, 4.0)] == [
        False,
        True,
        True,
        True,
        False,
    ]
    player.close_media()
    assert player.findChild(AudioTrack) is None or not track.is_playing


def test_sound_that_drifts_is_moved_back_to_the_picture(qtbot, clips):
    track = AudioTrack(clips["sound"])
    qtbot.waitUntil(lambda: track.has_audio, timeout=WAIT_MS)
    track.play(0, 1.0)
    qtbot.wait(400)  # let the start settle
    assert abs(track.position_us - 400_000) < 200_000
    assert not track.sync(track.position_us, 40_000)  # in step: nothing to do
    assert not track.sync(2_000_000, 40_000)  # one report of drift is not trusted yet
    assert track.sync(2_000_000, 40_000)
    assert track.resyncs == 1
    qtbot.waitUntil(lambda: track.position_us >= 2_000_000, timeout=WAIT_MS)
    track.close()


def test_sound_of_a_later_camera_waits_for_its_start(qtbot, clips):
    track = AudioTrack(clips["sound"])
    qtbot.waitUntil(lambda: track.has_audio, timeout=WAIT_MS)
    track.play(-500_000, 1.0)
    assert not track.is_playing
    track.sync(-100_000, 40_000)
    assert not track.is_playing
    track.sync(20_000, 40_000)
    assert track.is_playing
    track.set_speed(4.0, 100_000)
    assert not track.is_playing
    track.close()


def test_clip_without_sound_plays_silently(qtbot, clips):
    player = make_player(qtbot, audio=True)
    player.open([clips["cfr"]])
    qtbot.waitUntil(lambda: player.current_frame == 0, timeout=WAIT_MS)
    player.play()
    qtbot.waitUntil(lambda: player.current_frame >= 5, timeout=WAIT_MS)
    player.pause()
    assert player.error == ""
    player.close_media()


def test_qt_calls_keep_none_alive():
    """Long playback makes millions of Qt calls; a binding that drops a reference to None on
    each call that returns nothing kills the app within a minute (PySide6 6.12.0 on Python 3.11:
    ``Fatal Python error: none_dealloc``). On Python 3.12+ None is immortal and this holds."""
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import QObject

    holder = QObject()
    before = sys.getrefcount(None)
    for _ in range(1000):
        holder.setObjectName("x")
    lost = before - sys.getrefcount(None)
    assert lost < 100, (
        f"PySide6 {pyside_version} drops a reference to None on every call that returns "
        f"nothing ({lost} in 1000 calls), so playback crashes within a minute. "
        "Use PySide6 < 6.12 (6.11.3 is sound)."
    )


# --- prefetching while paused ---------------------------------------------------------------------


class Counting:
    """A source that records every frame asked of it (and forwards everything else)."""

    def __init__(self, source: Any) -> None:
        self.source = source
        self.asked: list[int] = []

    def __getattr__(self, name: str) -> Any:
        return getattr(self.source, name)

    def frame(self, index: int) -> np.ndarray:
        self.asked.append(index)
        return self.source.frame(index)


def test_steps_while_paused_are_served_from_frames_made_ready(qtbot, clips):
    """Paused, the frames either side of the playhead are decoded before the coder asks: a step
    back or forward decodes nothing, paints the frame asked for at the view's size."""
    player = make_player(qtbot)
    with open_video(clips["cfr"]) as video:
        source = Counting(video)
        player.open([source])
        player.seek(60)
        qtbot.waitUntil(lambda: player.current_frame == 60, timeout=WAIT_MS)
        moves = [Qt.Key.Key_Left] * 12 + [Qt.Key.Key_Right] * 4 + [Qt.Key.Key_Left] * 3
        for key in moves:
            target = player.current_frame + (1 if key == Qt.Key.Key_Right else -1)
            qtbot.waitUntil(lambda t=target: t in source.asked[-3:], timeout=WAIT_MS)
            qtbot.wait(20)  # the neighbour is made ready while the coder looks
            mark = len(source.asked)
            qtbot.keyClick(player, key)
            qtbot.waitUntil(lambda t=target: player.current_frame == t, timeout=WAIT_MS)
            assert target not in source.asked[mark:]
            shown = player.shown_frame()
            assert read_frame_number(shown.rgb) == target
            view = player.views()[0]
            assert (shown.image.width(), shown.image.height()) == view.display_size()
        assert video.cache.compact_indices()  # the group behind was decoded ahead
        player.close_media()


def _memory_source(frames: int = 20, size: tuple[int, int] = (96, 64)) -> ArrayVideoSource:
    pictures = np.stack([render_frame(i, *size) for i in range(frames)])
    return ArrayVideoSource(pictures, TimeBase.constant(frames, 25))


def _still(qtbot, worker: FrameWorker, index: int):
    with qtbot.waitSignal(worker.stillReady, timeout=WAIT_MS) as blocker:
        worker.request(index)
    return blocker.args[0]


def test_a_frame_made_ready_is_served_only_at_its_own_index_and_size(qtbot):
    source = Counting(_memory_source())
    worker = FrameWorker(source)
    worker.set_display_size(48, 32)
    worker.start()
    try:
        assert _still(qtbot, worker, 5).index == 5
        qtbot.waitUntil(lambda: {4, 6} <= set(source.asked), timeout=WAIT_MS)
        qtbot.wait(50)
        frame = _still(qtbot, worker, 4)
        assert (frame.index, frame.image.width(), frame.image.height()) == (4, 48, 32)
        assert worker.served_ready == 1
        assert read_frame_number(frame.rgb) == 4
        # Resized: what was made ready at the old size is never served.
        qtbot.waitUntil(lambda: source.asked.count(3) == 1, timeout=WAIT_MS)
        worker.set_display_size(30, 20)
        frame = _still(qtbot, worker, 3)
        assert (frame.index, frame.image.width(), frame.image.height()) == (3, 30, 20)
        assert source.asked.count(3) == 2  # decoded again for the new size
        qtbot.waitUntil(lambda: source.asked.count(2) == 1, timeout=WAIT_MS)
        qtbot.wait(50)
        served = worker.served_ready
        frame = _still(qtbot, worker, 2)
        assert (frame.index, frame.image.width(), frame.image.height()) == (2, 30, 20)
        assert worker.served_ready == served + 1
        # A frame nobody made ready is decoded, whatever is ready around it.
        frame = _still(qtbot, worker, 15)
        assert frame.index == 15
        assert read_frame_number(frame.rgb) == 15
        assert worker.served_ready == served + 1
    finally:
        worker.shutdown()


class SlowPrefetch(Counting):
    """A source whose decoding ahead runs until it is told to stop (or 10 s pass)."""

    def __init__(self, source: Any) -> None:
        super().__init__(source)
        self.stopped = threading.Event()
        self.running = threading.Event()

    def prefetch(self, index: int, stop: Any) -> bool:
        self.running.set()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if stop():
                self.stopped.set()
                return False
            time.sleep(0.001)
        return True


def test_a_step_is_not_kept_waiting_by_decoding_ahead(qtbot):
    source = SlowPrefetch(_memory_source())
    worker = FrameWorker(source)
    worker.start()
    try:
        _still(qtbot, worker, 3)
        assert source.running.wait(2)
        started = time.monotonic()
        frame = _still(qtbot, worker, 12)
        assert frame.index == 12
        assert time.monotonic() - started < 1.0  # not the 10 s the work ahead would take
        assert source.stopped.is_set()
    finally:
        worker.shutdown()


def test_a_step_to_a_ready_frame_is_answered_at_once_while_the_worker_is_busy(qtbot):
    source = SlowPrefetch(_memory_source())
    worker = FrameWorker(source)
    worker.start()
    try:
        _still(qtbot, worker, 8)
        assert source.running.wait(2)  # the neighbours are ready, the worker busy ahead
        answered: list[Any] = []
        worker.stillReady.connect(answered.append)
        worker.request(7)
        assert [f.index for f in answered] == [7]  # before request() returned
        assert read_frame_number(answered[0].rgb) == 7
        assert source.stopped.wait(2)  # the work ahead of frame 8 was stopped
    finally:
        worker.shutdown()
