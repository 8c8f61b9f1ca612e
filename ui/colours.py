"""Colours shared by the coding views: behaviour colours, tints, swatches, episode bands."""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

FALLBACK = "#808080"
"""Colour of a behaviour whose scheme colour Qt cannot read (or an unknown code)."""

PLAYHEAD = "#e0245e"

EPISODE_PALETTE = ("#8dd3c7", "#fdb462", "#bebada", "#fb8072", "#80b1d3", "#b3de69", "#fccde5")
"""Soft colours for episode bands, used in the scheme's episode order."""


@lru_cache(maxsize=512)
def _parsed(text: str) -> tuple[int, int, int, int]:
    colour = QColor(text)
    if not colour.isValid():
        colour = QColor(FALLBACK)
    return colour.red(), colour.green(), colour.blue(), colour.alpha()


def qcolour(text: str) -> QColor:
    """The ``QColor`` of a scheme colour string (``#rrggbb`` or a name); grey when unreadable."""
    return QColor(*_parsed(text))


def tint(colour: QColor, alpha: int) -> QColor:
    """``colour`` with a new alpha (0–255), for backgrounds that must keep text readable."""
    tinted = QColor(colour)
    tinted.setAlpha(alpha)
    return tinted


def text_on(colour: QColor) -> QColor:
    """Black or white, whichever reads better on ``colour``."""
    luma = 0.299 * colour.redF() + 0.587 * colour.greenF() + 0.114 * colour.blueF()
    return QColor(Qt.GlobalColor.black if luma > 0.55 else Qt.GlobalColor.white)


def episode_colour(position: int) -> QColor:
    """Band colour of the ``position``-th episode of the scheme."""
    return qcolour(EPISODE_PALETTE[position % len(EPISODE_PALETTE)])


def swatch_icon(colour: str, size: int) -> QIcon:
    """A square icon filled with ``colour``, ``size`` logical pixels wide, framed in grey."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setPen(QColor("#606060"))
    painter.setBrush(qcolour(colour))
    painter.drawRect(0, 0, size - 1, size - 1)
    painter.end()
    return QIcon(pixmap)
