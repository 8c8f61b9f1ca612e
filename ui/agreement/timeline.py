"""The two-coder timeline: coder A above coder B on one time axis, where they differ marked.

It paints a :class:`~ui.agreement.lanes.TimelineContent` and nothing else: bands over the time
units the coders coded differently (tinted and hatched), each coder's events on its lane, a line
joining every aligned pair (dashed when the codes differ), and a badge on every event the other
coder lacks (− in coder A's lane: an omission by B; + in coder B's: a commission). Ctrl+wheel or
the +/− keys zoom, the wheel and a drag pan, Shift+wheel scrolls the rows; a click emits the
frame under it (an event's onset when the click is on an event), to seek the coding window.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QScrollBar, QSizePolicy, QToolTip, QWidget

from coder.agreement.time_units import NONE
from ui.agreement.lanes import LANE_HEIGHT, Bar, Row, TimelineContent
from ui.colours import PLAYHEAD, qcolour, text_on, tint
from ui.timeline.geometry import Geometry, format_tick, ruler_ticks

RULER_HEIGHT = 22
LABEL_WIDTH = 210
SCROLLBAR = 14
MAX_PPF = 40.0
BAND_COLOUR = QColor("#f0a000")
OMISSION, COMMISSION = "−", "+"
BADGE_COLOUR = QColor("#b2182b")
MISMATCH_COLOUR = QColor("#b35806")
HIT_PX = 3.0


class TwoCoderTimeline(QWidget):
    """Paints two coders' passes of one observation; emits ``frame_clicked(frame)``."""

    frame_clicked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._content: TimelineContent | None = None
        self._first = 0.0
        self._ppf = 1.0
        self._fitted = True
        self._y = 0
        self._cursor: int | None = None
        self._focus_group: str | None = None
        self._press: QPointF | None = None
        self._dragged = False
        self._hbar = QScrollBar(Qt.Orientation.Horizontal, self)
        self._vbar = QScrollBar(Qt.Orientation.Vertical, self)
        self._hbar.valueChanged.connect(self._h_scrolled)
        self._vbar.valueChanged.connect(self._v_scrolled)
        self._small = QFont(self.font())
        self._small.setPointSizeF(max(6.0, self.font().pointSizeF() * 0.8))
        self._bold = QFont(self.font())
        self._bold.setBold(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self._layout_bars()

    # ------------------------------------------------------------ content and view
    @property
    def content(self) -> TimelineContent | None:
        return self._content

    def set_content(self, content: TimelineContent | None, keep_view: bool = False) -> None:
        """Show ``content`` (fitted to the window unless ``keep_view`` and the same length)."""
        same = (
            keep_view
            and content is not None
            and self._content is not None
            and content.frame_count == self._content.frame_count
        )
        self._content = content
        if not same:
            self._fitted = True
            self._y = 0
        self._layout_bars()
        self.update()

    def set_cursor(self, frame: int | None) -> None:
        """Mark the frame last sent to the coding window."""
        if frame != self._cursor:
            self._cursor = frame
            self.update()

    def focus_group(self, group: str | None) -> None:
        """Emphasise ``group``'s header and scroll its rows into view."""
        self._focus_group = group
        content = self._content
        if content is not None and group is not None:
            row = content.row_of(group)
            if row is not None:
                top = content.rows[row].top
                if not self._y <= top < self._y + self._rows_height() - 40:
                    self._vbar.setValue(top)
        self.update()

    def zoom_in(self) -> None:
        self._zoom(self._ppf * 1.5)

    def zoom_out(self) -> None:
        self._zoom(self._ppf / 1.5)

    def zoom_to_fit(self) -> None:
        self._fitted = True
        self._layout_bars()
        self.update()

    def show_frames(self, first: float, count: float) -> None:
        """Zoom so that frames ``first`` .. ``first + count`` fill the plot."""
        self._fitted = False
        self._ppf = self._clamp(self._plot_width() / max(1.0, count))
        self._set_first(first)

    def centre_on(self, start: float, end: float) -> None:
        """Scroll so ``start``..``end`` is in the middle (zooming in from the whole video)."""
        content = self._content
        if content is None:
            return
        if self._fitted and content.frame_count > 0:
            span = max(end - start, content.timebase.nominal_fps * 10 or 250)
            self.show_frames(start - span / 2, span * 2)
        visible = self._plot_width() / self._ppf
        self._set_first((start + end) / 2 - visible / 2)

    def visible_frames(self) -> tuple[float, float]:
        return self._first, self._first + self._plot_width() / self._ppf

    def geometry_now(self) -> Geometry:
        count = self._content.frame_count if self._content is not None else 1
        return Geometry(
            width=self.width(),
            height=self.height(),
            label_width=LABEL_WIDTH,
            ruler_height=RULER_HEIGHT,
            band_height=0,
            row_height=LANE_HEIGHT,
            plot_right=self.width() - SCROLLBAR,
            plot_bottom=self.height() - SCROLLBAR,
            first=self._first,
            ppf=self._ppf,
            y_scroll=self._y,
            frame_count=max(1, count),
        )

    def sizeHint(self) -> QSize:
        return QSize(900, 420)

    def minimumSizeHint(self) -> QSize:
        return QSize(400, 160)

    # ------------------------------------------------------------ where things are
    def row_rect(self, row: int) -> QRectF:
        assert self._content is not None
        r = self._content.rows[row]
        return QRectF(0, RULER_HEIGHT + r.top - self._y, self.width() - SCROLLBAR, r.height)

    def bar_rect(self, bar: Bar) -> QRectF:
        """The bar's rectangle on screen (points at least 3 px wide)."""
        assert self._content is not None
        g = self.geometry_now()
        row = self._content.rows[bar.row]
        x0, x1 = g.x_of(bar.start), g.x_of(bar.end)
        if bar.point:
            mid = (x0 + x1) / 2
            x0, x1 = mid - max(1.5, (x1 - x0) / 2), mid + max(1.5, (x1 - x0) / 2)
        top = RULER_HEIGHT + row.lane_top(bar.lane) - self._y
        return QRectF(x0, top, max(1.0, x1 - x0), LANE_HEIGHT - 1)

    def x_of(self, frame: float) -> float:
        return self.geometry_now().x_of(frame)

    def bar_at(self, pos: QPointF) -> Bar | None:
        """The event under ``pos`` (points are easier to hit than their 3 px)."""
        if self._content is None or pos.x() < LABEL_WIDTH:
            return None
        best: tuple[float, Bar] | None = None
        for bar in self._content.bars:
            rect = self.bar_rect(bar).adjusted(-HIT_PX, 0, HIT_PX, 0)
            if rect.contains(pos):
                distance = abs(rect.center().x() - pos.x()) if bar.point else 0.0
                if best is None or distance < best[0]:
                    best = (distance, bar)
        return None if best is None else best[1]

    def frame_at(self, x: float) -> int:
        return self.geometry_now().frame_at(x)

    # ------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        palette = self.palette()
        p.fillRect(self.rect(), palette.base())
        content = self._content
        if content is None or not content.rows:
            p.setPen(palette.placeholderText().color())
            p.drawText(
                QRectF(self.rect()),
                Qt.AlignmentFlag.AlignCenter,
                "Choose two coders and press Compute: their passes appear here, one above "
                "the other.",
            )
            return
        g = self.geometry_now()
        plot = QRectF(LABEL_WIDTH, RULER_HEIGHT, g.plot_width, g.plot_bottom - RULER_HEIGHT)
        p.save()
        p.setClipRect(QRectF(0, RULER_HEIGHT, g.plot_right, plot.height()))
        self._paint_rows(p, content, g)
        p.setClipRect(plot)
        self._paint_bands(p, content, g)
        self._paint_bars(p, content)
        self._paint_links(p, content, g)
        self._paint_badges(p, content)
        p.restore()
        self._paint_ruler(p, content, g)
        if self._cursor is not None:
            x = g.x_of(self._cursor + 0.5)
            if LABEL_WIDTH <= x <= g.plot_right:
                p.setPen(QPen(QColor(PLAYHEAD), 2))
                p.drawLine(QPointF(x, 0), QPointF(x, g.plot_bottom))

    def _paint_rows(self, p: QPainter, content: TimelineContent, g: Geometry) -> None:
        palette = self.palette()
        text = palette.text().color()
        alt = palette.alternateBase().color()
        metrics = QFontMetrics(self.font())
        small = QFontMetrics(self._small)
        for i, row in enumerate(content.rows):
            rect = self.row_rect(i)
            if rect.bottom() < RULER_HEIGHT or rect.top() > g.plot_bottom:
                continue
            if row.kind == "group":
                focused = row.group == self._focus_group
                p.fillRect(rect, QColor("#dfe7f1") if focused else palette.window().color())
                p.setFont(self._bold)
                p.setPen(text)
                name = metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, LABEL_WIDTH - 8)
                box = QRectF(4, rect.top(), LABEL_WIDTH - 8, rect.height())
                p.drawText(box, Qt.AlignmentFlag.AlignVCenter, name)
                p.setFont(self.font())
                p.setPen(palette.placeholderText().color() if not focused else text)
                line = content.summaries.get(row.group, "")
                box = QRectF(LABEL_WIDTH + 6, rect.top(), g.plot_width - 12, rect.height())
                p.drawText(box, Qt.AlignmentFlag.AlignVCenter, line)
                continue
            for lane in (0, 1):
                lane_rect = QRectF(
                    LABEL_WIDTH,
                    rect.top() + row.lane_top(lane) - row.top,
                    g.plot_width,
                    LANE_HEIGHT,
                )
                p.fillRect(lane_rect, alt if lane == 0 else palette.base().color())
            p.setPen(QColor("#d0d0d0"))
            p.drawLine(QPointF(0, rect.bottom()), QPointF(g.plot_right, rect.bottom()))
            swatch = QRectF(6, rect.center().y() - 4, 8, 8)
            p.fillRect(swatch, qcolour(row.colour))
            p.setPen(text)
            p.setFont(self.font())
            tag_w = small.horizontalAdvance("MMMM") + 4
            width = LABEL_WIDTH - 22 - tag_w
            name = metrics.elidedText(row.label, Qt.TextElideMode.ElideRight, width)
            p.drawText(
                QRectF(18, rect.top(), width, rect.height()), Qt.AlignmentFlag.AlignVCenter, name
            )
            p.setFont(self._small)
            p.setPen(palette.placeholderText().color())
            for lane, who in ((0, content.coder_a), (1, content.coder_b)):
                top = rect.top() + row.lane_top(lane) - row.top
                box = QRectF(LABEL_WIDTH - tag_w - 2, top - 1, tag_w, LANE_HEIGHT + 2)
                p.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, who)
            p.setFont(self.font())

    def _paint_bands(self, p: QPainter, content: TimelineContent, g: Geometry) -> None:
        fill = tint(BAND_COLOUR, 70)
        hatch = QBrush(tint(BAND_COLOUR.darker(130), 150), Qt.BrushStyle.BDiagPattern)
        for band in content.bands:
            x0, x1 = g.x_of(band.start), g.x_of(band.end)
            if x1 < LABEL_WIDTH or x0 > g.plot_right:
                continue
            top = self.row_rect(band.first).top()
            bottom = self.row_rect(band.last).bottom()
            rect = QRectF(x0, top, max(2.0, x1 - x0), bottom - top)
            p.fillRect(rect, fill)
            p.fillRect(rect, hatch)

    def _paint_bars(self, p: QPainter, content: TimelineContent) -> None:
        for bar in content.bars:
            rect = self.bar_rect(bar)
            if rect.right() < LABEL_WIDTH or rect.left() > self.width():
                continue
            colour = qcolour(bar.colour)
            p.fillRect(rect, colour)
            if bar.open:
                p.fillRect(rect, QBrush(text_on(colour), Qt.BrushStyle.FDiagPattern))
            if bar.unmatched:
                p.setPen(QPen(BADGE_COLOUR, 2))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRect(rect.adjusted(-1, -1, 1, 1))
            elif not bar.point and rect.width() >= 4:
                p.setPen(QPen(colour.darker(160), 1))
                p.drawLine(rect.topLeft(), rect.bottomLeft())

    def _paint_links(self, p: QPainter, content: TimelineContent, g: Geometry) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        same = QPen(QColor("#303030"), 1.2)
        other = QPen(MISMATCH_COLOUR, 1.8, Qt.PenStyle.DashLine)
        for link in content.links:
            xa, xb = g.x_of(link.a_at), g.x_of(link.b_at)
            if max(xa, xb) < LABEL_WIDTH or min(xa, xb) > g.plot_right:
                continue
            ya = self._lane_mid(content.rows[link.a_row], 0)
            yb = self._lane_mid(content.rows[link.b_row], 1)
            p.setPen(same if link.same_code else other)
            p.drawLine(QPointF(xa, ya), QPointF(xb, yb))
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_badges(self, p: QPainter, content: TimelineContent) -> None:
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.setFont(self._bold)
        size = LANE_HEIGHT + 3
        for bar in content.bars:
            if not bar.unmatched:
                continue
            rect = self.bar_rect(bar)
            badge = QRectF(rect.left() - size - 2, rect.center().y() - size / 2, size, size)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(BADGE_COLOUR)
            p.drawEllipse(badge)
            p.setPen(QColor("white"))
            mark = OMISSION if bar.lane == 0 else COMMISSION
            p.drawText(badge, Qt.AlignmentFlag.AlignCenter, mark)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setFont(self.font())
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    def _paint_ruler(self, p: QPainter, content: TimelineContent, g: Geometry) -> None:
        palette = self.palette()
        p.fillRect(QRectF(0, 0, self.width(), RULER_HEIGHT), palette.window())
        p.setPen(palette.text().color())
        p.setFont(self._bold)
        title = f"{content.coder_a} above {content.coder_b}"
        metrics = QFontMetrics(self._bold)
        p.drawText(
            QRectF(4, 0, LABEL_WIDTH - 8, RULER_HEIGHT),
            Qt.AlignmentFlag.AlignVCenter,
            metrics.elidedText(title, Qt.TextElideMode.ElideRight, LABEL_WIDTH - 8),
        )
        p.setFont(self._small)
        step, ticks = ruler_ticks(g, content.timebase, 80)
        p.setClipRect(QRectF(LABEL_WIDTH, 0, g.plot_width, RULER_HEIGHT))
        for position, label in ticks:
            x = g.x_of(position)
            p.drawLine(QPointF(x, RULER_HEIGHT - 6), QPointF(x, RULER_HEIGHT))
            p.drawText(QPointF(x + 3, RULER_HEIGHT - 8), label)
        p.setClipping(False)
        p.setPen(QColor("#b0b0b0"))
        p.drawLine(QPointF(0, RULER_HEIGHT - 0.5), QPointF(g.plot_right, RULER_HEIGHT - 0.5))
        p.setFont(self.font())
        del step

    def _lane_mid(self, row: Row, lane: int) -> float:
        return RULER_HEIGHT + row.lane_top(lane) - self._y + (LANE_HEIGHT - 1) / 2  # type: ignore[arg-type]

    # ------------------------------------------------------------ tooltips
    def describe_at(self, pos: QPointF) -> str:
        """What is under ``pos``, in words (empty when nothing)."""
        content = self._content
        if content is None or pos.x() < LABEL_WIDTH or pos.y() < RULER_HEIGHT:
            return ""
        bar = self.bar_at(pos)
        if bar is not None:
            return self._describe_bar(content, bar)
        frame = self.geometry_now().position_at(pos.x())
        for band in content.bands:
            top, bottom = self.row_rect(band.first).top(), self.row_rect(band.last).bottom()
            if band.start <= frame < band.end and top <= pos.y() < bottom:
                span = band.span
                label_a = content.names.get(span.a, "no code" if span.a == NONE else span.a)
                label_b = content.names.get(span.b, "no code" if span.b == NONE else span.b)
                what = f"{content.names.get(span.code, span.code)}: " if span.code else ""
                when = f"{_time(span.start.us)}–{_time(span.end.us)}"
                units = f"{span.units} unit{'s' if span.units != 1 else ''}"
                return (
                    f"Coded differently, {when} ({units})\n{what}{content.coder_a}: {label_a}, "
                    f"{content.coder_b}: {label_b}"
                )
        return ""

    def _describe_bar(self, content: TimelineContent, bar: Bar) -> str:
        who = content.coder_a if bar.lane == 0 else content.coder_b
        other = content.coder_b if bar.lane == 0 else content.coder_a
        e = bar.event
        name = content.names.get(e.behaviour, e.behaviour)
        if e.is_state:
            end = "open" if e.offset is None else _time(e.offset.us)
            when = f"{_time(e.onset.us)}–{end}"
        else:
            when = _time(e.onset.us)
        text = f"{who}: {name}, {when} (frame {e.onset.frame})"
        pair = bar.pair
        if pair is None:
            return text
        if pair.kind in ("omission", "commission"):
            return (
                f"{text}\nOnly {who} coded it: {other} has no event near enough to pair "
                f"({'an omission' if pair.kind == 'omission' else 'a commission'} "
                f"by {content.coder_b})"
            )
        mate = pair.b if bar.lane == 0 else pair.a
        assert mate is not None
        shift = (pair.onset_difference_us or 0) / 1e6
        mate_name = content.names.get(mate.behaviour, mate.behaviour)
        verb = "matched by" if pair.kind == "match" else "paired with a different code:"
        return (
            f"{text}\n{verb} {other}'s {mate_name} at {_time(mate.onset.us)} (B − A {shift:+.2f} s)"
        )

    def event(self, event: object) -> bool:
        from PySide6.QtGui import QHelpEvent

        if isinstance(event, QHelpEvent):
            text = self.describe_at(QPointF(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self)
            else:
                QToolTip.hideText()
            return True
        return super().event(event)  # type: ignore[arg-type]

    # ------------------------------------------------------------ mouse and keys
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and event.position().x() >= LABEL_WIDTH:
            self._press = event.position()
            self._press_first = self._first
            self._dragged = False
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            dx = event.position().x() - self._press.x()
            if abs(dx) > 4 or self._dragged:
                self._dragged = True
                self._set_first(self._press_first - dx / self._ppf)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, self._press = self._press, None
        if press is not None and not self._dragged and event.button() == Qt.MouseButton.LeftButton:
            self.click(event.position())
        super().mouseReleaseEvent(event)

    def click(self, pos: QPointF) -> int | None:
        """Seek to what is at ``pos``: an event's onset, else the frame under it."""
        if self._content is None or not LABEL_WIDTH <= pos.x() < self.width() - SCROLLBAR:
            return None
        bar = self.bar_at(pos)
        frame = bar.event.onset.frame if bar is not None else self.frame_at(pos.x())
        self.set_cursor(frame)
        self.frame_clicked.emit(frame)
        return frame

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta()
        steps = (delta.y() or delta.x()) / 120
        modifiers = event.modifiers()
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            self._zoom(self._ppf * 1.25**steps, event.position().x())
        elif modifiers & (Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier):
            self._vbar.setValue(round(self._vbar.value() - steps * 40))
        else:
            self._set_first(self._first - steps * (self._plot_width() / self._ppf) / 10)
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Plus, Qt.Key.Key_Equal):
            self.zoom_in()
        elif key == Qt.Key.Key_Minus:
            self.zoom_out()
        elif key == Qt.Key.Key_0:
            self.zoom_to_fit()
        elif key == Qt.Key.Key_Left:
            self._set_first(self._first - (self._plot_width() / self._ppf) / 10)
        elif key == Qt.Key.Key_Right:
            self._set_first(self._first + (self._plot_width() / self._ppf) / 10)
        else:
            super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._layout_bars()
        super().resizeEvent(event)

    # ------------------------------------------------------------ zoom and scroll
    def _plot_width(self) -> int:
        return max(1, self.width() - SCROLLBAR - LABEL_WIDTH)

    def _rows_height(self) -> int:
        return max(1, self.height() - SCROLLBAR - RULER_HEIGHT)

    def _fit_ppf(self) -> float:
        count = self._content.frame_count if self._content is not None else 1
        return self._plot_width() / max(1, count)

    def _clamp(self, ppf: float) -> float:
        return min(max(ppf, self._fit_ppf()), max(MAX_PPF, self._fit_ppf()))

    def _zoom(self, ppf: float, anchor_x: float | None = None) -> None:
        anchor = self._plot_width() / 2 + LABEL_WIDTH if anchor_x is None else anchor_x
        at = self._first + (anchor - LABEL_WIDTH) / self._ppf
        self._ppf = self._clamp(ppf)
        self._fitted = math.isclose(self._ppf, self._fit_ppf())
        self._set_first(at - (anchor - LABEL_WIDTH) / self._ppf)

    def _set_first(self, first: float) -> None:
        count = self._content.frame_count if self._content is not None else 0
        visible = self._plot_width() / self._ppf
        self._first = min(max(0.0, first), max(0.0, count - visible))
        self._layout_bars()
        self.update()

    def _layout_bars(self) -> None:
        w, h = self.width(), self.height()
        self._hbar.setGeometry(
            LABEL_WIDTH, h - SCROLLBAR, max(1, w - SCROLLBAR - LABEL_WIDTH), SCROLLBAR
        )
        self._vbar.setGeometry(
            w - SCROLLBAR, RULER_HEIGHT, SCROLLBAR, max(1, h - SCROLLBAR - RULER_HEIGHT)
        )
        content = self._content
        if self._fitted:
            self._ppf = self._fit_ppf()
            self._first = 0.0
        count = content.frame_count if content is not None else 0
        visible = self._plot_width() / self._ppf
        blockers = (self._hbar.blockSignals(True), self._vbar.blockSignals(True))
        scale = 1000 / max(1.0, visible)  # scroll bar units per frame: 1000 per screen
        self._hbar.setRange(0, max(0, round((count - visible) * scale)))
        self._hbar.setPageStep(1000)
        self._hbar.setSingleStep(100)
        self._hbar.setValue(round(self._first * scale))
        self._hbar_scale = scale
        height = content.height if content is not None else 0
        self._vbar.setRange(0, max(0, height - self._rows_height()))
        self._vbar.setPageStep(self._rows_height())
        self._vbar.setSingleStep(20)
        self._y = min(self._y, self._vbar.maximum())
        self._vbar.setValue(self._y)
        self._hbar.blockSignals(blockers[0])
        self._vbar.blockSignals(blockers[1])

    def _h_scrolled(self, value: int) -> None:
        self._first = value / self._hbar_scale
        self.update()

    def _v_scrolled(self, value: int) -> None:
        self._y = value
        self.update()


def _time(us: int) -> str:
    """``m:ss.ss`` for tooltips."""
    return format_tick(us, 10_000)
