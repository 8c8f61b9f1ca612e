"""Coding → Q-sort… from the coding window: the panel on the open pass, its keys durable and
undoable from there, closed with the pass."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from coder.coding.qsort import placements_in
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    WAIT_MS,
    demo_fixture,
    demo_template_fixture,
    open_and_show,
    prompts_fixture,
    settings_fixture,
    small_project,
    window_fixture,
)
from ui.window.qsort_window import QSortWindow


def test_the_qsort_opens_on_the_pass_and_its_keys_are_commands(qtbot, window, tmp_path) -> None:
    path = small_project(tmp_path / "q", "qsort_demo", seconds=1)
    open_and_show(qtbot, window, path)
    command = window.menus.commands["qsort"]
    assert command.isEnabled()
    command.trigger()
    shown = window.qsort.shown
    assert isinstance(shown, QSortWindow)
    qtbot.waitUntil(shown.panel.hasFocus, timeout=WAIT_MS)
    session = window.session
    qsort = session.scheme.qsorts[0]
    qtbot.keyClick(shown.panel, Qt.Key.Key_3)  # the first item into the third rough pile
    ratings_after_one = len(session.ratings)
    assert ratings_after_one == 1
    assert window.menus.undo.isEnabled()
    qtbot.keyClick(
        QApplication.focusWidget() or shown, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier
    )
    assert session.ratings == ()  # Ctrl+Z in the Q-sort window undid the placement
    assert placements_in(qsort, session.ratings) == {}
    window.close_project()
    assert window.qsort.shown is None
    assert not command.isEnabled()


def test_a_scheme_without_a_qsort_leaves_the_command_off(qtbot, window, demo) -> None:
    open_and_show(qtbot, window, demo)
    assert not window.menus.commands["qsort"].isEnabled()
