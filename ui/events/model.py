"""The events of a coding pass as a Qt table model.

:class:`EventTableModel` answers rows straight from the session's events. It keeps only a list
of references to them in the current sort order (so that a ``Change`` of a few events becomes a
few row inserts, removals or moves rather than a reset) and writes every edit back through
``session.edit_event``.
"""

from __future__ import annotations

import enum
import re
from bisect import bisect_left
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QFont, QIcon

from coder.coding.changes import Change
from coder.coding.session import SessionError
from coder.model import Event
from coder.timebase import TimeBase
from coder.timefmt import format_time
from ui.colours import qcolour, swatch_icon, tint
from ui.window.session_bridge import SessionBridge


class Column(enum.IntEnum):
    NUMBER = 0
    BEHAVIOUR = 1
    SUBJECT = 2
    ONSET = 3
    OFFSET = 4
    DURATION = 5
    MODIFIERS = 6
    COMMENT = 7


HEADERS = ("#", "Behaviour", "Subject", "Onset", "Offset", "Duration", "Modifiers", "Comment")
HEADER_TIPS = (
    "Order of the event by onset",
    "Behaviour; its code is in the tooltip (editable: F2 or click a selected cell)",
    "Who shows the behaviour",
    "h:mm:ss.mmm (frame); type a frame number or a time to move it",
    "First frame the state is off; type a frame number or a time",
    "Offset minus onset in seconds",
    "Modifiers chosen for the event",
    "Free comment (editable)",
)

EVENT_ID_ROLE = int(Qt.ItemDataRole.UserRole) + 1
"""Role holding the event id of a row."""
IS_OPEN_ROLE = int(Qt.ItemDataRole.UserRole) + 2
"""Role holding whether the row is a state that is still on."""
CHOICES_ROLE = int(Qt.ItemDataRole.UserRole) + 3
"""Role of the behaviour column: ``[(code, label), ...]`` the event may be changed to."""

_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_EDIT = int(Qt.ItemDataRole.EditRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_DECORATION = int(Qt.ItemDataRole.DecorationRole)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole)
_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_NUMERIC = {Column.NUMBER, Column.ONSET, Column.OFFSET, Column.DURATION}
_EDITABLE = {Column.BEHAVIOUR, Column.ONSET, Column.OFFSET, Column.COMMENT}
_INCREMENTAL_LIMIT = 64
"""A change touching more events than this resets the model instead of moving rows."""
_LAST = 1 << 62
"""Sort value of an offset or duration that is not known yet (open states sort last)."""


_FRAME_TEXT = re.compile(r"(?:f|frame\s*)?(\d+)")
_CLOCK_PART = re.compile(r"\d+")
_SECONDS_PART = re.compile(r"\d+(?:\.\d*)?|\.\d+")


def parse_frame(text: str, timebase: TimeBase) -> int:
    """The frame meant by ``text``: a frame number (``1234``, ``f1234``) or a time.

    Times read as ``h:mm:ss.mmm``, ``m:ss.mmm``, ``12.5`` or ``12s`` and name the frame on
    screen at that instant; the end of the video (or later) means ``frame_count``.
    Raises ValueError with a message for the coder when ``text`` is neither.
    """
    clean = text.strip().lower()
    if match := _FRAME_TEXT.fullmatch(clean):
        return int(match.group(1))
    parts = clean.removesuffix("s").strip().split(":")
    readable = (
        1 <= len(parts) <= 3
        and all(_CLOCK_PART.fullmatch(p) for p in parts[:-1])
        and _SECONDS_PART.fullmatch(parts[-1]) is not None
    )
    if not readable:
        raise ValueError(
            f"{text.strip()!r} is neither a frame number nor a time such as 0:01:02.500"
        )
    try:
        seconds = Decimal(parts[-1])
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only decimals
        raise ValueError(f"{text.strip()!r} is not a time") from exc
    for weight, part in zip((60, 3600), reversed(parts[:-1]), strict=False):
        seconds += weight * int(part)
    us = int(seconds * 1_000_000)
    if us >= timebase.duration_us:
        return timebase.frame_count
    return timebase.index_at(us)


def onset_key(event: Event) -> tuple[int, int]:
    """The order of ``session.events``: onset frame, then id."""
    return event.onset.frame, event.id or 0


def _end_frame(event: Event) -> int:
    if event.offset is not None:
        return event.offset.frame
    return _LAST if event.is_state else event.onset.frame


def _duration(event: Event) -> int:
    if not event.is_state:
        return -1
    return _LAST if event.duration_us is None else event.duration_us


_SORT_KEYS: dict[Column, Callable[[Event], tuple[Any, ...]]] = {
    Column.NUMBER: onset_key,
    Column.ONSET: onset_key,
    Column.BEHAVIOUR: lambda e: (e.behaviour, *onset_key(e)),
    Column.SUBJECT: lambda e: (e.subject, *onset_key(e)),
    Column.OFFSET: lambda e: (_end_frame(e), *onset_key(e)),
    Column.DURATION: lambda e: (_duration(e), *onset_key(e)),
    Column.MODIFIERS: lambda e: (", ".join(e.modifiers), *onset_key(e)),
    Column.COMMENT: lambda e: (e.comment.casefold(), *onset_key(e)),
}


