"""The Q-sort panel: a sort by keyboard in two steps, the forced distribution refused until
it is met, undo, reopening the project, and the score against a criterion sort by hand."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt
from PySide6.QtGui import QAction, QDropEvent, QKeySequence
from PySide6.QtWidgets import QMainWindow

from coder.coding import SessionError
from coder.coding.qsort import placements_in
from coder.instruments import criterion_scores
from coder.model import CodingStatus
from coder.project import Project
from coder.scheme.parse import parse_scheme_text
from tests.instruments.fixtures import QSET, make_session, project_file
from ui.qsort import QSortPanel
from ui.qsort.piles import MIME
from ui.window.session_bridge import SessionBridge

NINE = parse_scheme_text(
    """\
name: Nine items
qsorts:
  - code: nine
    name: Nine-item set
    piles: 9
    per_pile: 1
    items:
      - {id: i1, text: Looks back while playing.}
      - {id: i2, text: Comes when upset.}
      - {id: i3, text: Shares toys.}
      - {id: i4, text: Follows requests.}
      - {id: i5, text: Wary of strangers.}
      - {id: i6, text: Smiles in passing.}
      - {id: i7, text: Settles quickly.}
      - {id: i8, text: Explores near the caregiver.}
      - {id: i9, text: Moves easily between play and the caregiver.}
    criteria:
      - code: security
        name: Security
        sort: {i1: 1, i2: 2, i3: 3, i4: 4, i5: 5, i6: 6, i7: 7, i8: 8, i9: 9}
