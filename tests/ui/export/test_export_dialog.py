"""File → Export…: choose formats and passes, export in the background, read the files back."""

from __future__ import annotations

import threading
from pathlib import Path

import openpyxl
import pytest
from PySide6.QtCore import Qt

from coder.export import formats
from coder.project import Project
from tests.export.study import Study, make_study
from ui.export import ExportDialog

WAIT_MS = 15_000


class Answers:
    """The injected ``confirm`` (answers as told, records what was asked) and ``error``."""

    def __init__(self) -> None:
        self.replace = False
        self.asked: list[tuple[str, str]] = []
        self.errors: list[tuple[str, str]] = []

    def confirm(self, title: str, text: str) -> bool:
        self.asked.append((title, text))
        return self.replace

    def error(self, title: str, text: str) -> None:
        self.errors.append((title, text))


@pytest.fixture(scope="module")
def study(tmp_path_factory: pytest.TempPathFactory) -> Study:
    return make_study(tmp_path_factory.mktemp("study"))


@pytest.fixture
def project(study: Study):
    with Project.open(study.path) as opened:
        yield opened


@pytest.fixture
def answers() -> Answers:
    return Answers()


@pytest.fixture
def dialog(qtbot, project: Project, answers: Answers) -> ExportDialog:
    made = ExportDialog(project, None, confirm=answers.confirm, error=answers.error)
    qtbot.addWidget(made)
    made.show()
    return made


def run(qtbot, dialog: ExportDialog) -> None:
    """Press Export and wait for the job to end."""
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.running
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)


