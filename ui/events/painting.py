"""Quick painting for the event table: plain rows drawn in one pass, scroll bars that repaint
only when they look different.

A command that adds or removes an event makes Qt's table repaint every visible row, and the
standard path costs a model call and a text layout per cell. :class:`PlainRows` paints the rows
that show nothing special (not selected, not current, not a state still on, not under the mouse)
itself, with the style's own geometry and the same text calls, and leaves every other row to
Qt. Before it paints with a style, font or palette it has not seen, it paints sample cells both
ways and stays out of the way unless they are identical pixel for pixel.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import cast

from PySide6.QtCore import SIGNAL, SLOT, QLineF, QObject, QPointF, QRect, Qt
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFontMetricsF,
    QIcon,
    QImage,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QRegion,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSlider,
    QScrollBar,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionSlider,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from ui.events.model import EventTableModel

_CELL_TEXT = QStyle.SubElement.SE_ItemViewItemText
_CELL_ICON = QStyle.SubElement.SE_ItemViewItemDecoration
_ROW_PANEL = QStyle.PrimitiveElement.PE_PanelItemViewRow
_ALTERNATE = QStyleOptionViewItem.ViewItemFeature.Alternate
_RIGHT = Qt.AlignmentFlag.AlignRight
_ELIDE = Qt.TextElideMode.ElideRight
_ICON_MODE = QIcon.Mode.Normal
_ICON_STATE = QIcon.State.Off
_SLIDER_PARTS = (
    QStyle.SubControl.SC_ScrollBarSlider,
    QStyle.SubControl.SC_ScrollBarSubPage,
    QStyle.SubControl.SC_ScrollBarAddPage,
)


class QuietScrollBar(QScrollBar):
    """A scroll bar that skips the repaint Qt asks for after a range or step change that leaves
    it looking the same (an item view sets both after every row inserted or removed)."""

    def __init__(self, orientation: Qt.Orientation, parent: QWidget | None = None) -> None:
        super().__init__(orientation, parent)
        self._painted: tuple[object, ...] | None = None

    def _look(self) -> tuple[object, ...]:
        """What the bar's picture depends on among what a range or step change can alter."""
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        style = self.style()
        rects = tuple(
            style.subControlRect(QStyle.ComplexControl.CC_ScrollBar, option, part, self)
            for part in _SLIDER_PARTS
        )
        value, low, high = option.sliderValue, option.minimum, option.maximum
        return (*rects, value == low, value == high, low == high, int(option.state.value))

    def sliderChange(self, change: QAbstractSlider.SliderChange) -> None:
        if (
            change != QAbstractSlider.SliderChange.SliderOrientationChange
            and self._painted is not None
            and self._look() == self._painted
        ):
            return
        super().sliderChange(change)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._painted = self._look()
        super().paintEvent(event)


def quiet_scroll_bars(view: QTableView) -> None:
    """Give ``view`` scroll bars that repaint only when they look different, keeping what the
    item view listens to on its own bars."""
    for orientation in (Qt.Orientation.Vertical, Qt.Orientation.Horizontal):
        bar = QuietScrollBar(orientation, view)
        if orientation == Qt.Orientation.Vertical:
            view.setVerticalScrollBar(bar)
            bar.actionTriggered.connect(view.verticalScrollbarAction)
            bar.valueChanged.connect(view.verticalScrollbarValueChanged)
        else:
            view.setHorizontalScrollBar(bar)
            bar.actionTriggered.connect(view.horizontalScrollbarAction)
            bar.valueChanged.connect(view.horizontalScrollbarValueChanged)


_Geometry = tuple[int, int, float, bool, QRect | None, Qt.AlignmentFlag]
"""Of a cell at (0, 0): where its text starts, the room it has, its baseline, whether it is
right-aligned; its icon's rectangle (None without one) and alignment."""


