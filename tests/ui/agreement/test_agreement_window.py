"""The agreement window: compute in the background, read the table, the heat map and the
two-coder timeline, and seek the coding window from it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from sklearn.metrics import cohen_kappa_score

from coder.project import Project
from tests.ui.agreement.study import FRAMES, GAZE_UNITS, MASTER, OTHER, make_study
from ui.agreement import AgreementWindow, compute
from ui.agreement.compute import MASTER as MASTER_PASS
from ui.agreement.lanes import ROW_GAP
from ui.agreement.table import COLUMNS, FAIL_COLOUR, PASS_COLOUR
from ui.agreement.timeline import LABEL_WIDTH

LEFT = Qt.MouseButton.LeftButton
WAIT_MS = 10_000


class Seeks(list):
    def __call__(self, observation: int, frame: int) -> None:
        self.append((observation, frame))


@pytest.fixture
def study(tmp_path: Path) -> tuple[Project, int]:
    path, observation = make_study(tmp_path)
    project = Project.open(path)
    yield project, observation
    project.close()


@pytest.fixture
def opened(qtbot, study):
    project, observation = study
    seeks = Seeks()
    errors: list[tuple[str, str]] = []
    window = AgreementWindow(project, seeks, error=lambda t, m: errors.append((t, m)))
    qtbot.addWidget(window)
    window.resize(1280, 720)
    window.show()
    qtbot.waitExposed(window)
    return window, observation, seeks, errors


def computed(qtbot, window: AgreementWindow) -> AgreementWindow:
    with qtbot.waitSignal(window.result_shown, timeout=WAIT_MS):
        qtbot.mouseClick(window.compute_button, LEFT)
    return window


def cell(window: AgreementWindow, measure: str, column: str) -> tuple[str, QColor | None]:
    model = window.model
    for row in range(model.rowCount()):
        if model.index(row, 1).data().startswith(measure):
            index = model.index(row, COLUMNS.index(column))
            return index.data(), index.data(Qt.ItemDataRole.BackgroundRole)
    raise AssertionError(f"no row for {measure}")


def test_the_master_pass_is_the_default_reference_against_the_other_coder(opened) -> None:
    window, observation, _, _ = opened
    choice = window.choice()
    assert (choice.reference, choice.other) == (MASTER_PASS, OTHER)
    assert choice.observations == (observation,)
    assert window.reference.currentText() == "Master pass"


def test_computing_shows_the_gaze_kappa_below_criterion_in_words_and_colour(qtbot, opened) -> None:
    window, _, _, errors = opened
    computed(qtbot, window)
    expected = cohen_kappa_score(GAZE_UNITS[MASTER], GAZE_UNITS[OTHER])
    assert expected == pytest.approx(0.6154, abs=1e-4)
    kappa, kappa_bg = cell(window, "Infant gaze", "Time-unit κ")
    assert kappa == f"{expected:.2f}" == "0.62"
    assert kappa_bg == QColor(FAIL_COLOUR)  # below .70, so the figure itself is marked
    verdict, verdict_bg = cell(window, "Infant gaze", "Verdict")
    assert verdict == "✗ below criterion"
    assert verdict_bg == QColor(FAIL_COLOUR)
    assert cell(window, "Infant gaze", "% units")[0] == "80%"
    assert cell(window, "Infant cues", "Paired")[0] == "1 of 3"
    sens, sens_bg = cell(window, "Sensitivity", "Verdict")  # 7 against 6: within one point
    assert (sens, sens_bg) == ("✓ pass", QColor(PASS_COLOUR))
    assert "below criterion" in window.headline.text()
    assert errors == []


def test_the_timeline_marks_the_units_coded_differently_and_the_unpaired_events(
    qtbot, opened
) -> None:
    window, observation, _, _ = opened
    computed(qtbot, window)
    content = window.timeline.content
    assert content is not None
    assert (content.observation_id, content.coder_a, content.coder_b) == (observation, "MM", "AB")
    bands = {
        (b.group, b.span.code, round(b.start), round(b.end), b.span.a, b.span.b)
        for b in content.bands
    }
    assert bands == {
        ("gaze", None, 100, 150, "object", "look"),  # the whole exclusive group
        ("cues", "reach", 100, 125, "present", "absent"),  # only MM reached
        ("cues", "cry", 200, 225, "absent", "present"),
    }
    gaze = next(b for b in content.bands if b.group == "gaze")
    rows = {content.rows[i].code for i in range(gaze.first, gaze.last + 1)}
    assert rows == {"look", "object"}
    unmatched = {
        (b.lane, b.event.behaviour, b.event.onset.frame, b.pair.kind)
        for b in content.bars
        if b.unmatched
    }
    assert unmatched == {(0, "reach", 120, "omission"), (1, "cry", 200, "commission")}
    links = {(lk.pair.kind, lk.pair.a.onset.frame, lk.pair.b.onset.frame) for lk in content.links}
    assert links == {("match", 0, 0), ("match", 100, 140), ("match", 30, 35)}


def test_the_band_is_painted_where_the_coders_differ_and_nowhere_else(qtbot, opened) -> None:
    window, _, _, _ = opened
    computed(qtbot, window)
    timeline = window.timeline
    content = timeline.content
    assert content is not None
    image = timeline.grab().toImage()
    row = timeline.row_rect(content.row_of("gaze", "object"))
    y = int(row.top()) + ROW_GAP // 2 - 1  # the gap above the lanes: only the band paints there
    inside = QColor(image.pixel(int(timeline.x_of(125)), y))
    outside = QColor(image.pixel(int(timeline.x_of(60)), y))
    assert outside == timeline.palette().base().color()
    assert inside != outside
    assert inside.red() > inside.blue()  # the amber tint


def test_a_click_seeks_to_the_frame_under_it_or_to_the_onset_of_the_event_clicked(
    qtbot, opened
) -> None:
    window, observation, seeks, _ = opened
    computed(qtbot, window)
    timeline = window.timeline
    content = timeline.content
    assert content is not None
    look = timeline.row_rect(content.row_of("gaze", "look"))
    empty = QPoint(int(timeline.x_of(180.5)), int(look.top()) + 1)
    qtbot.mouseClick(timeline, LEFT, pos=empty)
    reach = next(b for b in content.bars if b.event.behaviour == "reach")
    spot = timeline.bar_rect(reach).center().toPoint()
    qtbot.mouseClick(timeline, LEFT, pos=spot + QPoint(2, 0))  # near the 3 px tick is on it
    qtbot.mouseClick(timeline, LEFT, pos=QPoint(LABEL_WIDTH - 20, spot.y()))  # the labels
    assert seeks == [(observation, 180), (observation, 120)]


def test_zooming_keeps_the_frame_under_the_pointer_and_fit_shows_everything(qtbot, opened) -> None:
    window, _, _, _ = opened
    computed(qtbot, window)
    timeline = window.timeline
    assert timeline.visible_frames() == pytest.approx((0, FRAMES))
    timeline.zoom_in()
    timeline.zoom_in()
    first, last = timeline.visible_frames()
    assert last - first == pytest.approx(FRAMES / 2.25)
    assert (first + last) / 2 == pytest.approx(FRAMES / 2)
    qtbot.keyClick(timeline, Qt.Key.Key_0)
    assert timeline.visible_frames() == pytest.approx((0, FRAMES))


def test_next_and_previous_difference_walk_the_places_the_coders_differ(qtbot, opened) -> None:
    window, observation, seeks, _ = opened
    computed(qtbot, window)
    frames = [window.step_difference(1) for _ in range(4)]
    assert frames == [100, 120, 200, 100]  # then round again
    assert window.step_difference(-1) == 200
    assert seeks == [(observation, f) for f in [100, 120, 200, 100, 200]]


def test_the_heat_map_shows_the_chosen_groups_units_or_its_aligned_events(qtbot, opened) -> None:
    window, _, _, _ = opened
    computed(qtbot, window)
    model = window.model
    gaze_row = next(r for r in range(model.rowCount()) if model.row(r).code == "gaze")
    window.table.selectRow(gaze_row)
    (units,) = window.heat.tables
    assert units.labels == ("Looks at caregiver", "Looks at object", "no code")
    assert units.table.counts.tolist() == [[4, 0, 0], [2, 4, 0], [0, 0, 0]]
    window.by_events.setChecked(True)
    (events,) = window.heat.tables
    assert events.labels[-1] == "no event"
    assert events.table.counts.tolist() == [[1, 0, 0], [0, 1, 0], [0, 0, 0]]
    assert window.heat.describe(0, 1, 0).endswith("they differ")


def test_two_named_coders_put_the_first_above_and_bad_input_is_said_in_the_window(
    qtbot, opened
) -> None:
    window, _, _, _ = opened
    window.unit.setCurrentText("soon")
    assert window.compute() is None
    assert "Unit: 'soon' is not a duration" in window.message.text()
    window.unit.setCurrentText("1s")
    window.reference.setCurrentIndex(window.reference.findData(OTHER))
    window.other.setCurrentIndex(window.other.findData(MASTER))
    computed(qtbot, window)
    content = window.timeline.content
    assert content is not None
    assert (content.coder_a, content.coder_b) == (OTHER, MASTER)
    unmatched = {(b.lane, b.pair.kind) for b in content.bars if b.unmatched}
    assert unmatched == {(1, "commission"), (0, "omission")}
    assert {b.event.behaviour for b in content.bars if b.unmatched and b.lane == 0} == {"cry"}


def test_the_window_answers_while_the_figures_are_computed_and_errors_reach_a_dialog(
    qtbot, opened, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, _, _, errors = opened
    release = threading.Event()
    real = compute.compute

    def slow(request, progress):
        assert release.wait(WAIT_MS / 1000)
        return real(request, progress)

    monkeypatch.setattr("ui.agreement.window.compute", slow)
    job = window.compute()
    assert job is not None
    qtbot.wait(50)  # the event loop runs: the window is not frozen
    assert window.computing
    assert not window.compute_button.isEnabled()
    assert window.compute() is None  # one computation at a time
    window.timeline.zoom_in()  # the view answers meanwhile
    release.set()
    qtbot.waitUntil(lambda: window.result is not None, timeout=WAIT_MS)
    assert window.compute_button.isEnabled()

    def broken(request, progress):
        raise ValueError("the figures could not be made")

    monkeypatch.setattr("ui.agreement.window.compute", broken)
    window.compute()
    qtbot.waitUntil(lambda: not window.computing, timeout=WAIT_MS)
    assert errors == [("Computing agreement failed", "the figures could not be made")]


def test_on_the_demo_the_trainees_missed_look_and_extra_fuss_are_marked_and_seekable(
    qtbot, tmp_path: Path
) -> None:
    from tests.ui.agreement.demo_passes import FPS, TRAINEE, make_two_coder_demo

    with Project.open(make_two_coder_demo(tmp_path)) as project:
        seeks = Seeks()
        window = AgreementWindow(project, seeks, error=lambda t, m: None)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        qtbot.waitExposed(window)
        assert window.choice().other == TRAINEE
        computed(qtbot, window)
        content = window.timeline.content
        assert content is not None
        unmatched = {
            (b.lane, b.event.behaviour, b.event.onset.frame) for b in content.bars if b.unmatched
        }
        assert (0, "gaze_caregiver", round(14.6 * FPS)) in unmatched  # missed: an omission
        assert (1, "fuss", round(8.8 * FPS)) in unmatched  # added: a commission
        fuss = next(b for b in content.bars if b.unmatched and b.event.behaviour == "fuss")
        window.timeline.click(window.timeline.bar_rect(fuss).center())
        assert seeks == [(project.observations[0].id, round(8.8 * FPS))]
        assert "commission by XY" in window.timeline.describe_at(
            window.timeline.bar_rect(fuss).center()
        )


def test_the_lab_lead_lowers_the_kappa_criterion_and_the_figures_are_judged_again(
    qtbot, opened, study
) -> None:
    window, _, _, errors = opened
    project, _ = study
    computed(qtbot, window)
    assert cell(window, "Infant gaze", "Verdict")[0] == "✗ below criterion"  # κ .62 < .70
    qtbot.mouseClick(window.criteria_button, LEFT)
    dialog = window.criteria_dialog
    assert dialog is not None
    assert (dialog.kappa.value(), dialog.icc.value(), dialog.within.value()) == (0.7, 0.8, 80)
    dialog.kappa.setValue(0.6)
    dialog.within.setValue(85)
    with qtbot.waitSignal(window.result_shown, timeout=WAIT_MS):
        qtbot.mouseClick(dialog.save_button, LEFT)
    assert project.setting("agreement.kappa_min") == "0.6"
    assert project.setting("agreement.within_one_min") == "0.85"
    assert cell(window, "Infant gaze", "Verdict") == ("✓ pass", QColor(PASS_COLOUR))
    assert "κ ≥ 0.60" in window.headline.text()
    assert errors == []


def test_criteria_of_a_read_only_project_are_shown_but_not_saved(qtbot, tmp_path: Path) -> None:
    path, _ = make_study(tmp_path)
    with Project.open(path) as project:
        project.set_setting("agreement.icc_min", "0.75")
    with Project.open(path, read_only=True) as project:
        window = AgreementWindow(project, Seeks(), error=lambda t, m: None)
        qtbot.addWidget(window)
        dialog = window.edit_criteria()
        assert dialog.icc.value() == pytest.approx(0.75)
        assert not dialog.save_button.isEnabled()
        dialog.reject()
