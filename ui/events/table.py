"""The event list under the player: a filter row and a sortable, editable table of events.

Sorting and filtering are done by :class:`~ui.events.model.EventTableModel` itself, over NumPy
columns (fast for a pass of 100,000 events); there is no proxy model between it and the view.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPoint,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QContextMenuEvent,
    QKeyEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QRegion,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from coder.coding.changes import Change
from coder.coding.session import SessionError
from ui.colours import swatch_icon
from ui.events.editing import BehaviourDelegate, ModifiersDelegate
from ui.events.model import HEADERS, Column, EventTableModel, onset_key
from ui.events.painting import PlainRows, RowCountLayout, quiet_scroll_bars
from ui.window.session_bridge import SessionBridge


class _EventView(QTableView):
    """The table proper: F2 on a cell that cannot be edited edits the row's behaviour, the
    current Onset or Offset cell of the selected row (the boundary Alt+Left/Right move) is
    framed, and a context menu is asked for the cell clicked or, from the keyboard, the
    current one."""

    menuRequested = Signal(QModelIndex, QPoint)
    """A cell's menu is wanted at a global position."""

    plain_rows: PlainRows | None = None
    """Paints the rows that show nothing special (Qt paints the others)."""
    row_layout: RowCountLayout | None = None
    """Lays the view out quickly after rows only came or went."""

    def updateGeometries(self) -> None:
        if self.row_layout is None:
            super().updateGeometries()
        else:
            self.row_layout.update(super().updateGeometries)

    def special_rows(self) -> set[int]:
        """Rows Qt paints itself: the selected ones and the current cell's."""
        rows = {index.row() for index in self.selectionModel().selectedIndexes()}
        current = self.currentIndex()
        if current.isValid():
            rows.add(current.row())
        return rows

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        if event.reason() == QContextMenuEvent.Reason.Keyboard:
            index = self.currentIndex()
            pos = self.visualRect(index).center()
        else:
            pos = event.pos()  # on the viewport
            index = self.indexAt(pos)
        if not index.isValid():
            return
        event.accept()
        self.menuRequested.emit(index, self.viewport().mapToGlobal(pos))

    def cancel_edit(self) -> None:
        """Close the open cell editor, if any, without writing what it holds."""
        if self.state() == QAbstractItemView.State.EditingState:
            editor = self.indexWidget(self.currentIndex())
            if editor is not None:
                self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.RevertModelCache)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index = self.currentIndex()
        if (
            event.key() == Qt.Key.Key_F2
            and index.isValid()
            and not index.flags() & Qt.ItemFlag.ItemIsEditable
        ):
            self.setCurrentIndex(index.siblingAtColumn(Column.BEHAVIOUR))
        super().keyPressEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        rest = event.region() if self.plain_rows is None else self.plain_rows.paint(event)
        if rest == event.region():
            super().paintEvent(event)
        elif not rest.isEmpty():
            super().paintEvent(QPaintEvent(rest))
        index = self.currentIndex()
        if not index.isValid() or index.column() not in (Column.ONSET, Column.OFFSET):
            return
        if not self.selectionModel().isSelected(index):
            return
        rect = self.visualRect(index).adjusted(1, 1, -2, -2)
        if rect.isEmpty() or not rect.intersects(event.rect()):
            return
        painter = QPainter(self.viewport())
        painter.setPen(QPen(self.palette().color(QPalette.ColorRole.HighlightedText), 1.5))
        painter.drawRect(rect)
        painter.end()


