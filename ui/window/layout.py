"""Where the main window's panels go: the video in the middle, the behaviours and ratings on
the right, the timeline and the event table under the video. Sized for a 1366 × 768 laptop:
there the timeline is tall enough for every behaviour row of the demo scheme (two subjects,
fifteen behaviours, in compact rows) above the audio strip, and the event table shows a few
rows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QWidget

DOCKS = (
    ("coding", "Behaviours", Qt.DockWidgetArea.RightDockWidgetArea),
    ("ratings", "Ratings", Qt.DockWidgetArea.RightDockWidgetArea),
    ("timeline", "Timeline", Qt.DockWidgetArea.BottomDockWidgetArea),
    ("events", "Events", Qt.DockWidgetArea.BottomDockWidgetArea),
)
DEFAULT_SIZE = (1366, 768)
BOTTOM_SHARES = (0.43, 0.17)
"""Parts of the window's height for the timeline dock and the event table under the video."""


def placeholder(parent: QWidget) -> QLabel:
    """What a panel shows while no observation is open."""
    label = QLabel("Open an observation to code", parent)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    label.setEnabled(False)
    return label


def make_docks(window: QMainWindow) -> dict[str, QDockWidget]:
    """The four panels as dock widgets (named, so their layout can be saved and restored)."""
    docks = {}
    features = (
        QDockWidget.DockWidgetFeature.DockWidgetMovable
        | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        | QDockWidget.DockWidgetFeature.DockWidgetClosable
    )
    for name, title, area in DOCKS:
        dock = QDockWidget(title, window)
        dock.setObjectName(f"dock_{name}")
        dock.setFeatures(features)
        dock.setWidget(placeholder(window))
        window.addDockWidget(area, dock)
        docks[name] = dock
    return docks


def arrange(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """The default layout, at 1366 × 768 or the screen's size if that is smaller."""
    window.setCorner(Qt.Corner.BottomRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
    window.setCorner(Qt.Corner.TopRightCorner, Qt.DockWidgetArea.RightDockWidgetArea)
    window.splitDockWidget(docks["coding"], docks["ratings"], Qt.Orientation.Vertical)
    window.splitDockWidget(docks["timeline"], docks["events"], Qt.Orientation.Vertical)
    width, height = DEFAULT_SIZE
    screen = window.screen()
    if screen is not None:
        available = screen.availableGeometry()
        width, height = min(width, available.width()), min(height, available.height())
    window.resize(width, height)


def size_docks(window: QMainWindow, docks: dict[str, QDockWidget]) -> None:
    """Share the window between the video and the panels (once the window is laid out)."""
    width, height = window.width(), window.height()
    right = [docks["coding"], docks["ratings"]]
    bottom = [docks["timeline"], docks["events"]]
    window.resizeDocks(right[:1], [round(width * 0.3)], Qt.Orientation.Horizontal)
    window.resizeDocks(right, [round(height * 0.5), round(height * 0.4)], Qt.Orientation.Vertical)
    shares = [round(height * share) for share in BOTTOM_SHARES]
    window.resizeDocks(bottom, shares, Qt.Orientation.Vertical)
