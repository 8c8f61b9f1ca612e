"""The events of a coding pass as a Qt table model that sorts and filters them itself.

:class:`EventTableModel` answers rows straight from the session's events, through the slots of
:class:`~ui.events.columns.EventColumns` in the current sort order and filter (so that a
``Change`` of a few events becomes a few row inserts, removals or moves rather than a reset),
and writes every edit back through ``session.edit_event``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QModelRoleDataSpan,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont, QIcon

from coder.coding.changes import Change
from coder.coding.session import SessionError
from coder.model import Event
from coder.timefmt import format_time
from ui.colours import qcolour, swatch_icon, tint
from ui.events.columns import Column, EventColumns, onset_key
from ui.events.typed import modifier_names, parse_frame
from ui.window.session_bridge import SessionBridge

__all__ = [
    "CHOICES_ROLE",
    "EVENT_ID_ROLE",
    "HEADERS",
    "IS_OPEN_ROLE",
    "MODIFIER_CHOICES_ROLE",
    "Column",
    "EventTableModel",
    "onset_key",
    "parse_frame",
]


HEADERS = ("#", "Behaviour", "Subject", "Onset", "Offset", "Duration", "Modifiers", "Comment")
HEADER_TIPS = (
    "Order of the event by onset",
    "Behaviour; its code is in the tooltip (editable: double-click or F2)",
    "Who shows the behaviour",
    "h:mm:ss.mmm (frame); type a frame number or a time to move it",
    "First frame the state is off; type a frame number or a time",
    "Offset minus onset in seconds",
    "Modifiers chosen for the event (editable when its behaviour has modifiers)",
    "Free comment (editable)",
)

EVENT_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
"""Role holding the event id of a row."""
IS_OPEN_ROLE = int(Qt.ItemDataRole.UserRole) + 2
"""Role holding whether the row is a state that is still on."""
CHOICES_ROLE = int(Qt.ItemDataRole.UserRole) + 3
"""Role of the behaviour column: ``[(code, label), ...]`` the event may be changed to."""
MODIFIER_CHOICES_ROLE = int(Qt.ItemDataRole.UserRole) + 4
"""Role of the modifiers column: ``[(modifier, key), ...]`` of the event's behaviour, in the
scheme's order (empty when it has none)."""

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_PAINT_ROLES = frozenset(
    int(r)
    for r in (
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.TextAlignmentRole,
        Qt.ItemDataRole.ForegroundRole,
        Qt.ItemDataRole.CheckStateRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.BackgroundRole,
    )
)
"""Roles that are None unless the event is open (alignment and decoration aside)."""
_NUMERIC = frozenset(int(c) for c in (Column.NUMBER, Column.ONSET, Column.OFFSET, Column.DURATION))
_EDITABLE = frozenset(
    int(c)
    for c in (Column.BEHAVIOUR, Column.ONSET, Column.OFFSET, Column.MODIFIERS, Column.COMMENT)
)
_FLAGS = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_EDITABLE_FLAGS = _FLAGS | Qt.ItemFlag.ItemIsEditable
"""Flags of a cell (computed once: each ``|`` of Qt flags costs microseconds in Python)."""
_INCREMENTAL_LIMIT = 64
"""A change touching more events than this resets the model instead of moving rows."""


