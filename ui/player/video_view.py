"""A widget that paints decoded frames, letterboxed at the video's aspect ratio.

It shows what it is given (a :class:`~ui.player.playback.DecodedFrame`, or a message such as an
error) and tells its owner the size in device pixels that frames should be decoded at.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QPainter, QPaintEvent, QResizeEvent
from PySide6.QtWidgets import QSizePolicy, QWidget

from ui.player.playback import DecodedFrame

_BACKGROUND = QColor(12, 12, 12)
_TEXT = QColor(225, 225, 225)
_NOTE = QColor(255, 200, 80)
_BACKDROP = QColor(0, 0, 0, 160)


def fit_rect(outer: QRect, width: int, height: int) -> QRect:
    """The largest rectangle of ``width``:``height`` centred in ``outer``."""
    if width <= 0 or height <= 0 or outer.isEmpty():
        return QRect(outer)
    scale = min(outer.width() / width, outer.height() / height)
    w = max(1, round(width * scale))
    h = max(1, round(height * scale))
    left = outer.left() + (outer.width() - w) // 2
    top = outer.top() + (outer.height() - h) // 2
    return QRect(left, top, w, h)


class VideoView(QWidget):
    """Paints one video's current frame; holds no study data."""

    displaySizeChanged = Signal(int, int)  # device pixels of the picture area
    clicked = Signal()  # a left click on the view

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMinimumSize(160, 90)
        self._frame: DecodedFrame | None = None
        self._video_size = QSize(16, 9)
        self._pixel_aspect = 1.0
        self._message = ""
        self._note = ""
        self._title = ""

    @property
    def frame(self) -> DecodedFrame | None:
        """The frame on screen, or ``None``."""
        return self._frame

    @property
    def message(self) -> str:
        """Text shown instead of a picture (an error, or "No video")."""
        return self._message

    @property
    def note(self) -> str:
        """The caption under the picture ("" when none)."""
        return self._note

    @property
    def pixel_aspect(self) -> float:
        """Width / height of one video pixel on screen (1.0: square)."""
        return self._pixel_aspect

    def set_video_size(self, width: int, height: int, pixel_aspect: float = 1.0) -> None:
        """The pixel size of the video and the shape of its pixels (set the aspect ratio: a
        720×480 DV picture with 10:11 pixels is shown 4:3, not stretched)."""
        self._video_size = QSize(width, height)
        self._pixel_aspect = pixel_aspect if pixel_aspect > 0 else 1.0
        self._announce_size()
        self.update()

    def set_frame(self, frame: DecodedFrame | None, note: str = "") -> None:
        """Show ``frame``; ``note`` is a small caption (e.g. "before this camera starts")."""
        self._frame = frame
        self._note = note
        if frame is not None:
            self._message = ""
        self.update()

    def set_message(self, text: str) -> None:
        """Show ``text`` instead of the picture (clears the frame)."""
        self._frame = None
        self._message = text
        self.update()

    def set_title(self, text: str) -> None:
        """A caption in the top-left corner (the camera's name when there are several)."""
        self._title = text
        self.update()

    def picture_rect(self) -> QRect:
        """Where the picture is painted, in widget coordinates."""
        width = round(self._video_size.width() * self._pixel_aspect)
        return fit_rect(self.rect(), max(1, width), self._video_size.height())

    def display_size(self) -> tuple[int, int]:
        """Device pixels of the picture area (what frames should be decoded at)."""
        rect = self.picture_rect()
        ratio = self.devicePixelRatioF()
        return round(rect.width() * ratio), round(rect.height() * ratio)

    def sizeHint(self) -> QSize:
        return QSize(640, 360)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mousePressEvent(event)

    @property
    def title(self) -> str:
        """The caption in the top-left corner ("" when none)."""
        return self._title

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._announce_size()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), _BACKGROUND)
        if self._frame is not None:
            target = QRectF(self.picture_rect())
            image = self._frame.image
            if image.width() != round(target.width() * self.devicePixelRatioF()):
                painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(target, image)
        if self._message:
            painter.setPen(_TEXT)
            area = self.rect().adjusted(16, 16, -16, -16)
            flags = Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap
            painter.drawText(area, flags, self._message)
        if self._title:
            self._draw_caption(painter, self._title, _TEXT, top=True)
        if self._note:
            self._draw_caption(painter, self._note, _NOTE, top=False)
        painter.end()

    def _draw_caption(self, painter: QPainter, text: str, color: QColor, top: bool) -> None:
        """Text on a dark backdrop, top-left (a title) or bottom-centre (a note)."""
        metrics = painter.fontMetrics()
        box = metrics.boundingRect(text).adjusted(-6, -3, 6, 3)
        if top:
            box.moveTopLeft(self.rect().topLeft() + QPoint(6, 6))
        else:
            box.moveCenter(self.rect().center())
            box.moveBottom(self.rect().bottom() - 8)
        painter.fillRect(box, _BACKDROP)
        painter.setPen(color)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)

    def _announce_size(self) -> None:
        width, height = self.display_size()
        self.displaySizeChanged.emit(width, height)
