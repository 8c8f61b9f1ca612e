"""Shared helpers for the main window tests: a small demo project, scripted answers, waits.

Fixtures are named ``*_fixture`` here and registered under their short names; a test module
imports the functions to use them.
"""

from __future__ import annotations

import shutil
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from coder.demo import CLIP_NAME, PROJECT_NAME, make_demo_project, read_demo_frame_number
from ui.dialogs.answers import CoderAnswer
from ui.settings import AppSettings
from ui.window.main_window import MainWindow

WAIT_MS = 5000
DEMO_FRAMES = 100  # 4 s at 25 fps
Key = Qt.Key
Mod = Qt.KeyboardModifier


class ScriptedPrompts:
    """Answers the window's questions from a script and records what it was asked and told."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []
        self.confirms: list[tuple[str, str]] = []
        self.ok_labels: list[str] = []  # what the yes button of each question said
        self.starts: list[Path] = []  # the folders file questions started in
        self.asked: list[str] = []
        self.observation_rows: list[Any] = []
        self.asked_texts: list[tuple[str, str, str]] = []
        self.details: list[tuple[Any, set[str], bool]] = []
        self._answers: dict[str, list[Any]] = defaultdict(list)

    def script(self, question: str, *answers: Any) -> None:
        self._answers[question].extend(answers)

    def _next(self, question: str, default: Any) -> Any:
        self.asked.append(question)
        queue = self._answers[question]
        return queue.pop(0) if queue else default

    def error(self, title: str, message: str) -> None:
        self.errors.append((title, message))

    def confirm(self, title: str, message: str, ok: str = "OK") -> bool:
        self.confirms.append((title, message))
        self.ok_labels.append(ok)
        return self._next("confirm", True)

    def who_are_you(self, known, last) -> CoderAnswer | None:
        return self._next("who", CoderAnswer("AB"))

    def pick_observation(self, rows, current, blind) -> int | None:
        self.observation_rows = rows
        return self._next("pick", rows[0].observation_id if rows else None)

    def relink(self, media, expected):
        return self._next("relink", None)

    def open_project(self, start: Path) -> Path | None:
        self.starts.append(start)
        return self._next("open", None)

    def new_project(self, start: Path):
        self.starts.append(start)
        return self._next("new", None)

    def video_files(self, start: Path, title: str = "") -> list[Path]:
        return self._next("videos", [])

    def observation_details(self, drafts, taken, cameras):
        self.details.append((drafts, taken, cameras))
        return self._next("details", drafts)

    def ask_text(self, title: str, label: str, text: str = "") -> str | None:
        self.asked_texts.append((title, label, text))
        return self._next("text", None)


@pytest.fixture(name="demo_template", scope="session")
def demo_template_fixture(tmp_path_factory) -> Path:
    """A small demo project (4 s, 320×180), made once per test run."""
    folder = tmp_path_factory.mktemp("demo_template")
    make_demo_project(folder, seconds=DEMO_FRAMES / 25, size=(320, 180), fps=25)
    return folder


@pytest.fixture(name="demo")
def demo_fixture(demo_template, tmp_path) -> Path:
    """A fresh copy of the demo project for one test; returns the project file."""
    folder = tmp_path / "demo"
    shutil.copytree(demo_template, folder)
    return folder / PROJECT_NAME


@pytest.fixture(name="demo_clip")
def demo_clip_fixture(demo) -> Path:
    return demo.parent / CLIP_NAME


@pytest.fixture(name="settings")
def settings_fixture(tmp_path) -> AppSettings:
    return AppSettings.in_file(tmp_path / "settings.ini")


@pytest.fixture(name="prompts")
def prompts_fixture() -> ScriptedPrompts:
    return ScriptedPrompts()


@pytest.fixture(name="window")
def window_fixture(qtbot, settings, prompts) -> MainWindow:
    win = MainWindow(settings, prompts=prompts, audio=False)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=WAIT_MS)
    return win


def wait_frame(qtbot, window: MainWindow, frame: int) -> None:
    """Wait until ``frame`` is on screen (the player says so and the pixels agree)."""
    qtbot.waitUntil(lambda: window.player.current_frame == frame, timeout=WAIT_MS)
    assert shown_number(window) == frame


def shown_number(window: MainWindow) -> int:
    """The frame index burned into the picture the player shows now."""
    shown = window.player.shown_frame()
    assert shown is not None
    return read_demo_frame_number(shown.rgb)


def press(qtbot, window: MainWindow, key: Qt.Key, modifier: Qt.KeyboardModifier = Mod.NoModifier):
    qtbot.keyClick(window, key, modifier)


def small_project(folder: Path, scheme: str, seconds: float = 4.0) -> Path:
    """A project with one observation of a small generated clip, coded with ``scheme``."""
    from coder.demo import make_demo_clip
    from coder.project import Project

    folder.mkdir(parents=True, exist_ok=True)
    clip = make_demo_clip(folder / "clip.mp4", seconds=seconds, size=(320, 180))
    path = folder / "study.attune"
    with Project.create(path, scheme) as project:
        project.add_observation([clip], participant="P01", name="Visit 1")
    return path


def code_offline(project_path: Path, initials: str, code: str, frame: int) -> None:
    """Code one event through the core API (as another coder or an earlier day would)."""
    from coder.project import Project

    with Project.open(project_path) as project:
        session = project.start_coding(project.observations[0], initials)
        session.toggle(code, frame)


def open_and_show(qtbot, window: MainWindow, path: Path) -> None:
    """Open ``path`` in ``window`` and wait until a frame is on screen."""
    assert window.open_project(path)
    qtbot.waitUntil(lambda: window.player.current_frame >= 0, timeout=WAIT_MS)