"""
)


def panel_for(qtbot, session) -> QSortPanel:
    panel = QSortPanel(SessionBridge(session))
    qtbot.addWidget(panel)
    panel.resize(1100, 700)
    panel.show()
    qtbot.waitExposed(panel)
    panel.setFocus()
    return panel


def keys(qtbot, panel: QSortPanel, text: str) -> None:
    named = {"<": Qt.Key.Key_Left, ">": Qt.Key.Key_Right, "^": Qt.Key.Key_Up, "v": Qt.Key.Key_Down}
    for char in text:
        qtbot.keyClick(panel, named.get(char) or getattr(Qt.Key, f"Key_{char}"))


def test_a_sort_by_keyboard_refused_until_complete_undone_reopened_and_scored(
    qtbot, tmp_path
) -> None:
    path = tmp_path / "nine.attune"
    project, (obs,) = project_file(path, NINE)
    session = project.start_coding(obs, "KL")
    panel = panel_for(qtbot, session)
    assert panel.current_item() == "i1"
    assert panel.step_label.text().startswith("Step 1 of 2")
    keys(qtbot, panel, "111222333")  # step 1: three items with each of unlike, neither, like
    assert session.rough_placements("nine") == {f"i{n}": (n + 2) // 3 for n in range(1, 10)}
    assert panel.items_in("rough:3") == ["i7", "i8", "i9"]
    assert panel.items_in("unsorted") == []
    with pytest.raises(SessionError, match=r"9 items in no pile yet \(i1, i2, i3, i4, i5 and 4"):
        session.mark_done()
    assert panel.step_label.text().startswith("Step 2 of 2")
    assert panel.current_item() == "i1"
    assert panel.card_keys.text().startswith("1 pile 1 · 2 pile 2 · 3 pile 3")
    keys(qtbot, panel, "213123123")  # step 2: i1 → pile 2, i2 → 1, i3 → 3, i4..i9 → 4..9
    expected = {"i1": 2, "i2": 1, **{f"i{n}": n for n in range(3, 10)}}
    assert session.placements("nine") == expected
    assert panel.items_in("pile:1") == ["i2"]
    assert panel.step_label.text() == "Complete: every pile holds its number"
    assert panel.current_item() == "i9"
    keys(qtbot, panel, "<")  # i9 one pile lower: pile 8 over, pile 9 under
    assert panel.column("pile:8").count_label.text() == "2 / 1"
    assert panel.column("pile:8").bar.colour.name() == "#d9412b"
    with pytest.raises(SessionError) as refused:
        session.mark_done()
    assert "pile 8 holds 2 of 1 (1 over); pile 9 holds 0 of 1 (1 under)" in str(refused.value)
    assert panel.status_label.text().startswith("Not yet: pile 8 holds 2 of 1 (1 over)")
    assert session.undo() == "Place i9 in pile 8 (like)"
    assert panel.items_in("pile:9") == ["i9"]
    assert panel.column("pile:9").bar.colour.name() == "#2a9d5c"
    session.mark_done()
    assert "Done" in panel.step_label.text()
    project.close()

    with Project.open(path) as again:
        (info,) = again.passes()
        assert info.status is CodingStatus.DONE
        placements = placements_in(NINE.qsort("nine"), again.load_pass(info).ratings)
    assert placements == expected
    # By hand: criterion 1..9 and the sort 2 1 3 4 5 6 7 8 9 both have mean 5 and a sum of
    # squared deviations of 60; the cross products lose 25 (4·4 + 3·3) and gain 24 (3·4 + 4·3)
    # against the perfect 60, so r = 59 / 60.
    assert criterion_scores(NINE.qsort("nine"), placements) == {"security": pytest.approx(59 / 60)}


def test_arrows_walk_the_items_and_move_them_between_piles(qtbot) -> None:
    session, _ = make_session(NINE)
    panel = panel_for(qtbot, session)
    keys(qtbot, panel, "v")
    assert panel.current_item() == "i2"
    keys(qtbot, panel, ">")  # not sorted: → is like
    assert session.rough_placements("nine") == {"i2": 3}
    assert panel.current_item() == "i3"  # on to the next item not sorted
    keys(qtbot, panel, "^" * 3)
    assert panel.current_item() == "i1"
    keys(qtbot, panel, "v" * 8)
    assert panel.current_item() == "i2"  # the roughly sorted come after the unsorted
    keys(qtbot, panel, "<")  # like → neither
    assert session.rough_placements("nine") == {"i2": 2}
    qtbot.keyClick(panel, Qt.Key.Key_Delete)
    assert session.rough_placements("nine") == {}


def test_a_digit_without_meaning_is_refused_in_words(qtbot) -> None:
    session, _ = make_session(NINE)
    panel = panel_for(qtbot, session)
    with qtbot.waitSignal(panel.errorOccurred) as said:
        keys(qtbot, panel, "7")
    assert "press 1 unlike, 2 neither or 3 like" in said.args[0]
    assert session.ratings == ()
    panel.direct.setChecked(True)  # digits name the pile
    keys(qtbot, panel, "7")
    assert session.placements("nine") == {"i1": 7}


def test_dropping_a_card_places_the_item_and_redraws_from_the_session(qtbot) -> None:
    session, _ = make_session(QSET)
    panel = panel_for(qtbot, session)
    target = panel.column("pile:3").cards
    data = QMimeData()
    data.setData(MIME, b"c")
    drop = QDropEvent(
        QPointF(5, 5), Qt.DropAction.CopyAction | Qt.DropAction.MoveAction, data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )  # fmt: skip
    target.dropEvent(drop)
    assert drop.dropAction() == Qt.DropAction.CopyAction  # the source keeps its card
    assert session.placements("mini") == {"c": 3}
    assert panel.items_in("pile:3") == ["c"]
    assert "c" not in panel.items_in("unsorted")
    assert panel.current_item() == "c"
    mime = panel.column("pile:3").cards.mimeData([target.item(0)])
    assert bytes(mime.data(MIME).data()) == b"c"
    session.undo()
    assert panel.items_in("pile:3") == []


def test_pressing_a_card_makes_it_current_and_keeps_the_cards_for_a_drag(qtbot) -> None:
    session, _ = make_session(QSET)
    session.place("mini", "b", 2)
    panel = panel_for(qtbot, session)
    cards = panel.column("pile:2").cards
    card = cards.item(0)
    qtbot.mouseClick(
        cards.viewport(), Qt.MouseButton.LeftButton, pos=cards.visualItemRect(card).center()
    )
    assert panel.current_item() == "b"
    assert panel.card_text.text() == "Comes when upset."
    assert cards.item(0) is card  # not redrawn under the press
    keys(qtbot, panel, "3")  # the keys now move b
    assert session.placements("mini") == {"b": 3}


def test_the_panel_takes_its_keys_before_the_windows_shortcuts(qtbot) -> None:
    session, _ = make_session(NINE)
    window = QMainWindow()
    qtbot.addWidget(window)
    fired: list[bool] = []
    rate = QAction("Rate 1", window)
    rate.setShortcut(QKeySequence("1"))
    rate.triggered.connect(lambda: fired.append(True))
    window.addAction(rate)
    panel = QSortPanel(SessionBridge(session))
    window.setCentralWidget(panel)
    window.show()
    qtbot.waitExposed(window)
    panel.setFocus()
    qtbot.keyClick(panel, Qt.Key.Key_1)
    assert session.rough_placements("nine") == {"i1": 1}
    assert fired == []


def test_a_scheme_without_a_qsort_has_no_panel() -> None:
    from tests.instruments.fixtures import EAS4

    session, _ = make_session(EAS4)
    with pytest.raises(ValueError, match="has no Q-sort"):
        QSortPanel(SessionBridge(session))
