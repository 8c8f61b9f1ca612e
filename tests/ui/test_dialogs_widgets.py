"""The dialogs themselves: they refuse bad answers with a message and return plain answers."""

from __future__ import annotations

from PySide6.QtCore import QDeadlineTimer, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from coder.model import Coder, Media
from coder.scheme import load_scheme
from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    Key,
    code_offline,
    demo_fixture,
    demo_template_fixture,
    open_and_show,
    press,
    prompts_fixture,
    settings_fixture,
    small_project,
    window_fixture,
)
from ui.dialogs.answers import ObservationRow
from ui.dialogs.messages import error_box
from ui.dialogs.new_project import NewProjectDialog
from ui.dialogs.observation_picker import ObservationPicker
from ui.dialogs.preferences import PreferencesDialog
from ui.dialogs.prompts import DialogPrompts
from ui.dialogs.shortcut_sheet import ShortcutSheet
from ui.dialogs.who import WhoDialog
from ui.window.project_flow import observation_rows

RESPONSIVENESS = load_scheme("responsiveness")


def test_preferences_refuse_a_key_the_scheme_uses_naming_both(qtbot, settings):
    dialog = PreferencesDialog(settings, RESPONSIVENESS)
    qtbot.addWidget(dialog)
    dialog.set_keys("play_pause", ["g"])
    dialog.accept()
    assert not dialog.result()
    text = dialog.problem_text()
    assert '"g"' in text
    assert "Caregiver looks at infant" in text
    assert "Play / pause" in text
    assert settings.keymap_overrides == {}


def test_preferences_refuse_a_key_bound_twice_and_digits(qtbot, settings):
    dialog = PreferencesDialog(settings, None)
    qtbot.addWidget(dialog)
    dialog.set_keys("step_forward", ["Left"])
    assert 'Key "Left" is set for both "One frame forward" and "One frame back".' in (
        dialog.problems()
    )
    dialog.set_keys("step_forward", ["Right"])
    dialog.set_keys("go_start", ["3"])
    assert any("digits are kept for ratings" in p for p in dialog.problems())
    dialog.set_keys("go_start", ["["])
    assert any("marks episodes" in p for p in dialog.problems())
    dialog.restore_defaults()
    assert dialog.problems() == []


def test_preferences_store_only_changed_keys_and_the_window_uses_them(
    qtbot, window, demo, settings
):
    open_and_show(qtbot, window, demo)
    dialog = window.preferences_dialog()
    qtbot.addWidget(dialog)
    dialog.set_keys("play_pause", ["p"])
    dialog.accept()
    assert dialog.result()
    assert settings.keymap_overrides == {"play_pause": ("p",)}
    window.apply_preferences()
    press(qtbot, window, Key.Key_P)
    qtbot.waitUntil(lambda: window.player.is_playing, timeout=3000)
    press(qtbot, window, Key.Key_P)
    qtbot.waitUntil(lambda: not window.player.is_playing, timeout=3000)
    press(qtbot, window, Key.Key_Space)  # no longer bound
    assert not window.player.is_playing


def test_f1_shows_transport_and_scheme_keys_from_the_same_tables(qtbot, window, demo):
    open_and_show(qtbot, window, demo)
    press(qtbot, window, Key.Key_F1)
    sheet = window.findChild(ShortcutSheet)
    assert sheet is not None
    assert sheet.isVisible()
    text = sheet.text()
    for expected in ("Play / pause", "Space", "One frame forward", "Looks at caregiver", "0 – 9"):
        assert expected in text
    assert "Caregiver talks" in text


def test_sheet_without_a_scheme_says_where_the_keys_come_from(qtbot):
    sheet = ShortcutSheet({}, None)
    qtbot.addWidget(sheet)
    assert "Open an observation" in sheet.text()
    assert "Undo" in sheet.text()


def test_who_dialog_wants_initials(qtbot):
    dialog = WhoDialog([Coder("CD", "C. Doe", 2)], "", None)
    qtbot.addWidget(dialog)
    for bad in ("", "1x", "toolonginitials"):
        dialog.set_initials(bad)
        dialog.accept()
        assert not dialog.result()
    dialog.set_initials("cd")
    dialog.accept()
    assert dialog.result()
    assert dialog.answer().initials == "CD"
    assert dialog.answer().name == "C. Doe"  # a known coder keeps the name


def test_blind_picker_shows_only_the_coders_own_pass(qtbot, tmp_path):
    path = small_project(tmp_path / "p", "responsiveness", seconds=1)
    code_offline(path, "AB", "cry", 3)
    code_offline(path, "CD", "gaze_caregiver", 5)
    from coder.project import Project

    with Project.open(path) as project:
        blind_rows = observation_rows(project, "EF", blind=True)
        assert blind_rows[0].status == "not started"
        mine = observation_rows(project, "ab", blind=True)
        assert mine[0].status == "in progress, 1 event"
        project.set_blind(False)
        everyone = observation_rows(project, "EF", blind=False)
    assert "AB: in progress, 1 event" in everyone[0].status
    assert "CD: in progress, 1 event" in everyone[0].status

    picker = ObservationPicker(blind_rows, None, True)
    qtbot.addWidget(picker)
    assert picker.chosen_id() == blind_rows[0].observation_id
    assert picker.cell_texts()[0][0] == "Visit 1"
    assert picker.table.horizontalHeaderItem(4).text() == "Your pass"


