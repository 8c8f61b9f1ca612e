"""Observations named as they are added: participant, visit, recording time, camera offsets;
names never shared; the dialog refuses what cannot be stored."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QLabel

from coder.demo import make_demo_clip
from coder.project import Project
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    WAIT_MS,
    open_and_show,
    prompts_fixture,
    settings_fixture,
    small_project,
    window_fixture,
)
from ui.dialogs.answers import ObservationDraft
from ui.dialogs.observation_details import ObservationDetailsDialog, draft_problems


def test_added_videos_are_named_with_participant_and_recording_time(
    qtbot, window, prompts, tmp_path
) -> None:
    path = small_project(tmp_path / "s", "responsiveness", seconds=1)  # holds 'Visit 1'
    open_and_show(qtbot, window, path)
    first = make_demo_clip(tmp_path / "s" / "Visit 1.mp4", seconds=1, size=(320, 180))
    other = make_demo_clip(tmp_path / "s" / "p08.mp4", seconds=1, size=(320, 180))

    def answer(drafts, taken, cameras):
        assert [d.name for d in drafts] == ["Visit 1 (2)", "p08"]  # never a name twice
        assert taken == {"Visit 1"}
        assert not cameras
        return [
            ObservationDraft(drafts[0].videos, "Visit 2", "P01", "2", "2026-03-04T10:15:30"),
            ObservationDraft(drafts[1].videos, "p08", "P08", "1", "2026-03-05"),
        ]

    prompts.observation_details = answer
    prompts.script("videos", [first, other])
    window.menus.commands["add_videos"].trigger()
    qtbot.waitUntil(lambda: not window.jobs.running, timeout=WAIT_MS)
    with Project.open(path) as project:
        added = {o.name: o for o in project.observations}
    assert sorted(added) == ["Visit 1", "Visit 2", "p08"]
    assert (added["Visit 2"].participant, added["Visit 2"].visit) == ("P01", "2")
    start = added["Visit 2"].recording_start
    assert start is not None
    assert (start.hour, start.minute, start.second) == (10, 15, 30)
    assert added["p08"].recording_start is None  # a date without a clock time


def test_camera_views_get_their_offsets_and_a_cancel_adds_nothing(
    qtbot, window, prompts, tmp_path
) -> None:
    path = small_project(tmp_path / "c", "responsiveness", seconds=1)
    open_and_show(qtbot, window, path)
    front = make_demo_clip(tmp_path / "c" / "front.mp4", seconds=1, size=(320, 180))
    side = make_demo_clip(tmp_path / "c" / "side.mp4", seconds=1, size=(320, 180))
    prompts.script("details", None)  # cancelled
    prompts.script("videos", [front, side])
    window.menus.commands["add_camera_views"].trigger()
    qtbot.waitUntil(lambda: not window.jobs.running, timeout=WAIT_MS)
    drafts = [ObservationDraft((front, side), "Lab visit", "P03", "", "", (0.0, 0.48))]
    prompts.script("details", drafts)
    prompts.script("videos", [front, side])
    window.menus.commands["add_camera_views"].trigger()
    qtbot.waitUntil(lambda: window.player.media_count == 2, timeout=WAIT_MS)
    with Project.open(path) as project:
        names = [o.name for o in project.observations]
        views = project.observations[-1]
    assert names == ["Visit 1", "Lab visit"]
    assert (views.participant, [m.offset_us for m in views.media]) == ("P03", [0, 480_000])


def test_the_dialog_refuses_names_twice_bad_times_and_offsets(qtbot, tmp_path: Path) -> None:
    videos = (tmp_path / "front.mp4", tmp_path / "side.mp4")
    draft = ObservationDraft(videos, "front", offsets_s=(0.0, 0.0))
    dialog = ObservationDetailsDialog([draft], {"front"}, cameras=True)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert [table.item(r, 0).text() for r in range(2)] == ["front.mp4", "side.mp4"]
    dialog._accept_if_sound()
    problem = dialog.findChild(QLabel, "details_problem")
    assert problem is not None
    assert "'front' is already the name of an observation." in problem.text()
    assert dialog.result() == 0
    table.item(0, 1).setText("Lab visit")
    table.item(0, 4).setText("2026-03-04 25:99")
    table.item(1, 5).setText("soon")
    (edited,) = dialog.drafts()
    assert draft_problems([edited], {"front"}) == [
        "Lab visit: '2026-03-04 25:99' is no date and time (2026-03-04 10:15:30).",
        "Lab visit: an offset is a number of seconds within a day.",
    ]
    table.item(0, 4).setText("2026-03-04 10:15")
    table.item(1, 5).setText("-0,5")
    dialog._accept_if_sound()
    assert dialog.result() == 1
    (accepted,) = dialog.drafts()
    assert accepted.offsets_s == (0.0, -0.5)
    assert accepted.name == "Lab visit"
