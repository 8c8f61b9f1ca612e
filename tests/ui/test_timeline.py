"""The timeline: marks follow the session, clicks seek and select, drags move edges, zoom."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QWheelEvent
from PySide6.QtWidgets import QApplication

from coder.coding.session import Session
from coder.model import Coder, CodingInfo
from coder.store.memory import MemoryStore
from coder.timebase import TimeBase
from tests.core.session_fixtures import FRAMES, SCHEME
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    WAIT_MS,
    demo_fixture,
    demo_template_fixture,
    open_and_show,
    prompts_fixture,
    settings_fixture,
    window_fixture,
)
from ui.timeline.geometry import ruler_ticks
from ui.timeline.marks import OPEN, Mark
from ui.timeline.painter import TimelinePainter
from ui.timeline.timeline import Timeline
from ui.window.session_bridge import SessionBridge

LEFT = Qt.MouseButton.LeftButton
CRY_COLOUR = "#d62728"


@pytest.fixture
def session():
    scheme = replace(
        SCHEME,
        behaviours=tuple(
            replace(b, colour=CRY_COLOUR) if b.code == "cry" else b for b in SCHEME.behaviours
        ),
    )
    info = CodingInfo(id=1, observation_id=1, coder=Coder("AB", id=1), scheme_id=1)
    return Session(MemoryStore.for_codings([info]), info, scheme, TimeBase.constant(FRAMES, 25))


@pytest.fixture
def timeline(session, qtbot):
    widget = Timeline(SessionBridge(session))
    qtbot.addWidget(widget)
    widget.resize(800, 320)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def centre(rect) -> QPoint:
    return rect.center().toPoint()


def row_middle(timeline: Timeline, code: str) -> int:
    g = timeline.geometry_now()
    return g.row_top(timeline.row_of(code)) + g.row_height // 2


def expected_marks(session: Session, timeline: Timeline) -> list[Mark]:
    marks = []
    for event in session.events:
        row = timeline.row_of(event.behaviour)
        end = event.onset.frame + 1 if not event.is_state else event.offset
        end = end if isinstance(end, int) else (OPEN if end is None else end.frame)
        colour = timeline.rows[row].colour
        marks.append(Mark(event.id, row, event.onset.frame, end, colour, not event.is_state))
    return sorted(marks, key=lambda m: (m.row, m.start, m.event_id))


def test_rows_are_behaviours_grouped_under_their_subjects(timeline):
    labels = [(r.code, r.label) for r in timeline.rows]
    assert labels[0] == (None, "Infant")
    assert labels[1:6] == [
        ("look_cg", "Look at caregiver"),
        ("look_obj", "Look at object"),
        ("look_away", "Look away"),
        ("cry", "Cry"),
        ("reach", "Reach"),
    ]
    assert labels[6] == (None, "Caregiver")
    assert [r.code for r in timeline.rows[7:]] == ["touch", "vocal"]


def test_marks_follow_commands_and_undo(session, timeline):
    session.start("cry", 20)
    session.stop("cry", 60)
    session.point("reach", 30)
    session.start("touch", 10)
    assert timeline.index.marks(0, FRAMES) == expected_marks(session, timeline)
    cry = next(m for m in timeline.index.marks(0, FRAMES) if m.row == timeline.row_of("cry"))
    assert (cry.start, cry.end, cry.colour) == (20, 60, CRY_COLOUR)
    assert [m.row for m in timeline.index.open_marks()] == [timeline.row_of("touch")]
    session.undo()
    assert timeline.index.open_marks() == []
    assert len(timeline.index) == 2
    session.redo()
    assert len(timeline.index) == 3


def test_marks_stay_in_step_through_random_commands(session, timeline):
    rnd = random.Random(3)
    codes = ["cry", "touch", "reach", "vocal", "look_cg", "look_obj", "look_away"]
    for _ in range(200):
        try:
            roll = rnd.random()
            if roll < 0.5:
                session.toggle(rnd.choice(codes), rnd.randrange(FRAMES))
            elif roll < 0.65 and session.events:
                session.nudge(rnd.choice(session.events).id, "onset", rnd.randint(-9, 9))
            elif roll < 0.75 and session.events:
                session.delete_event(rnd.choice(session.events).id)
            elif roll < 0.9 and session.can_undo:
                session.undo()
            elif session.can_redo:
                session.redo()
        except ValueError:
            pass
    assert timeline.index.marks(0, FRAMES) == expected_marks(session, timeline)
    window = timeline.index.marks(100, 140)
    assert all(m.start < 140 and m.end > 100 for m in window)
    assert {m.event_id for m in window} == {
        m.event_id for m in expected_marks(session, timeline) if m.start < 140 and m.end > 100
    }


def test_a_state_is_drawn_from_onset_to_offset_in_its_row(session, timeline):
    cry = session.start("cry", 20)
    session.stop("cry", 60)
    g = timeline.geometry_now()
    rect = timeline.event_rect(cry.id)
    assert rect.left() == pytest.approx(g.x_of(20))
    assert rect.right() == pytest.approx(g.x_of(60))
    assert rect.top() == g.row_top(timeline.row_of("cry"))
    assert g.x_of(0) == g.plot_left
    assert g.x_of(FRAMES) == pytest.approx(g.plot_right)


def test_the_bar_is_painted_in_the_behaviour_colour(session, timeline):
    cry = session.start("cry", 20)
    session.stop("cry", 120)
    image = QImage(timeline.size(), QImage.Format.Format_RGB32)
    timeline.render(image)
    point = centre(timeline.event_rect(cry.id))
    assert QColor(image.pixel(point)) == QColor(CRY_COLOUR)
    empty = QPoint(point.x(), row_middle(timeline, "look_cg"))
    assert QColor(image.pixel(empty)) != QColor(CRY_COLOUR)


def test_an_open_state_extends_to_the_playhead(session, timeline):
    cry = session.start("cry", 20)
    timeline.set_frame(50)
    g = timeline.geometry_now()
    assert timeline.event_rect(cry.id).right() == pytest.approx(g.x_of(50))
    timeline.set_frame(90)
    assert timeline.event_rect(cry.id).right() == pytest.approx(g.x_of(90))
    image = QImage(timeline.size(), QImage.Format.Format_RGB32)
    timeline.render(image)
    inside = QPoint(round(g.x_of(70)), row_middle(timeline, "cry"))
    assert QColor(image.pixel(inside)) == QColor(CRY_COLOUR)


def test_hit_testing_finds_the_bar_and_the_point_under_the_pointer(session, timeline):
    cry = session.start("cry", 20)
    session.stop("cry", 60)
    reach = session.point("reach", 100)
    g = timeline.geometry_now()
    assert timeline.event_at(QPointF(g.x_of(40), row_middle(timeline, "cry"))) == cry.id
    assert timeline.event_at(QPointF(g.x_of(40), row_middle(timeline, "touch"))) is None
    assert timeline.event_at(QPointF(g.x_of(70), row_middle(timeline, "cry"))) is None
    assert timeline.event_at(QPointF(g.x_of(100) + 2, row_middle(timeline, "reach"))) == reach.id
    assert timeline.event_at(QPointF(g.x_of(120), row_middle(timeline, "reach"))) is None
    assert timeline.event_at(QPointF(g.plot_left - 5, row_middle(timeline, "cry"))) is None


def test_clicking_an_event_emits_its_id(session, timeline, qtbot):
    cry = session.start("cry", 20)
    session.stop("cry", 60)
    point = centre(timeline.event_rect(cry.id))
    with qtbot.waitSignal(timeline.eventClicked) as signal:
        qtbot.mouseClick(timeline, LEFT, pos=point)
    assert signal.args == [cry.id]


def test_clicking_empty_space_seeks_and_dragging_scrubs(session, timeline, qtbot):
    g = timeline.geometry_now()
    y = row_middle(timeline, "touch")
    seen: list[int] = []
    timeline.seekRequested.connect(seen.append)
    qtbot.mousePress(timeline, LEFT, pos=QPoint(round(g.x_of(100.5)), y))
    qtbot.mouseMove(timeline, QPoint(round(g.x_of(100.7)), y))
    qtbot.mouseMove(timeline, QPoint(round(g.x_of(140.5)), y))
    qtbot.mouseRelease(timeline, LEFT, pos=QPoint(round(g.x_of(140.5)), y))
    assert seen == [100, 140]
    with qtbot.waitSignal(timeline.seekRequested) as signal:
        qtbot.mouseClick(timeline, LEFT, pos=QPoint(round(g.x_of(12.5)), g.ruler_height // 2))
    assert signal.args == [12]


def test_dragging_an_offset_moves_it_in_one_undo_step(session, timeline, qtbot):
    cry = session.start("cry", 20)
    session.stop("cry", 60)
    g = timeline.geometry_now()
    y = row_middle(timeline, "cry")
    edge = QPoint(round(g.x_of(60)), y)
    assert timeline.edge_at(QPointF(edge)) == (cry.id, "offset")
    qtbot.mousePress(timeline, LEFT, pos=edge)
    for frame in (70, 90, 100):
        qtbot.mouseMove(timeline, QPoint(round(g.x_of(frame)), y))
    assert session.event(cry.id).offset.frame == 60
    qtbot.mouseRelease(timeline, LEFT, pos=QPoint(round(g.x_of(100)), y))
    assert session.event(cry.id).offset.frame == 100
    assert session.undo() == "Edit Cry"
    assert session.event(cry.id).offset.frame == 60
    assert session.undo_label == "Stop Cry"


def test_dragging_an_onset_moves_it(session, timeline, qtbot):
    cry = session.start("cry", 20)
    session.stop("cry", 60)
    g = timeline.geometry_now()
    y = row_middle(timeline, "cry")
    qtbot.mousePress(timeline, LEFT, pos=QPoint(round(g.x_of(20)), y))
    qtbot.mouseMove(timeline, QPoint(round(g.x_of(5)), y))
    qtbot.mouseRelease(timeline, LEFT, pos=QPoint(round(g.x_of(5)), y))
    assert session.event(cry.id).onset.frame == 5
    assert session.event(cry.id).offset.frame == 60


def test_where_states_touch_the_side_of_the_pointer_picks_the_edge(session, timeline):
    first = session.start("look_cg", 20)
    second = session.start("look_obj", 60)
    session.stop("look_obj", 90)
    session.start("look_cg", 90)
    session.stop("look_cg", 120)
    g = timeline.geometry_now()
    y = row_middle(timeline, "look_obj")
    assert timeline.edge_at(QPointF(g.x_of(90) - 1, y)) == (second.id, "offset")
    assert timeline.edge_at(QPointF(g.x_of(60) + 1, y)) == (second.id, "onset")
    y = row_middle(timeline, "look_cg")
    assert timeline.edge_at(QPointF(g.x_of(60) - 1, y)) == (first.id, "offset")


def test_a_refused_drag_is_reported_and_snaps_back(session, timeline, qtbot):
    first = session.start("look_cg", 20)
    session.stop("look_cg", 40)
    session.start("look_cg", 60)
    session.stop("look_cg", 80)
    g = timeline.geometry_now()
    y = row_middle(timeline, "look_cg")
    qtbot.mousePress(timeline, LEFT, pos=QPoint(round(g.x_of(40)), y))
    qtbot.mouseMove(timeline, QPoint(round(g.x_of(70)), y))
    with qtbot.waitSignal(timeline.errorOccurred) as signal:
        qtbot.mouseRelease(timeline, LEFT, pos=QPoint(round(g.x_of(70)), y))
    assert "Cannot move the offset of Look at caregiver to frame 70" in signal.args[0]
    assert "overlap" in signal.args[0]
    assert session.event(first.id).offset.frame == 40
    assert session.undo_label == "Stop Look at caregiver"
    assert timeline.event_rect(first.id).right() == pytest.approx(g.x_of(40))


def test_zoom_goes_from_the_whole_session_down_to_single_frames(timeline):
    assert timeline.visible_frames() == (0, FRAMES)
    whole = timeline.pixels_per_frame()
    timeline.set_frame(125)
    timeline.zoom_in()
    assert timeline.pixels_per_frame() == pytest.approx(whole * 1.5)
    first, last = timeline.visible_frames()
    assert first <= 125 < last
    assert last - first < FRAMES
    for _ in range(30):
        timeline.zoom_in()
    em = timeline.fontMetrics().horizontalAdvance("M")
    assert timeline.pixels_per_frame() == pytest.approx(em * 3)
    first, last = timeline.visible_frames()
    assert first <= 125 < last
    assert last - first <= timeline.geometry_now().plot_width / (em * 3) + 2
    timeline.zoom_out()
    assert timeline.pixels_per_frame() == pytest.approx(em * 3 / 1.5)
    timeline.zoom_to_fit()
    assert timeline.visible_frames() == (0, FRAMES)
    timeline.zoom_out()
    assert timeline.pixels_per_frame() == pytest.approx(whole)


def test_ctrl_wheel_zooms_around_the_pointer(timeline):
    timeline.show_frames(50, 100)
    g = timeline.geometry_now()
    x = g.x_of(80)
    wheel = QWheelEvent(
        QPointF(x, row_middle(timeline, "cry")),
        QPointF(timeline.mapToGlobal(QPoint(round(x), 10))),
        QPoint(0, 0),
        QPoint(0, 120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ControlModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(timeline, wheel)
    zoomed = timeline.geometry_now()
    assert zoomed.ppf == pytest.approx(g.ppf * 1.25)
    assert zoomed.position_at(x) == pytest.approx(g.position_at(x))


def test_plain_wheel_and_scroll_bar_scroll_in_time(timeline):
    timeline.show_frames(100, 50)
    before = timeline.visible_frames()
    wheel = QWheelEvent(
        QPointF(300, 100),
        QPointF(300, 100),
        QPoint(0, 0),
        QPoint(0, -120),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(timeline, wheel)
    after = timeline.visible_frames()
    assert after[0] == before[0] + 5
    bar = timeline._hbar
    bar.setValue(10)
    assert timeline.visible_frames()[0] == 10


def test_the_view_follows_the_playhead(timeline, qtbot):
    timeline.show_frames(0, 50)
    with qtbot.waitSignal(timeline.viewChanged):
        timeline.set_frame(180)
    first, last = timeline.visible_frames()
    assert first <= 180 < last
    assert first > 150
    timeline.set_frame(181)
    assert timeline.visible_frames() == (first, last)


def test_frame_count_from_the_player_is_honoured(timeline):
    timeline.set_frame_count(500)
    assert timeline.visible_frames() == (0, 500)
    timeline.set_frame(499)
    assert timeline.frame == 499
    timeline.set_frame(900)
    assert timeline.frame == 499


def test_ruler_ticks_sit_at_their_true_instant_on_variable_frame_rate_video(timeline):
    timebase = TimeBase([0, 40_000, 140_000, 1_000_000, 1_040_000], 2_000_000)
    g = replace(timeline.geometry_now(), frame_count=5, first=0.0, ppf=100.0)
    step, ticks = ruler_ticks(g, timebase, 100)
    assert step == 500_000
    assert ticks[:3] == [(0.0, "0:00.0"), (pytest.approx(2 + 360 / 860), "0:00.5"), (3.0, "0:01.0")]


def test_episodes_are_drawn_in_the_band(session, timeline):
    session.start_episode("ep1", 0)
    session.start_episode("ep2", 100)
    timeline.set_frame(200)
    g = timeline.geometry_now()
    image = QImage(timeline.size(), QImage.Format.Format_RGB32)
    timeline.render(image)
    band = g.ruler_height + g.band_height // 2
    first = QColor(image.pixel(QPoint(round(g.x_of(50)), band)))
    second = QColor(image.pixel(QPoint(round(g.x_of(150)), band)))
    after = QColor(image.pixel(QPoint(round(g.x_of(230)), band)))
    assert first != second
    assert after not in (first, second)


def test_rows_that_do_not_fit_scroll_with_shift_wheel(session, timeline):
    reach = session.point("reach", 100)
    timeline.resize(800, 150)
    g = timeline.geometry_now()
    assert timeline._vbar.isVisible()
    assert g.plot_right < timeline.width()
    top = g.row_top(timeline.row_of("vocal"))
    wheel = QWheelEvent(
        QPointF(300, 100),
        QPointF(300, 100),
        QPoint(0, 0),
        QPoint(0, -240),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.ShiftModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(timeline, wheel)
    scrolled = timeline.geometry_now()
    assert scrolled.row_top(timeline.row_of("vocal")) < top
    y = scrolled.row_top(timeline.row_of("reach")) + scrolled.row_height // 2
    assert timeline.event_at(QPointF(scrolled.x_of(100) + 1, y)) == reach.id
    timeline.resize(800, 400)
    assert not timeline._vbar.isVisible()
    assert timeline.geometry_now().y_scroll == 0


def _long_timeline(qtbot, frames: int) -> tuple[Session, Timeline]:
    info = CodingInfo(id=1, observation_id=1, coder=Coder("AB", id=1), scheme_id=1)
    session = Session(MemoryStore.for_codings([info]), info, SCHEME, TimeBase.constant(frames, 25))
    for frame in range(3, frames, 11):  # dense enough to merge into runs at whole zoom
        session.point("reach", frame)
    for frame in range(0, frames - 40, 37):
        session.start("look_cg" if frame % 2 else "look_obj", frame)
    session.stop_all(frames - 20)
    widget = Timeline(SessionBridge(session))
    qtbot.addWidget(widget)
    widget.resize(800, 320)
    widget.show()
    qtbot.waitExposed(widget)
    return session, widget


def _picture(timeline: Timeline) -> QImage:
    return timeline.grab().toImage()


@pytest.mark.parametrize("zoom", ["whole", "frames"])
def test_a_command_repaints_only_where_its_marks_were_and_are(qtbot, monkeypatch, zoom):
    session, timeline = _long_timeline(qtbot, 6000)
    if zoom == "frames":
        timeline.show_frames(2950, 100)  # a frame is several pixels wide: the grid shows too
    first, last = timeline.visible_frames()
    _picture(timeline)
    rebuilt: list[int] = []
    repainted: list[set[int]] = []
    full_paint, region_paint = TimelinePainter.paint_static, TimelinePainter.repaint_spans

    def paint_static(self, *args, **kwargs):
        rebuilt.append(1)
        return full_paint(self, *args, **kwargs)

    def repaint_spans(self, p, g, rows, index, spans, hidden=None):
        repainted.append(set(spans))
        return region_paint(self, p, g, rows, index, spans, hidden)

    monkeypatch.setattr(TimelinePainter, "paint_static", paint_static)
    monkeypatch.setattr(TimelinePainter, "repaint_spans", repaint_spans)
    touched_rows: list[set[int]] = []

    def rows_of(change) -> None:
        codes = {e.behaviour for r in change.records for e in (r.before, r.after) if e}
        touched_rows.append({timeline.row_of(code) for code in codes})

    session.subscribe(rows_of)
    rnd = random.Random(8)
    codes = ["cry", "touch", "reach", "vocal", "look_cg", "look_obj", "look_away"]
    span = (max(0, first - 30), min(6000, last + 30))
    for _ in range(4):
        rebuilt.clear()
        for _ in range(30):
            visible = [e for e in session.events if span[0] <= e.onset.frame < span[1]]
            roll = rnd.random()
            try:
                if roll < 0.35:
                    session.toggle(rnd.choice(codes), rnd.randrange(*span))
                elif roll < 0.5:
                    session.point("reach", rnd.randrange(*span))
                elif roll < 0.65 and visible:
                    session.nudge(rnd.choice(visible).id, "onset", rnd.randint(-6, 6))
                elif roll < 0.72 and visible:
                    session.delete_event(rnd.choice(visible).id)
                elif roll < 0.88 and session.can_undo:
                    session.undo()
                elif session.can_redo:
                    session.redo()
            except ValueError:
                pass
            if rnd.random() < 0.3:
                _picture(timeline)
        incremental = _picture(timeline)
        assert rebuilt == []  # the cached layer was only ever patched
        for rows in repainted:  # each patch is on the rows of the events a command touched
            assert any(rows <= touched for touched in touched_rows)
        timeline.invalidate()
        assert incremental == _picture(timeline)  # exactly what a whole repaint draws
    assert any(len(rows) == 1 for rows in repainted)


def test_dragging_an_edge_patches_the_cached_picture(session, timeline, qtbot, monkeypatch):
    cry = session.start("cry", 20)
    session.stop("cry", 60)
    _picture(timeline)
    rebuilt: list[int] = []
    full_paint = TimelinePainter.paint_static

    def paint_static(self, *args, **kwargs):
        rebuilt.append(1)
        return full_paint(self, *args, **kwargs)

    monkeypatch.setattr(TimelinePainter, "paint_static", paint_static)
    g = timeline.geometry_now()
    y = row_middle(timeline, "cry")
    qtbot.mousePress(timeline, LEFT, pos=QPoint(round(g.x_of(60)), y))
    qtbot.mouseMove(timeline, QPoint(round(g.x_of(90)), y))
    _picture(timeline)
    qtbot.mouseRelease(timeline, LEFT, pos=QPoint(round(g.x_of(90)), y))
    assert session.event(cry.id).offset.frame == 90
    incremental = _picture(timeline)
    assert rebuilt == []
    timeline.invalidate()
    assert incremental == _picture(timeline)


def test_rows_turn_compact_so_that_every_row_shows(session, timeline):
    normal = timeline.sizeHint().height()
    timeline.resize(800, normal)
    roomy = timeline.geometry_now()
    assert timeline.rows_fit()
    assert not timeline._vbar.isVisible()
    rows = len(timeline.rows)
    timeline.resize(800, normal - rows * 4)  # too low for rows at the font's height
    g = timeline.geometry_now()
    assert g.row_height < roomy.row_height
    assert timeline.rows_fit()
    assert not timeline._vbar.isVisible()
    assert g.row_top(rows - 1) + g.row_height <= g.plot_bottom  # the last row shows whole
    reach = session.point("reach", 100)  # and its marks are still found where drawn
    y = g.row_top(timeline.row_of("reach")) + g.row_height // 2
    assert timeline.event_at(QPointF(g.x_of(100) + 1, y)) == reach.id
    timeline.resize(800, timeline.minimumSizeHint().height())  # lower still: the rows scroll
    assert not timeline.rows_fit()
    assert timeline._vbar.isVisible()


@pytest.mark.parametrize("zoom", ["whole", "frames"])
def test_a_point_under_the_playhead_is_drawn_over_it(session, timeline, zoom):
    reach = session.point("reach", 150)
    if zoom == "frames":
        timeline.show_frames(140, 40)  # the frame on screen is shaded several pixels wide
    timeline.set_frame(150)
    g = timeline.geometry_now()
    image = QImage(timeline.size(), QImage.Format.Format_RGB32)
    timeline.render(image)
    colour = QColor(timeline.rows[timeline.row_of("reach")].colour)
    x = round(g.x_of(150))
    mark = timeline.event_rect(reach.id)
    assert mark.left() <= x < mark.right()
    assert QColor(image.pixel(QPoint(x, row_middle(timeline, "reach")))) == colour
    # In another row the playhead line shows there, unlike the row's background beside it.
    y = row_middle(timeline, "look_cg")
    background = QColor(image.pixel(QPoint(round(g.x_of(150) - max(3.0, g.ppf / 2)), y)))
    line = [QColor(image.pixel(QPoint(x + dx, y))) for dx in (-1, 0, 1)]
    assert any(pixel != background for pixel in line)


def test_the_demo_shows_every_behaviour_row_at_1366_by_768(qtbot, window, demo):
    window.resize(1366, 768)
    window.reset_layout()
    open_and_show(qtbot, window, demo)
    qtbot.waitUntil(lambda: window.timeline.isVisible(), timeout=WAIT_MS)
    timeline, strip = window.timeline, window.audio_strip
    qtbot.waitUntil(timeline.rows_fit, timeout=WAIT_MS)
    behaviours = [r for r in timeline.rows if r.code is not None]
    assert len(behaviours) == len(window.session.scheme.behaviours) == 15
    g = timeline.geometry_now()
    assert g.row_top(len(timeline.rows) - 1) + g.row_height <= g.plot_bottom
    # The audio strip under it keeps the timeline's time axis.
    qtbot.waitUntil(lambda: strip.x_of_time(0) is not None, timeout=WAIT_MS)
    offset = strip.mapFromGlobal(timeline.mapToGlobal(QPointF(0, 0))).x()
    timebase = window.session.timebase
    for frame in (0, 40, 99):
        us = timebase.pts_us(frame)
        assert strip.x_of_time(us) == pytest.approx(g.x_of(frame) + offset, abs=0.5)
