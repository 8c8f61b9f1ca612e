"""The rating panel: scales of the current segment, their anchors, and rating by key or click."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from coder.coding import SessionError
from coder.scheme import load_scheme
from tests.core.session_fixtures import make_session
from tests.instruments.fixtures import EAS4
from tests.instruments.fixtures import make_session as session_of
from ui.panels.rating_panel import UNRATED, RatingPanel, anchor_words, parts_text, scale_values
from ui.window.session_bridge import SessionBridge


@pytest.fixture
def rated(qtbot):
    session, _ = make_session()
    panel = RatingPanel(SessionBridge(session))
    qtbot.addWidget(panel)
    panel.resize(340, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return session, panel


def test_each_scale_shows_its_range_and_while_unrated_all_anchors(rated):
    _, panel = rated
    row = panel.row("sens")
    assert row.value_text == UNRATED
    assert row.anchor_text == "1: low\n5: mixed\n9: high"
    assert sorted(row.buttons) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert panel.row("prox").segment_text == "not rated here"
    assert panel.row("sens").segment_text == "in Whole session"
    assert panel.selected_scale() == "sens"
    assert panel.row("sens").is_selected
    assert not panel.row("coop").is_selected


def test_rating_the_selected_scale_shows_the_value_and_the_nearest_anchor(rated):
    session, panel = rated
    panel.rate_selected(4)
    assert session.rating("sens", "session").value == 4
    row = panel.row("sens")
    assert row.value_text == "4"
    assert row.anchor_text == "mixed"
    assert row.buttons[4].isChecked()
    assert not row.buttons[5].isChecked()
    panel.rate_selected(2)
    assert row.anchor_text == "low"
    session.undo()
    assert row.value_text == "4"
    session.undo()
    assert row.value_text == UNRATED


def test_the_segment_follows_the_playhead_and_whole_session_scales_stay(rated):
    session, panel = rated
    panel.select_next_scale()
    assert panel.selected_scale() == "coop"
    panel.set_position_us(3_000_000)
    assert panel.current_segment("coop") == "interval_2"
    assert panel.current_segment("sens") == "session"
    panel.rate_selected(6)
    assert session.rating("coop", "interval_2").value == 6
    assert session.rating("coop", "session") is None
    assert panel.row("coop").value_text == "6"
    panel.set_position_us(5_000_000)
    assert panel.current_segment("coop") == "interval_3"
    assert panel.row("coop").value_text == UNRATED
    assert panel.row("coop").segment_text == "in 0:04–0:06"


def test_an_episode_scale_rates_the_episode_under_the_playhead(rated, qtbot):
    session, panel = rated
    panel.select_scale("prox")
    panel.set_position_us(3_000_000)
    with qtbot.waitSignal(panel.errorOccurred) as signal:
        panel.rate_selected(3)
    assert "none of the segments" in signal.args[0]
    assert session.ratings == ()
    session.mark_episode("ep2", 50, 100)
    assert panel.current_segment("prox") == "ep2"
    assert panel.row("prox").segment_text == "in Still face"
    panel.rate_selected(3)
    assert session.rating("prox", "ep2").value == 3


def test_selection_cycles_through_the_scales_like_tab(rated, qtbot):
    _, panel = rated
    seen: list[object] = []
    panel.selectedScaleChanged.connect(seen.append)
    panel.select_next_scale()
    panel.select_next_scale()
    panel.select_next_scale()
    assert panel.selected_scale() == "sens"
    panel.select_previous_scale()
    assert panel.selected_scale() == "prox"
    panel.select_scale("prox")
    assert seen == ["coop", "prox", "sens", "prox"]
    assert panel.row("prox").is_selected
    assert not panel.row("sens").is_selected


def test_clicking_a_value_selects_the_scale_and_rates_it(rated, qtbot):
    session, panel = rated
    button = panel.row("coop").buttons[7]
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert panel.selected_scale() == "coop"
    assert session.rating("coop", "interval_1").value == 7
    assert button.isChecked()


def test_a_refused_rating_is_reported_and_nothing_is_rated(rated, qtbot):
    session, panel = rated
    with qtbot.waitSignal(panel.errorOccurred) as signal:
        panel.rate_selected(0)
    assert signal.args[0].startswith("Cannot rate Sensitivity 0:")
    assert "0 is not a value of sens" in signal.args[0]
    assert session.ratings == ()
    assert not any(b.isChecked() for b in panel.row("sens").buttons.values())


def test_a_refused_click_leaves_no_button_checked(rated, qtbot):
    session, panel = rated
    session.mark_done()
    button = panel.row("sens").buttons[3]
    with qtbot.waitSignal(panel.errorOccurred) as signal:
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert "marked done" in signal.args[0]
    assert not button.isChecked()


def test_an_earlier_interval_can_be_chosen_by_hand_until_the_playhead_moves_on(rated):
    session, panel = rated
    panel.select_scale("coop")
    panel.set_position_us(5_000_000)
    box = panel.segment_box
    assert box.currentData() == "interval_3"
    assert box.itemText(box.currentIndex()).endswith("← now")
    position = box.findData("interval_1")
    box.setCurrentIndex(position)
    box.activated.emit(position)
    assert panel.current_segment("coop") == "interval_1"
    panel.rate_selected(2)
    assert session.rating("coop", "interval_1").value == 2
    assert "· rated 2" in box.itemText(box.findData("interval_1"))
    assert "· not rated" in box.itemText(box.findData("interval_2"))
    panel.set_position_us(5_500_000)
    assert panel.current_segment("coop") == "interval_1"
    panel.set_position_us(6_000_000)
    assert panel.current_segment("coop") == "interval_4"
    assert box.currentData() == "interval_4"


def test_scale_values_and_anchor_words():
    session, _ = make_session()
    sens = session.scheme.scale("sens")
    assert scale_values(sens) == [1, 2, 3, 4, 5, 6, 7, 8, 9]
    assert anchor_words(sens, 7) == "mixed"
    assert anchor_words(sens, 8) == "high"
    assert anchor_words(session.scheme.scale("coop"), 3) == ""


@pytest.fixture
def eas(qtbot):
    session, _ = session_of(load_scheme("emotional_availability_4th"))
    panel = RatingPanel(SessionBridge(session))
    qtbot.addWidget(panel)
    panel.resize(360, 700)
    panel.show()
    qtbot.waitExposed(panel)
    return session, panel


def test_the_4th_edition_dimension_score_is_shown_live_as_its_components_are_rated(eas):
    session, panel = eas
    total = panel.row("sensitivity")
    assert total.buttons == {}  # computed: never typed
    assert total.value_text == UNRATED
    assert total.parts_text == "= – + – + – + – + – + – + –  (7 components to rate)"
    given = [5, 6, 2, 3, 1, 2, 3]
    for n, number in enumerate(given[:-1], 1):
        panel.select_scale(f"sens_{n}")
        panel.rate_selected(number)
    assert total.value_text == UNRATED
    assert total.parts_text == "= 5 + 6 + 2 + 3 + 1 + 2 + –  (1 component to rate)"
    panel.select_scale("sens_7")
    panel.rate_selected(3)
    assert total.value_text == "22"
    assert total.parts_text == "= 5 + 6 + 2 + 3 + 1 + 2 + 3"
    assert session.rating("sensitivity", "session").value == sum(given) == 22
    panel.rate_selected(1)
    assert total.value_text == "20"
    session.undo()
    session.undo()
    assert total.value_text == UNRATED
    assert total.parts_text.endswith("(1 component to rate)")


def test_tab_passes_computed_scales_by_and_typing_one_is_refused_in_words(eas, qtbot):
    _, panel = eas
    panel.select_scale("sens_7")
    panel.select_next_scale()
    assert panel.selected_scale() == "struct_1"
    assert panel.selected_scale() != "sensitivity"
    panel.select_scale("sensitivity")
    with qtbot.waitSignal(panel.errorOccurred) as blocker:
        panel.rate_selected(9)
    assert "is computed as the sum of Adult sensitivity 1 (holistic)" in blocker.args[0]


def test_parts_text_of_a_mean():
    hostility = EAS4.scale("hostility")
    assert parts_text(hostility, [4, 2.5]) == "= mean of 4, 2.5"
    assert parts_text(hostility, [None, 2.5]) == "= mean of –, 2.5  (1 component to rate)"
    session, _ = session_of(EAS4)
    with pytest.raises(SessionError):
        session.rate("hostility", 3)
