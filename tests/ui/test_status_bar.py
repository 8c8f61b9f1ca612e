"""The status bar tells the coder what happened: refusals in full, undo and redo by name, what an
opened pass holds, and no stale notes."""

from __future__ import annotations

import shutil

from PySide6.QtWidgets import QMainWindow

from coder.demo import DEMO_FOLDER
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    WAIT_MS,
    Key,
    Mod,
    demo_fixture,
    demo_template_fixture,
    open_and_show,
    press,
    prompts_fixture,
    settings_fixture,
    small_project,
    wait_frame,
    window_fixture,
)
from ui.app import open_demo
from ui.window.status import StatusPanel

LONG_REFUSAL = (
    "Cannot move the offset of Looks at object to frame 214: this would overlap Looks away "
    "from frame 163 to frame 227 in the same exclusive group"
)


def test_a_refusal_leaves_the_open_states_their_own_place(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    status = StatusPanel(window.statusBar())
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    status._open.setText("3 on: Positive affect (since 76), Looks at object (since…")
    status._pass.setText("Demo home visit · AB · in progress")
    status._saved.setText("Saved · 09:55:37 · 8 events")
    status.error(LONG_REFUSAL)
    qtbot.waitUntil(lambda: bool(status._message.text()), timeout=WAIT_MS)
    assert status._open.isVisible()  # what is on stays in view beside the refusal
    assert status.message == LONG_REFUSAL
    assert status.message_is_error
    status.clear_message()
    assert status.message == ""
    assert status._open.isVisible()


def test_a_refusal_too_long_for_the_bar_ends_in_dots_with_the_rest_in_its_tooltip(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    status = StatusPanel(window.statusBar())
    window.resize(500, 300)
    window.show()
    qtbot.waitExposed(window)
    status.error(LONG_REFUSAL)
    label = status._message
    qtbot.waitUntil(lambda: label.text().endswith("…"), timeout=WAIT_MS)
    assert label.toolTip() == LONG_REFUSAL
    assert status.message == LONG_REFUSAL


def test_a_refusal_shows_over_the_video_and_outlasts_the_next_command(qtbot, window, demo):
    open_and_show(qtbot, window, demo)
    press(qtbot, window, Key.Key_Delete)  # nothing selected
    assert window.status.message_is_error
    assert window.notice.isVisible()
    assert window.notice.text() == "Select an event in the table first."
    assert window.player.rect().contains(window.notice.geometry())
    press(qtbot, window, Key.Key_A)
    assert window.session.open_states[0].behaviour == "gaze_caregiver"
    assert window.status.message == "Select an event in the table first."  # not wiped unread
    assert window.status.open_states.startswith("On: Looks at caregiver")
    window.status.clear_message()
    press(qtbot, window, Key.Key_Right)
    wait_frame(qtbot, window, 1)
    press(qtbot, window, Key.Key_A)
    press(qtbot, window, Key.Key_Z, Mod.ControlModifier)
    assert window.status.message == "Undone: Stop Looks at caregiver"


def test_undo_and_redo_say_what_they_did(qtbot, window, demo):
    open_and_show(qtbot, window, demo)
    press(qtbot, window, Key.Key_A)
    press(qtbot, window, Key.Key_Z, Mod.ControlModifier)
    assert window.status.message == "Undone: Start Looks at caregiver"
    assert not window.status.message_is_error
    press(qtbot, window, Key.Key_Z, Mod.ControlModifier | Mod.ShiftModifier)
    assert window.status.message == "Redone: Start Looks at caregiver"


def test_an_opened_pass_says_its_events_are_on_disk(qtbot, window, demo, prompts):
    open_and_show(qtbot, window, demo)
    press(qtbot, window, Key.Key_Q)
    window.close_project()
    assert window.status.saved == ""
    open_and_show(qtbot, window, demo)
    assert window.status.saved == "On disk · 1 event"


def test_an_existing_demo_opens_without_a_first_start_note(
    qtbot, window, demo_template, tmp_path, monkeypatch
):
    shutil.copytree(demo_template, tmp_path / "data" / DEMO_FOLDER)
    notes: list[str] = []
    monkeypatch.setattr(window.status, "note", notes.append)
    assert open_demo(window, tmp_path / "data")
    assert not any("first start" in n for n in notes)
    assert "first start" not in window.status.message


def test_a_running_episode_is_named_as_the_scheme_names_it(qtbot, window, tmp_path):
    path = small_project(tmp_path / "ss", "strange_situation", seconds=2)
    open_and_show(qtbot, window, path)
    press(qtbot, window, Key.Key_BracketLeft)
    assert window.status.open_states == "On: episode 1 Introduction"


def test_messages_start_with_a_capital_letter(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    status = StatusPanel(window.statusBar())
    status.error("no state is on")
    assert status.message == "No state is on"
