"""The event table's quick painting: plain rows look exactly as Qt paints them, and a row
inserted or removed neither repaints unchanged scroll bars nor leaves a wrong scroll range."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QAbstractItemView, QApplication

from coder.timebase import TimeBase
from tests.core.session_fixtures import make_session
from ui.events.model import Column
from ui.events.table import EventTable
from ui.window.session_bridge import SessionBridge


@pytest.fixture
def table(qtbot):
    """A table of 200 points with comments and modifiers and a state still on, too narrow and
    too short for its rows and columns (both scroll bars show)."""
    session, _ = make_session(timebase=TimeBase.constant(3000, 25))
    for frame in range(0, 2000, 10):
        event = session.point("reach" if frame % 20 else "vocal", frame)
        if frame % 30 == 0:
            session.edit_event(event.id, comment=f"a rather long comment about frame {frame}")
    cry = session.start("cry", 1005)
    session.edit_event(cry.id, modifiers=("strong",))
    widget = EventTable(SessionBridge(session))
    qtbot.addWidget(widget)
    widget.resize(640, 260)
    widget.show()
    qtbot.waitExposed(widget)
    widget.select_event(None)
    widget.view.scrollTo(widget.model.index(widget.model.row_of(cry.id), 0))
    QApplication.processEvents()
    return widget


def pictures(table: EventTable) -> tuple[QImage, QImage]:
    """The viewport painted with plain rows drawn quickly, then with Qt painting every row."""
    view = table.view
    painter = view.plain_rows
    assert painter is not None
    quick = view.viewport().grab().toImage()
    assert painter.painted > 0  # the comparison compares something
    painter.enabled = False
    try:
        slow = view.viewport().grab().toImage()
    finally:
        painter.enabled = True
    assert painter.painted == 0
    return quick, slow


def test_plain_rows_look_exactly_as_qt_paints_them(table):
    quick, slow = pictures(table)
    assert quick == slow


def test_selection_focus_frame_and_open_state_are_still_qt_s(table, qtbot):
    view = table.view
    model = table.model
    open_row = next(r for r in range(model.rowCount()) if model.event_at(r).is_open)
    table.select_event(model.event_id_at(open_row - 2))
    view.setCurrentIndex(model.index(open_row - 2, Column.ONSET))
    view.setFocus()
    qtbot.waitUntil(view.hasFocus, timeout=2000)
    assert {open_row - 2} <= view.special_rows()
    quick, slow = pictures(table)
    assert quick == slow


def test_narrow_columns_elide_as_qt_does(table):
    view = table.view
    for column in (Column.BEHAVIOUR, Column.ONSET, Column.COMMENT):
        view.setColumnWidth(column, 37)
    QApplication.processEvents()
    quick, slow = pictures(table)
    assert quick == slow


def test_an_open_editor_and_its_row_look_as_before(table):
    view = table.view
    model = table.model
    row = view.rowAt(view.viewport().height() // 2)
    assert table.edit_cell(model.event_id_at(row), Column.COMMENT)
    assert view.state() == QAbstractItemView.State.EditingState
    quick, slow = pictures(table)
    assert quick == slow


def test_a_style_the_quick_cells_do_not_match_is_left_to_qt(table, monkeypatch):
    """The quick cells are checked against the delegate first: one pixel off (here, text one
    pixel to the right) and Qt paints every row."""
    view = table.view
    painter = view.plain_rows
    assert painter is not None
    geometry = painter._cell_geometry

    def shifted(*key: int):
        text_x, *rest = geometry(*key)
        return (text_x + 1, *rest)

    monkeypatch.setattr(painter, "_cell_geometry", shifted)
    painter._checked.clear()
    painter._key = None
    expected = view.viewport().grab().toImage()
    assert painter.painted == 0
    painter.enabled = False
    assert view.viewport().grab().toImage() == expected


class Paints(QObject):
    """Counts the paint events of some widgets."""

    def __init__(self, *widgets) -> None:
        super().__init__()
        self.count = 0
        for widget in widgets:
            widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def scroll_state(table: EventTable) -> tuple[int, ...]:
    view = table.view
    bar = view.verticalScrollBar()
    return (
        bar.minimum(),
        bar.maximum(),
        bar.pageStep(),
        bar.singleStep(),
        bar.value(),
        view.verticalHeader().offset(),
        view.rowAt(0),
    )


def test_a_point_and_its_undo_leave_unchanged_scroll_bars_unpainted(table):
    session = table.model.bridge.session
    view = table.view
    QApplication.processEvents()
    bars = Paints(view.horizontalScrollBar())
    before = scroll_state(table)
    middle = table.model.event_at(view.rowAt(view.viewport().height() // 2)).onset.frame
    for frame in (middle + 1, middle + 3):  # in view: nothing scrolls
        session.point("reach", frame)
        QApplication.processEvents()
        session.undo()
        QApplication.processEvents()
    assert bars.count == 0
    assert view.horizontalScrollBar().isVisible()
    assert scroll_state(table) == before


@pytest.mark.parametrize("mode", list(QAbstractItemView.ScrollMode))
def test_the_quick_layout_sets_the_scroll_range_qt_would(table, mode):
    session = table.model.bridge.session
    view = table.view
    view.setVerticalScrollMode(mode)
    QApplication.processEvents()
    for frame in (1, 1237, 2999):  # before, among and after the rows in view
        session.point("vocal", frame)
        QApplication.processEvents()
        quick = scroll_state(table)
        assert view.row_layout is not None
        view.row_layout.forget()
        view.updateGeometries()
        assert scroll_state(table) == quick
        view.verticalScrollBar().setValue(view.verticalScrollBar().maximum())
        QApplication.processEvents()


def test_the_vertical_scroll_bar_comes_and_goes_with_the_rows(qtbot):
    session, _ = make_session()
    table = EventTable(SessionBridge(session))
    qtbot.addWidget(table)
    table.resize(640, 260)
    table.show()
    qtbot.waitExposed(table)
    bar = table.view.verticalScrollBar()
    added = []
    for frame in range(0, 240, 8):
        added.append(session.point("reach", frame))
        QApplication.processEvents()
    qtbot.waitUntil(bar.isVisible, timeout=2000)
    for _ in added:
        session.undo()
        QApplication.processEvents()
    qtbot.waitUntil(lambda: not bar.isVisible(), timeout=2000)
    assert table.model.rowCount() == 0
