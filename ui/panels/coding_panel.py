"""The scheme's behaviours beside the player: keys, names, colours, counts, and what is on.

Behaviours are listed under their subject, and under their group where they have one (an
exclusive group says so: only one of its states can be on). A state that is on lights up in its
colour. Clicking a behaviour asks the main window to code it at the frame on screen.
"""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coder.coding.changes import Change
from coder.scheme import Behaviour, Scheme
from ui.colours import qcolour, swatch_icon, tint
from ui.window.session_bridge import SessionBridge

CODE_ROLE = int(Qt.ItemDataRole.UserRole) + 1
"""Role of a behaviour item holding its code."""
KEY, NAME, KIND, COUNT = range(4)
_HEADERS = ("Key", "Behaviour", "Kind", "N")
_LIT_ALPHA = 120


def no_behaviours_hint(scheme: Scheme) -> str:
    """What to do with a scheme that codes no behaviours (it rates, maybe per episode)."""
    text = "This scheme has no behaviours to code."
    if scheme.segments.episodes:
        text += (
            "\n\nMark its episodes on the video: [ starts the next episode at the frame on "
            "screen, ] ends the running one (or use Coding → Episodes). The timeline shows "
            "them; Undo takes a mark back."
        )
    if scheme.scales:
        text += "\n\nRate its scales under Ratings: Tab picks a scale, a digit rates it."
    return text


