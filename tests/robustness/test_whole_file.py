"""The ``.attune`` file is whole on its own after an idle moment, and side files removed while
a coder works are reported, never a silent loss."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from coder.project import NotSavedError, Project, ProjectError
from coder.store.schema import side_files
from tests.test_project_support import child_env, project_with_observation
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
from ui.window import save_watch


def coded(path: Path, points: int) -> tuple[Project, object]:
    project, obs_id = project_with_observation(path, frames=1000)
    session = project.start_coding(obs_id, "AB")
    for frame in range(points):
        session.point("reach", frame)
    return project, session


def count_alone(path: Path, folder: Path) -> int:
    """Copy the project file alone (as a sync client or a USB copy does) and count its events."""
    folder.mkdir()
    copy = folder / path.name
    shutil.copyfile(path, copy)
    with Project.open(copy) as project:
        assert project.check() == []
        return sum(project.event_counts().values())


def test_after_a_checkpoint_the_file_alone_holds_every_returned_action(tmp_path: Path) -> None:
    path = tmp_path / "s.attune"
    project, _ = coded(path, 40)
    assert side_files(path)[0].stat().st_size > 0  # the log holds them
    assert project.checkpoint()
    assert count_alone(path, tmp_path / "copy") == 40
    project.close()


def test_a_copy_taken_mid_burst_is_refused_not_opened_short(tmp_path: Path) -> None:
    path = tmp_path / "s.attune"
    project, _ = coded(path, 40)
    (tmp_path / "copy").mkdir()
    shutil.copyfile(path, tmp_path / "copy" / "s.attune")
    with pytest.raises(ProjectError, match=r"lacks what was saved after .* side file s.attune-wal"):
        Project.open(tmp_path / "copy" / "s.attune")
    project.close()


def test_removed_side_files_are_reported_and_nothing_is_lost(tmp_path: Path) -> None:
    path = tmp_path / "s.attune"
    project, session = coded(path, 40)
    for side in side_files(path)[:2]:
        side.unlink()
    other = subprocess.run(  # another program opening now sees the main file alone
        [sys.executable, "-c", f"from coder.project import Project; Project.open({str(path)!r})"],
        capture_output=True,
        text=True,
        env=child_env(),
        timeout=60,
    )
    assert other.returncode != 0
    assert "lacks what was saved after" in other.stderr
    assert "s.attune-wal, which is missing" in other.stderr
    with pytest.raises(NotSavedError, match=r"s.attune-.* was removed while the project was open"):
        session.point("reach", 50)
    assert len(session.events) == 40  # refused, not applied
    session.point("reach", 51)  # the store started afresh: writes go on
    project.close()
    with Project.open(path) as again:
        assert again.check() == []
        assert sum(again.event_counts().values()) == 41


def test_the_app_makes_the_file_whole_when_idle(
    qtbot, window, prompts, demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_and_show(qtbot, window, demo)
    window.saves.idle.setInterval(50)
    press(qtbot, window, Key.Key_Q)
    press(qtbot, window, Key.Key_W)
    qtbot.waitUntil(lambda: not window.saves.idle.isActive(), timeout=WAIT_MS)
    assert count_alone(demo, tmp_path / "usb") == 2
    for side in side_files(demo)[:2]:
        side.unlink()
    assert not window.saves.checkpoint()
    title, text = prompts.errors[-1]
    assert title == "The project's side files were removed"
    assert "written back into the project file" in text
    assert save_watch.IDLE_MS <= 5000
