"""Around the coding: where a coder left off, layouts, Escape, episodes, done passes, new
projects and the demo at start."""

from __future__ import annotations

import shutil

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from coder.demo import DEMO_FOLDER, make_demo_clip
from coder.model import CodingStatus
from coder.project import Project
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    WAIT_MS,
    Key,
    Mod,
    ScriptedPrompts,
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
from ui.app import open_demo, run_app
from ui.dialogs.answers import NewProjectAnswer
from ui.window.main_window import MainWindow


def second_window(qtbot, settings, prompts) -> MainWindow:
    window = MainWindow(settings, prompts=prompts, audio=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=WAIT_MS)
    return window


def test_a_project_opens_where_the_coder_left_it(qtbot, window, demo, settings):
    open_and_show(qtbot, window, demo)
    for _ in range(7):
        press(qtbot, window, Key.Key_Right)
    wait_frame(qtbot, window, 7)
    press(qtbot, window, Key.Key_A)
    window.close()

    prompts = ScriptedPrompts()
    again = second_window(qtbot, settings, prompts)
    assert again.open_project(demo)
    assert "who" not in prompts.asked  # the initials are remembered
    wait_frame(qtbot, again, 7)
    assert again.coder == "AB"
    assert [(e.behaviour, e.onset.frame) for e in again.session.events] == [("gaze_caregiver", 7)]
    assert again.menus.recent.actions()[0].data() == str(demo.resolve())


def test_the_window_layout_is_remembered(qtbot, window, settings):
    window.docks["events"].hide()
    window.close()
    again = second_window(qtbot, settings, ScriptedPrompts())
    assert not again.docks["events"].isVisible()
    assert again.docks["timeline"].isVisible()
    again.reset_layout()
    assert again.docks["events"].isVisible()


def test_escape_asks_only_when_several_states_are_on(qtbot, window, demo, prompts):
    open_and_show(qtbot, window, demo)
    press(qtbot, window, Key.Key_A)
    press(qtbot, window, Key.Key_Right)
    wait_frame(qtbot, window, 1)
    press(qtbot, window, Key.Key_Escape)
    assert prompts.confirms == []
    assert window.session.open_states == ()

    press(qtbot, window, Key.Key_Z)
    press(qtbot, window, Key.Key_T)
    press(qtbot, window, Key.Key_Right)
    wait_frame(qtbot, window, 2)
    prompts.script("confirm", False)
    press(qtbot, window, Key.Key_Escape)
    assert "2 open states" in prompts.confirms[-1][1]
    assert len(window.session.open_states) == 2  # declined: nothing stopped

    search = window.event_table.findChild(type(window.event_table._text_box))
    search.setFocus()
    qtbot.keyClicks(search, "z")  # typing in a text field codes nothing
    press(qtbot, window, Key.Key_Escape)  # leaves the field, stops nothing
    assert len(window.session.open_states) == 2
    assert QApplication.focusWidget() is not search


def test_a_refused_command_is_said_in_the_status_bar_and_changes_nothing(qtbot, window, demo):
    open_and_show(qtbot, window, demo)
    press(qtbot, window, Key.Key_A)
    press(qtbot, window, Key.Key_A)  # stopping at its own onset frame
    assert "started at frame 0" in window.status.message
    assert window.session.open_states[0].behaviour == "gaze_caregiver"
    press(qtbot, window, Key.Key_Delete)  # nothing selected
    assert "Select an event" in window.status.message


def test_brackets_mark_episodes_at_the_frame_on_screen(qtbot, window, prompts, tmp_path):
    path = small_project(tmp_path / "sf", "still_face", seconds=2)
    open_and_show(qtbot, window, path)
    for _ in range(5):
        press(qtbot, window, Key.Key_Right)
    wait_frame(qtbot, window, 5)
    press(qtbot, window, Key.Key_BracketLeft)
    for _ in range(3):
        press(qtbot, window, Key.Key_Right)
    wait_frame(qtbot, window, 8)
    press(qtbot, window, Key.Key_BracketLeft)  # the next episode starts, the first ends
    press(qtbot, window, Key.Key_Right)
    wait_frame(qtbot, window, 9)
    press(qtbot, window, Key.Key_BracketRight)
    episodes = [
        (e.code, e.start.frame, e.end.frame if e.end else None) for e in window.session.episodes
    ]
    assert episodes == [("play", 5, 8), ("still_face", 8, 9)]
    assert window.menus.episodes.isEnabled()
    assert not prompts.errors


def test_a_done_pass_refuses_codes_until_reopened(qtbot, window, demo, prompts):
    open_and_show(qtbot, window, demo)
    prompts.script("confirm", False)
    window.menus.commands["mark_done"].trigger()
    assert window.session.status is CodingStatus.IN_PROGRESS
    window.menus.commands["mark_done"].trigger()
    assert window.session.status is CodingStatus.DONE
    assert "done" in window.status.pass_text
    press(qtbot, window, Key.Key_Q)
    assert window.session.events == ()
    assert window.status.message == "This pass is marked done: Coding → Reopen pass to change it."
    window.menus.commands["reopen"].trigger()
    press(qtbot, window, Key.Key_Q)
    assert [e.behaviour for e in window.session.events] == ["cry"]


