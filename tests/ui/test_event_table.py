"""The event table: rows follow the session, edits go through it, refusals are reported."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox

from coder.timebase import TimeBase
from tests.core.session_fixtures import make_session
from ui.events.model import (
    CHOICES_ROLE,
    IS_OPEN_ROLE,
    Column,
    EventTableModel,
    onset_key,
    parse_frame,
)
from ui.events.table import EventTable
from ui.window.session_bridge import SessionBridge

EDIT = Qt.ItemDataRole.EditRole
DISPLAY = Qt.ItemDataRole.DisplayRole


@pytest.fixture
def coded():
    session, _ = make_session()
    session.start("cry", 20)
    session.stop("cry", 60)
    session.point("reach", 30)
    session.start("touch", 10)
    return session, SessionBridge(session)


def listed(model: EventTableModel) -> list[int]:
    return [model.event_id_at(row) for row in range(model.rowCount())]


def test_rows_follow_commands_undo_and_redo(coded, qtmodeltester):
    session, bridge = coded
    model = EventTableModel(bridge)
    qtmodeltester.check(model)
    assert listed(model) == [e.id for e in session.events]
    assert model.data(model.index(0, Column.BEHAVIOUR)) == "Touch"
    vocal = session.point("vocal", 5)
    assert model.rowCount() == 4
    assert model.event_id_at(0) == vocal.id
    assert model.data(model.index(1, Column.NUMBER)) == "2"
    session.undo()
    assert listed(model) == [e.id for e in session.events]
    session.redo()
    assert model.row_of(vocal.id) == 0
    session.delete_event(vocal.id)
    assert model.row_of(vocal.id) == -1
    assert model.rowCount() == 3


def test_rows_stay_in_step_through_random_commands_in_any_sort_order(qtmodeltester):
    session, _ = make_session()
    bridge = SessionBridge(session)
    model = EventTableModel(bridge)
    qtmodeltester.check(model)
    rnd = random.Random(7)
    codes = ["cry", "touch", "reach", "vocal", "look_cg", "look_obj"]
    for step in range(160):
        if step % 40 == 0:
            column = rnd.choice(list(Column))
            order = rnd.choice([Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
            model.sort(column, order)
        action = rnd.random()
        try:
            if action < 0.45:
                session.toggle(rnd.choice(codes), rnd.randrange(0, 249))
            elif action < 0.6 and session.events:
                event = rnd.choice(session.events)
                session.nudge(event.id, "onset", rnd.randint(-20, 20))
            elif action < 0.7 and session.events:
                session.delete_event(rnd.choice(session.events).id)
            elif action < 0.85 and session.can_undo:
                session.undo()
            elif session.can_redo:
                session.redo()
        except ValueError:
            pass
        shown = [model.event_at(row) for row in range(model.rowCount())]
        assert sorted(shown, key=onset_key) == list(session.events)
        for row, event in enumerate(shown):
            assert model.row_of(event.id) == row


def test_open_states_are_marked(coded):
    session, bridge = coded
    model = EventTableModel(bridge)
    touch = session.open_state("touch")
    row = model.row_of(touch.id)
    assert model.data(model.index(row, 0), IS_OPEN_ROLE) is True
    assert model.data(model.index(row, Column.OFFSET)) == "● open"
    assert model.data(model.index(row, 0), Qt.ItemDataRole.BackgroundRole) is not None
    session.stop("touch", 100)
    assert model.data(model.index(row, 0), IS_OPEN_ROLE) is False
    assert model.data(model.index(row, Column.OFFSET)) == "0:00:04.000 (100)"
    assert model.data(model.index(row, 0), Qt.ItemDataRole.BackgroundRole) is None


@pytest.mark.parametrize(
    ("text", "frame"),
    [("12", 12), ("f12", 12), ("1s", 25), ("0:01.5", 37), ("0:00:02.000", 50), ("10", 10)],
)
def test_typed_frames_and_times_name_the_frame_on_screen(text, frame):
    assert parse_frame(text, TimeBase.constant(250, 25)) == frame


def test_a_time_at_or_after_the_end_means_the_end_of_the_video():
    assert parse_frame("0:10.0", TimeBase.constant(250, 25)) == 250


@pytest.mark.parametrize("text", ["", "abc", "1:2:3:4", "-5", "1,5"])
def test_unreadable_times_are_refused(text):
    with pytest.raises(ValueError, match="neither a frame number nor a time"):
        parse_frame(text, TimeBase.constant(250, 25))


def test_editing_onset_and_offset_through_the_table_reaches_the_session(coded):
    session, bridge = coded
    model = EventTableModel(bridge)
    cry = next(e for e in session.events if e.behaviour == "cry")
    assert model.setData(model.index(model.row_of(cry.id), Column.ONSET), "0:00:01.000", EDIT)
    assert session.event(cry.id).onset.frame == 25
    assert model.setData(model.index(model.row_of(cry.id), Column.OFFSET), "70", EDIT)
    assert session.event(cry.id).offset.frame == 70
    assert model.data(model.index(model.row_of(cry.id), Column.DURATION)) == "1.800 s"
    session.undo()
    assert session.event(cry.id).offset.frame == 60
    session.undo()
    assert session.event(cry.id).onset.frame == 20


def test_a_refused_edit_is_reported_and_changes_nothing(coded, qtbot):
    session, bridge = coded
    model = EventTableModel(bridge)
    cry = next(e for e in session.events if e.behaviour == "cry")
    label = session.undo_label
    with qtbot.waitSignal(model.errorOccurred) as signal:
        ok = model.setData(model.index(model.row_of(cry.id), Column.OFFSET), "10", EDIT)
    assert not ok
    assert "offset" in signal.args[0]
    assert "must come after the onset" in signal.args[0]
    assert session.event(cry.id) == cry
    assert session.undo_label == label
    with qtbot.waitSignal(model.errorOccurred) as signal:
        model.setData(model.index(model.row_of(cry.id), Column.ONSET), "soon", EDIT)
    assert "neither a frame number nor a time" in signal.args[0]


def test_behaviour_can_change_to_codes_of_the_same_kind_only(coded):
    session, bridge = coded
    model = EventTableModel(bridge)
    cry = next(e for e in session.events if e.behaviour == "cry")
    index = model.index(model.row_of(cry.id), Column.BEHAVIOUR)
    choices = [code for code, _ in model.data(index, CHOICES_ROLE)]
    assert "reach" not in choices
    assert {"cry", "touch", "look_cg"} <= set(choices)
    assert model.setData(index, "look_away", EDIT)
    changed = session.event(cry.id)
    assert changed.behaviour == "look_away"
    row = model.row_of(cry.id)
    assert model.data(model.index(row, Column.SUBJECT)) == "Infant"
    assert not model.setData(model.index(row, Column.BEHAVIOUR), "reach", EDIT)
    assert model.setData(model.index(row, Column.COMMENT), "fussy", EDIT)
    assert session.event(cry.id).comment == "fussy"


def test_offset_of_a_point_is_not_editable(coded):
    session, bridge = coded
    model = EventTableModel(bridge)
    reach = next(e for e in session.events if e.behaviour == "reach")
    flags = model.flags(model.index(model.row_of(reach.id), Column.OFFSET))
    assert not flags & Qt.ItemFlag.ItemIsEditable
    flags = model.flags(model.index(model.row_of(reach.id), Column.ONSET))
    assert flags & Qt.ItemFlag.ItemIsEditable


def test_filtering_by_behaviour_subject_and_text(coded, qtbot):
    session, bridge = coded
    table = EventTable(bridge)
    qtbot.addWidget(table)
    proxy = table.proxy
    table.set_filter(behaviour="cry")
    assert proxy.rowCount() == 1
    table.set_filter(subject="caregiver")
    assert proxy.rowCount() == 1
    session.point("vocal", 90)
    assert proxy.rowCount() == 2
    session.start("cry", 120)
    assert proxy.rowCount() == 2
    cry = session.events[-1]
    session.edit_event(cry.id, comment="loud Protest")
    table.set_filter(text="protest")
    assert proxy.rowCount() == 1
    table.set_filter(text="look")
    assert proxy.rowCount() == 0
    table.set_filter()
    assert proxy.rowCount() == len(session.events)
    with pytest.raises(ValueError, match="no behaviour 'nope'"):
        table.set_filter(behaviour="nope")


def test_filter_widgets_drive_the_filter(coded, qtbot):
    _, bridge = coded
    table = EventTable(bridge)
    qtbot.addWidget(table)
    box = table.findChildren(type(table._behaviour_box))[0]
    box.setCurrentIndex(box.findData("reach"))
    assert table.proxy.rowCount() == 1
    assert table.proxy.filter == ("reach", None, "")


def test_selection_is_kept_through_sorting_and_reported_once(coded, qtbot):
    session, bridge = coded
    table = EventTable(bridge)
    qtbot.addWidget(table)
    reach = next(e for e in session.events if e.behaviour == "reach")
    seen: list[object] = []
    table.selectionChanged.connect(seen.append)
    table.select_event(reach.id)
    table.select_event(reach.id)
    assert seen == [reach.id]
    table.view.sortByColumn(Column.BEHAVIOUR, Qt.SortOrder.DescendingOrder)
    codes = [table.model.event_at(r).behaviour for r in range(table.model.rowCount())]
    assert codes == sorted(codes, reverse=True)
    assert table.selected_event_id() == reach.id
    table.view.sortByColumn(Column.ONSET, Qt.SortOrder.AscendingOrder)
    session.nudge(reach.id, "onset", -28)
    assert table.model.row_of(reach.id) == 0
    assert table.selected_event_id() == reach.id
    session.delete_event(reach.id)
    assert table.selected_event_id() is None
    assert seen == [reach.id, None]


def test_selecting_a_filtered_out_event_clears_the_selection(coded, qtbot):
    session, bridge = coded
    table = EventTable(bridge)
    qtbot.addWidget(table)
    cry = next(e for e in session.events if e.behaviour == "cry")
    touch = session.open_state("touch")
    table.select_event(touch.id)
    table.set_filter(behaviour="cry")
    assert table.selected_event_id() is None
    table.select_event(cry.id)
    assert table.selected_event_id() == cry.id
    table.select_event(touch.id)
    assert table.selected_event_id() is None


def test_double_click_and_enter_ask_to_jump_to_the_event(coded, qtbot):
    session, bridge = coded
    table = EventTable(bridge)
    qtbot.addWidget(table)
    table.resize(700, 300)
    table.show()
    qtbot.waitExposed(table)
    reach = next(e for e in session.events if e.behaviour == "reach")
    table.select_event(reach.id)
    view = table.view
    rect = view.visualRect(view.currentIndex())
    with qtbot.waitSignal(table.eventActivated) as signal:
        # A real double click: click, then the second press that Qt reports as a double click.
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [reach.id]
    view.setFocus()
    with qtbot.waitSignal(table.eventActivated) as signal:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert signal.args == [reach.id]
    assert session.event(reach.id) == reach


def test_table_edit_errors_reach_the_widget_signal(coded, qtbot):
    session, bridge = coded
    table = EventTable(bridge)
    qtbot.addWidget(table)
    cry = next(e for e in session.events if e.behaviour == "cry")
    index = table.model.index(table.model.row_of(cry.id), Column.ONSET)
    with qtbot.waitSignal(table.errorOccurred) as signal:
        table.model.setData(index, "999", EDIT)
    assert "outside the video" in signal.args[0]
    assert table.model.data(index, DISPLAY) == "0:00:00.800 (20)"


def test_the_behaviour_editor_offers_a_combo_of_same_kind_codes(coded, qtbot):
    session, bridge = coded
    table = EventTable(bridge)
    qtbot.addWidget(table)
    table.show()
    qtbot.waitExposed(table)
    cry = next(e for e in session.events if e.behaviour == "cry")
    view = table.view
    index = table.proxy.mapFromSource(
        table.model.index(table.model.row_of(cry.id), Column.BEHAVIOUR)
    )
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.viewport().findChild(QComboBox)
    assert editor is not None
    codes = [editor.itemData(i) for i in range(editor.count())]
    assert editor.currentData() == "cry"
    assert "reach" not in codes
    assert "vocal" not in codes
    editor.setCurrentIndex(codes.index("touch"))
    with qtbot.waitSignal(table.errorOccurred) as signal:
        view.commitData(editor)
    assert "would overlap Touch" in signal.args[0]
    assert session.event(cry.id).behaviour == "cry"
    editor.setCurrentIndex(codes.index("look_away"))
    view.commitData(editor)
    assert session.event(cry.id).behaviour == "look_away"


def test_the_table_scrolls_to_what_was_just_coded_without_selecting_it(qtbot):
    session, _ = make_session()
    for frame in range(0, 200, 2):
        session.point("reach", frame)
    table = EventTable(SessionBridge(session))
    qtbot.addWidget(table)
    table.resize(600, 200)
    table.show()
    qtbot.waitExposed(table)
    view = table.view
    view.scrollToTop()
    assert view.rowAt(view.viewport().height() - 1) < 90  # the end of the list is out of view
    latest = session.point("reach", 240)
    row = table.proxy.mapFromSource(table.model.index(table.model.row_of(latest.id), 0)).row()
    qtbot.waitUntil(lambda: view.rowAt(view.viewport().height() // 2) >= row - 10, timeout=2000)
    assert view.viewport().rect().contains(view.visualRect(table.proxy.index(row, 0)))
    assert table.selected_event_id() is None
