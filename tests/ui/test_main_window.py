"""A coder's day on the real main window, by key presses: every code lands on the frame that was
on screen (read back from the pixels), is on disk at once, and is there after reopening."""

from __future__ import annotations

import pandas as pd
import pytest
from PySide6.QtWidgets import QApplication

from coder.model import CodingStatus
from coder.project import Project
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    WAIT_MS,
    Key,
    Mod,
    demo_fixture,
    demo_template_fixture,
    press,
    prompts_fixture,
    settings_fixture,
    shown_number,
    wait_frame,
    window_fixture,
)
from ui.events.model import Column
from ui.window.main_window import MainWindow


def on_screen(window: MainWindow) -> int:
    """The frame on screen: the player's index, checked against the burned-in number."""
    frame = window.player.current_frame
    assert shown_number(window) == frame
    return frame


def steps(qtbot, window: MainWindow, key: Key, count: int, modifier: Mod = Mod.NoModifier) -> int:
    start = window.player.current_frame
    for _ in range(count):
        press(qtbot, window, key, modifier)
    target = start + count * (1 if key == Key.Key_Right else -1)
    if modifier == Mod.ShiftModifier:
        target = start + (25 if key == Key.Key_Right else -25)
    wait_frame(qtbot, window, target)
    return target


def spans(events) -> dict[str, tuple[int, int | None]]:
    return {
        e.behaviour: (e.onset.frame, e.offset.frame if e.offset is not None else None)
        for e in events
    }