class PlainRows:
    """Paints the plain rows of an event table view; :meth:`paint` returns what Qt must paint.

    ``special`` names the rows Qt paints as always (selection, focus, the open-state colours,
    the current cell). The cells this paints are checked once per style, font and palette
    against the view's own delegate; if one pixel differs, Qt paints everything.
    """

    def __init__(
        self,
        view: QTableView,
        model: EventTableModel,
        special: Callable[[], set[int]],
    ) -> None:
        self._view = view
        self._model = model
        self._special = special
        self._geometry: dict[tuple[int, int, int], _Geometry] = {}
        self._checked: dict[tuple[object, ...], bool] = {}
        self._widths: dict[str, float] = {}
        self._metrics: QFontMetricsF | None = None
        self._key: tuple[object, ...] | None = None
        self.enabled = True
        """Off: Qt paints every row (for comparisons)."""
        self.painted = 0
        """How many rows the last paint drew here (the rest were Qt's)."""

    # ---------------------------------------------------------------- painting
    def paint(self, event: QPaintEvent) -> QRegion:
        """Paint the plain rows in ``event``'s region; the region left for Qt to paint."""
        view = self._view
        region = event.region()
        self.painted = 0
        rows = view.verticalHeader()
        columns = view.horizontalHeader()
        if (
            not self.enabled
            or self._model.rowCount() == 0
            or rows.sectionsHidden()
            or view.isRightToLeft()
            or not view.isEnabled()
        ):
            return region
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        if not self._usable(option):
            return region
        special = self._special()
        if view.viewport().testAttribute(Qt.WidgetAttribute.WA_Hover):
            hovered = view.rowAt(view.viewport().mapFromGlobal(QCursor.pos()).y())
            special.add(hovered)
        grid = view.showGrid()
        gap = 1 if grid else 0
        right_edge = columns.length() - columns.offset() - 1
        bottom_edge = rows.length() - rows.offset() - 1
        width = view.viewport().width()
        rest = QRegion()
        painter = QPainter(view.viewport())
        colour = self._colour(option)
        painter.setFont(option.font)
        grid_pen = self._grid_pen(option) if grid else None
        alternate = view.alternatingRowColors()
        base_brush = option.palette.brush(self._group(option), QPalette.ColorRole.AlternateBase)
        for dirty in cast("Iterable[QRect]", region):
            dirty.setBottom(min(dirty.bottom(), bottom_edge))
            dirty.setRight(min(dirty.right(), right_edge))
            if not dirty.isValid():
                continue
            left = columns.visualIndexAt(dirty.left())
            right = columns.visualIndexAt(dirty.right())
            left = 0 if left < 0 else left
            right = columns.count() - 1 if right < 0 else right
            top = rows.visualIndexAt(dirty.top())
            bottom = rows.visualIndexAt(dirty.bottom())
            bottom = rows.count() - 1 if bottom < 0 else bottom
            if top < 0 or top > bottom:
                continue
            cells = []
            for visual in range(left, right + 1):
                column = columns.logicalIndex(visual)
                if not columns.isSectionHidden(column):
                    x = view.columnViewportPosition(column)
                    cells.append((column, x, view.columnWidth(column) - gap))
            plain: list[tuple[int, int, int]] = []
            for row in range(top, bottom + 1):
                y = view.rowViewportPosition(row)
                height = view.rowHeight(row)
                texts, icon, is_open = self._model.row_texts(row)
                if is_open or row in special:
                    rest += QRect(0, y, width, height).intersected(dirty)
                    continue
                cell_height = height - gap
                plain.append((row, y, cell_height))
                odd = alternate and row & 1
                painter.setPen(colour)
                for column, x, cell_width in cells:
                    if odd:
                        painter.fillRect(x, y, cell_width, cell_height, base_brush)
                    key = (column, cell_width, cell_height)
                    self._cell(painter, x, y, key, texts[column], icon)
            self.painted += len(plain)
            if grid_pen is not None and plain:
                self._grid(painter, grid_pen, dirty, plain, cells)
        painter.end()
        return rest

    def _cell(
        self, painter: QPainter, x: int, y: int, key: tuple[int, int, int], text: str, icon: QIcon
    ) -> None:
        """One plain cell's icon and text, where and as the style draws them; ``key`` is the
        cell's column, width and height."""
        geometry = self._geometry.get(key)
        if geometry is None:
            geometry = self._geometry[key] = self._cell_geometry(*key)
        text_x, room, baseline, right, icon_rect, icon_alignment = geometry
        if icon_rect is not None:
            icon.paint(painter, icon_rect.translated(x, y), icon_alignment, _ICON_MODE, _ICON_STATE)
        if not text:
            return
        widths = self._widths
        advance = widths.get(text)
        if advance is None:
            if len(widths) > 50_000:
                widths.clear()
            assert self._metrics is not None
            advance = widths[text] = self._metrics.horizontalAdvance(text)
        if advance > room:
            assert self._metrics is not None
            text = self._metrics.elidedText(text, _ELIDE, room)
            advance = self._metrics.horizontalAdvance(text)
        left = x + text_x + (room - advance if right else 0)
        painter.drawText(QPointF(left, y + baseline), text)

    def _grid(
        self,
        painter: QPainter,
        pen: QPen,
        dirty: QRect,
        plain: list[tuple[int, int, int]],
        cells: list[tuple[int, int, int]],
    ) -> None:
        """The grid lines of the plain rows, as Qt draws them within ``dirty``."""
        painter.setPen(pen)
        for _row, y, height in plain:
            painter.drawLine(
                QLineF(dirty.left(), y + height, dirty.right(), y + height).translated(0.5, 0.5)
            )
        runs: list[tuple[int, int]] = []
        for _row, y, height in plain:
            low, high = max(y, dirty.top()), min(y + height, dirty.bottom())
            if runs and runs[-1][1] + 1 == low:
                runs[-1] = (runs[-1][0], high)
            else:
                runs.append((low, high))
        for _column, x, cell_width in cells:
            for low, high in runs:
                painter.drawLine(
                    QLineF(x + cell_width, low, x + cell_width, high).translated(0.5, 0.5)
                )

    # ------------------------------------------------------------ the set-up
    def _group(self, option: QStyleOptionViewItem) -> QPalette.ColorGroup:
        if not option.state & QStyle.StateFlag.State_Enabled:
            return QPalette.ColorGroup.Disabled
        if not option.state & QStyle.StateFlag.State_Active:
            return QPalette.ColorGroup.Inactive
        return QPalette.ColorGroup.Normal

    def _colour(self, option: QStyleOptionViewItem) -> QColor:
        return option.palette.color(self._group(option), QPalette.ColorRole.Text)

    def _grid_pen(self, option: QStyleOptionViewItem) -> QPen:
        view = self._view
        hint = view.style().styleHint(QStyle.StyleHint.SH_Table_GridLineColor, option, view)
        return QPen(QColor.fromRgba(hint & 0xFFFFFFFF), 1, view.gridStyle())

    def _cell_geometry(self, column: int, width: int, height: int) -> _Geometry:
        view = self._view
        option = QStyleOptionViewItem()
        view.initViewItemOption(option)
        option.rect = QRect(0, 0, width, height)
        index = self._model.index(0, column)
        delegate = view.itemDelegateForIndex(index)
        assert isinstance(delegate, QStyledItemDelegate)  # checked by _usable
        delegate.initStyleOption(option, index)
        style = view.style()
        text_rect = style.subElementRect(_CELL_TEXT, option, view)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
        text_rect.adjust(margin, 0, -margin, 0)
        icon_rect = None
        if option.features & QStyleOptionViewItem.ViewItemFeature.HasDecoration:
            icon_rect = style.subElementRect(_CELL_ICON, option, view)
        # The style lays a line out centred in the text rectangle (its whole height rounded)
        # and draws it at that line's ascent.
        metrics = QFontMetricsF(option.font)
        line = round(metrics.ascent() + metrics.descent())
        baseline = text_rect.y() + (text_rect.height() - line) // 2 + metrics.ascent()
        right = bool(option.displayAlignment & _RIGHT)
        return (
            text_rect.x(),
            text_rect.width(),
            baseline,
            right,
            icon_rect,
            option.decorationAlignment,
        )

    def _usable(self, option: QStyleOptionViewItem) -> bool:
        """Whether this style, font and palette paint plain cells exactly as this class does
        (found out once, on the rows in view)."""
        view = self._view
        style = view.style()
        if style.styleHint(QStyle.StyleHint.SH_Table_AlwaysDrawLeftTopGridLines, option, view):
            return False
        model = self._model
        if not all(
            isinstance(view.itemDelegateForIndex(model.index(0, c)), QStyledItemDelegate)
            for c in range(model.columnCount())
        ):
            return False
        key = (
            id(style),
            style.name(),
            option.font.key(),
            option.palette.cacheKey(),
            int(option.state.value),
            view.rowHeight(0),
            view.iconSize().width(),
            view.textElideMode(),
            view.devicePixelRatioF(),
            view.logicalDpiY(),
        )
        if key != self._key:
            self._key = key
            self._geometry.clear()
            self._widths.clear()
            self._metrics = QFontMetricsF(option.font)
        usable = self._checked.get(key)
        if usable is None:
            usable = self._checked[key] = self._compare(option)
        return usable

    def _compare(self, option: QStyleOptionViewItem) -> bool:
        """Paint sample cells (the first rows in view, each column, plain and alternate, and a
        narrow one that elides) through the view's delegate and here; True when identical."""
        view = self._view
        model = self._model
        first = max(0, view.rowAt(0))
        height = view.rowHeight(0) - (1 if view.showGrid() else 0)
        base = option.palette.color(self._group(option), QPalette.ColorRole.Base)
        samples = []
        for row in range(first, min(first + 3, model.rowCount())):
            for column in range(model.columnCount()):
                width = view.columnWidth(column) - 1
                samples.append((row, column, max(width, 8), False))
                samples.append((row, column, max(width, 8), True))
                samples.append((row, column, 40, row == first))
        for row, column, width, odd in samples:
            index = model.index(row, column)
            cell = QStyleOptionViewItem(option)
            cell.rect = QRect(0, 0, width, height)
            if odd:
                cell.features |= _ALTERNATE
            expected = _blank(width, height, base)
            painter = QPainter(expected)
            view.style().drawPrimitive(_ROW_PANEL, cell, painter, view)
            view.itemDelegateForIndex(index).paint(painter, cell, index)
            painter.end()
            mine = _blank(width, height, base)
            painter = QPainter(mine)
            painter.setFont(option.font)
            if odd:
                painter.fillRect(
                    cell.rect,
                    option.palette.brush(self._group(option), QPalette.ColorRole.AlternateBase),
                )
            painter.setPen(self._colour(option))
            texts, icon, _ = model.row_texts(row)
            self._cell(painter, 0, 0, (column, width, height), texts[column], icon)
            painter.end()
            if expected != mine:
                return False
        return True


