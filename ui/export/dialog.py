"""File → Export…: the formats with their files, which passes, and Export as a background job.

The dialog asks; :func:`run_export` (a function of core objects only) does the work on a
worker thread through :class:`~ui.jobs.JobRunner`, with the export's progress shown in the
dialog's bar and Cancel. A file that exists is replaced only once ``confirm`` says so; an
export that cannot be made is said through ``error`` with the file it concerns, and what was
written is listed in the dialog.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coder.export.formats import ExportContext, export
from coder.export.tables import Filters
from coder.export.tables.select import ExportError
from coder.jobs import Progress
from coder.project import Project, ProjectError
from ui.dialogs.messages import show_error
from ui.export.filters import FilterForm
from ui.export.targets import AskPath, FormatRows, ask_path_dialog, existing_targets
from ui.jobs import Job, JobRunner, close_through_done

Confirm = Callable[[str, str], bool]
ErrorSink = Callable[[str, str], None]
#: The dialog's progress bar counts to this.
STEPS = 1000


@dataclass(frozen=True)
class ExportOutcome:
    """What an export wrote (and over how many passes), or why it could not be made."""

    written: tuple[Path, ...] = ()
    passes: int | None = None
    error: str = ""


def run_export(
    project: Project,
    targets: Mapping[str, Path],
    filters: Filters,
    unit_s: float | None,
    force: bool,
    progress: Progress,
) -> ExportOutcome:
    """Export ``targets`` (format → path) of ``project``; the export's ``(message, fraction)``
    reports go to ``progress`` as steps of :data:`STEPS` (which may raise ``JobCancelled``:
    the files under way are then removed)."""

    def report(message: str, fraction: float) -> None:
        progress(round(max(0.0, min(1.0, fraction)) * STEPS), STEPS, message)

    context = ExportContext(project, filters, force, unit_s, report)
    try:
        written = export(context, targets)
    except (ExportError, ProjectError) as exc:
        return ExportOutcome(error=" ".join(str(exc).split()))
    except OSError as exc:
        where = exc.filename or next(iter(targets.values()), "")
        return ExportOutcome(error=f"{where}: {exc.strerror or exc}")
    built = "tables" in vars(context)  # the interchange formats alone build no tables
    return ExportOutcome(tuple(written), context.tables.passes if built else None)


def describe(outcome: ExportOutcome) -> str:
    """The success line and the files written, for the dialog."""
    count = len(outcome.written)
    passes = ""
    if outcome.passes is not None:
        passes = f" from {outcome.passes} coding pass{'es' if outcome.passes != 1 else ''}"
    head = f"Wrote {count} file{'s' if count != 1 else ''}{passes}:"
    return "\n".join([head, *(str(p) for p in outcome.written)])


class ExportDialog(QDialog):
    """The export dialog of one project (see the module notes)."""

    #: (steps done of :data:`STEPS`, what is being done), from the worker thread.
    _moved = Signal(int, str)

    def __init__(
        self,
        project: Project,
        parent: QWidget | None = None,
        *,
        runner: JobRunner | None = None,
        confirm: Confirm | None = None,
        error: ErrorSink | None = None,
        ask_path: AskPath | None = None,
    ) -> None:
        super().__init__(parent)
        self.project = project
        self.setWindowTitle(f"Export — {project.path.name}")
        self._confirm = confirm or self._ask_replace
        self._error = error or (lambda title, text: show_error(self, title, text))
        host = parent if isinstance(parent, QMainWindow) else self
        self.runner = runner or JobRunner(host, self._error)
        self.job: Job[ExportOutcome] | None = None
        self.outcome: ExportOutcome | None = None

        self.formats = FormatRows(project.path, ask_path or ask_path_dialog(self), self)
        self.choice = FilterForm(project, self)
        self.bar = QProgressBar(self)
        self.bar.setRange(0, STEPS)
        self.bar.setValue(0)
        self.bar.setTextVisible(False)
        self.step = QLabel("", self)
        self.result = QLabel("", self)
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox(self)
        self.export_button = QPushButton("&Export", self)
        self.export_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel export", self)
        self.cancel_button.setEnabled(False)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.export_button.clicked.connect(self.start_export)
        self.cancel_button.clicked.connect(self.cancel_export)
        close.clicked.connect(self.reject)
        self._moved.connect(self._show_progress)

        layout = QVBoxLayout(self)
        for title, widget in (("Formats", self.formats), ("Which passes", self.choice)):
            box = QGroupBox(title, self)
            QVBoxLayout(box).addWidget(widget)
            layout.addWidget(box)
        for widget in (self.bar, self.step, self.result):
            layout.addWidget(widget)
        layout.addWidget(buttons)
        self.resize(640, self.sizeHint().height())

    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    # ------------------------------------------------------------------ asking
    def start_export(self) -> bool:
        """Check the choices, ask before replacing files, and start the export job (True
        when it started)."""
        if self.running:
            return False
        why = self._refusal()
        if why:
            self._say(why)
            return False
        targets = self.formats.targets()
        existing = existing_targets(targets)
        force = False
        if existing:
            shown = "\n".join(str(p) for p in existing[:8])
            more = f"\n… and {len(existing) - 8} more" if len(existing) > 8 else ""
            if not self._confirm(
                "Replace files?", f"These files exist and will be replaced:\n\n{shown}{more}"
            ):
                self._say("Nothing was written: the files that exist are kept.")
                return False
            force = True
        project, filters, unit = self.project, self.choice.filters(), self.choice.unit_s()
        moved = self._moved

        def work(progress: Progress) -> ExportOutcome:
            def both(done: int, total: int, text: str = "") -> None:
                progress(done, total, text)  # raises JobCancelled after Cancel
                moved.emit(done, text)

            return run_export(project, targets, filters, unit, force, both)

        self.outcome = None
        self._set_running(True)
        self._say("")
        self.job = self.runner.start("Exporting", work, self._finished, self._cancelled)
        self.job.ended.connect(lambda: self._set_running(False))
        return True

    def _refusal(self) -> str:
        blank = self.formats.blank()
        if blank:
            return f"Give a file or folder for {', '.join(blank)}."
        if not self.formats.targets():
            return "Tick at least one format."
        return self.choice.nothing_chosen()

    def _ask_replace(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text)
        return answer == QMessageBox.StandardButton.Yes

    # ------------------------------------------------------------------ the job
    def cancel_export(self) -> None:
        """Stop the export under way (its files are not left half written)."""
        if self.job is not None and self.job.running:
            self.job.cancel()
            self.step.setText("Cancelling…")

    def _show_progress(self, done: int, text: str) -> None:
        if self.running:
            self.bar.setValue(done)
            self.step.setText(text)

    def _finished(self, outcome: ExportOutcome) -> None:
        self.outcome = outcome
        if outcome.error:
            self.bar.setValue(0)
            self._say("Nothing was written.")
            self._error("Export failed", outcome.error)
            return
        self.bar.setValue(STEPS)
        self.step.setText("done")
        self._say(describe(outcome))

    def _cancelled(self) -> None:
        self.bar.setValue(0)
        self._say("Export cancelled: nothing was written.")

    def _set_running(self, running: bool) -> None:
        self.export_button.setEnabled(not running)
        self.cancel_button.setEnabled(running)
        self.formats.setEnabled(not running)
        self.choice.setEnabled(not running)
        if not running:
            self.step.setText("" if self.outcome is None or self.outcome.error else "done")

    def _say(self, text: str) -> None:
        self.result.setText(text)

    def closeEvent(self, event: QCloseEvent) -> None:
        close_through_done(self, event)

    def done(self, result: int) -> None:
        """Closing the dialog stops an export under way; it closes for good (and may be
        deleted) once the job has ended, so the job's last report never meets a dead dialog."""
        if self.job is not None and self.job.running:
            self.cancel_export()
            self.hide()
            self.job.ended.connect(lambda: super(ExportDialog, self).done(result))
            return
        super().done(result)
