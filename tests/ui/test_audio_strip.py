"""The audio strip under the timeline: a burst is drawn at the x the timeline gives its time,
at the whole-session zoom and at a single frame's; the playhead and clicks agree with it."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication, QVBoxLayout, QWidget

from coder.audio import Envelope, NoSound, read_sound
from coder.coding.session import Session
from coder.media import open_video
from coder.model import Coder, CodingInfo
from coder.store.memory import MemoryStore
from coder.timebase import TimeBase
from tests.audio.sounds import Burst, make_sound_clip
from tests.core.session_fixtures import SCHEME
from ui.colours import PLAYHEAD
from ui.timeline.audio_strip import AudioStrip
from ui.timeline.geometry import frame_position
from ui.timeline.timeline import Timeline
from ui.window.session_bridge import SessionBridge

ONSET_S = 12.346
"""The burst's start: inside frame 308 (12.32–12.36 s) of the 25 fps clip."""


@pytest.fixture(scope="module")
def clip(tmp_path_factory):
    folder = tmp_path_factory.mktemp("strip")
    path = make_sound_clip(
        folder / "burst.mp4", seconds=30.0, bursts=(Burst(ONSET_S, 0.5), Burst(20.0, 0.3))
    )
    with open_video(path) as video:
        timebase = video.timebase
    envelope = read_sound(path, spectrogram=True, cache_dir=None)
    assert isinstance(envelope, Envelope)
    return path, timebase, envelope


@pytest.fixture
def view(clip, qtbot):
    """A timeline of a pass over the clip with the strip under it, following it."""
    _, timebase, envelope = clip
    info = CodingInfo(id=1, observation_id=1, coder=Coder("AB", id=1), scheme_id=1)
    session = Session(MemoryStore.for_codings([info]), info, SCHEME, timebase)
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(0)
    timeline = Timeline(SessionBridge(session))
    strip = AudioStrip()
    layout.addWidget(timeline)
    layout.addWidget(strip)
    qtbot.addWidget(window)
    strip.follow(timeline, timebase)
    strip.set_envelope(replace(envelope, spectrogram=None))
    window.resize(800, 360)
    window.show()
    qtbot.waitExposed(window)
    yield timeline, strip, timebase
    window.close()