def _blank(width: int, height: int, colour: QColor) -> QImage:
    image = QImage(width, height, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(colour)
    return image


class RowCountLayout:
    """Lays out an item view after rows were only inserted or removed by setting the vertical
    scroll range itself, as Qt's table would, instead of Qt's whole re-layout: that one lays
    the scroll bars out again and moves them in front of each other, which repaints both.

    Anything else (a resize, a column change, a scroll bar coming or going, rows of mixed
    heights) gets Qt's whole layout, as does the first layout after any of them.
    """

    def __init__(self, view: QTableView) -> None:
        self._view = view
        self._rows_only = False
        self._state: tuple[object, ...] | None = None
        self._needed: tuple[bool, bool] | None = None
        model = view.model()
        model.rowsInserted.connect(self._rows_changed)
        model.rowsRemoved.connect(self._rows_changed)
        for bar in (view.verticalScrollBar(), view.horizontalScrollBar()):
            # Qt lays the bars out again on every range change; only a bar coming or going
            # needs that.
            QObject.disconnect(
                bar, SIGNAL("rangeChanged(int,int)"), view, SLOT("_q_showOrHideScrollBars()")
            )
            bar.rangeChanged.connect(self._range_changed, Qt.ConnectionType.QueuedConnection)

    def forget(self) -> None:
        """Make the next layout Qt's whole one."""
        self._state = None

    def _rows_changed(self, *_: object) -> None:
        self._rows_only = True

    def _range_changed(self, *_: int) -> None:
        view = self._view
        needed = tuple(
            bar.minimum() < bar.maximum()
            for bar in (view.verticalScrollBar(), view.horizontalScrollBar())
        )
        if needed != self._needed:
            self._needed = needed  # type: ignore[assignment]
            margins = view.viewportMargins()
            view.setViewportMargins(margins)  # lays out the bars and the viewport

    def _snapshot(self) -> tuple[object, ...]:
        view = self._view
        columns = view.horizontalHeader()
        return (
            view.viewport().size(),
            view.viewportMargins(),
            view.verticalScrollBar().isVisibleTo(view),
            view.horizontalScrollBar().isVisibleTo(view),
            columns.length(),
            columns.offset(),
            columns.isHidden(),
            view.verticalHeader().isHidden(),
            view.verticalHeader().defaultSectionSize(),
            view.verticalScrollMode(),
            view.isRightToLeft(),
        )

    def update(self, full: Callable[[], None]) -> None:
        """Lay the view out: quickly when only rows came or went, else with ``full``."""
        rows_only, self._rows_only = self._rows_only, False
        if (
            rows_only
            and self._state is not None
            and self._snapshot() == self._state
            and self._set_vertical_range()
        ):
            QAbstractItemView.updateGeometries(self._view)
            return
        full()
        self._state = self._snapshot()

    def _set_vertical_range(self) -> bool:
        """The vertical scroll range for rows of one height; False (nothing done) when the
        rows are not all of one height or when the bar would come or go."""
        view = self._view
        header = view.verticalHeader()
        bar = view.verticalScrollBar()
        count = header.count()
        size = header.defaultSectionSize()
        if header.hiddenSectionCount() or size <= 0 or header.length() != count * size:
            return False
        height = view.viewport().height()
        shown = max(1, min(count, height // size))
        if bar.maximum() <= 0 or count * size <= view.maximumViewportSize().height():
            return False  # the bar may come or go: the whole layout decides
        if view.verticalScrollMode() == QAbstractItemView.ScrollMode.ScrollPerItem:
            bar.setRange(0, count - shown)
            bar.setPageStep(shown)
            bar.setSingleStep(1)
            if bar.maximum() > 0 and bar.value() == bar.maximum():
                header.setOffsetToLastSection()
            else:
                header.setOffsetToSectionPosition(bar.value())
        else:
            bar.setPageStep(height)
            bar.setRange(0, header.length() - height)
            header.setOffset(bar.value())
        return True
