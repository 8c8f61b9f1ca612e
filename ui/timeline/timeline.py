"""The timeline under the video: one row per behaviour, grouped by subject, with a playhead.

It paints from ``bridge.session`` through a :class:`~ui.timeline.marks.MarkIndex` that each
``Change`` updates, never from the store; a change repaints on the cached layer only the
stretches of row where the marks it touched were and are. Clicks ask the main window to seek
or to show an event; dragging a state's edge moves it with one ``session.edit_event`` call (one
undo step) at release.

Mouse: click an empty place or the ruler to seek (drag to scrub); click an event to select it;
drag the edge of a state to move it. Wheel scrolls in time, Shift+wheel scrolls the rows,
Ctrl+wheel zooms around the pointer.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPixmap,
    QRegion,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QScrollBar, QSizePolicy, QWidget

from coder.coding.changes import Change
from coder.coding.session import SessionError
from ui.timeline import hits
from ui.timeline.geometry import Geometry
from ui.timeline.marks import Mark, MarkIndex, TimelineRow, timeline_rows
from ui.timeline.painter import TimelinePainter
from ui.window.session_bridge import SessionBridge

ZOOM_STEP = 1.5
"""Factor of one zoom_in() / zoom_out()."""
MAX_FRAME_EMS = 3.0
"""At the closest zoom a frame is this many 'M' widths wide."""
BAND_NAMES = ("Episodes", "Intervals")
"""Names the timeline's segment band may carry (see the painter)."""
FOLLOW_MARGIN = 0.1
"""When the playhead leaves the view, the view pages so it sits this far from the left."""