def pixels(strip: AudioStrip) -> np.ndarray:
    """The strip as drawn: rows × columns × (r, g, b)."""
    image = strip.grab().toImage().convertToFormat(QImage.Format.Format_RGB32)
    width, height = image.width(), image.height()
    raw = np.frombuffer(image.constBits(), dtype=np.uint8)
    bgra = raw.reshape(height, image.bytesPerLine() // 4, 4)[:, :width]
    return bgra[..., 2::-1].astype(int)


def loud_columns(strip: AudioStrip, rows: slice | None = None) -> np.ndarray:
    """The x of every column where the waveform reaches far from its zero line."""
    rgb = pixels(strip)[rows or slice(None)]
    blue = (rgb[..., 2] - rgb[..., 0] > 60) & (rgb[..., 1] < 140)
    height = rgb.shape[0]
    return np.flatnonzero(blue.sum(axis=0) > height * 0.3)


def onset_x(timeline: Timeline, timebase: TimeBase, seconds: float) -> float:
    """Where the timeline puts the time ``seconds`` after its first frame."""
    us = timebase.pts_us(0) + round(seconds * 1e6)
    return timeline.geometry_now().x_of(frame_position(timebase, us))


def first_run(columns: np.ndarray) -> tuple[int, int]:
    breaks = np.flatnonzero(np.diff(columns) > 1)
    end = columns[breaks[0]] if breaks.size else columns[-1]
    return int(columns[0]), int(end)


def test_a_burst_is_drawn_where_the_timeline_puts_its_time_in_the_whole_session(view):
    timeline, strip, timebase = view
    timeline.zoom_to_fit()
    QApplication.processEvents()
    g = timeline.geometry_now()
    assert g.ppf * timebase.frame_count <= g.plot_width + 1  # the whole session in view
    start, end = first_run(loud_columns(strip))
    assert abs(start - onset_x(timeline, timebase, ONSET_S)) <= 1.5
    assert abs(end - onset_x(timeline, timebase, ONSET_S + 0.5)) <= 1.5
    second = loud_columns(strip)
    assert abs(second[second > end + 5][0] - onset_x(timeline, timebase, 20.0)) <= 1.5


def test_a_burst_starts_inside_its_frame_at_a_single_frame_zoom(view):
    timeline, strip, timebase = view
    frame = timebase.index_at(round(ONSET_S * 1e6))
    assert frame == 308
    timeline.show_frames(frame - 4, 9)
    QApplication.processEvents()
    g = timeline.geometry_now()
    assert g.ppf >= 20  # a frame is many pixels wide
    start, _ = first_run(loud_columns(strip))
    expected = onset_x(timeline, timebase, ONSET_S)
    assert abs(start - expected) <= 2
    assert g.x_of(frame) < start < g.x_of(frame + 1)  # inside the frame, past its start
    assert not loud_columns(strip)[loud_columns(strip) < g.x_of(frame)].size


def test_the_strip_follows_scrolling_and_the_playhead_of_the_timeline(view):
    timeline, strip, timebase = view
    timeline.show_frames(250, 100)
    timeline.set_frame(300)
    QApplication.processEvents()
    start, _ = first_run(loud_columns(strip))
    assert abs(start - onset_x(timeline, timebase, ONSET_S)) <= 1.5
    x = timeline.geometry_now().x_of(300)
    rgb = pixels(strip)[:, max(0, round(x) - 1) : round(x) + 2]
    red = QColor(PLAYHEAD)
    near = np.abs(rgb - np.array([red.red(), red.green(), red.blue()])).sum(axis=2) < 60
    assert near.any(axis=1).mean() > 0.9  # a playhead line from top to bottom at its x
    timeline.show_frames(280, 100)  # scrolling moves the burst with the timeline
    QApplication.processEvents()
    moved, _ = first_run(loud_columns(strip))
    assert abs(moved - onset_x(timeline, timebase, ONSET_S)) <= 1.5
    assert moved < start - 100


def test_a_click_asks_for_the_time_under_it(view, qtbot):
    timeline, strip, timebase = view
    timeline.show_frames(300, 20)
    QApplication.processEvents()
    g = timeline.geometry_now()
    x = round(g.x_of(310.5))
    with qtbot.waitSignal(strip.seekRequested) as signal:
        qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=QPoint(x, strip.height() // 2))
    us = signal.args[0]
    assert timebase.index_at(us) == g.frame_at(x) == 310
    assert abs(us - (timebase.pts_us(310) + 20_000)) <= 2_000  # the middle of frame 310
    left_of_plot = QPoint(g.plot_left - 10, strip.height() // 2)
    with qtbot.assertNotEmitted(strip.seekRequested):
        qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=left_of_plot)


def test_ctrl_wheel_over_the_strip_zooms_the_timeline(view):
    timeline, strip, timebase = view
    timeline.zoom_to_fit()
    before = timeline.pixels_per_frame()
    x = onset_x(timeline, timebase, ONSET_S)
    point = QPointF(x, strip.height() / 2)
    event = QWheelEvent(
        point,
        strip.mapToGlobal(point),
        QPoint(0, 0),
        QPoint(0, 600),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(strip, event)
    QApplication.processEvents()
    assert timeline.pixels_per_frame() > before * 2
    start, _ = first_run(loud_columns(strip))
    assert abs(start - onset_x(timeline, timebase, ONSET_S)) <= 1.5


def test_the_spectrogram_shows_the_burst_below_the_waveform(view, clip):
    timeline, strip, timebase = view
    strip.set_spectrogram(True)
    assert strip.spectrogram_missing  # the envelope given has none: compute it
    strip.set_envelope(clip[2])
    assert not strip.spectrogram_missing
    strip.resize(strip.width(), 200)
    timeline.show_frames(290, 40)
    QApplication.processEvents()
    rgb = pixels(strip)
    band = rgb[round(200 * 0.5) :]  # the spectrogram's part
    brightness = band.sum(axis=2).mean(axis=0)
    x = round(onset_x(timeline, timebase, ONSET_S))
    assert brightness[x + 10 : x + 40].mean() > brightness[x - 40 : x - 10].mean() + 60
    start, _ = first_run(loud_columns(strip, slice(0, 80)))
    assert abs(start - x) <= 2


def test_a_file_without_sound_draws_no_waveform(view, tmp_path):
    _, strip, _ = view
    silent = make_sound_clip(tmp_path / "silent.mp4", seconds=1.0, bursts=(), audio=False)
    result = read_sound(silent, cache_dir=None)
    assert isinstance(result, NoSound)
    strip.set_envelope(result)
    QApplication.processEvents()
    assert strip.envelope is None
    assert strip.message == "silent.mp4 has no sound"
    assert loud_columns(strip).size == 0


def test_a_plain_time_range_maps_linearly(clip, qtbot):
    _, timebase, envelope = clip
    strip = AudioStrip()
    qtbot.addWidget(strip)
    strip.resize(700, 80)
    strip.set_envelope(envelope)
    strip.set_range(10_000_000, 15_000_000, left=100)
    strip.show()
    qtbot.waitExposed(strip)
    expected = 100 + (timebase.pts_us(0) + ONSET_S * 1e6 - 10_000_000) * 600 / 5_000_000
    start, _ = first_run(loud_columns(strip))
    assert abs(start - expected) <= 1.5
    assert strip.time_at(expected) == pytest.approx(ONSET_S * 1e6, abs=10_000)


def test_times_map_to_the_timelines_x_on_a_variable_frame_rate(qtbot):
    """The timeline is linear in frames: on VFR video the strip puts a time where the
    timeline does, not where a linear time axis would."""
    steps = np.array([20, 90, 33, 45, 60, 25, 80, 40] * 10) * 1000
    timebase = TimeBase(np.concatenate([[0], np.cumsum(steps)[:-1]]), int(steps.sum()))
    info = CodingInfo(id=1, observation_id=1, coder=Coder("AB", id=1), scheme_id=1)
    session = Session(MemoryStore.for_codings([info]), info, SCHEME, timebase)
    timeline = Timeline(SessionBridge(session))
    qtbot.addWidget(timeline)
    timeline.resize(800, 300)
    strip = AudioStrip()
    qtbot.addWidget(strip)
    strip.resize(800, 60)
    strip.set_view(timeline.geometry_now(), timebase)
    g = timeline.geometry_now()
    for us in range(0, timebase.duration_us, 7_919):
        assert strip.x_of_time(us) == pytest.approx(g.x_of(frame_position(timebase, us)))
        back = strip.time_at(strip.x_of_time(us))
        if back is not None:
            assert abs(back - us) <= 1


def test_a_strip_placed_further_right_still_draws_times_under_the_timeline(clip, qtbot):
    _, timebase, envelope = clip
    info = CodingInfo(id=1, observation_id=1, coder=Coder("AB", id=1), scheme_id=1)
    session = Session(MemoryStore.for_codings([info]), info, SCHEME, timebase)
    window = QWidget()
    layout = QVBoxLayout(window)
    layout.setContentsMargins(0, 0, 0, 0)
    timeline = Timeline(SessionBridge(session))
    holder = QWidget()
    inner = QVBoxLayout(holder)
    inner.setContentsMargins(17, 0, 0, 0)  # the strip starts 17 px right of the timeline
    strip = AudioStrip()
    inner.addWidget(strip)
    layout.addWidget(timeline)
    layout.addWidget(holder)
    qtbot.addWidget(window)
    strip.follow(timeline, timebase)
    strip.set_envelope(envelope)
    window.resize(800, 360)
    window.show()
    qtbot.waitExposed(window)
    timeline.show_frames(290, 40)
    QApplication.processEvents()
    start, _ = first_run(loud_columns(strip))
    assert abs(start + 17 - onset_x(timeline, timebase, ONSET_S)) <= 1.5
    window.close()
