"""A scheme that codes no behaviours but rates per episode (the Strange Situation): every panel
says what to do instead of standing empty."""

from __future__ import annotations

from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    Key,
    open_and_show,
    press,
    prompts_fixture,
    settings_fixture,
    small_project,
    wait_frame,
    window_fixture,
)


def test_a_scheme_without_behaviours_says_how_to_mark_episodes_and_rate(qtbot, window, tmp_path):
    open_and_show(qtbot, window, small_project(tmp_path / "ss", "strange_situation", 2))
    hint = window.coding_panel.hint
    assert "no behaviours" in hint
    assert "[ starts the next episode" in hint
    assert not window.coding_panel.tree.isVisibleTo(window.coding_panel)


def test_the_timeline_band_name_fits_beside_no_behaviour_rows(qtbot, window, tmp_path):
    open_and_show(qtbot, window, small_project(tmp_path / "ss", "strange_situation", 2))
    timeline = window.timeline
    metrics = timeline.fontMetrics()
    room = timeline.geometry_now().label_width - metrics.averageCharWidth()
    assert room >= metrics.horizontalAdvance("Episodes")


def test_a_scale_outside_its_episodes_says_where_it_is_rated(qtbot, window, tmp_path):
    open_and_show(qtbot, window, small_project(tmp_path / "ss", "strange_situation", 2))
    panel = window.rating_panel
    row = panel.row("proximity_seeking")
    assert row.segment_text == "not rated here"
    assert "5 First reunion, 8 Second reunion" in row._words.text()
    assert row._words.isVisibleTo(row)
    assert panel.segment_box.placeholderText() == "none here"
    for frame in range(1, 5):  # episodes 1-4 on frames 0-3, the first reunion from frame 4
        press(qtbot, window, Key.Key_BracketLeft)
        press(qtbot, window, Key.Key_Right)
        wait_frame(qtbot, window, frame)
    press(qtbot, window, Key.Key_BracketLeft)
    assert [e.code for e in window.session.episodes] == ["ep1", "ep2", "ep3", "ep4", "ep5"]
    assert row.segment_text == "in 5 First reunion"
    press(qtbot, window, Key.Key_6)
    assert window.session.rating("proximity_seeking", "ep5").value == 6
    assert not row._words.text().startswith("Not rated here")


def test_a_scheme_without_scales_shows_no_segment_choice(qtbot, window, tmp_path):
    open_and_show(qtbot, window, small_project(tmp_path / "r", "responsiveness", 1))
    panel = window.rating_panel
    assert not panel.segment_box.isVisibleTo(panel)
