"""The lab lead's doors from the coding window: Reliability → Agreement (a click seeks the
coding window), the master pass, File → Import, Export and Plot."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from coder.project import Project
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
from ui.agreement import AgreementWindow
from ui.export.dialog import ExportDialog
from ui.export.plot_view import PlotView
from ui.interop.dialog import ImportDialog


def _shown(kind):
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]


def test_the_master_pass_is_marked_from_the_reliability_menu(qtbot, window, demo) -> None:
    open_and_show(qtbot, window, demo)
    master = window.menus.master
    assert master.isEnabled()
    assert not master.isChecked()
    master.trigger()
    assert master.isChecked()
    assert "master pass" in window.status.message
    with Project.open(demo, read_only=True) as project:
        found = project.master_of(project.observations[0])
        assert found is not None
        assert found.coder.initials == "AB"
    master.trigger()
    with Project.open(demo, read_only=True) as project:
        assert project.master_of(project.observations[0]) is None
    window.close_project()
    assert not master.isEnabled()


def test_agreement_opens_over_the_project_and_a_click_seeks_the_coding_window(
    qtbot, window, demo
) -> None:
    open_and_show(qtbot, window, demo)
    window.menus.commands["agreement"].trigger()
    (agreement,) = _shown(AgreementWindow)
    assert agreement.project is window.project
    window.menus.commands["agreement"].trigger()  # the same window again, not a second one
    assert _shown(AgreementWindow) == [agreement]
    agreement._seek(window.observation.id, 42)  # what a click on its timeline does
    wait_frame(qtbot, window, 42)
    window.close_project()
    qtbot.waitUntil(lambda: not _shown(AgreementWindow), timeout=WAIT_MS)


def test_import_export_and_plot_open_from_the_file_menu(qtbot, window, demo) -> None:
    window.menus.commands["import_file"].trigger()  # no project needed: it can make one
    (importing,) = _shown(ImportDialog)
    importing.close()
    assert not window.menus.commands["export"].isEnabled()
    open_and_show(qtbot, window, demo)
    press(qtbot, window, Key.Key_A)
    window.menus.commands["export"].trigger()
    (exporting,) = _shown(ExportDialog)
    exporting.close()
    window.menus.commands["plot"].trigger()
    (plots,) = _shown(PlotView)
    qtbot.waitUntil(lambda: not plots.drawing and plots.figure is not None, timeout=WAIT_MS)
    plots.close()


def test_a_plot_closed_while_it_is_drawn_ends_quietly(qtbot, window, demo) -> None:
    open_and_show(qtbot, window, demo)
    window.menus.commands["plot"].trigger()
    (plots,) = _shown(PlotView)
    assert plots.drawing
    plots.close()  # at once, while the figure is still being made
    qtbot.waitUntil(lambda: not window.jobs.running, timeout=WAIT_MS)
    qtbot.wait(200)  # the deferred deletion and any late callback have run
    assert not _shown(PlotView)
