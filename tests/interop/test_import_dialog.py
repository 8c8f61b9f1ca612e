"""File → Import… in the app: check a file, import it in the background, open what was made."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow

from coder.project import Project
from coder.scheme import scheme_from_dict
from tests.interop.support import SCHEME
from ui.interop import ImportDialog, open_import
from ui.jobs import JobRunner

DATA = Path(__file__).resolve().parents[1] / "data" / "interop"
WAIT_MS = 15_000


class Errors:
    def __init__(self) -> None:
        self.shown: list[tuple[str, str]] = []

    def error(self, title: str, text: str) -> None:
        self.shown.append((title, text))


def _run(qtbot, dialog: ImportDialog, button) -> str:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert dialog.running
    qtbot.waitUntil(lambda: not dialog.running and dialog.outcome is not None, timeout=WAIT_MS)
    return dialog.result.toPlainText()


@pytest.fixture
def errors() -> Errors:
    return Errors()


def _dialog(qtbot, errors: Errors, **kwargs) -> ImportDialog:
    made = ImportDialog(None, error=errors.error, **kwargs)
    qtbot.addWidget(made)
    made.show()
    return made


def test_check_lists_every_problem_with_its_place_and_writes_nothing(
    qtbot, tmp_path: Path, errors: Errors
) -> None:
    shutil.copy(DATA / "bad_events.boris", tmp_path)
    dialog = _dialog(qtbot, errors)
    dialog.source.setText(str(tmp_path / "bad_events.boris"))
    assert dialog.into.text() == str(tmp_path / "bad_events.attune")
    assert not dialog.table_box.isEnabled()  # column options are for tables only
    text = _run(qtbot, dialog, dialog.check_button)
    assert "observations[\"s1\"].events[2][0]: '1.0s' is not a number" in text
    assert "observations[\"s1\"].events[3][2]: 'jump' is not a behaviour" in text
    text = _run(qtbot, dialog, dialog.import_button)
    assert "not imported" in text
    assert not (tmp_path / "bad_events.attune").exists()
    assert not dialog.open_button.isVisible()
    assert errors.shown == []


def test_import_into_a_new_project_then_open_it(qtbot, tmp_path: Path, errors: Errors) -> None:
    shutil.copy(DATA / "boris7_feeding.boris", tmp_path)
    opened: list[Path] = []
    dialog = _dialog(qtbot, errors, coder="JM", open_project=lambda p: opened.append(p) or True)
    dialog.source.setText(str(tmp_path / "boris7_feeding.boris"))
    text = _run(qtbot, dialog, dialog.check_button)
    assert text.startswith("BORIS project boris7_feeding.boris: 1 observations, 1 coding passes")
    assert not (tmp_path / "boris7_feeding.attune").exists()  # a check writes nothing
    text = _run(qtbot, dialog, dialog.import_button)
    assert text.startswith("Created boris7_feeding.attune: 1 coding passes, 6 events")
    assert "videos not found (C:/Users/lab/videos/P07_lunch.mp4)" in text
    assert dialog.open_button.isVisible()
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)
    assert opened == [tmp_path / "boris7_feeding.attune"]
    with Project.open(opened[0], read_only=True) as project:
        assert set(project.events_frame()["coder"]) == {"JM"}


def test_a_table_with_its_own_headers_in_frames_into_the_open_project(
    qtbot, tmp_path: Path, errors: Errors
) -> None:
    path = tmp_path / "ours.attune"
    Project.create(path, scheme_from_dict(SCHEME)).close()
    (tmp_path / "old.csv").write_text("Sitzung;Kode;Beginn;Ende\nv1;talk;10;35\nv1;cry;40;\n")
    dialog = _dialog(qtbot, errors, project_path=path, coder="AB")
    dialog.source.setText(str(tmp_path / "old.csv"))
    assert dialog.into.text() == str(path)  # the open project stays the target
    assert dialog.table_box.isEnabled()
    for field, header in (
        ("observation", "Sitzung"),
        ("code", "Kode"),
        ("onset", "Beginn"),
        ("offset", "Ende"),
    ):
        dialog.columns[field].setText(header)
    dialog.time_unit.setCurrentIndex(dialog.time_unit.findData("frames"))
    assert not dialog.start_import()
    assert dialog.result.toPlainText() == "Times in frames need the frame rate."
    dialog.fps.setValue(25.0)
    text = _run(qtbot, dialog, dialog.import_button)
    assert text.startswith("Imported into ours.attune: 1 coding passes, 2 events")
    assert "File → Choose observation" in text
    assert not dialog.open_button.isVisible()  # it is the window's project already
    with Project.open(path, read_only=True) as project:
        frame = project.events_frame()
    assert frame[["behaviour", "onset_frame", "onset_us"]].values.tolist() == [
        ["talk", 10, 400_000],
        ["cry", 40, 1_600_000],
    ]
    text = _run(qtbot, dialog, dialog.import_button)
    assert "already imported" in text  # the same file twice is refused


def test_codes_that_do_not_map_are_refused_until_a_map_file_is_given(
    qtbot, tmp_path: Path, errors: Errors
) -> None:
    path = tmp_path / "ours.attune"
    Project.create(path, scheme_from_dict(SCHEME)).close()
    shutil.copy(DATA / "boris8_play.boris", tmp_path)
    dialog = _dialog(qtbot, errors, project_path=path, coder="JM")
    dialog.source.setText(str(tmp_path / "boris8_play.boris"))
    text = _run(qtbot, dialog, dialog.import_button)
    assert "do not map onto the project's scheme" in text
    (tmp_path / "map.yaml").write_text("play: touch\n")
    dialog.map_file.setText(str(tmp_path / "map.yaml"))
    text = _run(qtbot, dialog, dialog.import_button)
    assert text.startswith("Imported into ours.attune: 2 coding passes, 4 events"), text


class Window(QMainWindow):
    """What the main window offers the dialog: its project, coder, jobs and prompts."""

    def __init__(self, project: Project | None, errors: Errors) -> None:
        super().__init__()
        self.project = project
        self.prompts = errors
        self.jobs = JobRunner(self, errors.error)
        self.opened: list[Path] = []

    @property
    def coder(self) -> str:
        return "XY"

    def open_project(self, path: str | Path) -> bool:
        self.opened.append(Path(path))
        return True


def test_open_import_from_the_window_browses_and_imports_into_its_project(
    qtbot, tmp_path: Path, errors: Errors
) -> None:
    path = tmp_path / "ours.attune"
    Project.create(path, scheme_from_dict(SCHEME)).close()
    (tmp_path / "t.csv").write_text("observation,code,onset,offset\nv2,talk,0.5,1.25\n")
    with Project.open(path) as project:
        window = Window(project, errors)
        qtbot.addWidget(window)
        asked: list[str] = []

        def ask(title: str, start: Path, _filter: str, save: bool) -> Path | None:
            asked.append(title)
            return tmp_path / "t.csv"

        dialog = open_import(window, ask_file=ask)
        assert dialog.isVisible()
        assert dialog.parent() is window
        assert (dialog.coder.text(), dialog.into.text()) == ("XY", str(path))
        qtbot.mouseClick(dialog.browse["source"], Qt.MouseButton.LeftButton)
        assert asked == ["Import a file"]
        assert dialog.source.text() == str(tmp_path / "t.csv")
        text = _run(qtbot, dialog, dialog.import_button)
        assert text.startswith("Imported into ours.attune: 1 coding passes, 1 events")
        assert [o.name for o in project.observations] == ["v2"]  # the window's copy sees it
        assert window.opened == []
