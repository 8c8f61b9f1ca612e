"""Settings: typed, kept in a file of their own for each test, sane when the file is damaged."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QByteArray

from coder.keys import default_keymap
from ui.settings import AppSettings, Place

REPO = Path(__file__).resolve().parents[2]


def test_settings_round_trip_through_the_file(tmp_path):
    path = tmp_path / "settings.ini"
    first = AppSettings.in_file(path)
    first.coder_initials = " ab "
    first.add_recent(tmp_path / "one.attune")
    first.add_recent(tmp_path / "two.attune")
    first.add_recent(tmp_path / "one.attune")
    first.set_place(tmp_path / "one.attune", "AB", Place(3, 120))
    first.set_keymap({**default_keymap(), "play_pause": ("p",)})
    first.set_flag("start/open_last_project", False)
    first.set_window_layout(QByteArray(b"geometry"), QByteArray(b"state"))
    first.sync()

    again = AppSettings.in_file(path)
    assert again.coder_initials == "ab"
    assert [p.name for p in again.recent_projects] == ["one.attune", "two.attune"]
    assert again.place(tmp_path / "one.attune", "AB") == Place(3, 120)
    assert again.place(tmp_path / "one.attune", "CD") is None
    assert again.place(tmp_path / "two.attune", "AB") is None
    assert again.keymap_overrides == {"play_pause": ("p",)}  # only what differs is stored
    assert again.keymap["step_forward"] == ("Right",)
    assert again.flag("start/open_last_project") is False
    assert again.window_layout() == (QByteArray(b"geometry"), QByteArray(b"state"))


def test_fresh_settings_have_the_defaults(tmp_path):
    settings = AppSettings.in_file(tmp_path / "fresh.ini")
    assert settings.coder_initials == ""
    assert settings.recent_projects == []
    assert settings.keymap == default_keymap()
    assert settings.flag("coding/confirm_stop_all") is True
    assert settings.flag("start/open_last_project") is True  # a study, not the demo, every day
    assert settings.window_layout() == (None, None)


def test_damaged_values_fall_back_to_defaults(tmp_path):
    path = tmp_path / "bad.ini"
    settings = AppSettings.in_file(path)
    settings.store.setValue("projects/recent", "[not json")
    settings.store.setValue("keys/overrides", '{"play_pause": ["Ctrl+Nope+X"], "nothing": ["a"]}')
    settings.store.setValue("coding/confirm_stop_all", "perhaps")
    settings.set_place(tmp_path / "p.attune", "AB", Place(1, 5))
    key = next(k for k in settings.store.allKeys() if k.startswith("places/"))
    settings.store.setValue(key, '{"observation": "one"}')
    assert settings.recent_projects == []
    assert settings.keymap_overrides == {}
    assert settings.flag("coding/confirm_stop_all") is True
    assert settings.place(tmp_path / "p.attune", "AB") is None


def test_importing_the_ui_writes_no_settings(tmp_path):
    code = (
        "import os; os.environ['QT_QPA_PLATFORM'] = 'offscreen';"
        "import ui.settings, ui.window.main_window, ui.app"
    )
    env = {"HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"), "PATH": ""}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, timeout=60
    )
    assert result.returncode == 0, result.stderr.decode()
    assert list(tmp_path.iterdir()) == []  # no settings file, no folder for one