def test_a_new_project_takes_videos_and_opens_the_first(qtbot, window, prompts, tmp_path):
    clip = make_demo_clip(tmp_path / "v" / "p07.mp4", seconds=1, size=(320, 180))
    broken = tmp_path / "v" / "broken.mp4"
    broken.write_bytes(b"\x00" * 4096)
    prompts.script("new", NewProjectAnswer(tmp_path / "study.attune", "responsiveness"))
    prompts.script("videos", [broken, clip])
    window.menus.commands["new_project"].trigger()
    qtbot.waitUntil(lambda: not window.jobs.running, timeout=WAIT_MS)  # read in the background
    assert prompts.errors[0][0] == "Cannot add this video"
    assert "broken.mp4" in prompts.errors[0][1]
    qtbot.waitUntil(lambda: window.player.current_frame == 0, timeout=WAIT_MS)
    assert window.observation.name == "p07"
    assert "pick" not in prompts.asked  # one observation: nothing to choose between
    with Project.open(tmp_path / "study.attune") as project:
        assert [o.name for o in project.observations] == ["p07"]


def test_the_picker_offers_every_observation_and_opens_the_chosen_one(
    qtbot, window, prompts, tmp_path
):
    path = small_project(tmp_path / "two", "responsiveness", seconds=1)
    second = make_demo_clip(tmp_path / "two" / "second.mp4", seconds=2, size=(320, 180))
    with Project.open(path) as project:
        wanted = project.add_observation([second], participant="P02").id
    prompts.script("pick", wanted)
    open_and_show(qtbot, window, path)
    assert [r.name for r in prompts.observation_rows] == ["Visit 1", "second"]
    assert window.observation.id == wanted
    assert window.player.frame_count == 50


def test_the_demo_opens_at_start_without_a_project(qtbot, window, demo_template, tmp_path):
    shutil.copytree(demo_template, tmp_path / "data" / DEMO_FOLDER)
    assert open_demo(window, tmp_path / "data")
    qtbot.waitUntil(lambda: window.player.current_frame == 0, timeout=WAIT_MS)
    assert window.observation.name == "Demo home visit"
    assert window.session.scheme.has_behaviour("cg_respond")


def test_run_app_opens_a_project_and_returns_when_the_window_closes(qtbot, demo, settings):
    settings.coder_initials = "AB"
    app = QApplication.instance()
    seen = {}

    def look_and_close() -> None:
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow)]
        seen["title"] = windows[0].windowTitle() if windows else ""
        seen["frame"] = windows[0].player.current_frame if windows else None
        app.closeAllWindows()

    QTimer.singleShot(1500, look_and_close)
    watchdog = QTimer()  # never hang the suite; stopped after, or it would close later tests'
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(app.closeAllWindows)
    watchdog.start(10_000)
    try:
        assert run_app(demo, settings=settings) == 0
    finally:
        watchdog.stop()
    assert seen["title"] == "Demo home visit · demo.attune — Attune"
    assert seen["frame"] == 0


def test_marking_done_names_what_is_open_and_the_menu_offers_only_what_applies(
    qtbot, window, prompts, tmp_path
):
    path = small_project(tmp_path / "ss", "strange_situation", seconds=2)
    open_and_show(qtbot, window, path)
    commands = window.menus.commands
    assert commands["mark_done"].isEnabled()
    assert not commands["reopen"].isEnabled()  # nothing to reopen while in progress
    press(qtbot, window, Key.Key_BracketLeft)
    press(qtbot, window, Key.Key_Right)
    wait_frame(qtbot, window, 1)
    prompts.script("confirm", False)
    commands["mark_done"].trigger()
    assert "episode 1 Introduction" in prompts.confirms[-1][1]
    assert prompts.ok_labels[-1] == "Stop them and mark done"
    assert window.session.status is CodingStatus.IN_PROGRESS
    commands["mark_done"].trigger()
    assert window.session.status is CodingStatus.DONE
    assert [(e.code, e.end.frame) for e in window.session.episodes] == [("ep1", 1)]
    assert not commands["mark_done"].isEnabled()
    assert commands["reopen"].isEnabled()
    commands["reopen"].trigger()
    assert window.session.status is CodingStatus.IN_PROGRESS
    assert commands["mark_done"].isEnabled()


def test_file_questions_never_start_in_the_demos_own_folder(
    qtbot, window, prompts, demo_template, tmp_path
):
    shutil.copytree(demo_template, tmp_path / "data" / DEMO_FOLDER)
    assert open_demo(window, tmp_path / "data")
    window.menus.commands["new_project"].trigger()
    assert prompts.starts[-1] != tmp_path / "data" / DEMO_FOLDER
    study = small_project(tmp_path / "lab", "responsiveness", seconds=1)
    open_and_show(qtbot, window, study)
    window.menus.commands["open_project"].trigger()
    assert prompts.starts[-1] == study.parent


def test_camera_views_of_one_session_become_one_observation_shown_side_by_side(
    qtbot, window, prompts, tmp_path
):
    path = small_project(tmp_path / "cams", "responsiveness", seconds=1)
    open_and_show(qtbot, window, path)
    front = make_demo_clip(tmp_path / "cams" / "front.mp4", seconds=1, size=(320, 180))
    side = make_demo_clip(tmp_path / "cams" / "side.mp4", seconds=1, size=(320, 180))
    prompts.script("videos", [front, side])
    window.menus.commands["add_camera_views"].trigger()
    qtbot.waitUntil(lambda: window.player.media_count == 2, timeout=WAIT_MS)
    assert window.observation.name == "front"
    assert [m.position for m in window.observation.media] == [0, 1]
    assert window.status.message == "Added front with 2 camera view(s)."
    prompts.script("videos", [tmp_path / "cams" / "gone.mp4"])
    window.menus.commands["add_camera_views"].trigger()
    qtbot.waitUntil(lambda: not window.jobs.running, timeout=WAIT_MS)
    assert prompts.errors[-1][0] == "Cannot add these videos"
    with Project.open(path) as project:
        assert [len(o.media) for o in project.observations] == [1, 2]
