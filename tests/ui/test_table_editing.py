"""Editing in the event table by keyboard and mouse, as a coder does it in the window: F2 and
double-click edit a cell, Enter seeks to the row's event, the row's context menu edits,
comments, seeks and deletes, the Modifiers cell is a checklist, and Alt+Left/Right move the
boundary of the selected Onset or Offset cell. Keys go to the focused widget, as on a keyboard,
and every stamp is checked against the frame number burned into the picture."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMenu

from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    WAIT_MS,
    Key,
    Mod,
    demo_fixture,
    demo_template_fixture,
    open_and_show,
    prompts_fixture,
    settings_fixture,
    shown_number,
    wait_frame,
    window_fixture,
)
from ui.dialogs.shortcut_sheet import ShortcutSheet
from ui.events.editing import ModifiersEditor
from ui.events.model import Column


def type_key(qtbot, window, key, modifier=Mod.NoModifier) -> None:
    """A key as the keyboard sends it: to the focused widget (the window when none has it)."""
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)


def step_to(qtbot, window, frame: int) -> None:
    """Step with Right (or Left) until ``frame`` is on screen."""
    while window.player.current_frame != frame:
        key = Key.Key_Right if window.player.current_frame < frame else Key.Key_Left
        expected = window.player.current_frame + (1 if key == Key.Key_Right else -1)
        type_key(qtbot, window, key)
        wait_frame(qtbot, window, expected)


def code(qtbot, window, key) -> int:
    """Press a behaviour key; returns the frame on screen it was stamped with (read from the
    picture)."""
    frame = shown_number(window)
    type_key(qtbot, window, key)
    return frame


def cell(window, event_id: int, column: int) -> QModelIndex:
    model = window.event_table.model
    return model.index(model.row_of(event_id), column)


def click_cell(qtbot, window, event_id: int, column: int, double: bool = False) -> None:
    view = window.event_table.view
    index = cell(window, event_id, column)
    view.scrollTo(index)  # as the coder scrolls the table to the cell
    centre = view.visualRect(index).center()
    assert view.viewport().rect().contains(centre)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    if double:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)


def use_menu(qtbot, window, letter: Key, event_id: int | None = None, column: int = 0) -> list:
    """Open the row menu, by a right-click on a cell or (``event_id`` None) by the Menu key on
    the focused table, and choose an entry by its underlined letter; returns the entries."""
    seen: list[list[str]] = []

    def choose(tries: int = 50) -> None:
        popup = QApplication.activePopupWidget()
        if not isinstance(popup, QMenu):
            if tries:
                QTimer.singleShot(20, lambda: choose(tries - 1))
            return
        seen.append([a.text() for a in popup.actions() if not a.isSeparator()])
        qtbot.keyClick(popup, letter)

    QTimer.singleShot(0, choose)
    view = window.event_table.view
    if event_id is None:
        focus = QApplication.focusWidget()
        assert focus is view
        reason, pos, target = QContextMenuEvent.Reason.Keyboard, QPoint(0, 0), view
    else:
        index = cell(window, event_id, column)
        view.scrollTo(index)
        pos = view.visualRect(index).center()
        reason, target = QContextMenuEvent.Reason.Mouse, view.viewport()
    QApplication.sendEvent(target, QContextMenuEvent(reason, pos, target.mapToGlobal(pos)))
    assert seen, "no menu was shown"
    # The window is active again once the menu has gone (offscreen, nothing does it for us).
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    return seen[0]


def editor(qtbot, kind: type):
    qtbot.waitUntil(lambda: isinstance(QApplication.focusWidget(), kind), timeout=WAIT_MS)
    return QApplication.focusWidget()


def test_f2_and_double_click_edit_and_enter_seeks(qtbot, window, demo) -> None:
    open_and_show(qtbot, window, demo)
    session = window.session
    step_to(qtbot, window, 3)
    assert code(qtbot, window, Key.Key_G) == 3
    step_to(qtbot, window, 12)
    code(qtbot, window, Key.Key_G)
    step_to(qtbot, window, 20)
    assert code(qtbot, window, Key.Key_F) == 20
    gaze = session.events[0].id
    respond = session.events[1].id
    assert (session.event(gaze).onset.frame, session.event(gaze).offset.frame) == (3, 12)
    table = window.event_table

    click_cell(qtbot, window, gaze, Column.ONSET)
    assert QApplication.focusWidget() is table.view
    assert table.selected_event_id() == gaze
    type_key(qtbot, window, Key.Key_F2)
    field = editor(qtbot, QLineEdit)
    assert field.text() == "3"
    qtbot.keyClicks(field, "5")
    type_key(qtbot, window, Key.Key_Return)  # keeps the text; does not seek
    qtbot.waitUntil(lambda: session.event(gaze).onset.frame == 5, timeout=WAIT_MS)
    assert window.player.current_frame == 20
    assert QApplication.focusWidget() is table.view
    type_key(qtbot, window, Key.Key_Return)  # no editor open: seeks to the row's event
    wait_frame(qtbot, window, 5)
    assert session.event(gaze).onset.frame == shown_number(window)

    click_cell(qtbot, window, respond, Column.COMMENT, double=True)
    field = editor(qtbot, QLineEdit)
    qtbot.keyClicks(field, "turns to her")
    type_key(qtbot, window, Key.Key_Return)
    qtbot.waitUntil(lambda: session.event(respond).comment == "turns to her", timeout=WAIT_MS)
    assert window.player.current_frame == 5  # editing did not move the playhead

    click_cell(qtbot, window, respond, Column.DURATION, double=True)  # cannot be edited: seeks
    wait_frame(qtbot, window, 20)
    assert session.event(respond).onset.frame == shown_number(window)

    click_cell(qtbot, window, gaze, Column.NUMBER)
    type_key(qtbot, window, Key.Key_F2)  # "#" cannot be edited: the behaviour can
    combo = editor(qtbot, QComboBox)
    assert combo.currentData() == "cg_gaze"
    type_key(qtbot, window, Key.Key_Escape)  # leaves the editor, changes nothing
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table.view, timeout=WAIT_MS)
    assert session.event(gaze).behaviour == "cg_gaze"
    assert len(session.events) == 2  # Escape in the cell stopped nothing either


def test_the_row_menu_edits_comments_seeks_and_deletes(qtbot, window, demo) -> None:
    open_and_show(qtbot, window, demo)
    session = window.session
    step_to(qtbot, window, 3)
    code(qtbot, window, Key.Key_G)
    step_to(qtbot, window, 12)
    code(qtbot, window, Key.Key_G)
    step_to(qtbot, window, 20)
    code(qtbot, window, Key.Key_F)
    gaze, respond = (e.id for e in session.events)
    table = window.event_table

    click_cell(qtbot, window, gaze, Column.OFFSET)
    entries = use_menu(qtbot, window, Key.Key_S)  # the Menu key: the selected row's menu
    assert entries == [
        "&Edit offset\tF2",
        "&Comment…",
        "&Seek to its onset\tReturn",
        "&Delete\tDel",
    ]
    wait_frame(qtbot, window, 3)
    assert session.event(gaze).onset.frame == shown_number(window)

    entries = use_menu(qtbot, window, Key.Key_C, respond, Column.BEHAVIOUR)
    assert entries[0] == "&Edit behaviour\tF2"
    assert table.selected_event_id() == respond  # the right-click selected its row
    field = editor(qtbot, QLineEdit)
    qtbot.keyClicks(field, "late")
    type_key(qtbot, window, Key.Key_Return)
    qtbot.waitUntil(lambda: session.event(respond).comment == "late", timeout=WAIT_MS)

    entries = use_menu(qtbot, window, Key.Key_E, gaze, Column.ONSET)
    assert entries[0] == "&Edit onset\tF2"
    field = editor(qtbot, QLineEdit)
    assert field.text() == "3"
    qtbot.keyClicks(field, "2")
    type_key(qtbot, window, Key.Key_Return)
    qtbot.waitUntil(lambda: session.event(gaze).onset.frame == 2, timeout=WAIT_MS)

    entries = use_menu(qtbot, window, Key.Key_E, gaze, Column.SUBJECT)
    assert entries[0] == "&Edit behaviour\tF2"  # Subject cannot be edited: the behaviour can
    editor(qtbot, QComboBox)
    type_key(qtbot, window, Key.Key_Escape)

    use_menu(qtbot, window, Key.Key_D, respond, Column.NUMBER)
    assert [e.behaviour for e in session.events] == ["cg_gaze"]
    type_key(qtbot, window, Key.Key_Z, Mod.ControlModifier)
    assert [(e.behaviour, e.onset.frame, e.comment) for e in session.events] == [
        ("cg_gaze", 2, ""),
        ("cg_respond", 20, "late"),
    ]
    assert window.player.current_frame == 3


def test_the_modifiers_cell_is_a_checklist_of_the_behaviours_modifiers(qtbot, window, demo):
    open_and_show(qtbot, window, demo)
    session = window.session
    picker = window.modifiers.picker
    step_to(qtbot, window, 4)
    assert code(qtbot, window, Key.Key_Q) == 4  # cry: mild or strong?
    qtbot.waitUntil(picker.isVisible, timeout=WAIT_MS)
    type_key(qtbot, window, Key.Key_Return)  # none for now
    step_to(qtbot, window, 6)
    code(qtbot, window, Key.Key_G)
    cry, gaze = (e.id for e in session.events)
    assert session.event(cry).modifiers == ()
    speed = window.player.speed
    table = window.event_table

    click_cell(qtbot, window, cry, Column.MODIFIERS)
    type_key(qtbot, window, Key.Key_F2)
    checklist = editor(qtbot, ModifiersEditor)
    assert [checklist.item(i).text() for i in range(checklist.count())] == [
        "1  mild",
        "2  strong",
    ]
    # The modifier keys tick and untick; digits do not rate, Space does not play.
    for key in (Key.Key_2, Key.Key_1, Key.Key_1, Key.Key_Down, Key.Key_Up):
        type_key(qtbot, window, key)
    assert checklist.chosen() == ("strong",)
    type_key(qtbot, window, Key.Key_Return)
    qtbot.waitUntil(lambda: session.event(cry).modifiers == ("strong",), timeout=WAIT_MS)
    assert session.ratings == ()
    assert window.player.speed == speed
    assert window.player.current_frame == 6  # Return kept the ticks; it did not seek
    assert table.model.data(cell(window, cry, Column.MODIFIERS)) == "strong"
    assert session.event(cry).onset.frame == 4

    type_key(qtbot, window, Key.Key_Z, Mod.ControlModifier)  # one undo step
    assert session.event(cry).modifiers == ()
    type_key(qtbot, window, Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier)
    assert session.event(cry).modifiers == ("strong",)

    type_key(qtbot, window, Key.Key_F2)
    checklist = editor(qtbot, ModifiersEditor)
    assert checklist.chosen() == ("strong",)
    checklist.setCurrentRow(0)
    type_key(qtbot, window, Key.Key_Space)  # Space ticks the current one
    assert not window.player.is_playing
    type_key(qtbot, window, Key.Key_Return)
    qtbot.waitUntil(lambda: session.event(cry).modifiers == ("mild", "strong"), timeout=WAIT_MS)

    type_key(qtbot, window, Key.Key_F2)
    editor(qtbot, ModifiersEditor)
    type_key(qtbot, window, Key.Key_2)
    type_key(qtbot, window, Key.Key_Escape)  # leaves the event as it was
    qtbot.waitUntil(lambda: QApplication.focusWidget() is table.view, timeout=WAIT_MS)
    assert session.event(cry).modifiers == ("mild", "strong")

    click_cell(qtbot, window, gaze, Column.MODIFIERS)  # a behaviour without modifiers
    assert not cell(window, gaze, Column.MODIFIERS).flags() & Qt.ItemFlag.ItemIsEditable
    type_key(qtbot, window, Key.Key_F2)
    editor(qtbot, QComboBox)  # its behaviour is edited instead
    type_key(qtbot, window, Key.Key_Escape)


def test_alt_arrows_move_the_boundary_of_the_selected_cell(qtbot, window, demo) -> None:
    open_and_show(qtbot, window, demo)
    session = window.session
    step_to(qtbot, window, 3)
    code(qtbot, window, Key.Key_G)
    step_to(qtbot, window, 12)
    code(qtbot, window, Key.Key_G)
    gaze = session.events[0].id
    table = window.event_table

    def span() -> tuple[int, int]:
        event = session.event(gaze)
        assert event.offset is not None
        return event.onset.frame, event.offset.frame

    step_to(qtbot, window, 4)  # the playhead by the onset, the Offset cell selected
    click_cell(qtbot, window, gaze, Column.OFFSET)
    assert table.selected_boundary() == "offset"
    type_key(qtbot, window, Key.Key_Right, Mod.AltModifier)
    wait_frame(qtbot, window, 13)  # the player shows the moved offset
    assert span() == (3, shown_number(window))
    type_key(qtbot, window, Key.Key_Right, Mod.AltModifier)
    wait_frame(qtbot, window, 14)
    type_key(qtbot, window, Key.Key_Left, Mod.AltModifier)
    wait_frame(qtbot, window, 13)
    assert span() == (3, shown_number(window))

    click_cell(qtbot, window, gaze, Column.ONSET)  # the playhead by the offset now
    assert table.selected_boundary() == "onset"
    type_key(qtbot, window, Key.Key_Left, Mod.AltModifier)
    wait_frame(qtbot, window, 2)
    assert span() == (shown_number(window), 13)
    type_key(qtbot, window, Key.Key_Right, Mod.AltModifier)
    type_key(qtbot, window, Key.Key_Right, Mod.AltModifier)
    wait_frame(qtbot, window, 4)
    assert span() == (shown_number(window), 13)

    # An editor open on the cell is closed unwritten: its stale text must not undo the nudge.
    type_key(qtbot, window, Key.Key_F2)
    qtbot.keyClicks(editor(qtbot, QLineEdit), "9")
    type_key(qtbot, window, Key.Key_Right, Mod.AltModifier)
    wait_frame(qtbot, window, 5)
    assert span() == (shown_number(window), 13)
    assert not isinstance(QApplication.focusWidget(), QLineEdit)

    # Another cell of the row: the boundary nearest the playhead, as before.
    step_to(qtbot, window, 11)
    click_cell(qtbot, window, gaze, Column.BEHAVIOUR)
    assert table.selected_boundary() is None
    type_key(qtbot, window, Key.Key_Right, Mod.AltModifier)
    wait_frame(qtbot, window, 14)
    assert span() == (5, shown_number(window))
    undo_steps = 0
    while span() != (3, 12):
        type_key(qtbot, window, Key.Key_Z, Mod.ControlModifier)
        undo_steps += 1
    assert undo_steps == 8  # each of the eight nudges was one undo step


def test_the_shortcut_sheet_lists_the_table_keys(qtbot, window, demo) -> None:
    open_and_show(qtbot, window, demo)
    type_key(qtbot, window, Key.Key_F1)
    sheet = window.findChild(ShortcutSheet)
    qtbot.waitUntil(lambda: sheet is not None and sheet.isVisible(), timeout=WAIT_MS)
    text = sheet.text()
    for line in (
        "In the event table",
        "F2, double-click\nEdit the cell",
        "Right-click, Menu\nThe row's menu: Edit, Comment…, Seek, Delete",
        "With an Onset or Offset cell selected: move that boundary one frame",
        "Modifiers cell: F2\nA checklist of the behaviour's modifiers",
        "Seek to the selected event's onset",
    ):
        assert line in text
