"""Background jobs: the window keeps answering keys while a long video is read."""

from __future__ import annotations

import threading

import pytest

from coder.demo import read_demo_frame_number
from coder.jobs import JobCancelled
from coder.media import probe
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    WAIT_MS,
    Key,
    demo_fixture,
    demo_template_fixture,
    open_and_show,
    press,
    prompts_fixture,
    settings_fixture,
    wait_frame,
    window_fixture,
)
from ui.jobs import JobRunner
from ui.window import project_flow


def test_the_window_codes_and_steps_while_a_long_video_is_being_read(
    qtbot, window, demo, prompts, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_and_show(qtbot, window, demo)
    reading, release = threading.Event(), threading.Event()

    def slow_probe(path):  # a long file: reading its packets takes until the test says
        reading.set()
        assert release.wait(10)
        return probe(path)

    monkeypatch.setattr(project_flow, "probe", slow_probe)
    prompts.script("videos", [demo.parent / "demo_visit.mp4"])
    window.menus.commands["add_videos"].trigger()
    qtbot.waitUntil(reading.is_set, timeout=WAIT_MS)
    press(qtbot, window, Key.Key_Right)  # a frame step
    wait_frame(qtbot, window, 1)
    press(qtbot, window, Key.Key_Q)  # a behaviour key: coded at once, on disk
    assert [e.behaviour for e in window.session.events][-1:] == ["cry"]
    assert window.jobs.running  # still reading
    release.set()
    qtbot.waitUntil(lambda: not window.jobs.running, timeout=WAIT_MS)
    assert len(window.project.observations) == 2
    assert prompts.errors == []


def test_a_failing_job_is_said_in_a_dialog_and_a_cancelled_one_stops(qtbot) -> None:
    from PySide6.QtWidgets import QWidget

    host = QWidget()
    qtbot.addWidget(host)
    errors: list[tuple[str, str]] = []
    done: list[object] = []
    runner = JobRunner(host, lambda title, text: errors.append((title, text)))

    def broken(progress):
        progress(0, 2, "first")
        raise ValueError("video.mp4: not a video")

    runner.start("Reading videos", broken, done.append)
    qtbot.waitUntil(lambda: not runner.running, timeout=WAIT_MS)
    assert errors == [("Reading videos failed", "video.mp4: not a video")]
    assert done == []

    started, stopped = threading.Event(), []
    cancelled: list[bool] = []

    def endless(progress):
        started.set()
        try:
            while True:
                progress(1, 0, "working")
        except JobCancelled:
            stopped.append(True)
            raise

    job = runner.start("Counting", endless, done.append, on_cancel=lambda: cancelled.append(True))
    assert started.wait(5)
    job.cancel()
    qtbot.waitUntil(lambda: not runner.running, timeout=WAIT_MS)
    assert stopped == [True]
    assert cancelled == [True]
    assert done == []
    assert len(errors) == 1


def test_a_video_read_for_the_first_time_opens_after_a_background_job(
    qtbot, window, demo, tmp_path, monkeypatch
) -> None:
    """A video whose frame index is not kept yet (another machine, a cleared cache) is read
    in the background: no earlier picture stays on screen meanwhile, then the video shows."""
    monkeypatch.setenv("ATTUNE_MEDIA_CACHE", str(tmp_path / "fresh-cache"))
    started = []
    real_start = window.jobs.start

    def watched(title, work, on_done, on_cancel=None):
        started.append(title)
        return real_start(title, work, on_done, on_cancel)

    monkeypatch.setattr(window.jobs, "start", watched)
    assert window.open_project(demo)
    assert started
    assert started[0].startswith("Reading ")
    assert window.player.current_frame < 0  # nothing to stamp a code on until it is read
    assert "once, to find every frame" in window.status.message
    qtbot.waitUntil(lambda: window.player.current_frame == 0, timeout=WAIT_MS)
    assert read_demo_frame_number(window.player.shown_frame().rgb) == 0
    window.close_project()
    started.clear()
    assert window.open_project(demo)  # now kept: opened at once, no job
    assert started == []
