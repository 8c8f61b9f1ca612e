"""Painting the timeline: a static layer (ruler, rows, labels, finished marks) that is cached
between changes, and a live layer (open states, episodes, drag preview, playhead) on top.

Marks narrower than a pixel are merged into runs with NumPy before anything reaches Qt, so a
paint costs about one rectangle per pixel column and row at most, however many events there are.
A command repaints on the cached layer only the stretch of row where its marks were and are
(:meth:`TimelinePainter.repaint_spans`), exactly as a whole repaint would draw it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetrics, QPainter, QPalette, QPen, QPolygonF

from coder.model import Episode
from coder.scheme import Scheme
from coder.timebase import TimeBase
from ui.colours import PLAYHEAD, episode_colour, qcolour, text_on, tint
from ui.timeline.geometry import Geometry, frame_position, ruler_ticks
from ui.timeline.marks import OPEN, Mark, MarkIndex, TimelineRow

_MERGE_GAP = 1.0
"""Marks closer than this many pixels are drawn as one run."""
_EDGE_MIN = 4.0
"""Marks at least this wide get a darker line at their onset, so neighbours stay apart."""
COMPACT_SCALE = 0.85
"""Rows too low for the widget's font (compact rows) are labelled this much smaller."""


@dataclass(frozen=True, slots=True)
class Preview:
    """A state whose edge is being dragged: drawn from ``start`` to ``end`` in ``colour``."""

    row: int
    start: int
    end: int
    colour: str
    label: str