class EventTable(QWidget):
    """Filter row and event table; tells the main window which event to seek to.

    Double-click or F2 edits a cell (F2 on a cell that cannot be edited: the behaviour); Enter
    on a row, a double-click on a cell that cannot be edited, or Seek in the row's context
    menu (right-click, or the Menu key) asks to seek to the event. The context menu also edits,
    deletes and comments on the row's event.
    """

    eventActivated = Signal(int)
    """Enter on an event, or Seek from its menu: its id (the main window shows its onset)."""
    selectionChanged = Signal(object)
    """The selected event id, or None; emitted only when it changes."""
    errorOccurred = Signal(str)
    """A refused edit, in words for the coder."""

    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._model = EventTableModel(bridge, self)
        self._selected: int | None = None
        self._build_filters()
        # Before the view connects: a deleted selected event leaves no selection behind
        # (Qt would select the next row, and a second Delete would remove that one too).
        self._model.rowsAboutToBeRemoved.connect(self._rows_leaving)
        self._build_view()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(max(2, self.fontMetrics().height() // 6))
        filters = QHBoxLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self._behaviour_box, 2)
        filters.addWidget(self._subject_box, 1)
        filters.addWidget(self._text_box, 2)
        layout.addLayout(filters)
        layout.addWidget(self._view, 1)
        self._model.errorOccurred.connect(self.errorOccurred)
        self._view.activated.connect(self._activate)
        self._view.selectionModel().selectionChanged.connect(self._selection_moved)
        self._model.modelReset.connect(self._selection_moved)
        bridge.changed.connect(self._on_change)

    # ------------------------------------------------------------------ API
    @property
    def model(self) -> EventTableModel:
        return self._model

    @property
    def view(self) -> QTableView:
        return self._view

    def selected_event_id(self) -> int | None:
        """The id of the selected event, or None."""
        rows = self._view.selectionModel().selectedRows()
        if not rows:
            return None
        return self._model.event_id_at(rows[0].row())

    def cancel_edit(self) -> None:
        """Close an open cell editor without writing it (a command is about to change the
        event under it, and its stale text must not undo that)."""
        self._view.cancel_edit()

    def selected_boundary(self) -> str | None:
        """``"onset"`` or ``"offset"`` when the current cell is the selected event's Onset or
        Offset cell (an offset only when the event has one); None for any other cell."""
        index = self._view.currentIndex()
        event_id = self.selected_event_id()
        if event_id is None or not index.isValid():
            return None
        if self._model.event_id_at(index.row()) != event_id:
            return None
        if index.column() == Column.ONSET:
            return "onset"
        if index.column() == Column.OFFSET and self._model.event_at(index.row()).offset is not None:
            return "offset"
        return None

    def select_event(self, event_id: int | None) -> None:
        """Select and show ``event_id`` (the current cell stays in its column); clears the
        selection when it is unknown or filtered out."""
        selection = self._view.selectionModel()
        row = -1 if event_id is None else self._model.row_of(event_id)
        current = self._view.currentIndex()
        column = current.column() if current.isValid() else 0
        index = self._model.index(row, column) if row >= 0 else QModelIndex()
        if not index.isValid():
            selection.clearSelection()
            return
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        selection.setCurrentIndex(index, flags)
        self._view.scrollTo(index)

    def set_filter(
        self, behaviour: str | None = None, subject: str | None = None, text: str = ""
    ) -> None:
        """Show only events of ``behaviour`` and ``subject`` whose texts contain ``text``."""
        boxes = (
            (self._behaviour_box, behaviour, "behaviour"),
            (self._subject_box, subject, "subject"),
        )
        for box, code, what in boxes:
            position = box.findData(code) if code is not None else 0
            if position < 0:
                raise ValueError(f"there is no {what} {code!r} in the scheme")
        for box, code, _ in boxes:
            box.blockSignals(True)
            box.setCurrentIndex(box.findData(code) if code is not None else 0)
            box.blockSignals(False)
        self._text_box.blockSignals(True)
        self._text_box.setText(text)
        self._text_box.blockSignals(False)
        self._apply_filter()

    # -------------------------------------------------------------- building
    def _build_filters(self) -> None:
        scheme = self._bridge.session.scheme
        self._behaviour_box = QComboBox(self)
        self._behaviour_box.setToolTip("Show one behaviour only")
        self._behaviour_box.addItem("All behaviours", None)
        for behaviour in scheme.behaviours:
            icon = swatch_icon(behaviour.colour, 32)
            self._behaviour_box.addItem(icon, self._model.label(behaviour.code), behaviour.code)
        self._subject_box = QComboBox(self)
        self._subject_box.setToolTip("Show one subject only")
        self._subject_box.addItem("All subjects", None)
        for subject in scheme.subjects:
            self._subject_box.addItem(subject.name, subject.code)
        self._text_box = QLineEdit(self)
        self._text_box.setPlaceholderText("Search codes, comments…")
        self._text_box.setClearButtonEnabled(True)
        for box in (self._behaviour_box, self._subject_box):
            box.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            box.setMinimumContentsLength(8)
            box.currentIndexChanged.connect(self._apply_filter)
        self._text_box.textChanged.connect(self._apply_filter)

    def _build_view(self) -> None:
        view = self._view = _EventView(self)
        view.setObjectName("event_view")
        quiet_scroll_bars(view)
        view.setModel(self._model)
        view.plain_rows = PlainRows(view, self._model, view.special_rows)
        view.row_layout = RowCountLayout(view)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setEditTriggers(
            QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.DoubleClicked
        )
        view.setItemDelegateForColumn(Column.BEHAVIOUR, BehaviourDelegate(view))
        view.setItemDelegateForColumn(Column.MODIFIERS, ModifiersDelegate(view))
        view.menuRequested.connect(self._context_menu)
        view.setAlternatingRowColors(True)
        view.setWordWrap(False)
        view.setSortingEnabled(True)
        view.horizontalHeader().setSortIndicator(Column.ONSET, Qt.SortOrder.AscendingOrder)
        metrics = view.fontMetrics()
        line = metrics.height()
        view.setIconSize(
            view.iconSize().scaled(line * 3 // 4, line * 3 // 4, Qt.AspectRatioMode.KeepAspectRatio)
        )
        rows = view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setMinimumSectionSize(line)
        rows.setDefaultSectionSize(line + max(2, line // 4))
        header = view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        samples = {
            Column.NUMBER: "00000",
            Column.BEHAVIOUR: "look_away – Look at caregiv",
            Column.SUBJECT: "Caregiver",
            Column.ONSET: "0:00:00.000 (00000)",
            Column.OFFSET: "0:00:00.000 (00000)",
            Column.DURATION: "000.000 s",
            Column.MODIFIERS: "modifier, mod",
        }
        pad = metrics.horizontalAdvance("MM")
        for column, sample in samples.items():
            extra = line if column == Column.BEHAVIOUR else 0
            view.setColumnWidth(column, metrics.horizontalAdvance(sample) + pad + extra)

    # ------------------------------------------------------------ the row menu
    def edit_cell(self, event_id: int, column: int) -> bool:
        """Open the editor of event ``event_id``'s cell in ``column`` (its behaviour when that
        cell cannot be edited); True when an editor opened."""
        row = self._model.row_of(event_id)
        index = self._model.index(row, column) if row >= 0 else QModelIndex()
        if not index.isValid():
            return False
        if not index.flags() & Qt.ItemFlag.ItemIsEditable:
            index = index.siblingAtColumn(Column.BEHAVIOUR)
        self._view.setCurrentIndex(index)
        self._view.edit(index)
        return self._view.state() == QAbstractItemView.State.EditingState

    def delete_event(self, event_id: int) -> None:
        """Delete event ``event_id`` (one undo step); a refusal is reported."""
        session = self._bridge.session
        try:
            event = session.event(event_id)
        except SessionError as exc:
            self.errorOccurred.emit(f"Cannot delete it: {exc}")
            return
        try:
            session.delete_event(event_id)
        except SessionError as exc:
            self.errorOccurred.emit(
                f"Cannot delete {self._model.name(event.behaviour)} at frame "
                f"{event.onset.frame}: {exc}"
            )

    def row_menu(self, row: int, column: int) -> QMenu:
        """The context menu of a row: Edit (the cell, or the behaviour), Comment…, Seek and
        Delete, each naming its key."""
        menu = QMenu(self._view)
        menu.setObjectName("event_menu")
        index = self._model.index(row, column)
        editable = bool(index.flags() & Qt.ItemFlag.ItemIsEditable)
        what = HEADERS[column if editable else Column.BEHAVIOUR].lower()
        event_id = self._model.event_id_at(row)
        # An editor opens once the menu has gone and the window has its focus back (opened
        # at once, it would lose the focus to that and close).
        edit = menu.addAction(f"&Edit {what}\tF2")
        edit.triggered.connect(
            lambda: QTimer.singleShot(0, lambda: self.edit_cell(event_id, column))
        )
        comment = menu.addAction("&Comment…")
        comment.triggered.connect(
            lambda: QTimer.singleShot(0, lambda: self.edit_cell(event_id, Column.COMMENT))
        )
        seek = menu.addAction("&Seek to its onset\tReturn")
        seek.triggered.connect(lambda: self.eventActivated.emit(event_id))
        menu.addSeparator()
        delete = menu.addAction("&Delete\tDel")
        delete.triggered.connect(lambda: self.delete_event(event_id))
        return menu

    def _context_menu(self, index: QModelIndex, where: QPoint) -> None:
        self._view.setCurrentIndex(index)  # selects the row; the cell becomes current
        menu = self.row_menu(index.row(), index.column())
        menu.exec(where)
        menu.deleteLater()

    # -------------------------------------------------------------- reactions
    def _apply_filter(self) -> None:
        selected = self.selected_event_id()
        self._model.set_filter(
            self._behaviour_box.currentData(),
            self._subject_box.currentData(),
            self._text_box.text(),
        )
        if selected is not None and self.selected_event_id() is None:
            self.select_event(selected)
        self._selection_moved()

    def _activate(self, index: QModelIndex) -> None:
        if index.isValid():
            self.eventActivated.emit(self._model.event_id_at(index.row()))

    def _selection_moved(self, *_: Any) -> None:
        current = self.selected_event_id()
        if current != self._selected:
            self._selected = current
            self.selectionChanged.emit(current)

    def _rows_leaving(self, _parent: QModelIndex, first: int, last: int) -> None:
        rows = self._view.selectionModel().selectedRows()
        if rows and first <= rows[0].row() <= last:
            self._view.selectionModel().clear()

    def _on_change(self, change: Change) -> None:
        if change.records:
            self._refresh_numbers(change)
            self._selection_moved()
            self._show_latest(change)

    def _refresh_numbers(self, change: Change) -> None:
        """Repaint the "#" cells in view whose number ``change`` shifted (the model announces
        only the rows of the events it touched): after an inserted or deleted event every later
        one moves by one; between the old and new onset of a moved event, the events there."""
        spans: list[tuple[tuple[int, int], tuple[int, int] | None]] = []
        for record in change.records:
            old, new = record.before, record.after
            if new is None or old is None:
                event = new if old is None else old
                assert event is not None
                spans.append((onset_key(event), None))
            elif onset_key(old) != onset_key(new):
                low, high = sorted((onset_key(old), onset_key(new)))
                spans.append((low, high))
        view = self._view
        if not spans or view.isColumnHidden(Column.NUMBER):
            return
        viewport = view.viewport()
        first = view.rowAt(0)
        last = view.rowAt(viewport.height() - 1)
        if first < 0:
            return
        last = self._model.rowCount() - 1 if last < 0 else last
        region = QRegion()
        for row in range(first, last + 1):
            key = onset_key(self._model.event_at(row))
            if any(low < key and (high is None or key < high) for low, high in spans):
                region += view.visualRect(self._model.index(row, Column.NUMBER))
        if not region.isEmpty():
            viewport.update(region)

    def _show_latest(self, change: Change) -> None:
        """Scroll to the event a command just made or moved (the one with the latest onset
        among those it touched), so that what was coded is in view; never while editing."""
        if self._view.state() == QAbstractItemView.State.EditingState:
            return
        touched = [record.after for record in change.records if record.after is not None]
        if not touched:
            return
        latest = max(touched, key=lambda e: (e.onset.frame, e.id or 0))
        assert latest.id is not None
        row = self._model.row_of(latest.id)
        if row >= 0:
            index = self._model.index(row, 0)
            # The view takes new rows into its scroll range later; do it now, then scroll.
            self._view.executeDelayedItemsLayout()
            self._view.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)
