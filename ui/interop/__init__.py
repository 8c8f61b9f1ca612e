"""File → Import…: other tools' files (BORIS, ELAN, events tables) into a project."""

from ui.interop.dialog import ImportDialog
from ui.interop.launch import open_import
from ui.interop.work import ImportOutcome, ImportRequest, check_file, run_import

__all__ = [
    "ImportDialog",
    "ImportOutcome",
    "ImportRequest",
    "check_file",
    "open_import",
    "run_import",
]
