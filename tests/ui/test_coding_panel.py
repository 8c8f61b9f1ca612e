"""The coding panel: every behaviour with its key, counts, and open states lit up."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from tests.core.session_fixtures import make_session
from ui.panels.coding_panel import CODE_ROLE, COUNT, KEY, KIND, NAME, CodingPanel
from ui.window.session_bridge import SessionBridge


@pytest.fixture
def coded(qtbot):
    session, _ = make_session()
    panel = CodingPanel(SessionBridge(session))
    qtbot.addWidget(panel)
    panel.resize(360, 420)
    panel.show()
    qtbot.waitExposed(panel)
    return session, panel


def test_behaviours_are_listed_under_subjects_with_exclusive_groups_named(coded):
    _, panel = coded
    tree = panel.tree
    subjects = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert subjects == ["Infant", "Caregiver"]
    gaze = panel.item("look_cg").parent()
    assert gaze.text(0) == "Infant gaze — one at a time"
    assert [gaze.child(i).text(NAME) for i in range(gaze.childCount())] == [
        "Look at caregiver",
        "Look at object",
        "Look away",
    ]
    assert panel.item("cry").parent().text(0) == "Voice"
    assert panel.item("touch").parent().text(0) == "Caregiver"
    reach = panel.item("reach")
    assert (reach.text(KEY), reach.text(NAME), reach.text(KIND)) == ("r", "Reach", "point")
    assert not reach.icon(KEY).isNull()


def test_open_states_light_up_and_go_dark_when_stopped(coded):
    session, panel = coded
    session.start("look_cg", 10)
    assert panel.is_lit("look_cg")
    assert panel.item("look_cg").text(KIND) == "● on"
    assert panel.item("look_cg").background(NAME).style() != Qt.BrushStyle.NoBrush
    assert panel.item("look_cg").font(NAME).bold()
    session.start("look_obj", 20)
    assert not panel.is_lit("look_cg")
    assert panel.is_lit("look_obj")
    assert panel.item("look_cg").text(KIND) == "state"
    assert panel.item("look_cg").background(NAME).style() == Qt.BrushStyle.NoBrush
    session.undo()
    assert panel.is_lit("look_cg")
    assert not panel.is_lit("look_obj")


def test_counts_follow_commands(coded):
    session, panel = coded
    session.point("reach", 5)
    session.point("reach", 9)
    session.start("cry", 3)
    assert panel.count("reach") == 2
    assert panel.item("reach").text(COUNT) == "2"
    assert panel.item("cry").text(COUNT) == "1"
    session.undo()
    session.undo()
    assert panel.item("reach").text(COUNT) == "1"
    assert panel.item("cry").text(COUNT) == "0"


def test_clicking_a_behaviour_asks_to_code_it_and_selects_it(coded, qtbot):
    session, panel = coded
    tree = panel.tree
    seen: list[object] = []
    panel.selectionChanged.connect(seen.append)
    rect = tree.visualItemRect(panel.item("touch"))
    with qtbot.waitSignal(panel.behaviourActivated) as signal:
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == ["touch"]
    assert panel.selected_behaviour() == "touch"
    with qtbot.waitSignal(panel.behaviourActivated):
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen == ["touch"]
    assert session.events == ()


def test_clicking_a_heading_codes_nothing(coded, qtbot):
    _, panel = coded
    tree = panel.tree
    heading = tree.topLevelItem(0)
    activated: list[str] = []
    panel.behaviourActivated.connect(activated.append)
    rect = tree.visualItemRect(heading)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert activated == []
    assert panel.selected_behaviour() is None


def test_select_behaviour_by_code(coded):
    _, panel = coded
    panel.select_behaviour("vocal")
    assert panel.selected_behaviour() == "vocal"
    panel.select_behaviour(None)
    assert panel.selected_behaviour() is None
    with pytest.raises(ValueError, match="no behaviour 'nope'"):
        panel.select_behaviour("nope")


def test_a_command_on_one_event_changes_only_its_behaviours_count(coded):
    session, panel = coded
    session.start("look_cg", 1)
    tree = panel.tree
    changed: list[tuple[str, int]] = []

    def seen(top, bottom, *_):
        assert top == bottom  # one cell at a time
        changed.append((tree.itemFromIndex(top).data(0, CODE_ROLE), top.column()))

    tree.model().dataChanged.connect(seen)
    reach = session.point("reach", 5)
    assert changed == [("reach", COUNT)]
    changed.clear()
    session.nudge(reach.id, "onset", 2)  # same behaviour, same count: nothing to repaint
    session.edit_event(reach.id, comment="again")
    assert changed == []
    session.edit_event(reach.id, behaviour="vocal")
    assert sorted(changed) == [("reach", COUNT), ("vocal", COUNT)]
    assert (panel.count("reach"), panel.count("vocal")) == (0, 1)
