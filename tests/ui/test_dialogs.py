"""Bad input gives a clear dialog and loses nothing: a damaged project, a moved video, keys that
clash. Dialogs are answered by a script (no modal exec); the project file is checked after."""

from __future__ import annotations

import shutil

from coder.demo import make_demo_clip
from coder.project import Project
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    Key,
    code_offline,
    demo_clip_fixture,
    demo_fixture,
    demo_template_fixture,
    open_and_show,
    press,
    prompts_fixture,
    settings_fixture,
    wait_frame,
    window_fixture,
)
from ui.dialogs.answers import RelinkAnswer


def test_a_damaged_project_gets_a_dialog_naming_it_and_the_open_project_stays(
    qtbot, window, demo, prompts, tmp_path
):
    open_and_show(qtbot, window, demo)
    press(qtbot, window, Key.Key_A)
    bad = tmp_path / "broken.attune"
    bad.write_bytes(b"this is not a project file\n" * 200)
    before = bad.read_bytes()
    half = tmp_path / "half.attune"
    half.write_bytes(demo.read_bytes()[: demo.stat().st_size // 2])

    for path in (bad, half, tmp_path / "gone.attune"):
        assert not window.open_project(path)
        title, message = prompts.errors[-1]
        assert title == "Cannot open the project"
        assert path.name in message
    assert bad.read_bytes() == before  # never written to
    assert window.project is not None
    assert window.project.path == demo
    assert [e.behaviour for e in window.session.events] == ["gaze_caregiver"]
    assert all(p.name != "gone.attune" for p in window.settings.recent_projects)
    press(qtbot, window, Key.Key_Right)  # still coding
    wait_frame(qtbot, window, 1)
    press(qtbot, window, Key.Key_A)
    assert window.session.events[0].offset.frame == 1


def test_a_moved_video_is_found_again_by_its_content_and_the_coding_is_kept(
    qtbot, window, demo, demo_clip, prompts, tmp_path
):
    code_offline(demo, "AB", "gaze_caregiver", 10)
    moved = tmp_path / "elsewhere" / "deep"
    moved.mkdir(parents=True)
    shutil.move(demo_clip, moved / "renamed visit.mp4")
    prompts.script("relink", RelinkAnswer("search", tmp_path / "elsewhere"))

    open_and_show(qtbot, window, demo)
    assert "relink" in prompts.asked
    assert not prompts.errors
    assert "renamed visit.mp4" in window.status.message  # the coder is told where it was
    assert window.player.media_count == 1
    assert [(e.behaviour, e.onset.frame) for e in window.session.events] == [("gaze_caregiver", 10)]
    window.close()
    with Project.open(demo) as project:
        media = project.observations[0].media[0]
        assert project.media_path(media) == (moved / "renamed visit.mp4").resolve()


def test_a_different_video_is_refused_unless_confirmed(
    qtbot, window, demo, demo_clip, prompts, tmp_path
):
    code_offline(demo, "AB", "gaze_caregiver", 10)
    demo_clip.unlink()
    other = make_demo_clip(tmp_path / "other.mp4", seconds=2, size=(320, 180))
    empty = tmp_path / "empty"
    empty.mkdir()
    prompts.script(
        "relink",
        RelinkAnswer("search", empty),  # nothing there: said so, asked again
        RelinkAnswer("file", other),  # other content: asked to confirm, declined
        None,  # then the coder gives up: open without video
    )
    prompts.script("confirm", False)

    assert window.open_project(demo)
    assert prompts.asked.count("relink") == 3
    assert prompts.errors[0][0] == "Video not found"
    assert "demo_visit.mp4" in prompts.errors[0][1]
    assert "not the same recording" in prompts.confirms[0][1]
    assert window.player.media_count == 0
    assert "missing" in window.status.message
    assert [(e.behaviour, e.onset.frame) for e in window.session.events] == [("gaze_caregiver", 10)]
    press(qtbot, window, Key.Key_S)  # no frame on screen: refused, nothing stamped
    assert len(window.session.events) == 1
    window.close()
    with Project.open(demo) as project:
        media = project.observations[0].media[0]
        assert media.path == "demo_visit.mp4"  # unchanged


def test_a_different_video_is_used_when_the_coder_confirms(
    qtbot, window, demo, demo_clip, prompts, tmp_path
):
    demo_clip.unlink()
    other = make_demo_clip(tmp_path / "other.mp4", seconds=2, size=(320, 180))
    prompts.script("relink", RelinkAnswer("file", other))
    prompts.script("confirm", True)
    open_and_show(qtbot, window, demo)
    assert window.player.media_count == 1
    assert window.player.frame_count == 50


def test_scheme_keys_that_clash_with_the_users_keys_are_named_and_the_transport_wins(
    qtbot, window, demo, prompts, settings
):
    settings.set_keymap({"step_back": ("a",)})
    window.apply_preferences()
    open_and_show(qtbot, window, demo)
    title, message = prompts.errors[0]
    assert title == "Keys that clash"
    assert '"a"' in message
    assert "Looks at caregiver" in message
    assert "One frame back" in message
    press(qtbot, window, Key.Key_Right)
    press(qtbot, window, Key.Key_Right)
    wait_frame(qtbot, window, 2)
    press(qtbot, window, Key.Key_A)  # the user's key: one frame back, no code
    wait_frame(qtbot, window, 1)
    assert window.session.events == ()
    window.coding_panel.behaviourActivated.emit("gaze_caregiver")  # clicking still codes it
    assert [(e.behaviour, e.onset.frame) for e in window.session.events] == [("gaze_caregiver", 1)]


def test_a_damaged_project_given_at_start_opens_the_window_to_say_so(tmp_path, monkeypatch):
    import ui.launch

    damaged = tmp_path / "damaged.attune"
    damaged.write_bytes(b"SQLite format 3\x00" + b"\x07" * 200)
    opened: list[object] = []
    monkeypatch.setattr(ui.launch, "open_app", lambda project: opened.append(project) or 0)
    assert ui.launch.main([str(damaged)]) == 0
    assert opened == [damaged]  # the window opens it, and its dialog names the damage
    assert ui.launch.main(["info", "--help"]) == 0
    assert ui.launch.main([str(tmp_path / "missing.attune")]) == 2
    assert opened == [damaged]
