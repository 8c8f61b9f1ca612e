"""File → Import…: a BORIS project, an ELAN file or an events table into a project.

The dialog asks for the file, the project (the open one, or a new one created with the file's
scheme), the coder's initials, an optional map file of codes, and for tables which column
holds what and the time unit. **Check** reads the whole file and lists every problem with its
place, writing nothing; **Import** does the import as a background job: all of it, or nothing
when any problem is found. Once a project other than the window's is written, **Open the
project** opens it in the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coder.interop.tidy import HEADERS
from coder.jobs import Progress
from ui.dialogs.messages import show_error
from ui.interop.work import (
    FILE_FILTER,
    FORMAT_LABELS,
    ImportOutcome,
    ImportRequest,
    check_file,
    describe,
    format_of,
    run_import,
)
from ui.jobs import Job, JobRunner, close_through_done

#: Asks for a path: (title, start, filter, for saving) → the chosen path, or None.
AskFile = Callable[[str, Path, str, bool], Path | None]
ErrorSink = Callable[[str, str], None]
OpenProject = Callable[[Path], bool]
TABLES = ("csv", "xlsx")


def ask_file_dialog(parent: QWidget | None) -> AskFile:
    """An :data:`AskFile` answered with Qt's file dialogs."""

    def ask(title: str, start: Path, filter_text: str, save: bool) -> Path | None:
        if save:
            chosen, _ = QFileDialog.getSaveFileName(parent, title, str(start), filter_text)
        else:
            chosen, _ = QFileDialog.getOpenFileName(parent, title, str(start), filter_text)
        return Path(chosen) if chosen else None

    return ask