def test_coding_a_demo_pass_by_keys_lands_every_code_on_the_frame_on_screen(
    qtbot, window, demo, prompts
):
    assert window.open_project(demo)
    assert prompts.asked == ["who"]  # one observation: it opens without asking which
    wait_frame(qtbot, window, 0)
    session = window.session

    # step to a known frame and start a state
    f_look = steps(qtbot, window, Key.Key_Right, 4)
    press(qtbot, window, Key.Key_A)
    assert spans(session.events) == {"gaze_caregiver": (4, None)}
    assert window.status.saved.startswith("Saved · ")
    assert window.status.saved.endswith("· 1 event")

    # play, pause, and switch within the exclusive gaze group at the frame on screen
    press(qtbot, window, Key.Key_Space)
    qtbot.waitUntil(lambda: window.player.current_frame >= 30, timeout=WAIT_MS)
    press(qtbot, window, Key.Key_Space)
    qtbot.waitUntil(lambda: not window.player.is_playing, timeout=WAIT_MS)
    f_play = on_screen(window)
    press(qtbot, window, Key.Key_S)
    assert spans(session.events)["gaze_caregiver"] == (f_look, f_play)
    assert spans(session.events)["gaze_object"] == (f_play, None)
    assert session.undo_label == "Switch to Looks at object"

    # a point and a second state on the same frame
    f_cry = steps(qtbot, window, Key.Key_Right, 3)
    press(qtbot, window, Key.Key_Q)
    press(qtbot, window, Key.Key_Z)
    # one second back, the caregiver's touch starts
    f_touch = steps(qtbot, window, Key.Key_Left, 1, Mod.ShiftModifier)
    assert f_touch == f_cry - 25 == on_screen(window)
    press(qtbot, window, Key.Key_T)

    # ratings from the main row and the keypad; Tab selects the next scale
    press(qtbot, window, Key.Key_7)
    press(qtbot, window, Key.Key_Tab)
    press(qtbot, window, Key.Key_5, Mod.KeypadModifier)
    assert {(r.scale, r.value) for r in session.ratings} == {
        ("sensitivity", 7),
        ("cooperation", 5),
    }

    # undo and redo, with the command named in the Edit menu
    assert window.menus.undo.text().startswith("&Undo Rate Cooperation")
    press(qtbot, window, Key.Key_Z, Mod.ControlModifier)
    assert {r.scale for r in session.ratings} == {"sensitivity"}
    assert window.menus.redo.text().startswith("&Redo Rate Cooperation")
    press(qtbot, window, Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier)
    assert {r.scale for r in session.ratings} == {"sensitivity", "cooperation"}
    press(qtbot, window, Key.Key_G)
    assert "cg_gaze" in spans(session.events)
    press(qtbot, window, Key.Key_Z, Mod.ControlModifier)
    assert "cg_gaze" not in spans(session.events)
    press(qtbot, window, Key.Key_Y, Mod.ControlModifier)
    assert spans(session.events)["cg_gaze"] == (f_touch, None)
    press(qtbot, window, Key.Key_Z, Mod.ControlModifier)

    # PageDown jumps to the next event and selects it; Alt+Right/Left nudge its onset
    press(qtbot, window, Key.Key_PageDown)
    wait_frame(qtbot, window, f_play)
    table = window.event_table
    assert session.event(table.selected_event_id()).behaviour == "gaze_object"
    press(qtbot, window, Key.Key_Right, Mod.AltModifier)
    press(qtbot, window, Key.Key_Right, Mod.AltModifier)
    press(qtbot, window, Key.Key_Left, Mod.AltModifier)
    wait_frame(qtbot, window, f_play + 1)
    assert spans(session.events)["gaze_object"] == (f_play + 1, None)

    # PageUp to the touch; Delete deletes it, and undo brings it back
    press(qtbot, window, Key.Key_PageUp)
    wait_frame(qtbot, window, f_touch)
    touch_id = table.selected_event_id()
    assert session.event(touch_id).behaviour == "cg_touch"
    press(qtbot, window, Key.Key_Delete)
    assert "cg_touch" not in spans(session.events)
    press(qtbot, window, Key.Key_Z, Mod.ControlModifier)
    assert spans(session.events)["cg_touch"] == (f_touch, None)

    # edit the cry's comment in the table: F2, type, Enter
    press(qtbot, window, Key.Key_PageDown)
    press(qtbot, window, Key.Key_PageDown)
    wait_frame(qtbot, window, f_cry)
    cry_id = table.selected_event_id()
    assert session.event(cry_id).behaviour == "cry"
    view = table.view
    view.setFocus()
    view.setCurrentIndex(view.currentIndex().siblingAtColumn(Column.COMMENT))
    qtbot.keyClick(view, Key.Key_F2)
    editor = QApplication.focusWidget()
    assert editor is not view
    qtbot.keyClicks(editor, "mild at first")
    qtbot.keyClick(editor, Key.Key_Return)
    qtbot.waitUntil(lambda: session.event(cry_id).comment == "mild at first", timeout=WAIT_MS)

    # Escape stops every open state at the frame on screen, after asking
    f_stop = steps(qtbot, window, Key.Key_Right, 2)
    press(qtbot, window, Key.Key_Escape)
    assert prompts.confirms[-1][0] == "Stop all states"
    assert not session.open_states
    assert spans(session.events)["affect_positive"] == (f_cry, f_stop)

    # marking done is refused while a state is open, and offered at the frame on screen
    press(qtbot, window, Key.Key_G)
    f_done = steps(qtbot, window, Key.Key_Right, 1)
    window.menus.commands["mark_done"].trigger()
    assert "Caregiver looks at infant" in prompts.confirms[-1][1]
    assert f"frame {f_done}" in prompts.confirms[-1][1]
    assert session.status is CodingStatus.DONE

    expected = {
        "gaze_caregiver": (f_look, f_play),
        "gaze_object": (f_play + 1, f_stop),
        "cry": (f_cry, None),
        "affect_positive": (f_cry, f_stop),
        "cg_touch": (f_touch, f_stop),
        "cg_gaze": (f_stop, f_done),
    }
    assert spans(session.events) == expected

    # on disk before the window closes (another reader sees it), and after
    with Project.open(demo) as reader:
        assert _stored_spans(reader) == expected
    window.close()
    with Project.open(demo) as project:
        assert _stored_spans(project) == expected
        (info,) = project.codings()
        assert info.status is CodingStatus.DONE
        assert info.coder.initials == "AB"
        ratings = project.ratings_frame()
        assert dict(zip(ratings["scale"], ratings["value"], strict=True)) == {
            "sensitivity": 7.0,
            "cooperation": 5.0,
        }
        comments = project.events_frame().set_index("behaviour")["comment"]
        assert comments["cry"] == "mild at first"


def _stored_spans(project: Project) -> dict[str, tuple[int, int | None]]:
    frame = project.events_frame()
    return {
        row.behaviour: (
            int(row.onset_frame),
            None if pd.isna(row.offset_frame) else int(row.offset_frame),
        )
        for row in frame.itertuples()
    }


@pytest.mark.parametrize("modifier", [Mod.NoModifier, Mod.KeypadModifier])
def test_digits_of_main_row_and_keypad_rate_the_selected_scale(qtbot, window, demo, modifier):
    assert window.open_project(demo)
    wait_frame(qtbot, window, 0)
    press(qtbot, window, Key.Key_Tab)
    press(qtbot, window, Key.Key_Tab)
    press(qtbot, window, Key.Key_3, modifier)
    assert [(r.scale, r.value) for r in window.session.ratings] == [("acceptance", 3.0)]
    press(qtbot, window, Key.Key_Tab, Mod.ShiftModifier)
    press(qtbot, window, Key.Key_0, modifier)  # not on the 1–9 scale: refused, nothing changes
    assert [(r.scale, r.value) for r in window.session.ratings] == [("acceptance", 3.0)]
    assert "0" in window.status.message
