"""Screenshots of File → Export… and File → Plot… on the demo project (coded by two coders).

    DISPLAY=:96 .venv/bin/python -m tests.ui.export.make_screenshots docs/

Writes ``export_dialog.png`` (after an export to xlsx) and ``export_plot.png`` (coder AB's
timeline).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from PySide6.QtWidgets import QApplication

from coder.demo import make_demo_project
from coder.project import Project
from tests.export.make_demo_plots import code
from ui.export import ExportDialog, PlotView


def wait(app: QApplication, done, limit_s: float = 20.0) -> None:
    import time

    end = time.monotonic() + limit_s
    while not done() and time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    for _ in range(20):
        app.processEvents()


def main(folder: Path) -> None:
    app = QApplication.instance() or QApplication(sys.argv)
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        path = make_demo_project(Path(work))
        with Project.open(path) as project:
            (obs,) = project.observations
            first = project.start_coding(obs, "AB")
            code(first)
            for frame in (130, 330):  # two keypresses on top of the scripted coding
                first.toggle("cg_respond", frame)
            first.mark_done()
            code(project.start_coding(obs, "CD"), shift=3, skip=3)

            dialog = ExportDialog(project, None, confirm=lambda _t, _m: True)
            dialog.show()
            dialog.start_export()
            wait(app, lambda: not dialog.running)
            dialog.grab().save(str(folder / "export_dialog.png"))
            print(folder / "export_dialog.png", dialog.result.text().splitlines()[0])

            ab = next(i for i in project.passes() if i.coder.initials == "AB")
            view = PlotView(project, None, coding=ab.id)
            view.resize(1200, 680)
            view.show()
            wait(app, lambda: view.figure is not None and not view.drawing)
            view.grab().save(str(folder / "export_plot.png"))
            print(folder / "export_plot.png")
            if len(sys.argv) > 2:  # a look at the time budget too, into another folder
                view.kind.setCurrentIndex(1)
                wait(app, lambda: view.figure is not None and not view.drawing)
                view.grab().save(sys.argv[2])
            dialog.close()
            view.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
