"""The player's transport bar: seek bar, buttons for the transport actions, time and speed.

A click on the seek bar goes to the frame under the pointer (and a drag goes on from there);
beside the media time the bar shows the clock time of the frame when the recording's start is
known, and the frame rate (a variable one with its range): both at the seek bar's right end,
above the media time, so that they do not widen the row of buttons.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QAction, QFont, QFontDatabase, QMouseEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSlider,
    QStyle,
    QStyleOptionSlider,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coder.timefmt import format_time

BUTTONS: tuple[str | None, ...] = (
    "go_start",
    "skip_back_5s",
    "skip_back_1s",
    "step_back",
    "play_pause",
    "step_forward",
    "skip_forward_1s",
    "skip_forward_5s",
    "go_end",
    None,
    "speed_down",
    "speed_up",
)
"""Transport buttons left to right (``None`` is a gap)."""

_ICONS = {
    "go_start": QStyle.StandardPixmap.SP_MediaSkipBackward,
    "skip_back_5s": QStyle.StandardPixmap.SP_MediaSeekBackward,
    "step_back": QStyle.StandardPixmap.SP_ArrowLeft,
    "play_pause": QStyle.StandardPixmap.SP_MediaPlay,
    "step_forward": QStyle.StandardPixmap.SP_ArrowRight,
    "skip_forward_5s": QStyle.StandardPixmap.SP_MediaSeekForward,
    "go_end": QStyle.StandardPixmap.SP_MediaSkipForward,
}
_LABELS = {
    "skip_back_1s": "−1s",
    "skip_forward_1s": "+1s",
    "speed_down": "slower",
    "speed_up": "faster",
}


def format_speed(speed: float) -> str:
    """``0.25×``, ``1×``, ``1.5×``."""
    return f"{speed:g}×"


class SeekSlider(QSlider):
    """A horizontal slider that goes to the value under a left click (not a page step)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)

    def value_at(self, point: QPoint) -> int:
        """The value whose handle position is nearest ``point`` (widget coordinates)."""
        option = QStyleOptionSlider()
        self.initStyleOption(option)
        style = self.style()
        control = QStyle.ComplexControl.CC_Slider
        groove = style.subControlRect(control, option, QStyle.SubControl.SC_SliderGroove, self)
        handle = style.subControlRect(control, option, QStyle.SubControl.SC_SliderHandle, self)
        span = groove.width() - handle.width()
        position = point.x() - groove.x() - handle.width() // 2
        return QStyle.sliderValueFromPosition(
            self.minimum(), self.maximum(), position, max(span, 1), option.upsideDown
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton and self.isEnabled():
            self.setValue(self.value_at(event.position().toPoint()))
        super().mousePressEvent(event)  # the handle is under the pointer now: a drag goes on


class TransportBar(QWidget):
    """Seek bar, transport buttons and a read-out; it drives the player only through actions."""

    seekRequested = Signal(int)  # frame index chosen on the seek bar

    def __init__(self, actions: Mapping[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._slider = SeekSlider(self)
        self._slider.setObjectName("seek_bar")
        self._slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self._slider.setTracking(True)
        self._slider.setEnabled(False)
        self._slider.valueChanged.connect(self._on_slider)
        self._updating = False

        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        buttons.setSpacing(2)
        style = self.style()
        self.buttons: dict[str, QToolButton] = {}
        for action_id in BUTTONS:
            if action_id is None:
                buttons.addSpacing(12)
                continue
            action = actions[action_id]
            if action_id in _ICONS:
                action.setIcon(style.standardIcon(_ICONS[action_id]))
            else:
                action.setIconText(_LABELS[action_id])
            button = QToolButton(self)
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            button.setAutoRaise(True)
            button.setDefaultAction(action)
            buttons.addWidget(button)
            self.buttons[action_id] = button
        self._play_icon = style.standardIcon(QStyle.StandardPixmap.SP_MediaPlay)
        self._pause_icon = style.standardIcon(QStyle.StandardPixmap.SP_MediaPause)
        self._play_action = actions["play_pause"]

        fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self._speed = QLabel(format_speed(1.0), self)
        self._speed.setObjectName("speed_label")
        self._speed.setMinimumWidth(48)
        self._speed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._readout = QLabel(self)
        self._readout.setObjectName("time_label")
        self._readout.setFont(fixed)
        self._readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._clock = QLabel(self)
        self._clock.setObjectName("clock_label")
        self._clock.setFont(fixed)
        self._clock.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self._clock.hide()
        self._rate = QLabel(self)
        self._rate.setObjectName("rate_label")
        bold = QFont(self._speed.font())
        bold.setBold(True)
        self._speed.setFont(bold)
        buttons.addWidget(self._speed)
        buttons.addStretch(1)
        buttons.addWidget(self._readout)
        seeking = QHBoxLayout()  # the rate and the clock time right above the media time
        seeking.setContentsMargins(0, 0, 0, 0)
        seeking.setSpacing(10)
        seeking.addWidget(self._slider, 1)
        seeking.addWidget(self._rate)
        seeking.addWidget(self._clock)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 4)
        layout.setSpacing(2)
        layout.addLayout(seeking)
        layout.addLayout(buttons)
        self.show_position(None, 0, 0)

    @property
    def slider(self) -> QSlider:
        return self._slider

    @property
    def readout(self) -> str:
        """The time and frame text on show."""
        return self._readout.text()

    @property
    def speed_text(self) -> str:
        return self._speed.text()

    @property
    def clock_text(self) -> str:
        """The clock time on show ("" when none is shown)."""
        return self._clock.text() if not self._clock.isHidden() else ""

    @property
    def rate_text(self) -> str:
        """The frame rate on show, e.g. ``"VFR · 18.3–30.0 fps"`` ("" with no video)."""
        return self._rate.text()

    def show_rate(self, text: str, tip: str = "") -> None:
        """The frame rate of the reference video ("" with none)."""
        self._rate.setText(text)
        self._rate.setToolTip(tip)

    def show_clock(self, text: str, tip: str = "") -> None:
        """The clock time of the frame on screen ("" hides it)."""
        self._clock.setText(text)
        self._clock.setToolTip(tip)
        self._clock.setHidden(not text)

    def set_frame_count(self, count: int, frames_per_page: int) -> None:
        """Size the seek bar for ``count`` frames (empty when 0)."""
        self._updating = True
        self._slider.setRange(0, max(count - 1, 0))
        self._slider.setPageStep(max(frames_per_page, 1))
        self._slider.setEnabled(count > 0)
        self._updating = False

    def show_position(self, frame: int | None, us: int, count: int) -> None:
        """Show the frame on screen (``None``: nothing is)."""
        if frame is None or count == 0:
            self._readout.setText(f"{format_time(0)}   frame –/{count}")
            return
        self._readout.setText(f"{format_time(us)}   frame {frame}/{count - 1}")
        if self._slider.value() != frame and not self._slider.isSliderDown():
            self._updating = True
            self._slider.setValue(frame)
            self._updating = False

    def show_speed(self, speed: float) -> None:
        self._speed.setText(format_speed(speed))

    def show_playing(self, playing: bool) -> None:
        self._play_action.setIcon(self._pause_icon if playing else self._play_icon)

    def _on_slider(self, value: int) -> None:
        if not self._updating:
            self.seekRequested.emit(value)
