"""Editing by keyboard in the window: Go to a time or frame (Ctrl+G), every place checked
against the frame number burned into the picture."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QComboBox, QLineEdit

from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    Key,
    Mod,
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


def test_go_to_takes_a_time_or_a_frame(qtbot, window, demo, prompts) -> None:
    open_and_show(qtbot, window, demo)
    prompts.script("text", "0:01.5", "f50", "2,04", "1:75", "f9000", None)
    press(qtbot, window, Key.Key_G, Mod.ControlModifier)
    wait_frame(qtbot, window, 37)  # 1.5 s at 25 fps: frame 37 is on screen (1.48–1.52 s)
    press(qtbot, window, Key.Key_G, Mod.ControlModifier)
    wait_frame(qtbot, window, 50)
    assert prompts.asked_texts[-1][2] == "0:01.5"  # the last place is offered again
    press(qtbot, window, Key.Key_G, Mod.ControlModifier)
    wait_frame(qtbot, window, 51)
    assert shown_number(window) == 51
    press(qtbot, window, Key.Key_G, Mod.ControlModifier)
    assert window.status.message == (
        "Cannot go there: '1:75' is not a time: minutes and seconds run to 59"
    )
    press(qtbot, window, Key.Key_G, Mod.ControlModifier)
    assert "frame 9000 is not in this video (frames 0–99)" in window.status.message
    press(qtbot, window, Key.Key_G, Mod.ControlModifier)  # cancelled: nothing moves
    assert window.player.current_frame == 51


def _column(view, title: str) -> int:
    model = view.model()
    return next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == title
    )


def test_keys_typed_into_a_field_or_a_cell_editor_stay_there(qtbot, window, demo) -> None:
    open_and_show(qtbot, window, demo)
    press(qtbot, window, Key.Key_Right)
    wait_frame(qtbot, window, 1)
    press(qtbot, window, Key.Key_A)  # one event to edit
    speed = window.player.speed
    search = window.event_table.findChild(QLineEdit)
    search.setFocus()
    qtbot.waitUntil(search.hasFocus, timeout=5000)
    for key in (Key.Key_3, Key.Key_Space, Key.Key_Up, Key.Key_Down, Key.Key_Right, Key.Key_Q):
        qtbot.keyClick(search, key)
    assert search.text() == "3 q"
    assert window.player.speed == speed  # Up and Down did not change the speed
    assert window.player.current_frame == 1  # Right did not step, Space did not play
    assert not window.player.is_playing
    assert window.session.ratings == ()  # 3 did not rate
    assert [e.behaviour for e in window.session.events] == ["gaze_caregiver"]  # q did not code
    search.clear()

    view = window.event_table.findChild(QAbstractItemView)
    index = view.model().index(0, _column(view, "Behaviour"))
    view.setCurrentIndex(index)
    view.edit(index)
    editor = view.viewport().findChild(QComboBox)
    assert editor is not None
    qtbot.waitUntil(editor.hasFocus, timeout=5000)
    start = editor.currentIndex()
    qtbot.keyClick(editor, Key.Key_Down)  # the next behaviour in the drop-down
    assert editor.currentIndex() == start + 1
    assert window.player.speed == speed
    qtbot.keyClick(editor, Key.Key_Return)  # commits the edit, does not jump
    qtbot.waitUntil(lambda: window.session.events[0].behaviour != "gaze_caregiver", timeout=5000)
    assert window.player.current_frame == 1
