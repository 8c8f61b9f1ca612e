"""The modifier picker, by key presses as a coder meets it: keys go to the widget that has the
focus, as on a real keyboard, and every stamp is checked against the picture's frame number."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication, QLabel

from coder.project import Project
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    WAIT_MS,
    Key,
    demo_fixture,
    demo_template_fixture,
    open_and_show,
    prompts_fixture,
    settings_fixture,
    shown_number,
    wait_frame,
    window_fixture,
)
from ui.dialogs.shortcut_sheet import sheet_html
from ui.window.modifier_flow import PAUSE_FOR_MODIFIERS


def type_key(qtbot, window, key) -> None:
    """A key as the keyboard sends it: to the focused widget (the window when none has it)."""
    qtbot.keyClick(QApplication.focusWidget() or window, key)


def step_to(qtbot, window, frame: int) -> None:
    while (here := window.player.current_frame) < frame:
        type_key(qtbot, window, Key.Key_Right)
        wait_frame(qtbot, window, here + 1)


def coded(window) -> list[tuple[str, int, tuple[str, ...]]]:
    return [(e.behaviour, e.onset.frame, e.modifiers) for e in window.session.events]


def test_a_digit_chooses_the_modifier_of_the_point_just_coded(qtbot, window, demo) -> None:
    open_and_show(qtbot, window, demo)
    picker = window.modifiers.picker
    step_to(qtbot, window, 5)
    type_key(qtbot, window, Key.Key_Q)  # cry: mild or strong?
    qtbot.waitUntil(picker.isVisible, timeout=WAIT_MS)
    assert "Cry / distress" in picker.findChild(QLabel, "modifier_title").text()
    assert coded(window) == [("cry", shown_number(window), ())]  # on disk before the choice
    type_key(qtbot, window, Key.Key_2)
    assert not picker.isVisible()
    assert coded(window) == [("cry", 5, ("strong",))]
    assert window.session.ratings == ()  # the digit chose, it did not rate
    type_key(qtbot, window, Key.Key_1)  # the picker is gone: digits rate again
    assert len(window.session.ratings) == 1
    with Project.open(demo, read_only=True) as project:
        (record,) = project.load_passes(project.passes())
        assert [(e.onset.frame, e.modifiers) for e in record.events] == [(5, ("strong",))]


def test_enter_says_none_and_other_keys_go_on_working(qtbot, window, demo) -> None:
    open_and_show(qtbot, window, demo)
    picker = window.modifiers.picker
    step_to(qtbot, window, 3)
    type_key(qtbot, window, Key.Key_Q)
    qtbot.waitUntil(picker.isVisible, timeout=WAIT_MS)
    type_key(qtbot, window, Key.Key_Right)  # stepping still works while it asks
    wait_frame(qtbot, window, 4)
    assert picker.isVisible()
    type_key(qtbot, window, Key.Key_Return)
    assert not picker.isVisible()
    assert coded(window) == [("cry", 3, ())]
    type_key(qtbot, window, Key.Key_T)  # caregiver touch: four modifiers
    qtbot.waitUntil(picker.isVisible, timeout=WAIT_MS)
    type_key(qtbot, window, Key.Key_W)  # another behaviour: the coder moved on
    assert coded(window) == [("cry", 3, ()), ("cg_touch", 4, ()), ("fuss", 4, ())]
    assert not picker.isVisible()
    type_key(qtbot, window, Key.Key_T)  # stops touch: asked as it starts only
    assert not picker.isVisible()


def test_an_undo_closes_the_picker_and_a_choice_is_one_undo_step(qtbot, window, demo) -> None:
    open_and_show(qtbot, window, demo)
    picker = window.modifiers.picker
    step_to(qtbot, window, 2)
    type_key(qtbot, window, Key.Key_Q)
    qtbot.waitUntil(picker.isVisible, timeout=WAIT_MS)
    type_key(qtbot, window, Key.Key_1)
    assert coded(window) == [("cry", 2, ("mild",))]
    window.keys.undo()
    assert coded(window) == [("cry", 2, ())]
    assert not picker.isVisible()  # an undo asks nothing
    type_key(qtbot, window, Key.Key_Q)
    qtbot.waitUntil(picker.isVisible, timeout=WAIT_MS)
    window.keys.undo()
    assert not picker.isVisible()
    assert coded(window) == [("cry", 2, ())]


def test_pause_while_choosing_pauses_and_plays_on(qtbot, window, demo, settings) -> None:
    settings.set_flag(PAUSE_FOR_MODIFIERS, True)
    open_and_show(qtbot, window, demo)
    picker = window.modifiers.picker
    window.player.play()
    qtbot.waitUntil(lambda: window.player.current_frame >= 3, timeout=WAIT_MS)
    type_key(qtbot, window, Key.Key_Q)
    qtbot.waitUntil(picker.isVisible, timeout=WAIT_MS)
    assert not window.player.is_playing
    (cry,) = window.session.events
    type_key(qtbot, window, Key.Key_2)
    assert window.player.is_playing
    window.player.pause()
    assert window.session.event(cry.id).modifiers == ("strong",)


def test_the_shortcut_sheet_lists_the_modifier_keys(window, demo) -> None:
    with Project.open(demo, read_only=True) as project:
        scheme = project.scheme
    sheet = sheet_html(window.settings.keymap, scheme)
    assert "then <b>1</b> mild · <b>2</b> strong · <b>Enter</b> none" in sheet
