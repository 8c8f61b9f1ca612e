"""Key strings of the key table become Qt key sequences and actions."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence

from coder.keys import ACTIONS, default_keymap
from coder.timefmt import format_time
from ui.player.controls import format_speed
from ui.shortcuts import (
    ShortcutError,
    apply_keymap,
    key_sequence,
    key_text,
    make_action,
    make_actions,
    sheet_rows,
)


def test_every_default_key_is_a_key_qt_knows():
    for action in ACTIONS:
        for key in action.keys:
            sequence = key_sequence(key)
            assert sequence.count() == 1
            assert sequence[0].key() != Qt.Key.Key_unknown


@pytest.mark.parametrize(
    ("text", "key", "modifiers"),
    [
        ("Shift+Right", Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier),
        ("ctrl+left", Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier),
        ("PgUp", Qt.Key.Key_PageUp, Qt.KeyboardModifier.NoModifier),
        ("Escape", Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
        ("C", Qt.Key.Key_C, Qt.KeyboardModifier.ShiftModifier),
    ],
)
def test_key_strings_map_to_the_right_key_and_modifiers(text, key, modifiers):
    combination = key_sequence(text)[0]
    assert combination.key() == key
    assert combination.keyboardModifiers() == modifiers


@pytest.mark.parametrize("bad", ["", "Hyper+X", "NoSuchKey", "Ctrl+Banana"])
def test_unknown_keys_raise_a_clear_error(bad):
    with pytest.raises(ShortcutError, match="key"):
        key_sequence(bad)


def test_actions_carry_id_text_keys_and_auto_repeat(qtbot):
    owner = QObject()
    step = make_action("step_forward", owner)
    assert step.objectName() == "step_forward"
    assert step.data() == "step_forward"
    assert step.text() == "One frame forward"
    assert step.autoRepeat()
    assert step.shortcuts() == [QKeySequence("Right")]
    assert "Right" in step.toolTip()
    assert not make_action("play_pause", owner).autoRepeat()
    redo = make_action("redo", owner)
    assert len(redo.shortcuts()) == 2


def test_make_actions_selects_groups_and_applies_a_keymap(qtbot):
    owner = QObject()
    transport = make_actions(owner, groups=["transport"], keymap={"go_end": ["Ctrl+E"]})
    assert "undo" not in transport
    assert {"play_pause", "step_back", "replay", "speed_up", "go_start"} <= set(transport)
    assert transport["go_end"].shortcut() == QKeySequence("Ctrl+E")
    assert len(make_actions(owner)) == len(ACTIONS)


def test_apply_keymap_rebinds_and_rejects_bad_maps_without_changing_anything(qtbot):
    owner = QObject()
    actions = make_actions(owner, groups=["transport"])
    apply_keymap(actions, {"play_pause": ["P", "Space"], "undo": ["Ctrl+Z"]})
    assert actions["play_pause"].shortcuts() == [QKeySequence("Shift+P"), QKeySequence("Space")]
    with pytest.raises(ShortcutError, match="no_such_action"):
        apply_keymap(actions, {"no_such_action": ["F2"]})
    with pytest.raises(ShortcutError, match="Bogus"):
        apply_keymap(actions, {"step_back": ["F3"], "step_forward": ["Bogus+Q"]})
    assert actions["step_back"].shortcuts() == [QKeySequence("Left")]


def test_sheet_lists_every_action_with_its_keys(qtbot):
    rows = sheet_rows({"shortcut_sheet": ["F2"]})
    assert len(rows) == len(ACTIONS)
    by_action = {row.description: row for row in rows}
    assert by_action["Shortcut sheet"].keys == key_text(["F2"])
    assert by_action["Undo"].group == "edit"
    assert set(default_keymap()) == {a.id for a in ACTIONS}


def test_times_and_speeds_read_as_people_write_them():
    assert format_time(0) == "0:00:00.000"
    assert format_time(6_500_000) == "0:00:06.500"
    assert format_time(3_723_004_999) == "1:02:03.004"
    assert format_time(-1_500_000) == "-0:00:01.500"
    assert format_speed(0.25) == "0.25×"
    assert format_speed(1.0) == "1×"
