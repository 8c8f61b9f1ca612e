"""The Q-sort panel: a coder sorts the items of a Q-sort after watching, by keys or by drag.

The current item is shown on its own card at the top; below it the rough piles of the first
step (not sorted, unlike, neither, like) and the piles of the sort, each filling up against the
number the forced distribution gives it. The sort runs in two steps, as Q-sorts are taught:

- an item not sorted yet: **1** unlike, **2** neither, **3** like (or **←** / **→**);
- an item with the unlike, neither or like items: **1 2 3** put it in the first, middle or last
  pile of its third (with nine piles, like: 7, 8 or 9);
- an item in a pile: **1–9** another pile, **←** / **→** one pile lower or higher.

**↑** / **↓** go to the previous or next item (not sorted first, then by pile), **Delete** takes
an item back, and with "Digits place in piles 1–9" ticked the digits always name the pile.
Cards can be dragged to any pile. Every placement is a session command: on disk when it
returns, undone by the window's Undo; the panel redraws from the session after each.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coder.coding.changes import Change
from coder.coding.session import SessionError
from coder.model import CodingStatus
from coder.scheme import QItem, QSort
from coder.scheme.model import ROUGH_NAMES
from ui.qsort.piles import UNSORTED, PileColumn
from ui.window.session_bridge import SessionBridge

DIGITS = {getattr(Qt.Key, f"Key_{n}"): n for n in range(1, 10)}
MOVES = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1}
STEPS = {Qt.Key.Key_Up: -1, Qt.Key.Key_Down: 1}
TAKE_BACK = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
PANEL_KEYS = {*DIGITS, *MOVES, *STEPS, *TAKE_BACK, Qt.Key.Key_Home}
"""Keys the panel takes while it has the focus (before the window's shortcuts)."""

Place = tuple[str, int]
"""Where an item lies: ("unsorted", 0), ("rough", 1–3) or ("pile", 1–piles)."""


class QSortPanel(QWidget):
    """Sorting one Q-sort of the pass's scheme into its piles."""

    errorOccurred = Signal(str)
    """A refused placement, in words for the coder."""
    currentItemChanged = Signal(str)

    def __init__(
        self, bridge: SessionBridge, qsort: str | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        scheme = bridge.session.scheme
        if not scheme.qsorts:
            raise ValueError(f"the scheme {scheme.name!r} has no Q-sort")
        self._bridge = bridge
        self.qsort: QSort = scheme.qsort(qsort) if qsort else scheme.qsorts[0]
        self._items = {item.id: item for item in self.qsort.items}
        self._current: str | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        title = QLabel(f"<b>{self.qsort.name}</b>", self)
        self.step_label = QLabel(self)
        self.direct = QCheckBox("Digits place in piles 1–9", self)
        self.direct.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.direct.setToolTip("Put items straight into a pile, without the three rough piles")
        self.direct.toggled.connect(lambda _: self._show_card())
        top.addWidget(title)
        top.addWidget(self.step_label, 1)
        top.addWidget(self.direct)
        layout.addLayout(top)
        layout.addWidget(self._make_card())
        rough = QHBoxLayout()
        names = ("Not sorted", *ROUGH_NAMES)
        targets = (UNSORTED, "rough:1", "rough:2", "rough:3")
        self.rough_columns = [
            PileColumn(target, name, self._dropped, self)
            for target, name in zip(targets, names, strict=True)
        ]
        for column in self.rough_columns:
            rough.addWidget(column)
        layout.addLayout(rough, 2)
        piles = QHBoxLayout()
        self.pile_columns = [
            PileColumn(f"pile:{n}", f"{n} {self.qsort.pile_name(n)}", self._dropped, self)
            for n in range(1, self.qsort.piles + 1)
        ]
        for column in self.pile_columns:
            piles.addWidget(column)
        layout.addLayout(piles, 3)
        self.status_label = QLabel(self)
        self.status_label.setWordWrap(True)
        layout.addWidget(self.status_label)
        for column in [*self.rough_columns, *self.pile_columns]:
            column.cards.itemPressed.connect(self._card_pressed)
        bridge.changed.connect(self._on_change)
        order = self.work_order()
        self._current = order[0] if order else None
        self._refresh()

    def _make_card(self) -> QFrame:
        card = QFrame(self)
        card.setFrameShape(QFrame.Shape.StyledPanel)
        box = QVBoxLayout(card)
        head = QHBoxLayout()
        self.card_id = QLabel(card)
        big = QFont(self.font())
        big.setBold(True)
        big.setPointSizeF(big.pointSizeF() * 1.4)
        self.card_id.setFont(big)
        self.card_place = QLabel(card)
        head.addWidget(self.card_id)
        head.addWidget(self.card_place, 1)
        box.addLayout(head)
        self.card_text = QLabel(card)
        self.card_text.setWordWrap(True)
        text_font = QFont(self.font())
        text_font.setPointSizeF(text_font.pointSizeF() * 1.2)
        self.card_text.setFont(text_font)
        box.addWidget(self.card_text)
        self.card_keys = QLabel(card)
        box.addWidget(self.card_keys)
        return card

    # ---------------------------------------------------------------- reading the sort
    def place_of(self, item: str) -> Place:
        session = self._bridge.session
        pile = session.placements(self.qsort.code).get(item)
        if pile is not None:
            return "pile", pile
        rough = session.rough_placements(self.qsort.code).get(item)
        return ("rough", rough) if rough is not None else (UNSORTED, 0)

    def work_order(self) -> list[str]:
        """Items not sorted yet, then the roughly sorted by rough pile, then those in piles by
        pile; each in the Q-sort's item order (what ↑ and ↓ walk through)."""
        rank = {UNSORTED: 0, "rough": 1, "pile": 2}
        ids = self.qsort.item_ids
        places = {i: self.place_of(i) for i in ids}
        return sorted(ids, key=lambda i: (rank[places[i][0]], places[i][1], ids.index(i)))

    def current_item(self) -> str | None:
        return self._current

    def set_current_item(self, item: str) -> None:
        if item not in self._items:
            raise ValueError(f"{item!r} is not an item of {self.qsort.name}")
        self._current = item
        self._refresh()
        self.currentItemChanged.emit(item)

    def items_in(self, target: str) -> list[str]:
        """The ids of the cards shown in ``target`` (``pile:N``, ``rough:N``, ``unsorted``)."""
        column = next(c for c in [*self.rough_columns, *self.pile_columns] if c.target == target)
        return column.cards.item_ids()

    def column(self, target: str) -> PileColumn:
        return next(c for c in [*self.rough_columns, *self.pile_columns] if c.target == target)

    # ---------------------------------------------------------------- commands
    def place(self, item: str, target: str) -> bool:
        """Put ``item`` into ``target``; a refusal is reported. True when it was done."""
        session, code = self._bridge.session, self.qsort.code
        kind, _, number = target.partition(":")
        try:
            if kind == "pile":
                session.place(code, item, int(number))
            elif kind == "rough":
                session.place_rough(code, item, int(number))
            elif self.place_of(item)[0] != UNSORTED:
                session.unplace(code, item)
        except SessionError as exc:
            if session.status is CodingStatus.DONE:
                self.errorOccurred.emit("This pass is marked done: reopen it to change the sort.")
            else:
                self.errorOccurred.emit(f"Cannot place {item}: {exc}")
            return False
        return True

    def _dropped(self, item: str, target: str) -> None:
        if item in self._items:
            self._current = item
            self.place(item, target)
            self._refresh()

    def _card_pressed(self, card: QListWidgetItem) -> None:
        """A card pressed becomes the current item; the piles are not redrawn, so the same
        press can go on into a drag of that card."""
        item = card.data(Qt.ItemDataRole.UserRole)
        if item not in self._items:
            return
        self._current = item
        for column in [*self.rough_columns, *self.pile_columns]:
            if column.cards is not card.listWidget():
                column.cards.clearSelection()
        self._show_card()
        self.setFocus()
        self.currentItemChanged.emit(item)

    # ---------------------------------------------------------------- keys
    def event(self, event: QEvent) -> bool:
        """Take the panel's keys before the window's shortcuts (digits rate, arrows step)."""
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            if plain and event.key() in PANEL_KEYS:
                event.accept()
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key not in PANEL_KEYS or event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            super().keyPressEvent(event)
            return
        event.accept()
        if key == Qt.Key.Key_Home or self._current is None:
            order = self.work_order()
            self._current = order[0] if order else None
        elif key in STEPS:
            order = self.work_order()
            at = order.index(self._current) + STEPS[key]
            self._current = order[max(0, min(at, len(order) - 1))]
        elif key in TAKE_BACK:
            self.place(self._current, UNSORTED)
        elif key in MOVES:
            self._move(self._current, MOVES[key])
        else:
            self._digit(self._current, DIGITS[key])
        self._refresh()
        if self._current is not None:
            self.currentItemChanged.emit(self._current)

    def _digit(self, item: str, digit: int) -> None:
        kind, number = self.place_of(item)
        if self.direct.isChecked() or kind == "pile":
            if digit > self.qsort.piles:
                self.errorOccurred.emit(f"There is no pile {digit}: use 1 to {self.qsort.piles}.")
            elif self.place(item, f"pile:{digit}") and kind != "pile":
                self._advance(item, kind)
            return
        if kind == UNSORTED:
            target = f"rough:{digit}" if digit <= 3 else ""
            wanted = "1 unlike, 2 neither or 3 like"
        else:
            third = self.qsort.thirds[number - 1]
            target = f"pile:{third[digit - 1]}" if digit <= len(third) else ""
            wanted = " or ".join(f"{n} (pile {p})" for n, p in enumerate(third, 1))
        if not target:
            self.errorOccurred.emit(
                f"Here {digit} means nothing: press {wanted}, or tick “Digits place in piles "
                "1–9” to name the pile."
            )
        elif self.place(item, target):
            self._advance(item, kind)

    def _move(self, item: str, step: int) -> None:
        kind, number = self.place_of(item)
        if kind == UNSORTED:
            if self.place(item, f"rough:{2 + step}"):
                self._advance(item, kind)
            return
        last = self.qsort.piles if kind == "pile" else 3
        if not 1 <= number + step <= last:
            where = "lowest" if step < 0 else "highest"
            of = "pile" if kind == "pile" else "of the three"
            self.errorOccurred.emit(f"{item} is in the {where} {of} already.")
            return
        self.place(item, f"{kind}:{number + step}")

    def _advance(self, item: str, was: str) -> None:
        """After ``item`` left ``was`` (not sorted / rough), go to the next item still there,
        or else the first of the next step."""
        order = self.qsort.item_ids
        start = order.index(item)
        rest = [*order[start + 1 :], *order[:start]]
        same = [i for i in rest if self.place_of(i)[0] == was]
        if same:
            self._current = same[0]
            return
        following = [i for i in self.work_order() if self.place_of(i)[0] != "pile"]
        self._current = following[0] if following else item

    # ---------------------------------------------------------------- showing
    def _on_change(self, change: Change) -> None:
        prefix = f"{self.qsort.code}."
        if change.status or any(scale.startswith(prefix) for scale, _ in change.ratings):
            self._refresh()

    def _refresh(self) -> None:
        session = self._bridge.session
        placed = session.placements(self.qsort.code)
        rough = session.rough_placements(self.qsort.code)
        items = self.qsort.items
        unsorted = [i for i in items if i.id not in placed and i.id not in rough]
        self.rough_columns[0].show_pile(unsorted, self._current)
        for n, column in enumerate(self.rough_columns[1:], 1):
            column.show_pile([i for i in items if rough.get(i.id) == n], self._current)
        for n, column in enumerate(self.pile_columns, 1):
            in_pile = [i for i in items if placed.get(i.id) == n]
            column.show_pile(in_pile, self._current, self.qsort.distribution[n - 1])
        problems = session.qsort_problems(self.qsort.code)
        if session.status is CodingStatus.DONE:
            step = "Done: the pass is marked done (reopen it to change the sort)."
        elif unsorted and not self.direct.isChecked():
            left = len(unsorted)
            step = (
                f"Step 1 of 2: put each item with the unlike, neither or like ones ({left} to go)"
            )
        elif rough:
            piles = self.qsort.piles
            step = f"Step 2 of 2: split the three into {piles} piles ({len(rough)} to go)"
        elif problems:
            step = "Adjust: move items until every pile holds its number"
        else:
            step = "Complete: every pile holds its number"
        self.step_label.setText(step)
        self.status_label.setText(
            "Not yet: " + "; ".join(problems) if problems else "The sort meets its distribution."
        )
        self._show_card()

    def _show_card(self) -> None:
        item: QItem | None = self._items.get(self._current or "")
        if item is None:
            for label in (self.card_id, self.card_place, self.card_text, self.card_keys):
                label.clear()
            return
        kind, number = self.place_of(item.id)
        self.card_id.setText(item.id)
        self.card_text.setText(item.text or "(no text: paste the item's text into the scheme)")
        piles = self.qsort.piles
        if kind == "pile":
            place = f"in pile {number} ({self.qsort.pile_name(number)})"
            keys = f"1–{piles} another pile · ← → one pile lower/higher · Delete take back"
        elif kind == "rough":
            place = f"with the {ROUGH_NAMES[number - 1].lower()} items"
            third = self.qsort.thirds[number - 1]
            keys = " · ".join(f"{n} pile {p}" for n, p in enumerate(third, 1))
            keys += " · ← → other third · Delete take back"
        else:
            place = "not sorted yet"
            keys = "1 unlike · 2 neither · 3 like  (← unlike · → like)"
        if self.direct.isChecked() and kind != "pile":
            keys = f"1–{piles} put it in that pile"
        self.card_place.setText(place)
        self.card_keys.setText(f"{keys} · ↑ ↓ other items")
