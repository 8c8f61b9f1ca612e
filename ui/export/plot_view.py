"""File → Plot…: a pass's timeline, the study's time budget or consistency across visits, drawn
in the app.

The figures are the core's (:mod:`coder.export.plots` and :mod:`coder.instruments.plot`,
Qt-free): they are made on a worker
thread (reading the passes may take a while in a large study) and shown here on matplotlib's
Qt canvas; Save writes the figure on screen as PNG, SVG or PDF.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from matplotlib.figure import Figure
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coder.export.plots import FORMATS as PLOT_SUFFIXES
from coder.export.plots import save_figure, time_budget_figure, timeline_figure
from coder.export.tables import Filters, select_passes
from coder.export.tables.select import ExportError
from coder.instruments.plot import visits_figure
from coder.jobs import Progress
from coder.project import Project, ProjectError
from ui.dialogs.messages import show_error
from ui.jobs import Job, JobRunner, close_through_done

if TYPE_CHECKING:
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

#: Asks where to save a plot, starting at a path; None when cancelled. The answer may be
#: an existing file: asking is where the user confirms replacing it.
AskSave = Callable[[Path], Path | None]
ErrorSink = Callable[[str, str], None]
TIMELINE, BUDGET = "Timeline of a pass", "Time budget of the study"
VISITS = "Consistency across visits"


class _Nothing(str):
    """Why there is nothing to draw (not an error: shown under the empty canvas)."""


def _canvas(figure: Figure) -> FigureCanvasQTAgg:
    """matplotlib's Qt canvas for ``figure``. The backend is imported only once a plot is
    shown: with it loaded, the player's decode thread was seen to crash now and then while
    PySide made an enum type on it, so a coding session that never plots does not load it."""
    from matplotlib.backends.backend_qtagg import FigureCanvasQTAgg

    return FigureCanvasQTAgg(figure)


def ask_save_dialog(parent: QWidget | None) -> AskSave:
    """An :data:`AskSave` answered with Qt's save dialog (which asks before replacing)."""

    def ask(start: Path) -> Path | None:
        kinds = ";;".join(f"{s[1:].upper()} (*{s})" for s in PLOT_SUFFIXES)
        chosen, kind = QFileDialog.getSaveFileName(parent, "Save the plot", str(start), kinds)
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() not in PLOT_SUFFIXES:  # the kind chosen, when no suffix typed
            path = path.with_name(path.name + kind.split("*")[-1].rstrip(")"))
        return path

    return ask