def rows(path: Path, sheet: str) -> list[dict[str, object]]:
    table = openpyxl.load_workbook(path, read_only=True)[sheet]
    values = list(table.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def test_the_dialog_offers_every_registered_format_with_a_path_and_browse(
    dialog: ExportDialog, project: Project
) -> None:
    assert set(dialog.formats.ticks) == set(formats.FORMATS)
    assert {"xlsx", "csv", "sav"} <= set(dialog.formats.fields)
    assert dialog.formats.targets() == {"xlsx": project.path.with_suffix(".xlsx")}
    assert all(b.text() == "Browse…" for b in dialog.formats.buttons.values())


def test_exporting_xlsx_in_the_background_writes_the_workbook_to_the_frame(
    qtbot, dialog: ExportDialog, answers: Answers, tmp_path: Path
) -> None:
    target = tmp_path / "studie.xlsx"
    dialog.formats.choose("xlsx", target)
    run(qtbot, dialog)
    assert answers.errors == []
    assert answers.asked == []
    events = rows(target, "Events")
    looks = [e for e in events if e["coder"] == "AB" and e["behaviour"] == "look_cg"]
    assert [(e["onset_frame"], e["offset_frame"], e["onset_s"]) for e in looks] == [(10, 30, 0.4)]
    assert {e["coder"] for e in events} == {"AB"}  # CD's pass is empty, MM's the master
    assert dialog.bar.value() == dialog.bar.maximum()
    assert str(target) in dialog.result.text()
    assert "Wrote 1 file from 3 coding passes" in dialog.result.text()
    assert not list(tmp_path.glob(".*partial*"))


def test_filters_choose_the_passes_and_the_master_can_be_included(
    qtbot, dialog: ExportDialog, study: Study, tmp_path: Path
) -> None:
    target = tmp_path / "filtered.xlsx"
    dialog.formats.choose("xlsx", target)
    observations = dialog.choice.observations
    for i in range(observations.count()):  # only the first (constant frame rate) video
        item = observations.item(i)
        keep = item.data(Qt.ItemDataRole.UserRole) == str(study.cfr)
        item.setCheckState(Qt.CheckState.Checked if keep else Qt.CheckState.Unchecked)
    dialog.choice.include_master.setChecked(True)
    dialog.choice.status.setCurrentText("in progress only")
    run(qtbot, dialog)
    events = rows(target, "Events")
    assert {(e["observation_id"], e["coder"]) for e in events} == {
        (study.cfr, "AB"),
        (study.cfr, "MM"),
    }
    about = {r["item"]: r["value"] for r in rows(target, "About")}
    assert about["filter: observations"] == str(study.cfr)
    assert about["filter: status"] == "in_progress"
    assert about["filter: master passes"] == "included"


def test_an_existing_file_is_kept_without_confirmation_and_replaced_with_it(
    qtbot, dialog: ExportDialog, answers: Answers, tmp_path: Path
) -> None:
    target = tmp_path / "old.xlsx"
    target.write_bytes(b"an older export")
    dialog.formats.choose("xlsx", target)
    answers.replace = False
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert not dialog.running
    assert len(answers.asked) == 1
    assert str(target) in answers.asked[0][1]
    assert target.read_bytes() == b"an older export"
    assert "Nothing was written" in dialog.result.text()

    answers.replace = True
    run(qtbot, dialog)
    assert len(answers.asked) == 2
    assert answers.errors == []
    assert rows(target, "Events")  # a workbook now


def test_csv_into_a_folder_asks_once_for_the_files_it_would_replace(
    qtbot, dialog: ExportDialog, answers: Answers, tmp_path: Path
) -> None:
    folder = tmp_path / "tables"
    dialog.formats.choose("xlsx", None)
    dialog.formats.choose("csv", folder)
    run(qtbot, dialog)
    assert (folder / "events.csv").is_file()
    answers.replace = True
    run(qtbot, dialog)
    ((title, text),) = answers.asked
    assert title == "Replace files?"
    assert "events.csv" in text


def test_an_export_that_cannot_be_made_is_said_naming_the_file(
    qtbot, dialog: ExportDialog, answers: Answers, tmp_path: Path
) -> None:
    target = tmp_path / "no such folder" / "out.xlsx"
    dialog.formats.choose("xlsx", target)
    run(qtbot, dialog)
    ((title, text),) = answers.errors
    assert title == "Export failed"
    assert str(target.parent) in text
    assert "Nothing was written" in dialog.result.text()
    assert dialog.export_button.isEnabled()


def test_choices_that_export_nothing_are_refused_in_the_dialog(
    qtbot, dialog: ExportDialog, answers: Answers
) -> None:
    dialog.formats.choose("xlsx", None)
    assert not dialog.start_export()
    assert "Tick at least one format" in dialog.result.text()
    dialog.formats.choose("xlsx", "")
    dialog.formats.fields["xlsx"].setText("")
    assert not dialog.start_export()
    assert "Give a file or folder for xlsx" in dialog.result.text()
    assert answers.errors == []


@pytest.mark.parametrize("how", ["cancel", "close"])
def test_cancel_or_closing_stops_the_export_and_leaves_no_file(
    qtbot, dialog: ExportDialog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    reached, release = threading.Event(), threading.Event()
    original = formats.FORMATS["xlsx"]

    def slow(context, path):  # the tables are built; writing waits for the test
        context.progress("writing", 0.5)
        reached.set()
        assert release.wait(10)
        context.progress("still writing", 0.6)  # raises JobCancelled after Cancel
        raise AssertionError("not cancelled")

    monkeypatch.setitem(
        formats.FORMATS, "xlsx", formats.Format("xlsx", "FILE", original.help, slow)
    )
    target = tmp_path / "cancelled.xlsx"
    dialog.formats.choose("xlsx", target)
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(reached.is_set, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: dialog.bar.value() == 500, timeout=WAIT_MS)
    closed: list[int] = []
    dialog.finished.connect(closed.append)
    if how == "cancel":
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    else:
        dialog.reject()  # the window's close button: hidden now, closed once the job ends
        assert not dialog.isVisible()
        assert closed == []
    release.set()
    qtbot.waitUntil(lambda: not dialog.running, timeout=WAIT_MS)
    assert closed == ([] if how == "cancel" else [0])
    assert "cancelled" in dialog.result.text()
    assert not target.exists()
