"""File → Export… and File → Plot…: the app's faces of :mod:`coder.export`."""

from ui.export.dialog import ExportDialog, ExportOutcome, run_export
from ui.export.plot_view import PlotView

__all__ = ["ExportDialog", "ExportOutcome", "PlotView", "run_export"]
