"""File → Plot…: a pass's timeline, the study's time budget or consistency across visits on
the Qt canvas, saved."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg
from matplotlib.collections import LineCollection, PolyCollection
from PySide6.QtCore import Qt

from coder.project import Project
from tests.export.qsort_study import QStudy, make_qsort_study
from tests.export.study import Study, make_study
from ui.export import PlotView
from ui.export.plot_view import BUDGET, TIMELINE, VISITS

WAIT_MS = 15_000


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Study:
    return make_study(tmp_path_factory.mktemp("study"))


@pytest.fixture
def project(study: Study):
    with Project.open(study.path) as opened:
        yield opened


def drawn(qtbot, view: PlotView) -> None:
    qtbot.waitUntil(lambda: not view.drawing and view.figure is not None, timeout=WAIT_MS)


def test_the_plot_view_shows_the_timeline_of_the_chosen_pass(qtbot, project: Project) -> None:
    ab = next(i for i in project.passes() if i.coder.initials == "AB")
    errors: list[tuple[str, str]] = []
    view = PlotView(project, None, coding=ab.id, error=lambda t, m: errors.append((t, m)))
    qtbot.addWidget(view)
    view.show()
    drawn(qtbot, view)
    assert isinstance(view.canvas, FigureCanvasQTAgg)
    assert view.canvas.figure is view.figure
    main = view.figure.axes[0]
    assert len([c for c in main.collections if isinstance(c, PolyCollection)]) == 4
    assert len([c for c in main.collections if isinstance(c, LineCollection)]) == 2
    assert "coder AB" in main.get_title()
    assert view.save_button.isEnabled()
    assert errors == []


def test_the_time_budget_is_drawn_and_saved_as_svg_png_and_pdf(
    qtbot, project: Project, tmp_path: Path
) -> None:
    answers: list[Path] = []
    view = PlotView(project, None, ask_save=lambda start: answers.pop(0))
    qtbot.addWidget(view)
    drawn(qtbot, view)
    first = view.figure
    view.kind.setCurrentText(BUDGET)
    qtbot.waitUntil(lambda: view.figure is not None and view.figure is not first, timeout=WAIT_MS)
    legend = view.figure.axes[0].get_legend()
    assert [t.get_text() for t in legend.get_texts()] == ["AB", "CD"]
    assert view.passes.isHidden()
    assert not view.done_only.isHidden()
    heads = {".svg": b"<?xml", ".png": b"\x89PNG", ".pdf": b"%PDF"}
    for suffix, head in heads.items():
        target = tmp_path / f"budget{suffix}"
        target.write_bytes(b"old")  # the save dialog is where replacing is confirmed
        answers.append(target)
        qtbot.mouseClick(view.save_button, Qt.MouseButton.LeftButton)
        assert target.read_bytes().startswith(head)
    assert f"Saved {tmp_path / 'budget.pdf'}" == view.note.text()


def test_a_plot_saved_under_another_suffix_is_refused_in_a_dialog(
    qtbot, project: Project, tmp_path: Path
) -> None:
    errors: list[tuple[str, str]] = []
    target = tmp_path / "pass.jpg"
    view = PlotView(
        project, None, ask_save=lambda _s: target, error=lambda t, m: errors.append((t, m))
    )
    qtbot.addWidget(view)
    drawn(qtbot, view)
    assert view.save() is None
    ((title, text),) = errors
    assert title == "Cannot save the plot"
    assert str(target) in text
    assert not target.exists()


def test_closing_while_a_plot_is_drawn_closes_once_the_drawing_has_ended(
    qtbot, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.export import plot_view

    reached, release = threading.Event(), threading.Event()
    real = plot_view.timeline_figure

    def slow(record):
        reached.set()
        assert release.wait(10)
        return real(record)

    monkeypatch.setattr(plot_view, "timeline_figure", slow)
    errors: list[tuple[str, str]] = []
    view = PlotView(project, None, error=lambda t, m: errors.append((t, m)))
    view.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    view.show()
    qtbot.waitUntil(reached.is_set, timeout=WAIT_MS)
    closed: list[int] = []
    view.finished.connect(closed.append)
    view.reject()
    assert not view.isVisible()
    assert closed == []
    gone: list[bool] = []
    view.destroyed.connect(lambda: gone.append(True))
    release.set()
    qtbot.waitUntil(lambda: gone == [True], timeout=WAIT_MS)  # deleted only after the drawing
    assert closed == [0]
    assert errors == []


@pytest.fixture(scope="module")
def qstudy(tmp_path_factory: pytest.TempPathFactory) -> QStudy:
    return make_qsort_study(tmp_path_factory.mktemp("qstudy"))


def test_the_plot_view_offers_consistency_across_visits(qtbot, qstudy: QStudy) -> None:
    errors: list[tuple[str, str]] = []
    with Project.open(qstudy.path) as project:
        view = PlotView(project, None, error=lambda t, m: errors.append((t, m)))
        qtbot.addWidget(view)
        drawn(qtbot, view)
        kinds = [view.kind.itemText(i) for i in range(view.kind.count())]
        assert kinds == [TIMELINE, BUDGET, VISITS]
        first = view.figure
        view.kind.setCurrentText(VISITS)
        qtbot.waitUntil(
            lambda: view.figure is not None and view.figure is not first, timeout=WAIT_MS
        )
        titles = [axes.get_title() for axes in view.figure.axes]
        assert titles[0] == "Sensitivity (rating)"
        assert len(titles) == 3  # and the security and dependency scores
        (line,) = view.figure.axes[0].get_lines()
        assert list(line.get_ydata()) == [5.5, 7, 6]  # visit 1: the mean of AB and CD
        assert view.figure.get_layout_engine().__class__.__name__ == "ConstrainedLayoutEngine"
        assert view.passes.isHidden()
        assert not view.done_only.isHidden()
        assert view.save_button.isEnabled()
        assert view._start_path().name == "qsort_visits.png"
        assert errors == []


def test_visits_without_a_participant_seen_twice_say_so_without_an_error(
    qtbot, project: Project
) -> None:
    errors: list[tuple[str, str]] = []
    view = PlotView(project, None, error=lambda t, m: errors.append((t, m)))
    qtbot.addWidget(view)
    drawn(qtbot, view)
    view.kind.setCurrentText(VISITS)
    qtbot.waitUntil(lambda: not view.drawing and view.figure is None, timeout=WAIT_MS)
    assert view.note.text() == (
        "Nothing to show: no participant has two or more observed visits with figures to show."
    )
    assert not view.save_button.isEnabled()
    assert errors == []
