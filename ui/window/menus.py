"""The menu bar: every command of the window, with its key, in one place to find it.

Menus hold the same ``QAction`` objects the keys trigger (the player's transport actions and those
of :class:`~ui.window.coding_keys.CodingKeys`), so a menu entry and its key can never disagree.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenu, QMessageBox

from ui.window.coding_keys import CodingKeys

TRANSPORT_ORDER: tuple[str | None, ...] = (
    "play_pause",
    "replay",
    None,
    "step_forward",
    "step_back",
    "skip_forward_1s",
    "skip_back_1s",
    "skip_forward_5s",
    "skip_back_5s",
    "go_start",
    "go_end",
    None,
    "speed_up",
    "speed_down",
    None,
    "camera_forward",
    "camera_back",
)


PROJECT_COMMANDS = (
    "add_videos",
    "add_camera_views",
    "export",
    "plot",
    "agreement",
    "choose_observation",
    "switch_coder",
    "close_project",
    "blind",
)
ABOUT = "<b>Attune</b><br>Frame-exact coding of caregiver–infant interaction videos."


@dataclass
class Menus:
    """The parts of the menus that change while the window lives."""

    recent: QMenu
    behaviours: QMenu
    episodes: QMenu
    undo: QAction
    redo: QAction
    blind: QAction
    master: QAction
    commands: dict[str, QAction]

    def show_undo(self, undo_label: str, redo_label: str) -> None:
        """Name the command Undo and Redo would act on (disabled when there is none)."""
        self.undo.setText(f"&Undo {undo_label}" if undo_label else "&Undo")
        self.undo.setEnabled(bool(undo_label))
        self.redo.setText(f"&Redo {redo_label}" if redo_label else "&Redo")
        self.redo.setEnabled(bool(redo_label))

    def show_recent(
        self, paths: Iterable[Path | str], open_path: Callable[[Path | str], None]
    ) -> None:
        self.recent.clear()
        for number, path in enumerate(paths, start=1):
            where = f"{path.name}  —  {path.parent}" if isinstance(path, Path) else path
            action = self.recent.addAction(f"&{number % 10} {where}")
            action.setData(str(path))
            action.triggered.connect(lambda _=False, p=path: open_path(p))
        self.recent.setEnabled(not self.recent.isEmpty())

    def enable(self, has_project: bool, has_session: bool, done: bool = False) -> None:
        """Enable what needs an open project, and what needs an open coding pass: a pass in
        progress can be marked done, a done pass reopened."""
        for name in PROJECT_COMMANDS:
            self.commands[name].setEnabled(has_project)
        self.commands["mark_done"].setEnabled(has_session and not done)
        self.master.setEnabled(has_session)
        self.commands["reopen"].setEnabled(has_session and done)

    def show_behaviours(self, actions: Iterable[QAction]) -> None:
        _fill(self.behaviours, actions)

    def show_episodes(self, actions: Iterable[QAction]) -> None:
        _fill(self.episodes, actions)


def _fill(menu: QMenu, actions: Iterable[QAction]) -> None:
    menu.clear()
    for action in actions:
        menu.addAction(action)
    menu.setEnabled(not menu.isEmpty())


def _command(
    window: QMainWindow,
    text: str,
    handler: Callable[[], None],
    shortcut: QKeySequence | QKeySequence.StandardKey | None = None,
    name: str = "",
) -> QAction:
    action = QAction(text, window)
    action.setObjectName(name)
    if shortcut is not None:
        action.setShortcut(shortcut)
    action.triggered.connect(handler)
    return action


def build_menus(
    window: QMainWindow,
    handlers: Mapping[str, Callable[[], None]],
    transport: Mapping[str, QAction],
    keys: CodingKeys,
    docks: Iterable[QDockWidget],
) -> Menus:
    """Fill ``window``'s menu bar; ``handlers`` are the window's commands by name."""
    bar = window.menuBar()
    standard = QKeySequence.StandardKey
    cmd: dict[str, QAction] = {}

    def add(menu: QMenu, name: str, text: str, shortcut=None) -> QAction:
        action = _command(window, text, handlers[name], shortcut, name)
        menu.addAction(action)
        cmd[name] = action
        return action

    file_menu = bar.addMenu("&File")
    add(file_menu, "new_project", "&New project…", standard.New)
    add(file_menu, "open_project", "&Open project…", standard.Open)
    add(file_menu, "open_server", "Open &lab server…")
    recent = file_menu.addMenu("Open &recent")
    file_menu.addSeparator()
    add(file_menu, "add_videos", "&Add videos…")
    add(file_menu, "add_camera_views", "Add &camera views of one session…")
    add(file_menu, "choose_observation", "&Choose observation…", QKeySequence("Ctrl+Shift+O"))
    add(file_menu, "switch_coder", "&Switch coder…")
    file_menu.addSeparator()
    add(file_menu, "import_file", "&Import from BORIS, ELAN or a table…")
    add(file_menu, "export", "&Export…", QKeySequence("Ctrl+E"))
    add(file_menu, "plot", "&Plot…")
    file_menu.addSeparator()
    add(file_menu, "close_project", "&Close project", standard.Close)
    add(file_menu, "quit", "&Quit", standard.Quit)

    edit = bar.addMenu("&Edit")
    undo, redo = keys.actions["undo"], keys.actions["redo"]
    edit.addAction(undo)
    edit.addAction(redo)
    edit.addSeparator()
    for name in ("delete_event", "nudge_back", "nudge_forward"):
        edit.addAction(keys.actions[name])
    edit.addSeparator()
    add(edit, "preferences", "&Preferences…", standard.Preferences)

    coding = bar.addMenu("&Coding")
    behaviours = coding.addMenu("&Behaviours")
    coding.addAction(keys.actions["stop_all"])
    coding.addSeparator()
    episodes = coding.addMenu("&Episodes")
    coding.addSeparator()
    for name in ("next_scale", "previous_scale"):
        coding.addAction(keys.actions[name])
    coding.addSeparator()
    add(coding, "qsort", "&Q-sort…")
    coding.addSeparator()
    add(coding, "mark_done", "&Mark pass done…")
    add(coding, "reopen", "&Reopen pass")
    coding.addSeparator()
    blind = add(coding, "blind", "Blind double-coding (project setting)")
    blind.setCheckable(True)

    reliability = bar.addMenu("&Reliability")
    add(reliability, "agreement", "&Agreement…")
    reliability.addSeparator()
    master = _command(window, "&Master pass of this observation", lambda: None, None, "master")
    master.setCheckable(True)
    master.toggled.connect(handlers["master"])
    reliability.addAction(master)
    cmd["master"] = master

    play = bar.addMenu("&Playback")
    for action_id in TRANSPORT_ORDER:
        if action_id is None:
            play.addSeparator()
        elif action_id in transport:
            play.addAction(transport[action_id])
    clock = _command(window, "Show &clock time", lambda: None, None, "clock_time")
    clock.setCheckable(True)
    clock.setToolTip("The time of day of the frame on screen, when the recording time is known")
    play.addAction(clock)
    cmd["clock_time"] = clock

    go = bar.addMenu("&Go")
    for name in ("go_to", "jump_to_event", "previous_event", "next_event"):
        go.addAction(keys.actions[name])

    view = bar.addMenu("&View")
    for dock in docks:
        view.addAction(dock.toggleViewAction())
    view.addSeparator()
    add(view, "reset_layout", "&Reset layout")

    help_menu = bar.addMenu("&Help")
    help_menu.addAction(keys.actions["shortcut_sheet"])
    about = help_menu.addAction("&About Attune")
    about.triggered.connect(lambda: QMessageBox.about(window, "About Attune", ABOUT))
    menus = Menus(recent, behaviours, episodes, undo, redo, blind, master, cmd)
    menus.show_behaviours([])
    menus.show_episodes([])
    return menus
