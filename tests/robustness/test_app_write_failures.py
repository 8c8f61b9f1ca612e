"""A write that fails is seen at once in the app: a dialog says what failed and what to do, the
status bar says NOT SAVED until a write succeeds again, and nothing of the refused command is
on screen or on disk.

The failures are SQLite's own, made on the open project's connection (the tests run as any
user, root included, who could write a file whatever its mode): ``PRAGMA query_only`` makes
every write fail as a read-only file does ("attempt to write a readonly database"), and
``PRAGMA max_page_count`` at the file's present size makes it fail as a full disk does
("database or disk is full").
"""

from __future__ import annotations

import sqlite3
from typing import Any

from coder.project import NotSavedError, Project
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    WAIT_MS,
    Key,
    demo_fixture,
    demo_template_fixture,
    open_and_show,
    press,
    prompts_fixture,
    settings_fixture,
    window_fixture,
)
from ui.window.status import NOT_SAVED


def connection(window: Any) -> sqlite3.Connection:
    conn = window.project.store._conn
    assert isinstance(conn, sqlite3.Connection)
    return conn


def on_disk(path: Any) -> int:
    with Project.open(path, read_only=True) as project:
        return sum(project.event_counts().values())


def test_a_read_only_file_refuses_the_key_with_a_dialog_and_not_saved(
    qtbot, window, prompts, demo
) -> None:
    open_and_show(qtbot, window, demo)
    press(qtbot, window, Key.Key_Q)  # a point: saved
    assert len(window.session.events) == 1
    connection(window).execute("PRAGMA query_only = ON")

    press(qtbot, window, Key.Key_Right)
    qtbot.waitUntil(lambda: window.player.current_frame == 1, timeout=WAIT_MS)
    press(qtbot, window, Key.Key_Q)

    assert len(window.session.events) == 1  # not applied in memory
    assert window.status.saved == NOT_SAVED
    title, text = prompts.errors[-1]
    assert title == "Not saved"
    assert "read-only" in text
    assert "Nothing of this action was applied" in text
    assert "copy it to a writable folder" in text
    press(qtbot, window, Key.Key_W)  # still failing: the bar stays, no second dialog
    assert window.status.saved == NOT_SAVED
    assert [t for t, _ in prompts.errors].count("Not saved") == 1

    connection(window).execute("PRAGMA query_only = OFF")
    press(qtbot, window, Key.Key_Q)
    assert len(window.session.events) == 2
    assert window.status.saved.startswith("Saved")
    window.close_project()
    assert on_disk(demo) == 2


def test_a_full_disk_refuses_the_key_and_screen_and_file_agree(
    qtbot, window, prompts, demo
) -> None:
    open_and_show(qtbot, window, demo)
    conn = connection(window)
    pages = conn.execute("PRAGMA page_count").fetchone()[0]
    conn.execute(f"PRAGMA max_page_count = {pages}")
    session = window.session
    for i in range(3000):  # fill the free room: a write then needs a page it cannot have
        try:
            session.point("cry", i % 100)
        except NotSavedError:
            break
    assert window.status.not_saved
    kept = len(session.events)
    press(qtbot, window, Key.Key_Q)
    assert len(session.events) == kept
    title, text = prompts.errors[-1]
    assert title == "Not saved"
    assert "disk is full" in text
    assert "Free some space" in text
    assert "cannot rollback" not in text

    conn.execute("PRAGMA max_page_count = 1073741823")
    press(qtbot, window, Key.Key_W)
    assert len(session.events) == kept + 1
    assert not window.status.not_saved
    window.close_project()
    assert on_disk(demo) == kept + 1
