"""The piles of the Q-sort panel: a column per pile, its fill against the forced distribution,
and the item cards in it, which a coder drags to another pile.

A drop never moves a card itself: it asks the panel to place the item (a session command) and
the panel redraws every pile from the session, so what is shown is always what is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QMimeData, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragMoveEvent,
    QDropEvent,
    QPainter,
    QPaintEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from coder.scheme import QItem
from ui.colours import tint

MIME = "application/x-attune-qsort-item"
"""What a dragged card carries: the item's id."""
UNSORTED = "unsorted"
OVER = QColor("#d9412b")
FULL = QColor("#2a9d5c")

Drop = Callable[[str, str], None]
"""Called with (item id, target) when a card is dropped: target ``pile:N``, ``rough:N`` or
``unsorted``."""


def card_text(item: QItem) -> str:
    return f"{item.id}  {item.text}" if item.text else item.id


class FillBar(QWidget):
    """How full a pile is: the share of its number filled, green when exact, red when over."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.count = 0
        self.wanted = 0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:
        return QSize(40, max(4, self.fontMetrics().height() // 3))

    def set_fill(self, count: int, wanted: int) -> None:
        if (count, wanted) != (self.count, self.wanted):
            self.count, self.wanted = count, wanted
            self.update()

    @property
    def colour(self) -> QColor:
        if self.wanted and self.count > self.wanted:
            return OVER
        if self.wanted and self.count == self.wanted:
            return FULL
        return self.palette().color(QPalette.ColorRole.Highlight)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        rect = self.rect()
        painter.fillRect(rect, tint(self.palette().color(QPalette.ColorRole.WindowText), 30))
        share = 1.0 if not self.wanted else min(1.0, self.count / self.wanted)
        if self.wanted or self.count:
            painter.fillRect(0, 0, round(rect.width() * share), rect.height(), self.colour)
        painter.end()


class PileList(QListWidget):
    """The cards of one pile; cards are dragged out and dropped in, never moved by Qt."""

    def __init__(self, target: str, drop: Drop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self._drop = drop
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # the panel keeps the keys
        self.setWordWrap(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(False)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)

    def show_items(self, items: Sequence[QItem], current: str | None) -> None:
        """Show ``items`` as cards; the one with id ``current`` selected."""
        self.clear()
        for item in items:
            card = QListWidgetItem(card_text(item), self)
            card.setData(Qt.ItemDataRole.UserRole, item.id)
            card.setToolTip(card_text(item))
            if item.id == current:
                card.setSelected(True)
                self.scrollToItem(card)

    def item_ids(self) -> list[str]:
        return [self.item(n).data(Qt.ItemDataRole.UserRole) for n in range(self.count())]

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(MIME, str(items[0].data(Qt.ItemDataRole.UserRole)).encode())
        return data

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.CopyAction | Qt.DropAction.MoveAction

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        """Ask for the item to be placed here; as a copy, so the source keeps its card until
        the panel redraws from the session."""
        if not event.mimeData().hasFormat(MIME):
            event.ignore()
            return
        item_id = bytes(event.mimeData().data(MIME).data()).decode()
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self._drop(item_id, self.target)


class PileColumn(QFrame):
    """A pile: its title, its count against the number it must hold, a fill bar and cards."""

    def __init__(self, target: str, title: str, drop: Drop, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.target = target
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        margin = max(2, self.fontMetrics().height() // 6)
        layout.setContentsMargins(margin, margin, margin, margin)
        layout.setSpacing(margin)
        self.title = QLabel(title, self)
        self.title.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.title.setWordWrap(True)
        self.count_label = QLabel(self)
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.bar = FillBar(self)
        self.cards = PileList(target, drop, self)
        for widget in (self.title, self.count_label, self.bar, self.cards):
            layout.addWidget(widget)

    def show_pile(self, items: Sequence[QItem], current: str | None, wanted: int = 0) -> None:
        """Show the pile's ``items``; ``wanted`` is the number it must hold (0: no number)."""
        self.cards.show_items(items, current)
        count = len(items)
        self.count_label.setText(f"{count} / {wanted}" if wanted else str(count))
        self.bar.set_fill(count, wanted)
        self.bar.setVisible(bool(wanted))
        font = self.count_label.font()
        font.setBold(bool(wanted) and count != wanted)
        self.count_label.setFont(font)
        tip = ""
        if wanted and count > wanted:
            tip = f"{count - wanted} over: move {'them' if count - wanted > 1 else 'one'} out"
        elif wanted and count < wanted:
            tip = f"{wanted - count} to fill"
        self.count_label.setToolTip(tip)
