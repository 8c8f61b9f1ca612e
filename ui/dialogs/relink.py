"""A video of the observation is missing: search a folder for it by content, or pick the file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from coder.model import Media
from ui.dialogs.answers import RelinkAnswer


def _size_text(size: int) -> str:
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} bytes"


class RelinkDialog(QDialog):
    """Offers two ways to find a moved video; the caller checks the fingerprint."""

    def __init__(self, media: Media, expected: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Video not found")
        self._expected = expected
        self._answer: RelinkAnswer | None = None
        text = QLabel(
            f"<p><b>{Path(media.path).name}</b> is not where the project expects it:</p>"
            f"<p><tt>{expected}</tt></p>"
            f"<p>Attune can search a folder (and its subfolders) for the same recording "
            f"({_size_text(media.size_bytes)}, recognised by its content even if it was renamed), "
            f"or you can choose the file yourself. Your coding is safe either way.</p>",
            self,
        )
        text.setWordWrap(True)
        search = QPushButton("&Search a folder…", self)
        search.clicked.connect(self._search)
        pick = QPushButton("&Choose the file…", self)
        pick.clicked.connect(self._pick)
        buttons = QDialogButtonBox(self)
        buttons.addButton(search, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(pick, QDialogButtonBox.ButtonRole.ActionRole)
        skip = buttons.addButton("Open without video", QDialogButtonBox.ButtonRole.RejectRole)
        skip.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(buttons)
        self.resize(560, 240)

    def answer(self) -> RelinkAnswer | None:
        return self._answer

    def choose(self, answer: RelinkAnswer) -> None:
        """Close with ``answer`` (what the buttons do after asking for a folder or file)."""
        self._answer = answer
        self.accept()

    def _start(self) -> str:
        folder = self._expected.parent
        while not folder.exists() and folder != folder.parent:
            folder = folder.parent
        return str(folder)

    def _search(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Folder to search", self._start())
        if folder:
            self.choose(RelinkAnswer("search", Path(folder)))

    def _pick(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "The missing video", self._start())
        if path:
            self.choose(RelinkAnswer("file", Path(path)))
