"""A lab server that goes away while a coder works is told in the app at once: the status bar
says NOT SAVED and one dialog says the server cannot be reached; the refused key is not applied,
and the first action saved after the server is back clears the bar."""

from __future__ import annotations

import time

import psycopg
import pytest
from PySide6.QtWidgets import QMainWindow

from coder.project import NotSavedError
from coder.store.postgres import address
from tests.server.cluster import Cluster
from tests.server.test_many_coders import own_server  # noqa: F401 (fixture)
from tests.test_project_support import project_with_observation
from tests.ui.test_main_window_support import ScriptedPrompts
from ui.window.save_watch import SaveWatch
from ui.window.status import NOT_SAVED, StatusPanel


def test_an_outage_is_shown_at_once_in_the_status_bar_and_one_dialog(
    qtbot,
    own_server: Cluster,  # noqa: F811
) -> None:
    with psycopg.connect(own_server.url, autocommit=True) as admin:
        admin.execute("CREATE DATABASE app_outage")
    url = address.with_database(own_server.url, "app_outage")
    project, obs_id = project_with_observation(url)
    window = QMainWindow()
    qtbot.addWidget(window)
    status = StatusPanel(window.statusBar())
    prompts = ScriptedPrompts()
    saves = SaveWatch(window, status, lambda: prompts)
    saves.watch(project)
    session = project.start_coding(obs_id, "AB")
    session.point("reach", 1)
    assert status.saved != NOT_SAVED
    assert project.last_save_failed is None

    own_server.stop("fast")
    started = time.monotonic()
    with pytest.raises(NotSavedError, match="lab server"):
        session.point("reach", 2)
    assert time.monotonic() - started < 6  # told at once, not after a long wait
    assert status.saved == NOT_SAVED
    assert "lab server" in status.message
    assert [title for title, _ in prompts.errors] == ["Not saved"]
    assert "lab server" in prompts.errors[0][1]
    assert "Nothing of this action was applied" in prompts.errors[0][1]
    with pytest.raises(NotSavedError):
        session.point("reach", 3)
    assert len(prompts.errors) == 1  # still failing: the bar stays, no second dialog
    assert [e.onset.frame for e in session.events] == [1]

    own_server.start()
    session.point("reach", 4)
    assert status.saved != NOT_SAVED
    assert project.last_save_failed is None
    saves.unwatch()
    project.close()