class PlotView(QDialog):
    """The plots of one project: choose a pass (or the time budget, or the visits), look, save."""

    def __init__(
        self,
        project: Project,
        parent: QWidget | None = None,
        *,
        runner: JobRunner | None = None,
        ask_save: AskSave | None = None,
        error: ErrorSink | None = None,
        coding: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(f"Plot — {project.path.name}")
        self._error = error or (lambda title, text: show_error(self, title, text))
        self._ask_save = ask_save or ask_save_dialog(self)
        host = parent if isinstance(parent, QMainWindow) else self
        self.runner = runner or JobRunner(host, self._error)
        self._asked = 0  # the newest drawing asked for; older ones arriving late are dropped
        self.figure: Figure | None = None
        self._pending: set[Job[Figure | str]] = set()  # drawings still being made

        self.kind = QComboBox(self)
        self.kind.addItems([TIMELINE, BUDGET, VISITS])
        self.passes = QComboBox(self)
        names = {o.id: o.name for o in project.observations}
        for info in project.passes():
            master = ", master" if info.is_master else ""
            label = (
                f"{names.get(info.observation_id, info.observation_id)} — "
                f"{info.coder.initials} ({info.status.value}{master})"
            )
            self.passes.addItem(label, info.id)
        if coding is not None and (index := self.passes.findData(coding)) >= 0:
            self.passes.setCurrentIndex(index)
        self.done_only = QCheckBox("done passes only", self)
        self.save_button = QPushButton("&Save as…", self)
        self.save_button.setEnabled(False)
        self.note = QLabel("", self)
        self.canvas = _canvas(Figure(figsize=(9, 3)))

        bar = QHBoxLayout()
        for widget in (self.kind, self.passes, self.done_only):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.note)
        self.kind.currentIndexChanged.connect(self.redraw)
        self.passes.currentIndexChanged.connect(self.redraw)
        self.done_only.toggled.connect(self.redraw)
        self.save_button.clicked.connect(self.save)
        self.resize(1100, 620)
        self.redraw()

    # ------------------------------------------------------------------ drawing
    def redraw(self) -> None:
        """Make the chosen figure in the background; shown when it is ready."""
        timeline = self.kind.currentText() == TIMELINE
        self.passes.setVisible(timeline)
        self.done_only.setVisible(not timeline)
        project, coding = self.project, self.passes.currentData()
        if timeline and coding is None:
            self._show(None, "This project has no coding passes yet.")
            return
        status = "done" if self.done_only.isChecked() else None
        visits = self.kind.currentText() == VISITS
        self._asked += 1
        asked = self._asked
        self.note.setText("Drawing…")

        def work(_progress: Progress) -> Figure | str:
            try:
                if timeline:
                    return timeline_figure(project.load_pass(int(coding)))
                records = select_passes(project, Filters(status=status))
                if not visits:
                    return time_budget_figure(records)
                try:
                    return visits_figure(records)
                except ValueError as exc:  # no participant seen twice: nothing to draw
                    return _Nothing(f"Nothing to show: {exc}.")
            except (ExportError, ProjectError) as exc:
                return " ".join(str(exc).split())

        job = self.runner.start("Drawing the plot", work, lambda made: self._drawn(asked, made))
        self._pending.add(job)
        job.ended.connect(lambda: self._pending.discard(job))

    def _drawn(self, asked: int, made: Figure | str) -> None:
        if asked != self._asked:
            return  # the user has asked for another picture since
        if isinstance(made, _Nothing):
            self._show(None, str(made))
        elif isinstance(made, str):
            self._show(None, "")
            self._error("Cannot draw the plot", made)
        else:
            self._show(made, "")

    def _show(self, figure: Figure | None, note: str) -> None:
        self.figure = figure
        self.note.setText(note)
        self.save_button.setEnabled(figure is not None)
        shown = figure if figure is not None else Figure()
        if shown.get_layout_engine() is None:  # laid out again for the canvas's size
            shown.set_layout_engine("tight")
        canvas = _canvas(shown)
        self.layout().replaceWidget(self.canvas, canvas)
        self.canvas.deleteLater()
        self.canvas = canvas
        canvas.draw_idle()

    @property
    def drawing(self) -> bool:
        """Whether a figure is still being made."""
        return bool(self._pending)

    def closeEvent(self, event: QCloseEvent) -> None:
        close_through_done(self, event)

    def done(self, result: int) -> None:
        """Closes at once, for good (and may be deleted) once the drawings under way have
        ended, so that none of them meets a dead view."""
        if not self._pending:
            super().done(result)
            return
        self.hide()
        for job in list(self._pending):
            job.ended.connect(lambda: None if self._pending else super(PlotView, self).done(result))

    # ------------------------------------------------------------------ saving
    def save(self) -> Path | None:
        """Ask for a file and save the figure shown there (PNG, SVG or PDF by its suffix)."""
        if self.figure is None:
            return None
        path = self._ask_save(self._start_path())
        if path is None:
            return None
        try:
            saved = save_figure(self.figure, path, force=True)  # the file dialog asked
        except (ExportError, OSError) as exc:
            text = str(exc) if isinstance(exc, ExportError) else f"{path}: {exc.strerror or exc}"
            self._error("Cannot save the plot", text)
            return None
        self.note.setText(f"Saved {saved}")
        return saved

    def _start_path(self) -> Path:
        if self.kind.currentText() == BUDGET:
            name = f"{self.project.path.stem}_time_budget.png"
        elif self.kind.currentText() == VISITS:
            name = f"{self.project.path.stem}_visits.png"
        else:
            name = f"{self.project.path.stem}_pass{self.passes.currentData()}.png"
        return self.project.path.with_name(name)