def _runs(x0: np.ndarray, x1: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Merge spans sorted by ``x0`` that touch (gap under a pixel) into runs."""
    if x0.size == 0:
        return x0, x1
    reach = np.maximum.accumulate(x1)
    starts = np.empty(x0.size, dtype=bool)
    starts[0] = True
    np.greater(x0[1:], reach[:-1] + _MERGE_GAP, out=starts[1:])
    first = np.flatnonzero(starts)
    last = np.append(first[1:] - 1, x0.size - 1)
    return x0[first], reach[last]


class TimelinePainter:
    """Draws a timeline for one scheme and time base with the widget's font and palette."""

    def __init__(self, scheme: Scheme, timebase: TimeBase, font: QFont, palette: QPalette) -> None:
        self.scheme = scheme
        self.timebase = timebase
        self.font = QFont(font)
        self.bold = QFont(font)
        self.bold.setBold(True)
        self.metrics = QFontMetrics(self.font)
        self.small = QFont(font)
        if font.pointSizeF() > 0:
            self.small.setPointSizeF(font.pointSizeF() * COMPACT_SCALE)
        else:
            self.small.setPixelSize(max(6, round(font.pixelSize() * COMPACT_SCALE)))
        self.small_bold = QFont(self.small)
        self.small_bold.setBold(True)
        self.small_metrics = QFontMetrics(self.small)
        self.palette = palette
        self._episode_order = {e.code: i for i, e in enumerate(scheme.segments.episodes)}
        self._episode_names = {e.code: e.name for e in scheme.segments.episodes}
        self._colours: dict[str, QColor] = {}

    def compact_row(self) -> int:
        """The lowest row: the small font's line and a pixel."""
        return self.small_metrics.height() + 1

    def _is_compact(self, g: Geometry) -> bool:
        return g.row_height < self.metrics.height() + 2

    def colour(self, text: str) -> QColor:
        colour = self._colours.get(text)
        if colour is None:
            colour = self._colours[text] = qcolour(text)
        return colour

    # ------------------------------------------------------------ static layer
    def paint_static(
        self,
        p: QPainter,
        g: Geometry,
        rows: list[TimelineRow],
        index: MarkIndex,
        hidden: int | None = None,
    ) -> None:
        """Everything that changes only with the view or a command; ``hidden`` is an event
        left out (the one being dragged)."""
        pal = self.palette
        p.fillRect(QRectF(0, 0, g.width, g.height), pal.color(QPalette.ColorRole.Base))
        self._paint_ruler(p, g)
        self._paint_intervals(p, g)
        p.save()
        p.setClipRect(QRectF(0, g.rows_top, g.plot_right, g.plot_bottom - g.rows_top))
        first, last = g.visible_frames()
        shown = [
            (row, info, g.row_top(row))
            for row, info in enumerate(rows)
            if g.rows_top - g.row_height < g.row_top(row) < g.plot_bottom
        ]
        for row, info, top in shown:
            self._paint_row_frame(p, g, row, info, top)
        self._paint_frame_grid(p, g, first, last)
        for row, info, top in shown:
            if info.code is not None:
                self._paint_row_marks(p, g, index, row, info, top, first, last, hidden)
        p.setPen(pal.color(QPalette.ColorRole.Mid))
        p.drawLine(QLineF(g.plot_left - 0.5, g.rows_top, g.plot_left - 0.5, g.plot_bottom))
        p.restore()

    def reach(self) -> float:
        """How far (pixels) drawing a mark may change the layer beyond the mark's own frames:
        a point's minimum width, the one-pixel minimum of a bar, merging across a gap under a
        pixel and the onset line, with a margin."""
        return self.metrics.averageCharWidth() / 3 + 4

    def point_width(self, g: Geometry) -> float:
        return max(g.ppf, self.metrics.averageCharWidth() / 3)

    def repaint_spans(
        self,
        p: QPainter,
        g: Geometry,
        rows: list[TimelineRow],
        index: MarkIndex,
        spans: dict[int, tuple[float, float]],
        hidden: int | None = None,
    ) -> list[QRect]:
        """Repaint the stretches ``x0..x1`` of some behaviour rows ``{row: (x0, x1)}`` on a layer
        that :meth:`paint_static` drew with the same geometry (and ``hidden``), as it would
        draw them now; returns the rectangles repainted."""
        pal = self.palette
        first, last = g.visible_frames()
        reach = self.reach()
        done: list[QRect] = []
        for row, (x0, x1) in sorted(spans.items()):
            info = rows[row]
            top = g.row_top(row)
            y0, y1 = max(top, g.rows_top), min(top + g.row_height, g.plot_bottom)
            left = max(math.floor(x0), g.plot_left - 2)  # bars may reach 2 px into the labels
            right = min(math.ceil(x1), g.plot_right)
            if info.code is None or y1 <= y0 or right <= left:
                continue
            clip = QRect(left, y0, right - left, y1 - y0)
            p.save()
            p.setClipRect(clip)
            band = QRectF(0, top, g.plot_right, g.row_height)
            p.fillRect(band, pal.color(QPalette.ColorRole.Base))
            if row % 2:
                p.fillRect(band, pal.color(QPalette.ColorRole.AlternateBase))
            low = max(first, math.floor(g.position_at(left - reach)) - 1)
            high = min(last, math.ceil(g.position_at(right + reach)) + 1)
            self._paint_frame_grid(p, g, low, high)
            if high > low:
                self._paint_row_marks(p, g, index, row, info, top, low, high, hidden)
            p.setPen(pal.color(QPalette.ColorRole.Mid))
            p.drawLine(QLineF(g.plot_left - 0.5, g.rows_top, g.plot_left - 0.5, g.plot_bottom))
            p.restore()
            done.append(clip)
        return done

    def _paint_ruler(self, p: QPainter, g: Geometry) -> None:
        pal = self.palette
        p.fillRect(QRectF(0, 0, g.plot_right, g.ruler_height), pal.color(QPalette.ColorRole.Window))
        p.setFont(self.font)
        text = pal.color(QPalette.ColorRole.WindowText)
        spacing = self.metrics.horizontalAdvance("0:00:00.00") + self.metrics.horizontalAdvance("M")
        _, ticks = ruler_ticks(g, self.timebase, spacing)
        short = g.ruler_height // 3
        p.save()
        p.setClipRect(QRectF(g.plot_left, 0, g.plot_width, g.ruler_height))
        for position, label in ticks:
            x = round(g.x_of(position)) + 0.5
            p.setPen(pal.color(QPalette.ColorRole.Mid))
            p.drawLine(QLineF(x, g.ruler_height - short, x, g.ruler_height))
            p.setPen(text)
            p.drawText(QPointF(x + 2, g.ruler_height - short - 1), label)
        p.restore()
        p.setPen(pal.color(QPalette.ColorRole.Mid))
        p.drawLine(QLineF(0, g.ruler_height - 0.5, g.plot_right, g.ruler_height - 0.5))

    def _paint_intervals(self, p: QPainter, g: Geometry) -> None:
        if g.band_height <= 0:
            return
        pal = self.palette
        band = QRectF(0, g.ruler_height, g.plot_right, g.band_height)
        p.fillRect(band, pal.color(QPalette.ColorRole.AlternateBase))
        p.setFont(self.font)
        p.setPen(pal.color(QPalette.ColorRole.WindowText))
        p.drawText(
            QRectF(self.metrics.averageCharWidth(), g.ruler_height, g.label_width, g.band_height),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            "Episodes" if self.scheme.segments.episodes else "Intervals",
        )
        interval = self.scheme.segments.interval_s
        if not interval:
            return
        shade = tint(pal.color(QPalette.ColorRole.Mid), 60)
        p.save()
        p.setClipRect(QRectF(g.plot_left, g.ruler_height, g.plot_width, g.band_height))
        first, last = g.visible_frames()
        start_us = self.timebase.pts_us(min(first, self.timebase.frame_count - 1))
        end_us = self.timebase.end_us(max(0, min(last, self.timebase.frame_count) - 1))
        step = round(interval * 1e6)
        duration = self.timebase.duration_us
        for n in range(start_us // step, end_us // step + 1):
            if n % 2 == 0 or n * step >= duration:
                continue
            x0 = g.x_of(frame_position(self.timebase, n * step))
            x1 = g.x_of(frame_position(self.timebase, min((n + 1) * step, duration)))
            p.fillRect(QRectF(x0, g.ruler_height, x1 - x0, g.band_height), shade)
        p.restore()

    def _paint_row_frame(
        self, p: QPainter, g: Geometry, row: int, info: TimelineRow, top: int
    ) -> None:
        pal = self.palette
        h = g.row_height
        compact = self._is_compact(g)
        metrics = self.small_metrics if compact else self.metrics
        if info.code is None:
            p.fillRect(QRectF(0, top, g.plot_right, h), pal.color(QPalette.ColorRole.Window))
            p.setFont(self.small_bold if compact else self.bold)
            p.setPen(pal.color(QPalette.ColorRole.WindowText))
            pad = self.metrics.averageCharWidth()
            p.drawText(
                QRectF(pad, top, g.plot_right, h),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                info.label,
            )
            return
        if row % 2:
            p.fillRect(QRectF(0, top, g.plot_right, h), pal.color(QPalette.ColorRole.AlternateBase))
        side = max(4, h * 3 // 5)
        pad = self.metrics.averageCharWidth()
        swatch = QRectF(pad * 2, top + (h - side) / 2, side, side)
        p.setPen(pal.color(QPalette.ColorRole.Mid))
        p.setBrush(self.colour(info.colour))
        if info.is_point:
            p.drawEllipse(swatch)
        else:
            p.drawRect(swatch)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setFont(self.small if compact else self.font)
        p.setPen(pal.color(QPalette.ColorRole.Text))
        x = swatch.right() + pad
        text = f"{info.label} ({info.key})" if info.key else info.label
        text = metrics.elidedText(text, Qt.TextElideMode.ElideRight, int(g.label_width - x - pad))
        p.drawText(
            QRectF(x, top, g.label_width - x, h),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            text,
        )

    def _paint_row_marks(
        self,
        p: QPainter,
        g: Geometry,
        index: MarkIndex,
        row: int,
        info: TimelineRow,
        top: int,
        first: int,
        last: int,
        hidden: int | None,
    ) -> None:
        starts, ends, ids = index.arrays(row, first, last)
        keep = ends != OPEN
        if hidden is not None:
            keep &= ids != hidden
        starts, ends = starts[keep], ends[keep]
        if starts.size == 0:
            return
        pad = max(1, g.row_height // 8)
        y, h = top + pad, g.row_height - 2 * pad
        left, right = g.plot_left - 2.0, g.plot_right + 2.0
        raw = g.label_width + (starts - g.first) * g.ppf
        x0 = np.clip(raw, left, right)
        if info.is_point:
            x1 = x0 + self.point_width(g)
        else:
            x1 = np.clip(g.label_width + (ends - g.first) * g.ppf, left, right)
        colour = self.colour(info.colour)
        run0, run1 = _runs(x0, np.maximum(x1, x0 + 1.0))
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawRects(
            [QRectF(a, y, b - a, h) for a, b in zip(run0.tolist(), run1.tolist(), strict=True)]
        )
        wide = x0[((x1 - x0) >= _EDGE_MIN) & (raw >= g.plot_left)]
        if wide.size and not info.is_point:
            p.setPen(QPen(colour.darker(170), 1))
            p.drawLines([QLineF(x + 0.5, y, x + 0.5, y + h) for x in np.floor(wide).tolist()])

    def _paint_frame_grid(self, p: QPainter, g: Geometry, first: int, last: int) -> None:
        if g.ppf < self.metrics.averageCharWidth():
            return
        p.save()
        plot = QRectF(g.plot_left, g.rows_top, g.plot_width, g.plot_bottom - g.rows_top)
        p.setClipRect(plot, Qt.ClipOperation.IntersectClip)
        p.setPen(QPen(tint(self.palette.color(QPalette.ColorRole.Mid), 70), 1))
        p.drawLines(
            [
                QLineF(x, g.rows_top, x, g.plot_bottom)
                for x in (round(g.x_of(f)) + 0.5 for f in range(first, last + 1))
            ]
        )
        p.restore()

    # -------------------------------------------------------------- live layer
    def paint_live(
        self,
        p: QPainter,
        g: Geometry,
        index: MarkIndex,
        frame: int,
        episodes: tuple[Episode, ...],
        preview: Preview | None = None,
        selected: Mark | None = None,
    ) -> None:
        """What follows the playhead: episodes, open states, the drag preview, the playhead."""
        self._paint_episodes(p, g, episodes, frame)
        p.save()
        p.setClipRect(QRectF(g.plot_left, g.rows_top, g.plot_width, g.plot_bottom - g.rows_top))
        pad = max(1, g.row_height // 8)
        for mark in index.open_marks():
            top = g.row_top(mark.row) + pad
            end = max(frame, mark.start + 1)
            rect = QRectF(
                g.x_of(mark.start), top, g.x_of(end) - g.x_of(mark.start), g.row_height - 2 * pad
            )
            colour = self.colour(mark.colour)
            p.fillRect(rect, colour)
            p.setPen(QPen(colour.darker(170), 1, Qt.PenStyle.DashLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
        if selected is not None:
            self._outline(p, g, selected.row, selected.start, self._end_of(selected, frame), pad)
        if preview is not None:
            self._paint_preview(p, g, preview, pad)
        p.restore()
        self._paint_playhead(p, g, frame)
        self._paint_points_over_playhead(p, g, index, frame)

    @staticmethod
    def _end_of(mark: Mark, frame: int) -> int:
        if mark.is_open:
            return max(frame, mark.start + 1)
        return mark.end

    def _outline(self, p: QPainter, g: Geometry, row: int, start: int, end: int, pad: int) -> None:
        x0, x1 = g.x_of(start), max(g.x_of(end), g.x_of(start) + 2)
        rect = QRectF(x0 - 1, g.row_top(row) + pad - 1, x1 - x0 + 2, g.row_height - 2 * pad + 2)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.setPen(QPen(self.palette.color(QPalette.ColorRole.Highlight), 2))
        p.drawRect(rect)

    def _paint_preview(self, p: QPainter, g: Geometry, preview: Preview, pad: int) -> None:
        colour = self.colour(preview.colour)
        top = g.row_top(preview.row) + pad
        rect = QRectF(
            g.x_of(preview.start),
            top,
            g.x_of(preview.end) - g.x_of(preview.start),
            g.row_height - 2 * pad,
        )
        p.fillRect(rect, tint(colour, 200))
        p.setPen(QPen(self.palette.color(QPalette.ColorRole.Highlight), 2))
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawRect(rect)
        p.setFont(self.font)
        width = self.metrics.horizontalAdvance(preview.label) + 6
        box = QRectF(rect.right() + 3, top, width, g.row_height - 2 * pad)
        p.fillRect(box, self.palette.color(QPalette.ColorRole.ToolTipBase))
        p.setPen(self.palette.color(QPalette.ColorRole.ToolTipText))
        p.drawText(box, Qt.AlignmentFlag.AlignCenter, preview.label)

    def _paint_episodes(
        self, p: QPainter, g: Geometry, episodes: tuple[Episode, ...], frame: int
    ) -> None:
        p.save()
        p.setClipRect(QRectF(g.plot_left, g.ruler_height, g.plot_width, g.band_height))
        p.setFont(self.font)
        pad = max(1, g.band_height // 8)
        for episode in episodes:
            end = episode.end.frame if episode.end else max(frame, episode.start.frame + 1)
            x0, x1 = g.x_of(episode.start.frame), g.x_of(end)
            if x1 < g.plot_left or x0 > g.plot_right:
                continue
            colour = episode_colour(self._episode_order.get(episode.code, 0))
            # A running episode ahead of the playhead still shows as a stub one character wide.
            shortest = 1.0 if episode.end else float(self.metrics.averageCharWidth())
            rect = QRectF(x0, g.ruler_height + pad, max(shortest, x1 - x0), g.band_height - 2 * pad)
            p.fillRect(rect, colour)
            p.setPen(QPen(colour.darker(150), 1))
            p.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))
            name = self._episode_names.get(episode.code, episode.code)
            visible = rect.intersected(QRectF(g.plot_left, rect.top(), g.plot_width, rect.height()))
            text = self.metrics.elidedText(
                name, Qt.TextElideMode.ElideRight, int(visible.width()) - 4
            )
            p.setPen(text_on(colour))
            p.drawText(visible.adjusted(2, 0, -2, 0), Qt.AlignmentFlag.AlignVCenter, text)
        p.restore()

    def _playhead_width(self) -> float:
        return max(1.0, math.floor(self.metrics.height() / 8))

    def _paint_points_over_playhead(
        self, p: QPainter, g: Geometry, index: MarkIndex, frame: int
    ) -> None:
        """Points the playhead line crosses, drawn again over it (outlined), so that a point
        coded at the frame on screen stays visible."""
        x = g.x_of(frame)
        if x < g.plot_left - 1 or x > g.plot_right + 1:
            return
        width = self.point_width(g)
        reach = self._playhead_width() / 2 + 1
        low = max(0, math.floor(g.position_at(x - reach - width)))
        high = math.ceil(g.position_at(x + reach)) + 1
        pad = max(1, g.row_height // 8)
        p.save()
        p.setClipRect(QRectF(g.plot_left, g.rows_top, g.plot_width, g.plot_bottom - g.rows_top))
        for row, info in enumerate(index.rows):
            top = g.row_top(row)
            if not info.is_point or top + g.row_height <= g.rows_top or top >= g.plot_bottom:
                continue
            starts, _, _ = index.arrays(row, low, high)
            x0 = g.label_width + (starts - g.first) * g.ppf
            x0 = x0[(x0 + width >= x - reach) & (x0 <= x + reach)]
            if x0.size == 0:
                continue
            colour = self.colour(info.colour)
            p.setPen(QPen(colour.darker(170), 1))
            p.setBrush(colour)
            run0, run1 = _runs(x0, x0 + width)
            for a, b in zip(run0.tolist(), run1.tolist(), strict=True):
                p.drawRect(QRectF(a - 0.5, top + pad - 0.5, b - a + 1, g.row_height - 2 * pad + 1))
        p.restore()

    def _paint_playhead(self, p: QPainter, g: Geometry, frame: int) -> None:
        x = g.x_of(frame)
        if x < g.plot_left - 1 or x > g.plot_right + 1:
            return
        colour = self.colour(PLAYHEAD)
        if g.ppf >= 3:
            p.fillRect(QRectF(x, g.rows_top, g.ppf, g.plot_bottom - g.rows_top), tint(colour, 40))
        p.setPen(QPen(colour, self._playhead_width()))
        p.drawLine(QLineF(x, 0, x, g.plot_bottom))
        size = g.ruler_height / 3
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QBrush(colour))
        p.drawPolygon(QPolygonF([QPointF(x - size, 0), QPointF(x + size, 0), QPointF(x, size)]))
