"""The event table: rows follow the session, edits go through it, refusals are reported."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import QPersistentModelIndex, Qt
from PySide6.QtWidgets import QComboBox

from coder.coding import Batch
from coder.model import Event, Stamp
from coder.timebase import TimeBase
from tests.core.session_fixtures import make_session
from ui.events.columns import SORT_KEYS
from ui.events.model import (
    CHOICES_ROLE,
    IS_OPEN_ROLE,
    MODIFIER_CHOICES_ROLE,
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
    model = table.model
    table.set_filter(behaviour="cry")
    assert model.rowCount() == 1
    table.set_filter(subject="caregiver")
    assert model.rowCount() == 1
    session.point("vocal", 90)
    assert model.rowCount() == 2
    session.start("cry", 120)
    assert model.rowCount() == 2
    cry = session.events[-1]
    session.edit_event(cry.id, comment="loud Protest")
    table.set_filter(text="protest")
    assert model.rowCount() == 1
    table.set_filter(text="look")
    assert model.rowCount() == 0
    table.set_filter()
    assert model.rowCount() == len(session.events)
    with pytest.raises(ValueError, match="no behaviour 'nope'"):
        table.set_filter(behaviour="nope")


def test_filter_widgets_drive_the_filter(coded, qtbot):
    _, bridge = coded
    table = EventTable(bridge)
    qtbot.addWidget(table)
    box = table.findChildren(type(table._behaviour_box))[0]
    box.setCurrentIndex(box.findData("reach"))
    assert table.model.rowCount() == 1
    assert table.model.filter == ("reach", None, "")


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


def test_enter_and_a_double_click_on_a_fixed_cell_ask_to_seek(coded, qtbot):
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
        # A real double click on "#" (a cell that cannot be edited): click, then the second
        # press that Qt reports as a double click.
        qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == [reach.id]
    view.setFocus()
    with qtbot.waitSignal(table.eventActivated) as signal:
        qtbot.keyClick(view, Qt.Key.Key_Return)
    assert signal.args == [reach.id]
    assert session.event(reach.id) == reach


def test_the_modifiers_cell_edits_the_modifiers_of_the_behaviour(coded, qtbot):
    session, bridge = coded
    model = EventTableModel(bridge)
    cry = next(e for e in session.events if e.behaviour == "cry")
    reach = next(e for e in session.events if e.behaviour == "reach")
    index = model.index(model.row_of(cry.id), Column.MODIFIERS)
    assert index.flags() & Qt.ItemFlag.ItemIsEditable
    assert model.data(index, MODIFIER_CHOICES_ROLE) == [("mild", "1"), ("strong", "2")]
    assert model.data(index, EDIT) == []
    assert model.setData(index, ["strong", "mild"], EDIT)
    assert session.event(cry.id).modifiers == ("strong", "mild")
    assert model.data(index, DISPLAY) == "strong, mild"
    assert model.setData(index, "mild", EDIT)  # typed text, comma separated
    assert session.event(cry.id).modifiers == ("mild",)
    session.undo()  # each edit one step
    assert session.event(cry.id).modifiers == ("strong", "mild")
    errors: list[str] = []
    model.errorOccurred.connect(errors.append)
    assert not model.setData(index, ["loud"], EDIT)
    assert errors == [
        "Cannot change the modifiers of Cry at frame 20: 'loud' is not a modifier "
        "of Cry (mild, strong)"
    ]
    assert session.event(cry.id).modifiers == ("strong", "mild")
    fixed = model.index(model.row_of(reach.id), Column.MODIFIERS)
    assert not fixed.flags() & Qt.ItemFlag.ItemIsEditable  # reach has no modifiers
    assert model.data(fixed, MODIFIER_CHOICES_ROLE) == []


def test_the_selected_onset_or_offset_cell_names_the_boundary(coded, qtbot):
    session, bridge = coded
    table = EventTable(bridge)
    qtbot.addWidget(table)
    cry = next(e for e in session.events if e.behaviour == "cry")
    touch = session.open_state("touch")
    view = table.view
    table.select_event(cry.id)
    assert table.selected_boundary() is None  # the "#" cell
    for column, boundary in ((Column.ONSET, "onset"), (Column.OFFSET, "offset")):
        view.setCurrentIndex(table.model.index(table.model.row_of(cry.id), column))
        assert table.selected_boundary() == boundary
    table.select_event(touch.id)  # the column stays: an open state has no offset to move
    assert view.currentIndex().column() == Column.OFFSET
    assert table.selected_boundary() is None
    view.setCurrentIndex(table.model.index(table.model.row_of(touch.id), Column.ONSET))
    assert table.selected_boundary() == "onset"
    table.select_event(None)
    assert table.selected_boundary() is None


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
    index = table.model.index(table.model.row_of(cry.id), Column.BEHAVIOUR)
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
    row = table.model.row_of(latest.id)
    qtbot.waitUntil(lambda: view.rowAt(view.viewport().height() // 2) >= row - 10, timeout=2000)
    assert view.viewport().rect().contains(view.visualRect(table.model.index(row, 0)))
    assert table.selected_event_id() is None


class SignalLog:
    """The structural signals a model emits, as (kind, first row, last row)."""

    def __init__(self, model: EventTableModel) -> None:
        self.seen: list[tuple[str, int, int]] = []
        model.modelReset.connect(lambda: self.seen.append(("reset", -1, -1)))
        model.layoutChanged.connect(lambda *_: self.seen.append(("layout", -1, -1)))
        model.rowsInserted.connect(lambda _p, a, b: self.seen.append(("inserted", a, b)))
        model.rowsRemoved.connect(lambda _p, a, b: self.seen.append(("removed", a, b)))
        model.rowsMoved.connect(lambda *_: self.seen.append(("moved", -1, -1)))
        model.dataChanged.connect(
            lambda top, bottom, *_: self.seen.append(("changed", top.row(), bottom.row()))
        )

    def take(self) -> list[tuple[str, int, int]]:
        seen, self.seen = self.seen, []
        return seen


@pytest.fixture
def long_pass():
    """A pass of 600 points (every 5th frame of 3000) and a few states."""
    session, _ = make_session(timebase=TimeBase.constant(3000, 25))
    for frame in range(0, 3000, 5):
        session.point("reach" if frame % 2 else "vocal", frame)
    session.start("cry", 1002)
    session.stop("cry", 1100)
    return session, SessionBridge(session)


@pytest.mark.parametrize("order", [Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder])
def test_a_command_on_one_event_changes_only_its_rows(long_pass, order):
    session, bridge = long_pass
    model = EventTableModel(bridge)
    model.sort(Column.ONSET, order)
    log = SignalLog(model)
    added = session.point("reach", 1501)
    row = model.row_of(added.id)
    assert log.take() == [("inserted", row, row)]
    assert model.event_id_at(row) == added.id
    session.edit_event(added.id, comment="fussy")
    assert log.take() == [("changed", row, row)]
    # Moved past two other events: the three rows from its old place to its new one change,
    # and indexes held on them (selections) follow their events.
    held = {
        model.event_id_at(r): QPersistentModelIndex(model.index(r, Column.COMMENT))
        for r in range(row - 3, row + 4)
    }
    moved = session.edit_event(added.id, onset_frame=1512)
    new_row = model.row_of(moved.id)
    assert {i: index.row() for i, index in held.items()} == {i: model.row_of(i) for i in held}
    assert abs(new_row - row) == 2
    assert log.take() == [("changed", min(row, new_row), max(row, new_row))]
    assert model.data(model.index(new_row, Column.NUMBER)) == str(
        [e.id for e in session.events].index(moved.id) + 1
    )
    session.undo()
    assert log.take() == [("changed", min(row, new_row), max(row, new_row))]
    session.delete_event(added.id)
    assert log.take() == [("removed", row, row)]
    session.undo()
    assert log.take() == [("inserted", row, row)]
    shown = [e.id for e in session.events]
    assert listed(model) == (shown if order == Qt.SortOrder.AscendingOrder else shown[::-1])


def test_under_a_filter_an_edit_that_leaves_it_removes_one_row(long_pass):
    session, bridge = long_pass
    model = EventTableModel(bridge)
    model.set_filter("reach", None, "")
    log = SignalLog(model)
    reach = next(e for e in session.events if e.behaviour == "reach" and e.onset.frame > 2000)
    row = model.row_of(reach.id)
    session.edit_event(reach.id, behaviour="vocal")
    assert log.take() == [("removed", row, row)]
    assert model.row_of(reach.id) == -1
    session.undo()
    assert log.take() == [("inserted", row, row)]
    session.point("vocal", 2001)  # filtered out: the table says nothing
    assert log.take() == []
    assert all(model.event_at(r).behaviour == "reach" for r in range(model.rowCount()))


def expected_rows(session, column: Column, descending: bool, kept) -> list[int]:
    key = SORT_KEYS[column]
    rows = sorted((e for e in session.events if kept(e)), key=key)
    return [e.id for e in (rows[::-1] if descending else rows)]


def test_the_table_stays_the_session_through_random_commands_filters_and_sorts(
    long_pass, qtbot, qtmodeltester
):
    session, bridge = long_pass
    table = EventTable(bridge)
    qtbot.addWidget(table)
    model = table.model
    qtmodeltester.check(model)
    rnd = random.Random(11)
    codes = ["cry", "touch", "reach", "vocal", "look_cg", "look_obj", "look_away"]
    filters = [
        (None, None, ""),
        ("reach", None, ""),
        (None, "caregiver", ""),
        (None, None, "loud"),
        (None, None, "strong"),
        ("cry", "infant", ""),
    ]
    column, descending, chosen = Column.ONSET, False, filters[0]
    for step in range(300):
        if step % 50 == 0:
            column = rnd.choice(list(Column))
            descending = rnd.random() < 0.5
            order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
            table.view.sortByColumn(column, order)
            chosen = rnd.choice(filters)
            table.set_filter(*chosen)
        if table.selected_event_id() is None and model.rowCount():
            table.select_event(model.event_id_at(rnd.randrange(model.rowCount())))
        selected = table.selected_event_id()
        events = session.events
        roll = rnd.random()
        try:
            if roll < 0.3:
                session.toggle(rnd.choice(codes), rnd.randrange(3000))
            elif roll < 0.4:
                session.point(rnd.choice(["reach", "vocal"]), rnd.randrange(3000))
            elif roll < 0.5:  # often the selected event or one beside it
                ids = [e.id for e in events]
                near = ids.index(selected) if selected in ids and rnd.random() < 0.7 else None
                at = rnd.randrange(len(ids)) if near is None else near + rnd.randint(-2, 2)
                session.nudge(ids[max(0, min(at, len(ids) - 1))], "onset", rnd.randint(-30, 30))
            elif roll < 0.58:
                session.edit_event(rnd.choice(events).id, comment=rnd.choice(["", "Loud", "x"]))
            elif roll < 0.63:
                cries = [e for e in events if e.behaviour == "cry"]
                if cries:
                    session.edit_event(rnd.choice(cries).id, modifiers=["strong"])
            elif roll < 0.7:
                session.delete_event(rnd.choice(events).id)
            elif roll < 0.85 and session.can_undo:
                session.undo()
            elif session.can_redo:
                session.redo()
        except ValueError:
            pass
        behaviour, subject, text = chosen

        def kept(event, behaviour=behaviour, subject=subject, text=text) -> bool:
            return (
                (behaviour is None or event.behaviour == behaviour)
                and (subject is None or event.subject == subject)
                and (not text or model.matches_text(event, text))
            )

        assert listed(model) == expected_rows(session, column, descending, kept)
        ids = [e.id for e in session.events]
        for row in rnd.sample(range(model.rowCount()), min(5, model.rowCount())):
            event = model.event_at(row)
            assert model.row_of(event.id) == row
            assert model.data(model.index(row, Column.NUMBER)) == str(ids.index(event.id) + 1)
        # The selection stays on its event while it shows, whatever moved around it.
        if selected is not None:
            still = model.row_of(selected) >= 0
            assert table.selected_event_id() == (selected if still else None)


def test_a_large_batch_and_its_undo_reset_the_rows_once(long_pass):
    session, bridge = long_pass
    model = EventTableModel(bridge)
    model.sort(Column.BEHAVIOUR, Qt.SortOrder.DescendingOrder)
    model.set_filter(None, "caregiver", "")
    log = SignalLog(model)
    timebase = session.timebase
    stamps = [Stamp(f, timebase.pts_us(f)) for f in range(1, 3000, 20)]
    session.apply_batch(Batch(events=[Event("vocal", "", s, None, False) for s in stamps]))
    assert log.take() == [("reset", -1, -1)]
    caregiver = [e for e in session.events if e.subject == "caregiver"]
    assert listed(model) == [e.id for e in sorted(caregiver, key=SORT_KEYS[Column.BEHAVIOUR])][::-1]
    session.undo()
    assert log.take() == [("reset", -1, -1)]
    assert model.rowCount() == sum(e.subject == "caregiver" for e in session.events)