class CodingPanel(QWidget):
    """Every behaviour of the scheme with its key; open states light up."""

    behaviourActivated = Signal(str)
    """A behaviour the coder clicked: the main window codes it at the player's frame."""
    selectionChanged = Signal(object)
    """The selected behaviour code, or None; emitted only when it changes."""

    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._items: dict[str, QTreeWidgetItem] = {}
        self._counts: Counter[str] = Counter()
        self._open: dict[int, str] = {}
        self._lit: set[str] = set()
        self._selected: str | None = None
        self._tree = QTreeWidget(self)
        self._build()
        self._hint = QLabel(no_behaviours_hint(bridge.session.scheme), self)
        self._hint.setObjectName("coding_hint")
        self._hint.setWordWrap(True)
        self._hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        margin = self.fontMetrics().averageCharWidth() * 2
        self._hint.setContentsMargins(margin, margin, margin, margin)
        empty = not bridge.session.scheme.behaviours
        self._tree.setVisible(not empty)
        self._hint.setVisible(empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._tree)
        layout.addWidget(self._hint, 1)
        self._tree.itemClicked.connect(self._clicked)
        self._tree.currentItemChanged.connect(self._current_moved)
        bridge.changed.connect(self._on_change)
        self._refresh(force=True)

    # ------------------------------------------------------------------ API
    @property
    def tree(self) -> QTreeWidget:
        return self._tree

    @property
    def hint(self) -> str:
        """What the panel says instead of a list when the scheme has no behaviours."""
        return self._hint.text() if self._hint.isVisibleTo(self) else ""

    def selected_behaviour(self) -> str | None:
        """The code of the selected behaviour, or None."""
        return self._selected

    def select_behaviour(self, code: str | None) -> None:
        """Select behaviour ``code`` (None clears the selection)."""
        item = self._items.get(code) if code is not None else None
        if code is not None and item is None:
            raise ValueError(f"there is no behaviour {code!r} in the scheme")
        self._tree.setCurrentItem(item)
        if item is None:
            self._tree.clearSelection()
            self._current_moved(None)

    def count(self, code: str) -> int:
        """How many events of ``code`` the pass has."""
        return self._counts[code]

    def is_lit(self, code: str) -> bool:
        """Whether state ``code`` is on (lit up)."""
        return code in self._lit

    def item(self, code: str) -> QTreeWidgetItem:
        """The row of behaviour ``code``."""
        return self._items[code]

    # -------------------------------------------------------------- building
    def _build(self) -> None:
        tree = self._tree
        tree.setColumnCount(len(_HEADERS))
        tree.setHeaderLabels(list(_HEADERS))
        tree.setRootIsDecorated(False)
        tree.setItemsExpandable(False)
        tree.setUniformRowHeights(True)
        tree.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        metrics = tree.fontMetrics()
        tree.setIndentation(metrics.averageCharWidth() * 2)
        side = metrics.height() * 3 // 4
        tree.setIconSize(tree.iconSize().scaled(side, side, Qt.AspectRatioMode.IgnoreAspectRatio))
        header = tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        scheme = self._bridge.session.scheme
        key = max((b.key for b in scheme.behaviours), key=metrics.horizontalAdvance, default="W")
        pad = metrics.averageCharWidth() * 2
        widths = {
            KEY: metrics.horizontalAdvance(key) + side + tree.indentation() * 2 + pad * 2,
            KIND: max(metrics.horizontalAdvance(t) for t in ("point", "● on")) + pad * 2,
            COUNT: metrics.horizontalAdvance("0000") + pad,
        }
        for column, width in widths.items():
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Fixed)
            tree.setColumnWidth(column, width)
        bold = QFont(tree.font())
        bold.setBold(True)
        subjects = {s.code: s.name for s in scheme.subjects}
        order = list(subjects) + [b.subject for b in scheme.behaviours if b.subject not in subjects]
        for subject in dict.fromkeys(order):
            members = [b for b in scheme.behaviours if b.subject == subject]
            if not members:
                continue
            top = QTreeWidgetItem(tree, [subjects.get(subject, subject)])
            top.setFirstColumnSpanned(True)
            top.setFont(0, bold)
            top.setFlags(Qt.ItemFlag.ItemIsEnabled)
            groups: dict[str, QTreeWidgetItem] = {}
            for behaviour in members:
                parent = top
                if behaviour.group is not None:
                    parent = groups.get(behaviour.group) or self._group_item(top, behaviour.group)
                    groups[behaviour.group] = parent
                self._items[behaviour.code] = self._behaviour_item(parent, behaviour)
        tree.expandAll()

    def _group_item(self, parent: QTreeWidgetItem, code: str) -> QTreeWidgetItem:
        group = self._bridge.session.scheme.group(code)
        text = f"{group.name} — one at a time" if group.exclusive else group.name
        item = QTreeWidgetItem(parent, [text])
        item.setFirstColumnSpanned(True)
        item.setFlags(Qt.ItemFlag.ItemIsEnabled)
        font = QFont(self._tree.font())
        font.setItalic(True)
        item.setFont(0, font)
        if group.exclusive:
            item.setToolTip(0, "Exclusive group: starting one of these states stops the other")
        return item

    def _behaviour_item(self, parent: QTreeWidgetItem, behaviour: Behaviour) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent, [behaviour.key, behaviour.name, behaviour.kind, "0"])
        item.setData(0, CODE_ROLE, behaviour.code)
        item.setIcon(KEY, swatch_icon(behaviour.colour, 32))
        item.setTextAlignment(COUNT, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        tip = (
            f"{behaviour.code}: {behaviour.description}"
            if behaviour.description
            else behaviour.code
        )
        for column in range(len(_HEADERS)):
            item.setToolTip(column, tip)
        return item

    # -------------------------------------------------------------- updates
    def _on_change(self, change: Change) -> None:
        touched: set[str] = set()
        for record in change.records:  # counts and open states move by what changed
            if (before := record.before) is not None:
                self._counts[before.behaviour] -= 1
                self._open.pop(before.id or 0, None)
                touched.add(before.behaviour)
            if (after := record.after) is not None:
                self._counts[after.behaviour] += 1
                if after.is_open:
                    self._open[after.id or 0] = after.behaviour
                touched.add(after.behaviour)
        if touched:
            self._show(touched)

    def _refresh(self, force: bool = False) -> None:
        events = self._bridge.session.events
        self._open = {e.id: e.behaviour for e in events if e.id is not None and e.is_open}
        self._counts = Counter(e.behaviour for e in events)
        self._show(set(self._items), force)

    def _show(self, codes: set[str], force: bool = False) -> None:
        """Show the counts and lights of ``codes``; only what differs is touched."""
        lit = set(self._open.values())
        for code in codes:
            item = self._items.get(code)
            if item is None:
                continue
            text = str(self._counts[code])
            if force or item.text(COUNT) != text:
                item.setText(COUNT, text)
            if force or (code in lit) != (code in self._lit):
                self._light(item, code, code in lit)
        self._lit = lit

    def _light(self, item: QTreeWidgetItem, code: str, on: bool) -> None:
        behaviour = self._bridge.session.scheme.behaviour(code)
        font = QFont(self._tree.font())
        font.setBold(on)
        brush = QBrush(tint(qcolour(behaviour.colour), _LIT_ALPHA)) if on else QBrush()
        for column in range(len(_HEADERS)):
            item.setBackground(column, brush)
            item.setFont(column, font)
        item.setText(KIND, "● on" if on else behaviour.kind)

    # ------------------------------------------------------------ reactions
    def _clicked(self, item: QTreeWidgetItem, _column: int) -> None:
        code = item.data(0, CODE_ROLE)
        if code is not None:
            self.behaviourActivated.emit(code)

    def _current_moved(self, item: QTreeWidgetItem | None, *_: object) -> None:
        code = item.data(0, CODE_ROLE) if item is not None else None
        if code != self._selected:
            self._selected = code
            self.selectionChanged.emit(code)