def test_picker_selects_the_current_observation(qtbot):
    rows = [ObservationRow(i, f"Visit {i}", "", "v.mp4", "0:10", "") for i in (4, 7, 9)]
    picker = ObservationPicker(rows, 7, False)
    qtbot.addWidget(picker)
    assert picker.chosen_id() == 7


def test_new_project_dialog_never_overwrites_and_checks_the_scheme(qtbot, tmp_path):
    existing = tmp_path / "old.attune"
    existing.write_bytes(b"keep me")
    dialog = NewProjectDialog(tmp_path)
    qtbot.addWidget(dialog)
    dialog.set_values(existing, "responsiveness")
    dialog.accept()
    assert not dialog.result()
    assert "already exists" in dialog.problem
    bad_scheme = tmp_path / "bad.yaml"
    bad_scheme.write_text("name: x\nbehaviours: 3\n")
    dialog.set_values(tmp_path / "new", bad_scheme)
    dialog.accept()
    assert not dialog.result()
    assert "bad.yaml" in dialog.problem
    dialog.set_values(tmp_path / "new", "still_face")
    dialog.accept()
    assert dialog.result()
    answer = dialog.answer()
    assert answer.path == tmp_path / "new.attune"
    assert answer.scheme == "still_face"
    assert existing.read_bytes() == b"keep me"


def test_error_box_text_can_be_copied(qtbot):
    box = error_box(None, "Cannot open the project", "/data/x.attune: not a project file")
    qtbot.addWidget(box)
    assert "x.attune" in box.text()
    assert box.textInteractionFlags() & box.textInteractionFlags().TextSelectableByMouse


def answer_modal(action, timeout_ms: int = 5000) -> None:
    """Call ``action(dialog)`` on the next modal dialog; close it anyway after ``timeout_ms``."""
    deadline = QDeadlineTimer(timeout_ms)

    def attempt() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            action(dialog)
        elif not deadline.hasExpired():
            QTimer.singleShot(10, attempt)

    def watchdog() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is not None:
            dialog.close()

    QTimer.singleShot(0, attempt)
    QTimer.singleShot(timeout_ms, watchdog)


def test_the_real_prompts_show_their_dialogs_and_return_plain_answers(qtbot, tmp_path):
    parent = QWidget()
    qtbot.addWidget(parent)
    prompts = DialogPrompts(parent)

    answer_modal(lambda d: (d.set_initials("ef"), d.accept()))
    assert prompts.who_are_you([], "").initials == "EF"

    rows = [ObservationRow(5, "Visit 5", "P05", "v.mp4", "0:10", "not started")]
    answer_modal(lambda d: d.accept())
    assert prompts.pick_observation(rows, None, True) == 5

    answer_modal(lambda d: d.reject())
    assert prompts.relink(Media("v.mp4", "x", 10, 1, 1, 25.0), tmp_path / "v.mp4") is None

    answer_modal(lambda d: (d.set_values(tmp_path / "fresh", "responsiveness"), d.accept()))
    assert prompts.new_project(tmp_path).path == tmp_path / "fresh.attune"

    answer_modal(lambda box: box.buttons()[0].click())
    assert prompts.confirm("Question", "Go on?", ok="Go on") is True

    answer_modal(lambda box: box.accept())
    prompts.error("Cannot open the project", f"{tmp_path / 'x.attune'}: damaged")


def test_new_project_dialog_labels_read_as_words_and_lead_to_their_fields(qtbot, tmp_path):
    dialog = NewProjectDialog(tmp_path)
    qtbot.addWidget(dialog)
    label = dialog.path_label
    assert label.buddy() is not None
    assert label.buddy().text().endswith("study.attune")


def test_a_closed_dialog_gives_the_keys_back_to_the_window_that_asked(qtbot):
    parent = QWidget()
    other = QWidget()
    for widget in (parent, other):
        qtbot.addWidget(widget)
        widget.show()
        qtbot.waitExposed(widget)
    prompts = DialogPrompts(parent)

    def elsewhere_then_answer(box) -> None:
        other.activateWindow()  # the focus wandered off while the question was up
        box.buttons()[0].click()

    answer_modal(elsewhere_then_answer)
    assert prompts.confirm("Question", "Go on?", ok="Go on") is True
    qtbot.waitUntil(lambda: QApplication.activeWindow() is parent, timeout=2000)


def test_preferences_set_the_memory_for_decoded_frames(qtbot, settings):
    dialog = PreferencesDialog(settings, None)
    qtbot.addWidget(dialog)
    assert dialog.frame_cache.value() == settings.frame_cache_mb == 512
    dialog.frame_cache.setValue(2048)
    dialog.accept()
    assert settings.frame_cache_mb == 2048
    again = PreferencesDialog(settings, None)
    qtbot.addWidget(again)
    assert again.frame_cache.value() == 2048
    again.frame_cache.setValue(1)  # below the range: the box keeps it within
    assert again.frame_cache.value() == 32
