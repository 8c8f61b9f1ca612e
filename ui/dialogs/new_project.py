"""A new project: where its file goes and which coding scheme it uses."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coder.project import SUFFIX
from coder.scheme import SchemeError, bundled_schemes, load_scheme
from ui.dialogs.answers import NewProjectAnswer

OTHER = "Scheme file…"


def project_problem(text: str) -> str:
    """Why ``text`` cannot be the path of a new project ("" when it can)."""
    if not text.strip():
        return "Choose where the project file goes."
    path = Path(text.strip())
    if path.exists():
        return f"{path} already exists; choose another name (nothing is overwritten)."
    if not path.parent.is_dir():
        return f"The folder {path.parent} does not exist."
    return ""


class NewProjectDialog(QDialog):
    """Asks for the project file and the scheme (a bundled one or a YAML file)."""

    def __init__(self, start: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New project")
        self._start = start
        self._path = QLineEdit(str(start / f"study{SUFFIX}"), self)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self._path, 1)
        where.addWidget(browse)
        self._scheme = QComboBox(self)
        self._scheme.addItems([*bundled_schemes(), OTHER])
        self._scheme.activated.connect(self._on_scheme)
        self._scheme_file: Path | None = None
        self._about = QLabel(self)
        self._about.setWordWrap(True)
        self._problem = QLabel(self)
        self._problem.setStyleSheet("color: #b00020")
        self._problem.setWordWrap(True)
        form = QFormLayout()
        self.path_label = QLabel("Project &file", self)
        self.path_label.setBuddy(self._path)  # a row holding a layout gets no buddy by itself
        form.addRow(self.path_label, where)
        form.addRow("Coding &scheme", self._scheme)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self._about)
        layout.addWidget(self._problem)
        layout.addWidget(buttons)
        self.resize(560, 220)
        self._describe()

    def set_values(self, path: Path, scheme: str | Path) -> None:
        """Fill in the answers (for scripted use)."""
        self._path.setText(str(path))
        if isinstance(scheme, Path):
            self._scheme_file = scheme
            self._scheme.setCurrentText(OTHER)
        else:
            self._scheme.setCurrentText(scheme)
        self._describe()

    def answer(self) -> NewProjectAnswer:
        path = Path(self._path.text().strip())
        if path.suffix != SUFFIX:
            path = path.with_name(path.name + SUFFIX)
        chosen = self._scheme.currentText()
        scheme: str | Path = self._scheme_file if chosen == OTHER and self._scheme_file else chosen
        return NewProjectAnswer(path, scheme)

    @property
    def problem(self) -> str:
        return self._problem.text()

    def accept(self) -> None:
        answer = self.answer()
        problem = project_problem(str(answer.path))
        if not problem:
            try:
                load_scheme(answer.scheme)
            except SchemeError as exc:
                problem = f"The scheme cannot be used: {exc}"
        self._problem.setText(problem)
        if not problem:
            super().accept()

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self, "New project", self._path.text(), f"Attune projects (*{SUFFIX})"
        )
        if path:
            self._path.setText(path)

    def _on_scheme(self) -> None:
        if self._scheme.currentText() == OTHER:
            path, _ = QFileDialog.getOpenFileName(
                self, "Scheme file", str(self._start), "Schemes (*.yaml *.yml)"
            )
            self._scheme_file = Path(path) if path else None
        self._describe()

    def _describe(self) -> None:
        chosen = self._scheme.currentText()
        source: str | Path | None = self._scheme_file if chosen == OTHER else chosen
        if source is None:
            self._about.setText("Choose a scheme file (YAML).")
            return
        try:
            scheme = load_scheme(source)
        except SchemeError as exc:
            self._about.setText(f"Cannot use this scheme: {exc}")
            return
        self._about.setText(
            f"<b>{scheme.name}</b> {scheme.version}: {len(scheme.behaviours)} behaviours, "
            f"{len(scheme.scales)} rating scales, {len(scheme.segments.episodes)} episodes."
        )
