"""A confusion matrix as a heat map: rows coder A (the reference), columns coder B.

Each cell shows its count; its shade grows with the count's share of the table, green on the
diagonal (agreement) and red off it (disagreement), so the colour repeats what the numbers and
the position say. Several small tables (a non-exclusive group's codes, present or absent) are
laid out side by side.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from coder.agreement.categorical import Confusion
from ui.colours import text_on

AGREE, DISAGREE = QColor("#1a9850"), QColor("#d73027")


@dataclass(frozen=True, slots=True)
class HeatTable:
    """One table to draw, with a title and a display name per category."""

    title: str
    table: Confusion
    labels: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class _Cell:
    rect: QRectF
    table: int
    row: int
    column: int


def shade(base: QColor, share: float) -> QColor:
    """``base`` mixed with white: white at share 0, full colour at share 1 (never paler than a
    faint tint for a non-zero count)."""
    t = 0.0 if share <= 0 else 0.15 + 0.85 * min(1.0, math.sqrt(share))
    r = round(255 + (base.red() - 255) * t)
    g = round(255 + (base.green() - 255) * t)
    b = round(255 + (base.blue() - 255) * t)
    return QColor(r, g, b)


class ConfusionHeatMap(QWidget):
    """Paints :class:`HeatTable` s; rows are the reference coder's categories."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._tables: list[HeatTable] = []
        self._rows_title = self._columns_title = ""
        self._note = "Compute to see where the coders' codes meet."
        self._cells: list[_Cell] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    @property
    def tables(self) -> list[HeatTable]:
        return list(self._tables)

    def set_tables(
        self, tables: list[HeatTable], rows_title: str, columns_title: str, note: str = ""
    ) -> None:
        """Show ``tables`` (rows: ``rows_title``'s codes; columns: ``columns_title``'s)."""
        self._tables = list(tables)
        self._rows_title, self._columns_title = rows_title, columns_title
        self._note = note
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(280, 260)

    def minimumSizeHint(self) -> QSize:
        return QSize(160, 140)

    # ------------------------------------------------------------ painting
    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        p.fillRect(self.rect(), self.palette().base())
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        self._cells = []
        if not self._tables:
            p.setPen(self.palette().placeholderText().color())
            box = QRectF(self.rect()).adjusted(8, 8, -8, -8)
            p.drawText(box, Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap, self._note)
            return
        p.setPen(self.palette().text().color())
        header = f"rows: {self._rows_title}   columns: {self._columns_title}"
        p.drawText(QRectF(4, 2, self.width() - 8, line), Qt.AlignmentFlag.AlignLeft, header)
        top = line + 6
        if self._note:
            p.setPen(self.palette().placeholderText().color())
            p.drawText(QRectF(4, top - 4, self.width() - 8, line), self._note)
            top += line
        count = len(self._tables)
        across = max(1, min(count, round(math.sqrt(count * self.width() / max(1, self.height())))))
        down = math.ceil(count / across)
        width = self.width() / across
        height = (self.height() - top) / down
        for n, table in enumerate(self._tables):
            box = QRectF((n % across) * width, top + (n // across) * height, width, height)
            self._paint_table(p, n, table, box.adjusted(4, 0, -4, -4), metrics)

    def _paint_table(
        self, p: QPainter, n: int, item: HeatTable, box: QRectF, metrics: QFontMetrics
    ) -> None:
        k = len(item.labels)
        line = metrics.height()
        label_w = min(box.width() * 0.4, max(metrics.horizontalAdvance(s) for s in item.labels) + 6)
        title_h = line + 2 if item.title else 0
        col_h = min(box.height() * 0.45, label_w)
        cell = max(8.0, min((box.width() - label_w) / k, (box.height() - title_h - col_h) / k))
        x0, y0 = box.left() + label_w, box.top() + title_h + col_h
        pen = self.palette().text().color()
        if item.title:
            p.setPen(pen)
            title = metrics.elidedText(item.title, Qt.TextElideMode.ElideRight, int(box.width()))
            p.drawText(QRectF(box.left(), box.top(), box.width(), line), title)
        total = max(1, item.table.n)
        counts = item.table.counts
        for i in range(k):
            p.setPen(pen)
            name = metrics.elidedText(item.labels[i], Qt.TextElideMode.ElideRight, int(label_w - 4))
            row_box = QRectF(box.left(), y0 + i * cell, label_w - 4, cell)
            p.drawText(row_box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, name)
            p.save()
            p.translate(QPointF(x0 + i * cell, y0 - 3))
            p.rotate(-90)
            column = metrics.elidedText(item.labels[i], Qt.TextElideMode.ElideRight, int(col_h - 4))
            p.drawText(QRectF(0, 0, col_h - 4, cell), Qt.AlignmentFlag.AlignVCenter, column)
            p.restore()
        for i in range(k):
            for j in range(k):
                rect = QRectF(x0 + j * cell, y0 + i * cell, cell, cell)
                value = int(counts[i, j])
                fill = shade(AGREE if i == j else DISAGREE, value / total)
                p.fillRect(rect, fill)
                p.setPen(QColor("#b0b0b0"))
                p.drawRect(rect)
                if cell >= 14:
                    p.setPen(text_on(fill) if value else QColor("#a0a0a0"))
                    p.drawText(rect, Qt.AlignmentFlag.AlignCenter, str(value))
                self._cells.append(_Cell(rect, n, i, j))

    # ------------------------------------------------------------ tooltips
    def cell_at(self, pos: QPointF) -> tuple[int, int, int] | None:
        """(table, row, column) under ``pos``, after a paint."""
        for cell in self._cells:
            if cell.rect.contains(pos):
                return cell.table, cell.row, cell.column
        return None

    def event(self, event: object) -> bool:
        if isinstance(event, QHelpEvent):
            hit = self.cell_at(QPointF(event.pos()))
            if hit is None:
                QToolTip.hideText()
            else:
                QToolTip.showText(event.globalPos(), self.describe(*hit), self)
            return True
        return super().event(event)  # type: ignore[arg-type]

    def describe(self, table: int, row: int, column: int) -> str:
        item = self._tables[table]
        value = int(item.table.counts[row, column])
        share = value / item.table.n if item.table.n else 0.0
        agree = "agree" if row == column else "differ"
        return (
            f"{self._rows_title}: {item.labels[row]}\n{self._columns_title}: {item.labels[column]}"
            f"\n{value} ({share:.0%}) — they {agree}"
        )