class EventTableModel(QAbstractTableModel):
    """Rows of ``bridge.session.events`` under a filter, in a sort order; edits go through
    ``session.edit_event``.

    The order and the filter are NumPy arrays of slots of :class:`EventColumns`: sorting is one
    ``lexsort``, filtering one mask, and a ``Change`` of a few events becomes that many precise
    row insertions, removals, moves and ``dataChanged`` (never a reset).
    """

    errorOccurred = Signal(str)
    """A refused edit, in words for the coder (nothing was changed)."""

    def __init__(self, bridge: SessionBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        scheme = bridge.session.scheme
        self._names = {b.code: b.name for b in scheme.behaviours}
        self._modifier_choices = {
            b.code: [(m, b.modifier_key(i)) for i, m in enumerate(b.modifiers)]
            for b in scheme.behaviours
            if b.modifiers
        }
        self._subjects = {s.code: s.name for s in scheme.subjects}
        self._column = Column.ONSET
        self._descending = False
        self._filter: tuple[str | None, str | None, str] = (None, None, "")
        self._icons: dict[str, QIcon] = {}
        self._folded_labels: dict[str, str] = {}
        self._folded_subjects: dict[str, str] = {}
        self._open_brush = QBrush(tint(qcolour("#f5b642"), 90))
        self._open_font = QFont()
        self._open_font.setBold(True)
        self._columns = EventColumns(self._folded_label, self._folded_subject)
        self._key = self._columns.key(self._column)
        self._sorted = np.empty(0, np.int64)
        """Every listed slot in the sort order (ascending)."""
        self._order = self._sorted
        """The slots that pass the filter, in the sort order (ascending); rows show them."""
        self._fill()
        bridge.changed.connect(self._on_change)

    # ------------------------------------------------------------------ lookups
    @property
    def bridge(self) -> SessionBridge:
        return self._bridge

    @property
    def filter(self) -> tuple[str | None, str | None, str]:
        """The filter in force: (behaviour, subject, casefolded text)."""
        return self._filter

    def event_at(self, row: int) -> Event:
        """The event shown in ``row``."""
        return self._columns.event(int(self._order[self._position_of_row(row)]))

    def events_in_row_order(self) -> list[Event]:
        """The listed events, row 0 first (a new list)."""
        slots = self._order[::-1] if self._descending else self._order
        return [self._columns.event(s) for s in slots.tolist()]

    def event_id_at(self, row: int) -> int:
        """The id of the event shown in ``row``."""
        event_id = self.event_at(row).id
        assert event_id is not None
        return event_id

    def row_of(self, event_id: int) -> int:
        """The row showing event ``event_id``, or -1 when there is none (or it is filtered
        out)."""
        slot = self._columns.slot_of(event_id)
        if slot is None:
            return -1
        position = self._find(self._order, slot)
        return -1 if position < 0 else self._row_of_position(position)

    def row_texts(self, row: int) -> tuple[list[str], QIcon, bool]:
        """What ``row`` shows: the text of each column, the behaviour's swatch, and whether it
        is a state still on (drawn in bold on a coloured ground)."""
        event = self.event_at(row)
        display = self._display
        texts = [display(event, c) for c in range(len(HEADERS))]
        return texts, self._icon(event.behaviour), event.is_open

    def name(self, code: str) -> str:
        """The name of a behaviour as the coder reads it (the code when the scheme lacks it)."""
        return self._names.get(code, code)

    def label(self, code: str) -> str:
        """``code – name`` of a behaviour (just the code when the scheme does not know it)."""
        name = self._names.get(code)
        return f"{code} – {name}" if name else code

    def matches_text(self, event: Event, text: str) -> bool:
        """Whether casefolded ``text`` occurs in the event's code, name, subject, modifiers or
        comment (what the free-text filter looks in)."""
        return self._columns.matches_text(event, text)

    def _folded_label(self, code: str) -> str:
        label = self._folded_labels.get(code)
        if label is None:
            label = self._folded_labels[code] = self.label(code).casefold()
        return label

    def _folded_subject(self, code: str) -> str:
        subject = self._folded_subjects.get(code)
        if subject is None:
            subject = self._folded_subjects[code] = self._subjects.get(code, code).casefold()
        return subject

    # ------------------------------------------------------------- Qt model API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else int(self._order.size)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = _DISPLAY) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(HEADERS):
            return None
        if role == _DISPLAY:
            return HEADERS[section]
        if role == _TOOLTIP:
            return HEADER_TIPS[section]
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        column = index.column()
        if column not in _EDITABLE:
            return _FLAGS
        if column == Column.OFFSET and not self.event_at(index.row()).is_state:
            return _FLAGS
        if column == Column.MODIFIERS:
            code = self.event_at(index.row()).behaviour
            return _EDITABLE_FLAGS if code in self._modifier_choices else _FLAGS
        return _EDITABLE_FLAGS

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        return self._value(self.event_at(index.row()), index.column(), role)

    def multiData(
        self, index: QModelIndex | QPersistentModelIndex, roleDataSpan: QModelRoleDataSpan
    ) -> None:
        """Every role a delegate asks for when it paints a cell, in one call (a view would
        otherwise call :meth:`data` once per role, and a repaint costs mostly those calls)."""
        if not index.isValid():
            for role_data in roleDataSpan:
                role_data.clearData()
            return
        event = self.event_at(index.row())
        column = index.column()
        is_open = event.is_open
        for role_data in roleDataSpan:
            role = role_data.role()
            if role == _DISPLAY:
                role_data.setData(self._display(event, column))
            elif role in _PAINT_ROLES and not is_open and role != _ALIGN and role != _DECORATION:
                role_data.clearData()  # the roles a delegate asks for, empty on most cells
            else:
                value = self._value(event, column, role)
                if value is None:
                    role_data.clearData()
                else:
                    role_data.setData(value)

    def _value(self, event: Event, column: int, role: int) -> Any:
        if role == _DISPLAY:
            return self._display(event, column)
        if role == _EDIT:
            return self._edit_text(event, column)
        if role == _BACKGROUND:
            return self._open_brush if event.is_open else None
        if role == _FONT:
            return self._open_font if event.is_open else None
        if role == _ALIGN:
            return _RIGHT if column in _NUMERIC else None
        if role == _DECORATION:
            return self._icon(event.behaviour) if column == Column.BEHAVIOUR else None
        if role == _TOOLTIP:
            return self._tooltip(event)
        if role == EVENT_ID_ROLE:
            return event.id
        if role == IS_OPEN_ROLE:
            return event.is_open
        if role == CHOICES_ROLE and column == Column.BEHAVIOUR:
            return self._choices(event)
        if role == MODIFIER_CHOICES_ROLE and column == Column.MODIFIERS:
            return list(self._modifier_choices.get(event.behaviour, ()))
        return None

    def setData(
        self, index: QModelIndex | QPersistentModelIndex, value: Any, role: int = _EDIT
    ) -> bool:
        if role != _EDIT or not index.isValid() or index.column() not in _EDITABLE:
            return False
        event = self.event_at(index.row())
        column = Column(index.column())
        assert event.id is not None
        session = self._bridge.session
        try:
            if column == Column.BEHAVIOUR:
                session.edit_event(event.id, behaviour=str(value))
            elif column == Column.COMMENT:
                session.edit_event(event.id, comment=str(value))
            elif column == Column.MODIFIERS:
                chosen = modifier_names(value)
                if chosen != event.modifiers:
                    session.edit_event(event.id, modifiers=chosen)
            elif column == Column.ONSET:
                session.edit_event(event.id, onset_frame=self._frame(value))
            else:
                if not str(value).strip():
                    raise ValueError("an offset is needed (a frame number or a time)")
                session.edit_event(event.id, offset_frame=self._frame(value))
        except (SessionError, ValueError) as exc:
            what = HEADERS[column].lower()
            self.errorOccurred.emit(
                f"Cannot change the {what} of {self.name(event.behaviour)} at frame "
                f"{event.onset.frame}: {exc}"
            )
            return False
        return True

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column`` (ties by onset), keeping selections on their events."""
        column = Column(column) if 0 <= column < len(HEADERS) else Column.ONSET
        descending = order == Qt.SortOrder.DescendingOrder
        if (column, descending) == (self._column, self._descending):
            return

        def resort() -> None:
            if column != self._column:
                self._key = self._columns.key(column)
                self._sorted = self._columns.sorted_slots(column)
                self._order = self._filtered(self._sorted)
            self._column, self._descending = column, descending

        self._relayout(resort)

    def set_filter(self, behaviour: str | None, subject: str | None, text: str) -> None:
        """Show only events of ``behaviour`` and ``subject`` whose texts contain ``text``
        (None or empty: any); selections stay on their events where these still show."""
        wanted = (behaviour or None, subject or None, text.strip().casefold())
        if wanted == self._filter:
            return

        def refilter() -> None:
            self._filter = wanted
            self._order = self._filtered(self._sorted)

        self._relayout(refilter)

    # ---------------------------------------------------------------- updates
    def _relayout(self, change: Callable[[], None]) -> None:
        """Apply ``change`` to the order as one layout change, moving persistent indexes
        (selections, the current cell) with their events."""
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [
            (self._order[self._position_of_row(i.row())], i.column()) if i.isValid() else None
            for i in persistent
        ]
        change()
        moved = []
        for held in kept:
            position = -1 if held is None else self._find(self._order, int(held[0]))
            if position < 0 or held is None:
                moved.append(QModelIndex())
            else:
                moved.append(self.index(self._row_of_position(position), held[1]))
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def _filtered(self, slots: np.ndarray) -> np.ndarray:
        if self._filter == (None, None, ""):
            return slots
        return slots[self._columns.mask(*self._filter)[slots]]

    def _fill(self) -> None:
        self._columns.load(self._bridge.session.events)
        self._sorted = self._columns.sorted_slots(self._column)
        self._order = self._filtered(self._sorted)

    def _reset(self) -> None:
        self.beginResetModel()
        self._fill()
        self.endResetModel()

    def _on_change(self, change: Change) -> None:
        """Insert, remove, move or refresh the rows of the events ``change`` touched, from
        the records it carries.

        The "#" column (order by onset) of other rows may shift too; it is computed when a row
        is painted, and the table repaints that column after a change. (Announcing every row
        as changed would make every view judge all rows again.)
        """
        if not change.records:
            return
        if len(change.records) > _INCREMENTAL_LIMIT:
            self._apply_many(change)
            return
        for record in change.records:  # each touched event, before and after the command
            self._apply(record.before, record.after)
        if len(self._columns) != self._bridge.session.event_count:
            self._reset()  # never expected: the change and the pass disagree

    def _apply_many(self, change: Change) -> None:
        """A large change (a batch, an import): one reset after updating the columns."""
        self.beginResetModel()
        try:
            columns = self._columns
            for record in change.records:
                old, new = record.before, record.after
                slot = columns.slot_of(old.id) if old is not None else None
                if new is None:
                    if slot is not None:
                        columns.drop(slot)
                elif slot is None:
                    columns.add(new)
                else:
                    columns.replace(slot, new)
            if len(columns) != self._bridge.session.event_count:
                columns.load(self._bridge.session.events)
            self._sorted = columns.sorted_slots(self._column)
            self._order = self._filtered(self._sorted)
        finally:
            self.endResetModel()

    def _apply(self, old: Event | None, new: Event | None) -> None:
        columns = self._columns
        filtering = self._filter != (None, None, "")
        slot = columns.slot_of(old.id) if old is not None else None
        # Where the event was, found before its new values are written.
        shown_at = -1 if slot is None else self._find(self._order, slot)
        listed_at = self._find(self._sorted, slot) if filtering and slot is not None else shown_at
        if new is None:
            if slot is None:
                return
            if shown_at >= 0:
                row = self._row_of_position(shown_at)
                self.beginRemoveRows(QModelIndex(), row, row)
                self._order = np.delete(self._order, shown_at)
                if not filtering:
                    self._sorted = self._order
                self.endRemoveRows()
            if filtering and listed_at >= 0:
                self._sorted = np.delete(self._sorted, listed_at)
            columns.drop(slot)
            return
        if old is not None and old == new and slot is not None:
            return
        if slot is None:
            slot = columns.add(new)
        else:
            columns.replace(slot, new)
        key = self._key(slot)
        if filtering:
            rest = np.delete(self._sorted, listed_at) if listed_at >= 0 else self._sorted
            self._sorted = np.insert(rest, columns.position(rest, key, self._key), slot)
        shows = not filtering or columns.accepts(new, *self._filter)
        if shown_at >= 0:
            self._move_row(shown_at, slot, key, shows, filtering)
        elif shows:
            position = columns.position(self._order, key, self._key)
            row = self._row_of_position(position, self._order.size + 1)
            self.beginInsertRows(QModelIndex(), row, row)
            self._order = np.insert(self._order, position, slot)
            if not filtering:
                self._sorted = self._order
            self.endInsertRows()

    def _move_row(
        self, position: int, slot: int, key: tuple[Any, ...], shows: bool, filtering: bool
    ) -> None:
        """The event shown at ``position`` changed: move, refresh or remove its row."""
        source = self._row_of_position(position)
        rest = np.delete(self._order, position)
        if not shows:
            self.beginRemoveRows(QModelIndex(), source, source)
            self._order = rest
            self.endRemoveRows()
            return
        end = self._columns.position(rest, key, self._key)
        target = self._row_of_position(end)
        if end != position:
            # Not beginMoveRows: a view answers a move by laying out and repainting all it
            # shows. The rows from source to target each show another event now, which is
            # what dataChanged says; selections and the current cell follow their events.
            self._order = np.insert(rest, end, slot)
            if not filtering:
                self._sorted = self._order
            self._shift_persistent(source, target)
        low, high = min(source, target), max(source, target)
        self.dataChanged.emit(self.index(low, 0), self.index(high, len(HEADERS) - 1))

    def _shift_persistent(self, source: int, target: int) -> None:
        """Persistent indexes after the row at ``source`` moved to ``target``."""
        step = -1 if source < target else 1
        low, high = min(source, target), max(source, target)
        before, after = [], []
        for index in self.persistentIndexList():
            row = index.row()
            if not low <= row <= high:
                continue
            before.append(index)
            after.append(self.index(target if row == source else row + step, index.column()))
        if before:
            self.changePersistentIndexList(before, after)

    def _find(self, slots: np.ndarray, slot: int) -> int:
        """The position of ``slot`` in ``slots`` (sorted by the current key), or -1."""
        position = self._columns.position(slots, self._key(slot), self._key)
        return position if position < slots.size and int(slots[position]) == slot else -1

    def _position_of_row(self, row: int) -> int:
        return self._order.size - 1 - row if self._descending else row

    def _row_of_position(self, position: int, count: int | None = None) -> int:
        count = int(self._order.size) if count is None else count
        return count - 1 - position if self._descending else position

    # ---------------------------------------------------------------- texts
    def _ordinal(self, event: Event) -> int:
        return self._columns.ordinal(event)

    def _display(self, event: Event, column: int) -> str:
        if column == Column.NUMBER:
            return str(self._ordinal(event))
        if column == Column.BEHAVIOUR:
            return self.name(event.behaviour)
        if column == Column.SUBJECT:
            return self._subjects.get(event.subject, event.subject)
        if column == Column.ONSET:
            return f"{format_time(event.onset.us)} ({event.onset.frame})"
        if column == Column.OFFSET:
            if event.offset is not None:
                return f"{format_time(event.offset.us)} ({event.offset.frame})"
            return "● open" if event.is_state else ""
        if column == Column.DURATION:
            if not event.is_state:
                return ""
            duration = event.duration_us
            return "…" if duration is None else f"{duration / 1e6:.3f} s"
        if column == Column.MODIFIERS:
            return ", ".join(event.modifiers)
        return event.comment

    def _edit_text(self, event: Event, column: int) -> str | list[str]:
        if column == Column.BEHAVIOUR:
            return event.behaviour
        if column == Column.ONSET:
            return str(event.onset.frame)
        if column == Column.OFFSET:
            return "" if event.offset is None else str(event.offset.frame)
        if column == Column.COMMENT:
            return event.comment
        if column == Column.MODIFIERS:
            return list(event.modifiers)
        return self._display(event, column)

    def _tooltip(self, event: Event) -> str:
        kind = "point" if not event.is_state else ("state, still on" if event.is_open else "state")
        return f"Event {event.id}: {self.label(event.behaviour)} ({kind})"

    def _choices(self, event: Event) -> list[tuple[str, str]]:
        scheme = self._bridge.session.scheme
        return [
            (b.code, self.label(b.code)) for b in scheme.behaviours if b.is_state == event.is_state
        ]

    def _icon(self, code: str) -> QIcon:
        icon = self._icons.get(code)
        if icon is None:
            scheme = self._bridge.session.scheme
            colour = scheme.behaviour(code).colour if scheme.has_behaviour(code) else ""
            icon = self._icons[code] = swatch_icon(colour, 32)
        return icon

    def _frame(self, value: Any) -> int:
        if isinstance(value, int):
            return value
        return parse_frame(str(value), self._bridge.session.timebase)
