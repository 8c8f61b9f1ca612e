"""One row of the export dialog per registered format: a tick, the file or folder, Browse.

The rows come from :data:`coder.export.formats.FORMATS`, so a format registered later (the
interchange formats of :mod:`coder.interop`) gets its row without a change here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QFileDialog, QGridLayout, QLineEdit, QPushButton, QWidget

from coder.export.formats import FORMATS, Format

#: How the dialog names the formats it knows (others show their registered name).
LABELS = {
    "xlsx": "Excel (xlsx)",
    "csv": "CSV folder",
    "sav": "SPSS (sav)",
    "boris": "BORIS project",
    "eaf": "ELAN (eaf) folder",
    "sds": "GSEQ (sds)",
}

#: Asks for a file or folder for a format, starting at a path; None when cancelled.
AskPath = Callable[[Format, Path], Path | None]


def is_folder(fmt: Format) -> bool:
    """Whether ``fmt`` writes into a folder (its flag takes a DIR) rather than one file."""
    return fmt.metavar.upper() in {"DIR", "FOLDER"}


def default_target(fmt: Format, project_path: Path) -> Path:
    """Where ``fmt`` goes unless the user says otherwise: beside the project, named after it."""
    stem = project_path.stem
    if is_folder(fmt):
        return project_path.with_name(f"{stem}_{fmt.name}")
    return project_path.with_name(f"{stem}.{fmt.name}")


def existing_targets(targets: Mapping[str, Path]) -> list[Path]:
    """The files the chosen targets would replace (each format says which paths it creates)."""
    found: list[Path] = []
    for name, target in targets.items():
        found.extend(path for path in FORMATS[name].targets(target) if path.exists())
    return found


def ask_path_dialog(parent: QWidget | None) -> AskPath:
    """An :data:`AskPath` answered with Qt's file dialogs (the replace question comes later,
    from the export dialog itself, for every file at once)."""

    def ask(fmt: Format, start: Path) -> Path | None:
        title = f"Export {fmt.name}: {fmt.help}"
        if is_folder(fmt):
            chosen = QFileDialog.getExistingDirectory(parent, title, str(start.parent))
        else:
            chosen, _ = QFileDialog.getSaveFileName(
                parent,
                title,
                str(start),
                f"{fmt.name} files (*.{fmt.name});;All files (*)",
                options=QFileDialog.Option.DontConfirmOverwrite,
            )
        return Path(chosen) if chosen else None

    return ask


class FormatRows(QWidget):
    """A tick, a path field and a Browse button for each export format."""

    def __init__(
        self,
        project_path: Path,
        ask_path: AskPath,
        parent: QWidget | None = None,
        formats: Iterable[Format] | None = None,
    ) -> None:
        super().__init__(parent)
        self._ask_path = ask_path
        self.ticks: dict[str, QCheckBox] = {}
        self.fields: dict[str, QLineEdit] = {}
        self.buttons: dict[str, QPushButton] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        for row, fmt in enumerate(formats if formats is not None else FORMATS.values()):
            tick = QCheckBox(LABELS.get(fmt.name, fmt.name), self)
            tick.setToolTip(fmt.help)
            tick.setChecked(fmt.name == "xlsx")
            field = QLineEdit(str(default_target(fmt, project_path)), self)
            field.setToolTip(f"{'folder' if is_folder(fmt) else 'file'}: {fmt.help}")
            field.setPlaceholderText("folder" if is_folder(fmt) else "file")
            field.textEdited.connect(lambda _text, t=tick: t.setChecked(True))
            browse = QPushButton("Browse…", self)
            browse.clicked.connect(lambda _=False, f=fmt: self._browse(f))
            grid.addWidget(tick, row, 0)
            grid.addWidget(field, row, 1)
            grid.addWidget(browse, row, 2)
            self.ticks[fmt.name], self.fields[fmt.name] = tick, field
            self.buttons[fmt.name] = browse
        grid.setColumnStretch(1, 1)

    def choose(self, name: str, target: Path | str | None) -> None:
        """Tick format ``name`` with ``target`` (None: untick it)."""
        self.ticks[name].setChecked(target is not None)
        if target is not None:
            self.fields[name].setText(str(target))

    def targets(self) -> dict[str, Path]:
        """The ticked formats with a path, by name."""
        return {
            name: Path(field.text().strip()).expanduser()
            for name, field in self.fields.items()
            if self.ticks[name].isChecked() and field.text().strip()
        }

    def blank(self) -> list[str]:
        """The ticked formats whose path is empty."""
        return [
            n for n, f in self.fields.items() if self.ticks[n].isChecked() and not f.text().strip()
        ]

    def _browse(self, fmt: Format) -> None:
        chosen = self._ask_path(fmt, Path(self.fields[fmt.name].text().strip() or "."))
        if chosen is not None:
            self.choose(fmt.name, chosen)