class ImportDialog(QDialog):
    """The import dialog (see the module notes)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        project_path: Path | None = None,
        coder: str = "",
        runner: JobRunner | None = None,
        error: ErrorSink | None = None,
        ask_file: AskFile | None = None,
        open_project: OpenProject | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import")
        self.project_path = project_path
        self._error = error or (lambda title, text: show_error(self, title, text))
        host = parent if isinstance(parent, QMainWindow) else self
        self.runner = runner or JobRunner(host, self._error)
        self._ask = ask_file or ask_file_dialog(self)
        self._open_project = open_project
        self.job: Job[ImportOutcome] | None = None
        self.outcome: ImportOutcome | None = None

        self.source = QLineEdit(self)
        self.source.setPlaceholderText("a .boris, .boris.gz, .eaf, .csv or .xlsx file")
        self.format = QComboBox(self)
        self.format.addItem("from the file's name", None)
        for name, label in FORMAT_LABELS.items():
            self.format.addItem(label, name)
        self.into = QLineEdit(str(project_path) if project_path else "", self)
        self.into.setPlaceholderText("a project file (created with the file's scheme if new)")
        self.coder = QLineEdit(coder, self)
        self.coder.setPlaceholderText("initials (blank: who the file names)")
        self.map_file = QLineEdit(self)
        self.map_file.setPlaceholderText("optional: their code → our code (YAML or CSV)")

        self.columns = {name: QLineEdit(self) for name in HEADERS}
        for name, edit in self.columns.items():
            edit.setPlaceholderText(" / ".join(HEADERS[name][:3]))
            edit.setObjectName(f"column_{name}")
        self.time_unit = QComboBox(self)
        self.time_unit.addItem("seconds", "s")
        self.time_unit.addItem("frames", "frames")
        self.fps = QDoubleSpinBox(self)
        self.fps.setRange(0.0, 1000.0)
        self.fps.setDecimals(3)
        self.fps.setSpecialValueText("—")
        self.table_box = QGroupBox("Events table: which column holds what (blank: usual names)")
        table_form = QFormLayout(self.table_box)
        for name, edit in self.columns.items():
            table_form.addRow(name, edit)
        table_form.addRow("times in", self.time_unit)
        table_form.addRow("frame rate", self.fps)

        #: The Browse… button of each path: ``source``, ``into`` and ``map``.
        self.browse: dict[str, QPushButton] = {}
        form = QFormLayout()
        form.addRow("File", self._with_browse("source", self.source, self._browse_source))
        form.addRow("Format", self.format)
        form.addRow("Into project", self._with_browse("into", self.into, self._browse_into))
        form.addRow("Coder", self.coder)
        form.addRow("Map of codes", self._with_browse("map", self.map_file, self._browse_map))

        self.result = QPlainTextEdit(self)
        self.result.setReadOnly(True)
        self.result.setMinimumHeight(140)

        buttons = QDialogButtonBox(self)
        self.check_button = QPushButton("C&heck", self)
        self.import_button = QPushButton("&Import", self)
        self.import_button.setDefault(True)
        self.open_button = QPushButton("&Open the project", self)
        self.open_button.setVisible(False)
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        for button in (self.check_button, self.import_button, self.open_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.check_button.clicked.connect(self.start_check)
        self.import_button.clicked.connect(self.start_import)
        self.open_button.clicked.connect(self.open_imported)
        close.clicked.connect(self.reject)
        self.source.textChanged.connect(self._source_changed)
        self.format.currentIndexChanged.connect(self._show_table_options)
        self.time_unit.currentIndexChanged.connect(self._show_table_options)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.table_box)
        layout.addWidget(self.result)
        layout.addWidget(buttons)
        self._show_table_options()
        self.resize(620, self.sizeHint().height())

    def _with_browse(self, name: str, edit: QLineEdit, browse: Callable[[], None]) -> QWidget:
        row = QWidget(self)
        line = QHBoxLayout(row)
        line.setContentsMargins(0, 0, 0, 0)
        button = QPushButton("Browse…", row)
        button.clicked.connect(browse)
        self.browse[name] = button
        line.addWidget(edit)
        line.addWidget(button)
        return row

    # ------------------------------------------------------------------ choices
    def _start_folder(self) -> Path:
        for text in (self.source.text(), self.into.text()):
            if text.strip():
                return Path(text.strip()).parent
        return Path.home()

    def _browse_source(self) -> None:
        chosen = self._ask("Import a file", self._start_folder(), FILE_FILTER, False)
        if chosen is not None:
            self.source.setText(str(chosen))

    def _browse_into(self) -> None:
        filter_text = "Attune projects (*.attune);;All files (*)"
        chosen = self._ask("Import into the project", self._start_folder(), filter_text, True)
        if chosen is not None:
            self.into.setText(str(chosen))

    def _browse_map(self) -> None:
        filter_text = "Map files (*.yaml *.yml *.csv);;All files (*)"
        chosen = self._ask("Map of codes", self._start_folder(), filter_text, False)
        if chosen is not None:
            self.map_file.setText(str(chosen))

    def _source_changed(self, text: str) -> None:
        if self.project_path is None and text.strip():
            source = Path(text.strip())
            stem = source.name.split(".")[0] or "imported"
            self.into.setText(str(source.with_name(f"{stem}.attune")))
        self._show_table_options()

    def chosen_format(self) -> str | None:
        """The format chosen, else the one the file's name says."""
        chosen = self.format.currentData()
        if chosen:
            return str(chosen)
        text = self.source.text().strip()
        return format_of(Path(text)) if text else None

    def _show_table_options(self) -> None:
        self.table_box.setEnabled(self.chosen_format() in TABLES)
        self.fps.setEnabled(self.time_unit.currentData() == "frames")

    def request(self) -> ImportRequest | str:
        """The import asked for, or what is missing from the choices."""
        source, into = self.source.text().strip(), self.into.text().strip()
        if not source:
            return "Choose the file to import."
        if not Path(source).is_file():
            return f"{source}: no such file."
        if not into:
            return "Give the project to import into."
        unit = str(self.time_unit.currentData())
        fps = self.fps.value() or None
        if self.chosen_format() in TABLES and unit == "frames" and fps is None:
            return "Times in frames need the frame rate."
        columns = {n: e.text().strip() for n, e in self.columns.items() if e.text().strip()}
        map_text = self.map_file.text().strip()
        return ImportRequest(
            Path(source), Path(into), self.coder.text().strip(),
            Path(map_text) if map_text else None, self.format.currentData(), columns, unit, fps,
        )  # fmt: skip

    # ------------------------------------------------------------------ the jobs
    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    def start_check(self) -> bool:
        """Check the file in the background, writing nothing (True when started)."""
        return self._start("Checking", lambda request, _progress: check_file(request))

    def start_import(self) -> bool:
        """Import the file in the background (True when started)."""
        return self._start("Importing", run_import)

    def _start(self, title: str, work: Callable[[ImportRequest, Progress], ImportOutcome]) -> bool:
        if self.running:
            return False
        request = self.request()
        if isinstance(request, str):
            self.result.setPlainText(request)
            return False
        self.outcome = None
        self.open_button.setVisible(False)
        self.result.setPlainText(f"{title} {request.source.name}…")
        self._set_running(True)

        def guarded(progress: Progress) -> ImportOutcome:
            try:
                return work(request, progress)
            except (OSError, ValueError) as exc:  # said in the dialog, like a refused file
                return ImportOutcome(f"{request.source}: not imported", (str(exc),))

        job = self.runner.start(title, guarded, self._finished)
        job.ended.connect(lambda: self._set_running(False))
        self.job = job
        return True

    def _finished(self, outcome: ImportOutcome) -> None:
        self.outcome = outcome
        text = describe(outcome)
        written = outcome.project
        other = written is not None and (
            self.project_path is None or written.resolve() != self.project_path.resolve()
        )
        if written is not None and not other:
            text += "\n\nThe new observations are in File → Choose observation…"
        self.result.setPlainText(text)
        self.open_button.setVisible(bool(other and self._open_project is not None))

    def _set_running(self, running: bool) -> None:
        for widget in (self.check_button, self.import_button):
            widget.setEnabled(not running)

    def open_imported(self) -> bool:
        """Open the project just written in the window (and close the dialog)."""
        if self.outcome is None or self.outcome.project is None or self._open_project is None:
            return False
        opened = self._open_project(self.outcome.project)
        if opened:
            self.accept()
        return opened

    def closeEvent(self, event: QCloseEvent) -> None:
        close_through_done(self, event)

    def done(self, result: int) -> None:
        """The dialog closes for good once its job has ended (an import is never cut short)."""
        if self.job is not None and self.job.running:
            self.hide()
            self.job.ended.connect(lambda: super(ImportDialog, self).done(result))
            return
        super().done(result)