class Timeline(QWidget):
    """Rows of coloured bars (states) and ticks (points) with a playhead; zoomable."""

    seekRequested = Signal(int)
    """A frame the coder clicked or scrubbed to."""
    eventClicked = Signal(int)
    """The id of an event the coder clicked."""
    errorOccurred = Signal(str)
    """A refused drag, in words for the coder (the event stays where it was)."""
    viewChanged = Signal(int, int)
    """The visible frames changed (first, last exclusive) after a zoom or scroll."""

    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        session = bridge.session
        self._rows: list[TimelineRow] = timeline_rows(
            session.scheme, {e.behaviour for e in session.events}
        )
        self._index = MarkIndex(self._rows, session.events)
        self._frame = 0
        self._frame_count = max(1, session.timebase.frame_count)
        self._first = 0.0
        self._ppf = 1.0
        self._fit = True
        self._y_scroll = 0
        self._selected: int | None = None
        self._drag: hits.EdgeDrag | None = None
        self._scrub: int | None = None
        self._layer: QPixmap | None = None
        self._layer_key: tuple[object, ...] | None = None
        self._last_view: tuple[int, int] | None = None
        self._label_pref = 0
        segments = session.scheme.segments
        self._has_band = bool(segments.episodes or segments.interval_s)
        self._painter = TimelinePainter(
            session.scheme, session.timebase, self.font(), self.palette()
        )
        self._hbar = QScrollBar(Qt.Orientation.Horizontal, self)
        self._vbar = QScrollBar(Qt.Orientation.Vertical, self)
        self._vbar.hide()
        self._hbar.valueChanged.connect(self._scrolled)
        self._vbar.valueChanged.connect(self._scrolled_rows)
        self.setMouseTracking(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.setToolTip(
            "Click to seek, click an event to select it, drag a state's edge to move it.\n"
            "Wheel: scroll in time · Shift+wheel: rows · Ctrl+wheel: zoom"
        )
        bridge.changed.connect(self._on_change)
        self._measure_labels()
        self._layout()

    # ------------------------------------------------------------------ API
    @property
    def rows(self) -> list[TimelineRow]:
        return self._rows

    @property
    def index(self) -> MarkIndex:
        return self._index

    @property
    def frame(self) -> int:
        return self._frame

    def set_frame(self, frame: int) -> None:
        """Move the playhead to ``frame`` (the frame on screen); the view follows it."""
        frame = min(max(int(frame), 0), self._frame_count - 1)
        if frame == self._frame:
            return
        self._frame = frame
        if self._drag is None and self._scrub is None:
            visible = self._visible_span()
            if not self._first <= frame < self._first + visible:
                self._set_first(frame - visible * FOLLOW_MARGIN)
        self.update()

    def set_frame_count(self, count: int) -> None:
        """The number of frames of the video (the player may know it better than the pass)."""
        count = max(1, int(count))
        if count == self._frame_count:
            return
        self._frame_count = count
        self._frame = min(self._frame, count - 1)
        self._layout()
        self.update()

    def set_selected_event(self, event_id: int | None) -> None:
        """Outline ``event_id`` (e.g. the event selected in the table)."""
        if event_id != self._selected:
            self._selected = event_id
            self.update()

    def zoom_in(self) -> None:
        self._zoom(self._ppf * ZOOM_STEP)

    def zoom_out(self) -> None:
        self._zoom(self._ppf / ZOOM_STEP)

    def zoom_to_fit(self) -> None:
        """Show the whole session."""
        self._fit = True
        self._first = 0.0
        self._layout()
        self.update()

    def show_frames(self, first: int, count: int) -> None:
        """Zoom so that ``count`` frames from ``first`` fill the plot."""
        g = self.geometry_now()
        self._fit = False
        self._ppf = self._clamp_ppf(g.plot_width / max(1, count))
        self._set_first(first)

    def visible_frames(self) -> tuple[int, int]:
        """The frames in view: (first, last exclusive)."""
        return self.geometry_now().visible_frames()

    def pixels_per_frame(self) -> float:
        return self._ppf

    def geometry_now(self) -> Geometry:
        """The current layout (for hit tests and painting)."""
        bar = self._hbar.sizeHint().height()
        row_height, ruler, band = self._heights(bar)
        needs_vbar = len(self._rows) * row_height > self.height() - bar - ruler - band
        vbar = self._vbar.sizeHint().width() if needs_vbar else 0
        label_width = self._label_width()
        return Geometry(
            width=self.width(),
            height=self.height(),
            label_width=label_width,
            ruler_height=ruler,
            band_height=band,
            row_height=row_height,
            plot_right=max(label_width + 1, self.width() - vbar),
            plot_bottom=max(ruler + row_height, self.height() - bar),
            first=self._first,
            ppf=self._ppf,
            y_scroll=self._y_scroll,
            frame_count=self._frame_count,
        )

    def row_of(self, code: str) -> int | None:
        return self._index.row_of(code)

    def event_rect(self, event_id: int) -> QRectF | None:
        """Where event ``event_id`` is drawn (open states up to the playhead), or None."""
        mark = self._index.mark(event_id)
        if mark is None:
            return None
        g = self.geometry_now()
        end = self._end(mark)
        x0 = g.x_of(mark.start)
        x1 = g.x_of(end) if not mark.is_point else x0 + max(g.ppf, 2.0)
        return QRectF(x0, g.row_top(mark.row), x1 - x0, g.row_height)

    def event_at(self, pos: QPoint | QPointF) -> int | None:
        """The event drawn under ``pos`` (points within a few pixels count), or None."""
        return hits.event_at(self._hit_context(), pos.x(), pos.y())

    def edge_at(self, pos: QPoint | QPointF) -> tuple[int, str] | None:
        """(event id, "onset"/"offset") of the state edge under ``pos``, or None."""
        return hits.edge_at(self._hit_context(), pos.x(), pos.y())

    def invalidate(self) -> None:
        """Forget the cached drawing (it is rebuilt at the next paint)."""
        self._layer = None
        self.update()

    def sizeHint(self) -> QSize:
        """Every row at the font's height."""
        g = self.geometry_now()
        line = self.fontMetrics().height()
        row = line + max(2, line // 4)
        rows = g.rows_top + row * len(self._rows) + self._hbar.sizeHint().height()
        return QSize(self.fontMetrics().horizontalAdvance("M") * 60, rows)

    def minimumSizeHint(self) -> QSize:
        g = self.geometry_now()
        return QSize(
            self._label_width() + self.fontMetrics().horizontalAdvance("M") * 8,
            g.rows_top + 2 * self._painter.compact_row() + self._hbar.sizeHint().height(),
        )

    def rows_fit(self) -> bool:
        """Whether every row shows without scrolling."""
        return not self._needs_vbar()

    # ---------------------------------------------------------------- painting
    def paintEvent(self, event: QPaintEvent) -> None:
        g = self.geometry_now()
        hidden = self._drag.event_id if self._drag else None
        ratio = self.devicePixelRatioF()
        key = (g, hidden, ratio)
        if self._layer is None or key != self._layer_key:
            size = QSize(math.ceil(g.width * ratio), math.ceil(g.height * ratio))
            layer = QPixmap(size.expandedTo(QSize(1, 1)))
            layer.setDevicePixelRatio(ratio)
            painter = QPainter(layer)
            self._painter.paint_static(painter, g, self._rows, self._index, hidden)
            painter.end()
            self._layer, self._layer_key = layer, key
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._layer)
        selected = self._index.mark(self._selected) if self._selected is not None else None
        self._painter.paint_live(
            painter,
            g,
            self._index,
            self._frame,
            self._bridge.session.episodes,
            self._drag.preview(self._frame) if self._drag else None,
            selected,
        )
        painter.end()

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.PaletteChange):
            session = self._bridge.session
            self._painter = TimelinePainter(
                session.scheme, session.timebase, self.font(), self.palette()
            )
            self._layer = None
            self._measure_labels()
            self._layout()
        super().changeEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._layout()

    # ------------------------------------------------------------------ mouse
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        pos = event.position()
        g = self.geometry_now()
        if not g.in_plot(pos.x()) or pos.y() >= g.plot_bottom:
            return
        if (edge := self.edge_at(pos)) is not None:
            self._begin_drag(*edge)
            return
        if (event_id := self.event_at(pos)) is not None:
            self.eventClicked.emit(event_id)
            return
        self._scrub = g.frame_at(pos.x())
        self.seekRequested.emit(self._scrub)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position()
        g = self.geometry_now()
        if self._drag is not None:
            self._move_drag(g.boundary_at(pos.x()))
        elif self._scrub is not None:
            frame = g.frame_at(pos.x())
            if frame != self._scrub:
                self._scrub = frame
                self.seekRequested.emit(frame)
        else:
            if self.edge_at(pos) is not None:
                shape = Qt.CursorShape.SizeHorCursor
            elif self.event_at(pos) is not None:
                shape = Qt.CursorShape.PointingHandCursor
            else:
                shape = Qt.CursorShape.ArrowCursor
            if self.cursor().shape() != shape:
                self.setCursor(shape)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        self._scrub = None
        if self._drag is not None:
            self._finish_drag()

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        modifiers = event.modifiers()
        steps = (delta.y() or delta.x()) / 120
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            self._zoom(self._ppf * 1.25**steps, event.position().x())
        elif modifiers & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier):
            if self._vbar.isVisible():
                self._vbar.setValue(round(self._vbar.value() - steps * self._vbar.singleStep()))
        else:
            self._set_first(self._first - steps * self._visible_span() / 10)
        event.accept()

    # ------------------------------------------------------------- dragging
    def _begin_drag(self, event_id: int, boundary: str) -> None:
        event = self._bridge.session.event(event_id)
        row = self._index.row_of(event.behaviour)
        assert row is not None
        self._drag = hits.EdgeDrag.of(event, boundary, row, self._rows[row].colour)
        self._rehide(None, event_id)
        self.update()

    def _move_drag(self, frame: int) -> None:
        assert self._drag is not None
        moved = self._drag.moved_to(frame, self._frame_count)
        if moved != self._drag:
            self._drag = moved
            self.update()

    def _finish_drag(self) -> None:
        drag = self._drag
        assert drag is not None
        self._drag = None
        self._rehide(drag.event_id, drag.event_id)
        frame = drag.target
        if frame is not None and frame != drag.original:
            session = self._bridge.session
            try:
                if drag.boundary == "onset":
                    session.edit_event(drag.event_id, onset_frame=frame)
                else:
                    session.edit_event(drag.event_id, offset_frame=frame)
            except SessionError as exc:
                scheme = session.scheme
                name = scheme.behaviour(drag.code).name if scheme.has_behaviour(drag.code) else ""
                self.errorOccurred.emit(
                    f"Cannot move the {drag.boundary} of {name or drag.code} to frame {frame}: "
                    f"{exc}"
                )
        self.update()

    # ---------------------------------------------------------------- updates
    def _on_change(self, change: Change) -> None:
        """Re-place the marks ``change`` touched; repaint only where they were and are."""
        if not change.records and not change.episodes:
            return
        region: QRegion | None = None
        if change.records:
            ids = change.events
            before = [self._index.mark(event_id) for event_id in ids]
            self._index.update(change.records)
            dragged = self._drag is not None and self._drag.event_id in ids
            if dragged:
                self._drag = None
            region = self._repaint_marks(before + [self._index.mark(event_id) for event_id in ids])
            if dragged:
                region = None
        if change.episodes or region is None:
            self.update()  # episodes live in the band, drawn on every paint
        elif not region.isEmpty():
            self.update(region)

    def _rehide(self, was: int | None, event_id: int) -> None:
        """The layer drawn without event ``was`` (None: with every mark) now follows the drag
        in force: repaint the stretch of ``event_id``'s mark instead of the whole layer."""
        key = (self.geometry_now(), was, self.devicePixelRatioF())
        if self._layer is not None and self._layer_key == key:
            hidden = self._drag.event_id if self._drag else None
            self._layer_key = (key[0], hidden, key[2])
            self._repaint_marks([self._index.mark(event_id)])

    def _repaint_marks(self, marks: list[Mark | None]) -> QRegion | None:
        """Bring the cached layer up to date where ``marks`` (old and new places of what
        changed) lie and return the part of the widget to repaint; None when the layer was
        made for another view or drag and is dropped instead (all must be repainted)."""
        g = self.geometry_now()
        hidden = self._drag.event_id if self._drag else None
        if self._layer is None or self._layer_key != (g, hidden, self.devicePixelRatioF()):
            self._layer = None
            return None
        reach = self._painter.reach()
        spans: dict[int, tuple[float, float]] = {}
        region = QRegion()
        for mark in marks:
            if mark is None:
                continue
            x0 = g.x_of(mark.start)
            width = self._painter.point_width(g) if mark.is_point else None
            x1 = x0 + width if width is not None else g.x_of(self._end(mark))
            low, high = x0 - reach, max(x1, x0 + 1) + reach
            top = g.row_top(mark.row)
            region += QRect(math.floor(low), top, math.ceil(high - low) + 1, g.row_height)
            if mark.is_open:  # drawn live, not on the layer
                continue
            if mark.row in spans:
                low, high = min(low, spans[mark.row][0]), max(high, spans[mark.row][1])
            spans[mark.row] = (low, high)
        if spans:
            painter = QPainter(self._layer)
            self._painter.repaint_spans(painter, g, self._rows, self._index, spans, hidden)
            painter.end()
        return region.intersected(QRect(0, g.rows_top, g.plot_right, g.plot_bottom - g.rows_top))

    # ------------------------------------------------------------ view state
    def _measure_labels(self) -> None:
        metrics = self.fontMetrics()
        widest = max(
            (metrics.horizontalAdvance(f"{r.label} ({r.key})") for r in self._rows), default=0
        )
        if self._has_band:  # the band's name must fit too, even with no behaviour rows
            widest = max(widest, *(metrics.horizontalAdvance(t) for t in BAND_NAMES))
        self._label_pref = widest + metrics.height() + metrics.averageCharWidth() * 5

    def _label_width(self) -> int:
        low = self.fontMetrics().averageCharWidth() * 10
        return min(self._label_pref, max(low, self.width() * 35 // 100))

    def _heights(self, bar: int) -> tuple[int, int, int]:
        """(row, ruler, band) heights from the font, above a scroll bar ``bar`` high. Rows are
        as low as it takes for all of them to show (compact rows, labelled smaller), down to
        the small font's line."""
        line = self.fontMetrics().height()
        row = normal = line + max(2, line // 4)
        ruler = line + max(4, line // 2)
        band = normal if self._has_band else 0
        if self._rows:
            available = self.height() - bar - ruler - band
            row = max(self._painter.compact_row(), min(normal, available // len(self._rows)))
        return row, ruler, band

    def _needs_vbar(self) -> bool:
        g = self.geometry_now()
        return len(self._rows) * g.row_height > g.plot_bottom - g.rows_top

    def _hit_context(self) -> hits.HitContext:
        reach = max(3.0, self.fontMetrics().averageCharWidth() * 0.6)
        return hits.HitContext(self.geometry_now(), self._index, self._rows, self._frame, reach)

    def _end(self, mark: Mark) -> int:
        return max(self._frame, mark.start + 1) if mark.is_open else mark.end

    def _min_ppf(self, plot_width: int) -> float:
        return plot_width / self._frame_count

    def _clamp_ppf(self, ppf: float) -> float:
        plot_width = self.geometry_now().plot_width
        low = self._min_ppf(plot_width)
        high = max(low, self.fontMetrics().horizontalAdvance("M") * MAX_FRAME_EMS)
        return min(max(ppf, low), high)

    def _visible_span(self) -> float:
        return self.geometry_now().plot_width / self._ppf

    def _zoom(self, ppf: float, anchor_x: float | None = None) -> None:
        g = self.geometry_now()
        if anchor_x is None or not g.in_plot(anchor_x):
            playhead = g.x_of(self._frame)
            anchor_x = playhead if g.in_plot(playhead) else (g.plot_left + g.plot_right) / 2
        at = g.position_at(anchor_x)
        new = self._clamp_ppf(ppf)
        if new == self._ppf:
            return
        self._ppf = new
        self._fit = new <= self._min_ppf(g.plot_width) * (1 + 1e-9)
        self._set_first(at - (anchor_x - g.plot_left) / new)

    def _set_first(self, first: float) -> None:
        span = self._visible_span()
        first = min(max(first, 0.0), max(0.0, self._frame_count - span))
        if first != self._first:
            self._first = first
        self._layout()
        self.update()

    def _layout(self) -> None:
        """Fit zoom and scroll to the size, and place and range the scroll bars."""
        g = self.geometry_now()
        if self._fit:
            self._ppf = self._min_ppf(g.plot_width)
            self._first = 0.0
        else:
            self._ppf = self._clamp_ppf(self._ppf)
        span = g.plot_width / self._ppf
        self._first = min(max(self._first, 0.0), max(0.0, self._frame_count - span))
        bar = self._hbar.sizeHint().height()
        self._hbar.setGeometry(g.plot_left, self.height() - bar, g.plot_width, bar)
        self._hbar.blockSignals(True)
        self._hbar.setRange(0, max(0, math.ceil(self._frame_count - span)))
        self._hbar.setPageStep(max(1, int(span)))
        self._hbar.setSingleStep(max(1, int(span / 20)))
        self._hbar.setValue(round(self._first))
        self._hbar.blockSignals(False)
        available = g.plot_bottom - g.rows_top
        content = len(self._rows) * g.row_height
        if content > available:
            width = self._vbar.sizeHint().width()
            self._vbar.setGeometry(self.width() - width, g.rows_top, width, available)
            self._vbar.blockSignals(True)
            self._vbar.setRange(0, content - available)
            self._vbar.setPageStep(max(1, available))
            self._vbar.setSingleStep(g.row_height)
            self._vbar.blockSignals(False)
            self._vbar.show()
            self._y_scroll = min(self._y_scroll, content - available)
        else:
            self._vbar.hide()
            self._y_scroll = 0
        self._emit_view()

    def _emit_view(self) -> None:
        view = self.geometry_now().visible_frames()
        if view != self._last_view:
            self._last_view = view
            self.viewChanged.emit(*view)

    def _scrolled(self, value: int) -> None:
        if round(self._first) != value:
            self._set_first(float(value))

    def _scrolled_rows(self, value: int) -> None:
        if value != self._y_scroll:
            self._y_scroll = value
            self.update()
