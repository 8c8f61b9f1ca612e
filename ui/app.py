"""Start the app: ``run_app(path)`` opens the window on a project, or on the bundled demo."""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

APP_NAME = "Attune"
ORGANISATION = "Attune"
DOMAIN = "attune.invalid"


def data_dir() -> Path:
    """The user's data folder for Attune (the demo lives here)."""
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def application() -> QApplication:
    """The running ``QApplication``, made (high-DPI ready, named for settings) if needed."""
    app = QApplication.instance()
    if isinstance(app, QApplication):
        return app
    QGuiApplication.setHighDpiScaleFactorRoundingPolicy(
        Qt.HighDpiScaleFactorRoundingPolicy.PassThrough
    )
    QCoreApplication.setApplicationName(APP_NAME)
    QCoreApplication.setOrganizationName(ORGANISATION)
    QCoreApplication.setOrganizationDomain(DOMAIN)
    app = QApplication(sys.argv[:1])
    app.setApplicationDisplayName(APP_NAME)
    return app


def run_app(project_path: Path | str | None, *, settings=None, demo_dir: Path | None = None) -> int:
    """Show the main window on ``project_path`` (or the demo) and run until it is closed.

    ``settings`` is an :class:`~ui.settings.AppSettings` (default: the user's own);
    ``demo_dir`` is where the demo is made on first run (default: :func:`data_dir`).
    Returns the exit status.
    """
    app = application()
    from ui.settings import AppSettings
    from ui.window.main_window import MainWindow

    settings = settings if settings is not None else AppSettings()
    window = MainWindow(settings)
    window.show()
    app.processEvents()
    if project_path is None and settings.flag("start/open_last_project"):
        # A lab server is not reopened by itself: it may be out of reach from here.
        recent = [p for p in settings.recent_projects if isinstance(p, Path) and p.is_file()]
        project_path = recent[0] if recent else None
    if project_path is not None:
        open_at_start(window, project_path)
    else:
        open_demo(window, demo_dir if demo_dir is not None else data_dir())
    return app.exec()


def open_at_start(window, path: Path | str) -> bool:
    """Open ``path`` as the app starts; whatever is wrong with it, the app starts all the same
    (it says what is wrong and shows the empty start window, from which another project can be
    opened). True when the project opened."""
    try:
        return bool(window.open_project(path))
    except Exception as exc:  # a project must never keep the app from starting
        with contextlib.suppress(Exception):  # the window is shown empty either way
            window.close_project()
        window.prompts.error(
            "Cannot open the project",
            f"{path}: {exc.__class__.__name__}: {exc}\n\nAttune started without it; open "
            "another project from the File menu, or run attune check on this one.",
        )
        window.status.note("No project is open: File → Open project… or File → New project…")
        return False


def open_demo(window, folder: Path) -> bool:
    """Make the demo project in ``folder`` if needed (first run) and open it in ``window``."""
    from coder.demo import CLIP_NAME, DEMO_FOLDER, PROJECT_NAME, ensure_demo_project

    demo = Path(folder) / DEMO_FOLDER
    if not (demo / PROJECT_NAME).is_file() or not (demo / CLIP_NAME).is_file():
        window.status.note("Preparing the demo project (first start only)…")
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    QApplication.processEvents()
    try:
        path = ensure_demo_project(folder)
    except Exception as exc:  # any failure here must leave a usable, empty window
        window.status.clear_message()
        window.prompts.error("Cannot make the demo project", f"{folder}: {exc}")
        return False
    finally:
        QApplication.restoreOverrideCursor()
    window.status.clear_message()  # the demo is ready: the note is no longer true
    return window.open_project(path)
