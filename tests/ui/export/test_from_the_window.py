"""The export dialog over the coding window's project and job runner: the window keeps coding
while the export runs, and the file holds what was coded up to then."""

from __future__ import annotations

from PySide6.QtCore import Qt

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
from ui.export.launch import open_export, open_plot


def test_export_from_the_coding_window_holds_what_was_just_coded(
    qtbot, window, demo, prompts, tmp_path
) -> None:
    open_and_show(qtbot, window, demo)
    press(qtbot, window, Key.Key_Right)
    wait_frame(qtbot, window, 1)
    press(qtbot, window, Key.Key_Q)  # a behaviour key: coded at frame 1
    coded = window.session.events[-1]
    dialog = open_export(window, window.project, window.jobs, window.prompts)
    assert dialog is not None
    assert dialog.isVisible()
    target = tmp_path / "from_window.csv"
    dialog.formats.choose("xlsx", None)
    dialog.formats.choose("csv", target)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert window.jobs.running  # the window's own runner: its status bar shows the job
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    assert prompts.errors == []
    events = (target / "events.csv").read_text(encoding="utf-8").splitlines()
    header = events[0].split(",")
    rows = [dict(zip(header, line.split(","), strict=False)) for line in events[1:]]
    assert [(r["behaviour"], r["onset_frame"]) for r in rows] == [
        (coded.behaviour, str(coded.onset.frame))
    ]


def test_a_second_export_asks_the_window_before_replacing_and_plot_shows_the_open_pass(
    qtbot, window, demo, prompts, tmp_path
) -> None:
    open_and_show(qtbot, window, demo)
    target = tmp_path / "again.xlsx"
    target.write_bytes(b"kept")
    dialog = open_export(window, window.project, window.jobs, window.prompts)
    dialog.formats.choose("xlsx", target)
    prompts.script("confirm", False)
    assert not dialog.start_export()
    assert target.read_bytes() == b"kept"
    assert prompts.ok_labels[-1] == "Replace"
    view = open_plot(window, window.project, window.jobs, window.prompts, window.session)
    assert view.passes.currentData() == window.session.info.id
    qtbot.waitUntil(lambda: view.figure is not None and not view.drawing, timeout=WAIT_MS)
    assert f"coder {window.session.info.coder.initials}" in view.figure.axes[0].get_title()
    assert open_export(window, None, window.jobs, window.prompts) is None
