"""File → Import… opened over the app's real main window: ``open_import(window)`` is all the
File menu needs to call."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import Qt

from tests.interop.support import clip
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    ScriptedPrompts,
    prompts_fixture,
    settings_fixture,
    window_fixture,
)
from ui.interop import open_import
from ui.window.main_window import MainWindow

DATA = Path(__file__).resolve().parents[1] / "data" / "interop"
WAIT_MS = 15_000


def test_import_from_the_window_then_open_the_new_project_in_it(
    qtbot, window: MainWindow, prompts: ScriptedPrompts, tmp_path: Path
) -> None:
    shutil.copy(DATA / "boris8_play.boris", tmp_path)
    clip(tmp_path).rename(tmp_path / "clip.mp4")  # the video the file names, beside it
    assert window.project is None
    dialog = open_import(window)
    assert dialog.parent() is window
    assert dialog.into.text() == ""  # no project open: a new one, named after the file
    dialog.source.setText(str(tmp_path / "boris8_play.boris"))
    dialog.coder.setText("JM")
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=WAIT_MS)
    assert dialog.outcome is not None
    assert dialog.outcome.project == tmp_path / "boris8_play.attune", dialog.outcome
    assert dialog.open_button.isVisible()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert window.project is not None
    assert window.project.path == tmp_path / "boris8_play.attune"
    assert sorted(o.name for o in window.project.observations) == ["live session", "s1"]
    assert [e for e in prompts.errors if "Import" in e[0]] == []