class EventTableModel(QAbstractTableModel):
    """Rows of ``bridge.session.events``; edits go through ``session.edit_event``."""

    errorOccurred = Signal(str)
    """A refused edit, in words for the coder (nothing was changed)."""

    def __init__(self, bridge: SessionBridge, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        scheme = bridge.session.scheme
        self._names = {b.code: b.name for b in scheme.behaviours}
        self._subjects = {s.code: s.name for s in scheme.subjects}
        self._column = Column.ONSET
        self._descending = False
        self._key = _SORT_KEYS[self._column]
        self._rows: list[Event] = []
        self._icons: dict[str, QIcon] = {}
        self._folded_labels: dict[str, str] = {}
        self._folded_subjects: dict[str, str] = {}
        self._open_brush = QBrush(tint(qcolour("#f5b642"), 90))
        self._open_font = QFont()
        self._open_font.setBold(True)
        self._fill()
        bridge.changed.connect(self._on_change)

    # ------------------------------------------------------------------ lookups
    @property
    def bridge(self) -> SessionBridge:
        return self._bridge

    def event_at(self, row: int) -> Event:
        """The event shown in ``row``."""
        if self._descending:
            return self._rows[len(self._rows) - 1 - row]
        return self._rows[row]

    def events_in_row_order(self) -> list[Event]:
        """The listed events, row 0 first (a new list)."""
        return self._rows[::-1] if self._descending else list(self._rows)

    def event_id_at(self, row: int) -> int:
        """The id of the event shown in ``row``."""
        event_id = self.event_at(row).id
        assert event_id is not None
        return event_id

    def row_of(self, event_id: int) -> int:
        """The row showing event ``event_id``, or -1 when there is no such event."""
        try:
            event = self._bridge.session.event(event_id)
        except SessionError:
            return -1
        return self._row_of_position(bisect_left(self._rows, self._key(event), key=self._key))

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
        label = self._folded_labels.get(event.behaviour)
        if label is None:
            label = self.label(event.behaviour).casefold()
            self._folded_labels[event.behaviour] = label
        subject = self._folded_subjects.get(event.subject)
        if subject is None:
            subject = self._subjects.get(event.subject, event.subject).casefold()
            self._folded_subjects[event.subject] = subject
        return (
            text in label
            or text in subject
            or (bool(event.comment) and text in event.comment.casefold())
            or any(text in m.casefold() for m in event.modifiers)
        )

    # ------------------------------------------------------------- Qt model API
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

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
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        column = index.column()
        if column in _EDITABLE and (column != Column.OFFSET or self.event_at(index.row()).is_state):
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = _DISPLAY) -> Any:
        if not index.isValid():
            return None
        event = self.event_at(index.row())
        column = index.column()
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
        self.layoutAboutToBeChanged.emit()
        persistent = self.persistentIndexList()
        kept = [(self.event_id_at(i.row()), i.column()) for i in persistent]
        self._column, self._descending = column, descending
        self._key = _SORT_KEYS[column]
        self._rows.sort(key=self._key)
        moved = [self.index(self.row_of(event_id), col) for event_id, col in kept]
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    # ---------------------------------------------------------------- updates
    def _fill(self) -> None:
        events = self._bridge.session.events
        self._rows = sorted(events, key=self._key)

    def _reset(self) -> None:
        self.beginResetModel()
        self._fill()
        self.endResetModel()

    def _on_change(self, change: Change) -> None:
        """Insert, remove, move or refresh the rows of the events ``change`` touched, from
        the records it carries.

        The "#" column (order by onset) of other rows may shift too; it is computed when a row
        is painted, and views repaint their visible rows after a change. (Announcing every row
        as changed would make a filter proxy judge all rows again.)
        """
        if not change.records:
            return
        if len(change.records) > _INCREMENTAL_LIMIT:
            self._reset()
            return
        for record in change.records:  # each touched event, before and after the command
            old, new = record.before, record.after
            if old is None and new is not None:
                self._insert(new)
            elif old is not None and new is None:
                self._remove(old)
            elif old is not None and new is not None and old != new:
                self._replace(old, new)
        if len(self._rows) != self._bridge.session.event_count:
            self._reset()  # never expected: the change and the pass disagree

    def _row_of_position(self, position: int, count: int | None = None) -> int:
        count = len(self._rows) if count is None else count
        return count - 1 - position if self._descending else position

    def _position(self, event: Event) -> int:
        return bisect_left(self._rows, self._key(event), key=self._key)

    def _insert(self, event: Event) -> None:
        position = self._position(event)
        row = self._row_of_position(position, len(self._rows) + 1)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(position, event)
        self.endInsertRows()

    def _remove(self, event: Event) -> None:
        position = self._position(event)
        row = self._row_of_position(position)
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._rows[position]
        self.endRemoveRows()

    def _replace(self, old: Event, new: Event) -> None:
        """Show ``new`` in place of ``old``, moving its row if the sort order says so."""
        start = self._position(old)
        del self._rows[start]
        end = bisect_left(self._rows, self._key(new), key=self._key)
        self._rows.insert(start, old)
        source, target = self._row_of_position(start), self._row_of_position(end)
        if source == target:
            self._rows[start] = new
        else:
            destination = target if target < source else target + 1
            self.beginMoveRows(QModelIndex(), source, source, QModelIndex(), destination)
            del self._rows[start]
            self._rows.insert(end, new)
            self.endMoveRows()
        self.dataChanged.emit(self.index(target, 0), self.index(target, len(HEADERS) - 1))

    # ---------------------------------------------------------------- texts
    def _ordinal(self, event: Event) -> int:
        events = self._bridge.session.events
        return bisect_left(events, onset_key(event), key=onset_key) + 1

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

    def _edit_text(self, event: Event, column: int) -> str:
        if column == Column.BEHAVIOUR:
            return event.behaviour
        if column == Column.ONSET:
            return str(event.onset.frame)
        if column == Column.OFFSET:
            return "" if event.offset is None else str(event.offset.frame)
        if column == Column.COMMENT:
            return event.comment
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
