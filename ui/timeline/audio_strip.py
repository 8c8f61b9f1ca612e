"""The audio strip: the observation's sound under the timeline, drawn at the timeline's zoom.

It draws plain data, a :class:`coder.audio.Envelope` (its spectrogram too when switched on),
and never reads the store. The x axis is either the timeline's own (:meth:`AudioStrip.follow`:
the same x for the same time, frame-linear as the timeline is, so exact on variable frame rate
video too, with the timeline's playhead and zoom) or a plain time range
(:meth:`AudioStrip.set_range`). Each pixel column shows the lowest and highest sample of its
stretch of time (the RMS darker inside), from the envelope level with a few bins per pixel.

A click or drag in the strip asks to seek there (``seekRequested`` with the time in µs); the
wheel over the strip scrolls and zooms the timeline it follows; the context menu switches the
spectrogram on and off.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QImage,
    QMouseEvent,
    QMoveEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
    QPixmap,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QApplication, QMenu, QSizePolicy, QWidget

from coder.audio import Envelope, NoSound
from coder.audio.envelope import hz_to_mel
from coder.timebase import TimeBase
from ui.colours import PLAYHEAD, tint
from ui.timeline.geometry import Geometry, frame_position, ruler_ticks
from ui.timeline.timeline import Timeline

WAVE = "#2f6db5"
"""Colour of the waveform's peaks; its RMS core is drawn darker."""
SPECTRUM_STOPS = ((0.0, "#000004"), (0.3, "#3b0f70"), (0.55, "#b5367a"), (0.8, "#fb8761"))
SPECTRUM_TOP = "#fcfdbf"
"""Colours of quiet to loud in the spectrogram (a magma-like ramp)."""
FREQUENCY_TICKS = ((500, "500"), (1000, "1k"), (2000, "2k"), (4000, "4k"))
"""Frequencies (Hz) marked beside the spectrogram."""
SPECTRUM_SHARE = 0.55
"""Part of the strip's height the spectrogram takes when it is shown."""


def _ramp() -> np.ndarray:
    """256 ARGB32 colours from quiet to loud."""
    stops = [*SPECTRUM_STOPS, (1.0, SPECTRUM_TOP)]
    where = np.array([s for s, _ in stops])
    rgb = np.array([QColor(c).getRgb()[:3] for _, c in stops], dtype=np.float64)
    x = np.linspace(0.0, 1.0, 256)
    channels = [np.interp(x, where, rgb[:, k]).round().astype(np.uint32) for k in range(3)]
    return np.uint32(0xFF000000) | channels[0] << 16 | channels[1] << 8 | channels[2]


_RAMP = _ramp()


@dataclass(frozen=True, slots=True)
class _Axis:
    """Time to x and back for the plot from ``left`` to ``right`` (widget pixels).

    With a ``timebase``, x is linear in frames as on the timeline (``first`` the frame at
    ``left``, ``ppf`` pixels per frame); without, linear in time from ``start_us`` to ``end_us``.
    """

    left: float
    right: float
    first: float = 0.0
    ppf: float = 1.0
    start_us: int = 0
    end_us: int = 1
    timebase: TimeBase | None = None

    def x_of(self, us: int) -> float:
        if self.timebase is not None:
            return self.x_of_position(frame_position(self.timebase, us))
        span = max(1, self.end_us - self.start_us)
        return self.left + (us - self.start_us) * (self.right - self.left) / span

    def x_of_position(self, position: float) -> float:
        """x of a (fractional) frame position (frame axis only)."""
        return self.left + (position - self.first) * self.ppf

    def times_at(self, xs: np.ndarray) -> np.ndarray:
        """The media times (µs, float) at pixel positions ``xs``; NaN outside the media."""
        if self.timebase is None:
            span = self.end_us - self.start_us
            return self.start_us + (xs - self.left) * span / max(1e-9, self.right - self.left)
        tb = self.timebase
        positions = self.first + (xs - self.left) / self.ppf
        frames = np.arange(tb.frame_count + 1, dtype=np.float64)
        times = np.append(tb.pts.astype(np.float64), float(tb.duration_us))
        out = np.interp(positions, frames, times)
        out[(positions < 0) | (positions > tb.frame_count)] = np.nan
        return out


class AudioStrip(QWidget):
    """The waveform (and on request the spectrogram) of one sound, with a playhead."""

    seekRequested = Signal(int)
    """A media time (µs) the coder clicked or dragged to."""
    spectrogramToggled = Signal(bool)
    """The coder switched the spectrogram on or off (from the context menu)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._envelope: Envelope | None = None
        self._message = "No sound loaded"
        self._spectrogram = False
        self._view: _Axis | None = None  # the timeline's axis (set_view / follow)
        self._range: tuple[int, int, int, int | None] | None = None  # set_range's
        self._playhead_us: int | None = None
        self._playhead_frame: int | None = None
        self._timeline: Timeline | None = None
        self._timebase: TimeBase | None = None
        self._contrast = (0.0, 255.0)
        self._layer: QPixmap | None = None
        self._layer_key: tuple[object, ...] | None = None
        self._scrubbing = False
        self.setMouseTracking(False)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(
            "The sound of the observation. Click to seek; right-click for the spectrogram.\n"
            "Wheel: scroll in time · Ctrl+wheel: zoom"
        )

    # ------------------------------------------------------------------ API
    @property
    def envelope(self) -> Envelope | None:
        return self._envelope

    @property
    def message(self) -> str:
        """What the strip says instead of a drawing ("" while it draws an envelope)."""
        return self._message

    @property
    def spectrogram_shown(self) -> bool:
        return self._spectrogram

    @property
    def spectrogram_missing(self) -> bool:
        """The spectrogram is switched on but the envelope has none (compute it)."""
        return self._spectrogram and self._envelope is not None and not self._spectrum()

    def set_envelope(self, envelope: Envelope | NoSound | None) -> None:
        """Draw ``envelope``; :class:`NoSound` says so in the strip, ``None`` clears it."""
        if isinstance(envelope, NoSound):
            self._envelope, self._message = None, envelope.message
        elif envelope is None:
            self._envelope, self._message = None, "No sound loaded"
        else:
            self._envelope, self._message = envelope, ""
            self._contrast = _contrast(envelope)
        self.invalidate()

    def set_message(self, text: str) -> None:
        """Show ``text`` instead of a drawing (while the sound is read, or why it cannot be)."""
        self._envelope, self._message = None, text
        self.invalidate()

    def set_spectrogram(self, on: bool) -> None:
        """Show the spectrogram below the waveform (when the envelope carries one)."""
        if on != self._spectrogram:
            self._spectrogram = on
            self.updateGeometry()
            self.invalidate()

    def set_range(
        self, start_us: int, end_us: int, left: int = 0, right: int | None = None
    ) -> None:
        """Show media times ``start_us``..``end_us`` linearly from x ``left`` (the label column
        is left of it) to ``right`` (default: the widget's right edge)."""
        self._unfollow()
        self._view = None
        self._range = (start_us, max(end_us, start_us + 1), left, right)
        self.update()

    def set_view(self, geometry: Geometry, timebase: TimeBase, offset: float = 0.0) -> None:
        """Use the timeline's layout ``geometry`` over ``timebase``: a time is drawn at the x
        the timeline draws it at, ``offset`` being the x in the strip of the timeline's left
        edge (0 when the two are aligned)."""
        self._timebase = timebase
        self._range = None
        axis = _Axis(
            geometry.plot_left + offset,
            geometry.plot_right + offset,
            first=geometry.first,
            ppf=geometry.ppf,
            timebase=timebase,
        )
        if axis != self._view:
            self._view = axis
            self.update()

    def follow(self, timeline: Timeline, timebase: TimeBase) -> None:
        """Keep to ``timeline``'s zoom, scroll and playhead from now on (see :meth:`set_view`)."""
        self._unfollow()
        self._timeline, self._timebase = timeline, timebase
        timeline.installEventFilter(self)
        timeline.viewChanged.connect(self._sync)
        timeline.destroyed.connect(self._forget_timeline)
        self._sync()

    def set_playhead(self, us: int | None) -> None:
        """Put the playhead at media time ``us`` (``None``: none). A followed timeline's
        playhead is taken from it."""
        if us != self._playhead_us or self._playhead_frame is not None:
            self._playhead_us, self._playhead_frame = us, None
            self.update()

    def x_of_time(self, us: int) -> float | None:
        """Where media time ``us`` is drawn, or ``None`` before a range is set."""
        axis = self._axis()
        return None if axis is None else axis.x_of(us)

    def time_at(self, x: float) -> int | None:
        """The media time under ``x``, or ``None`` off the media."""
        axis = self._axis()
        if axis is None or x < axis.left or x >= axis.right:
            return None
        value = float(axis.times_at(np.array([x], dtype=np.float64))[0])
        return None if math.isnan(value) else math.floor(value)

    def invalidate(self) -> None:
        self._layer = None
        self.update()

    def sizeHint(self) -> QSize:
        lines = 10 if self._spectrogram else 5
        return QSize(self.fontMetrics().horizontalAdvance("M") * 60, self._line() * lines)

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("M") * 8, self._line() * 2)

    # ------------------------------------------------------------- following
    def resizeEvent(self, event: QResizeEvent) -> None:
        self._sync()

    def moveEvent(self, event: QMoveEvent) -> None:
        self._sync()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._timeline and event.type() in (QEvent.Type.Paint, QEvent.Type.Resize):
            self._sync()
        return False

    def _sync(self, *_: object) -> None:
        timeline, timebase = self._timeline, self._timebase
        if timeline is None or timebase is None:
            return
        offset = self.mapFromGlobal(timeline.mapToGlobal(QPointF(0, 0))).x()
        self.set_view(timeline.geometry_now(), timebase, offset)
        frame = timeline.frame
        if frame != self._playhead_frame:
            self._playhead_frame = frame
            self._playhead_us = timebase.pts_us(min(frame, timebase.frame_count - 1))
            self.update()

    def _unfollow(self) -> None:
        if self._timeline is not None:
            self._timeline.removeEventFilter(self)
            self._timeline.viewChanged.disconnect(self._sync)
            self._timeline.destroyed.disconnect(self._forget_timeline)
        self._timeline = None
        self._playhead_frame = None

    def _forget_timeline(self) -> None:
        self._timeline = None

    # -------------------------------------------------------------- painting
    def _axis(self) -> _Axis | None:
        """How times map to x now."""
        if self._range is not None:
            start, end, left, right = self._range
            edge = float(self.width() if right is None else right)
            return _Axis(float(left), edge, start_us=start, end_us=end)
        return self._view

    def paintEvent(self, event: QPaintEvent) -> None:
        ratio = self.devicePixelRatioF()
        key = (self._axis(), self.size(), ratio, self._spectrogram, id(self._envelope))
        if self._layer is None or key != self._layer_key:
            layer = QPixmap(
                QSize(math.ceil(self.width() * ratio), math.ceil(self.height() * ratio))
            )
            layer.setDevicePixelRatio(ratio)
            painter = QPainter(layer)
            self._paint_static(painter)
            painter.end()
            self._layer, self._layer_key = layer, key
        painter = QPainter(self)
        painter.drawPixmap(0, 0, self._layer)
        self._paint_playhead(painter)
        painter.end()

    def _line(self) -> int:
        return self.fontMetrics().height()

    def _bands(self) -> tuple[QRectF, QRectF | None]:
        """The waveform's rectangle and the spectrogram's (when shown), in plot x."""
        axis = self._axis()
        left = axis.left if axis else 0.0
        right = axis.right if axis else float(self.width())
        height = float(self.height())
        if not self._spectrogram:
            return QRectF(left, 0, right - left, height), None
        split = round(height * (1 - SPECTRUM_SHARE))
        return (
            QRectF(left, 0, right - left, split),
            QRectF(left, split, right - left, height - split),
        )

    def _paint_static(self, p: QPainter) -> None:
        pal = self.palette()
        p.fillRect(self.rect(), pal.color(QPalette.ColorRole.Base))
        wave, spectrum = self._bands()
        self._paint_labels(p, wave, spectrum)
        envelope, axis = self._envelope, self._axis()
        if envelope is None or axis is None:
            self._say(p, wave.united(spectrum) if spectrum else wave, self._message)
            return
        lo, hi = max(0, math.floor(wave.left())), min(self.width(), math.ceil(wave.right()))
        if hi <= lo:
            return
        times = axis.times_at(np.arange(lo, hi + 1, dtype=np.float64))
        self._paint_grid(p, wave)
        self._paint_wave(p, envelope, times, lo, wave)
        if spectrum is not None:
            if self._spectrum():
                self._paint_spectrum(p, envelope, times, lo, spectrum)
            else:
                self._say(p, spectrum, "Spectrogram: not computed yet")
        p.setPen(pal.color(QPalette.ColorRole.Mid))
        p.drawLine(QPointF(wave.left() - 0.5, 0), QPointF(wave.left() - 0.5, self.height()))

    def _paint_labels(self, p: QPainter, wave: QRectF, spectrum: QRectF | None) -> None:
        if wave.left() < 1:
            return
        pal = self.palette()
        p.fillRect(QRectF(0, 0, wave.left(), self.height()), pal.color(QPalette.ColorRole.Window))
        p.setPen(pal.color(QPalette.ColorRole.WindowText))
        pad = self.fontMetrics().averageCharWidth()
        flags = Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft
        p.drawText(QRectF(pad, wave.top(), wave.left() - pad, wave.height()), flags, "Sound")
        if spectrum is not None:
            p.drawText(
                QRectF(pad, spectrum.top(), wave.left() - pad, spectrum.height()),
                flags,
                "Spectrogram",
            )
            self._paint_frequencies(p, spectrum)

    def _paint_frequencies(self, p: QPainter, band: QRectF) -> None:
        """Ticks and labels of a few frequencies at the spectrogram's left edge."""
        envelope = self._envelope
        spec = envelope.spectrogram if envelope is not None else None
        if spec is None:
            return
        metrics = self.fontMetrics()
        low, high = float(hz_to_mel(spec.low_hz)), float(hz_to_mel(spec.high_hz))
        right = band.left() - 3
        p.save()
        p.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        for hz, label in FREQUENCY_TICKS:
            share = (float(hz_to_mel(hz)) - low) / (high - low)
            y = band.bottom() - share * band.height()
            if y - metrics.ascent() / 2 < band.top():
                continue
            p.drawLine(QPointF(right, y), QPointF(band.left(), y))
            width = metrics.horizontalAdvance(label)
            p.drawText(QPointF(right - width - 2, y + metrics.ascent() / 2 - 1), label)
        p.restore()

    def _say(self, p: QPainter, rect: QRectF, text: str) -> None:
        p.setPen(self.palette().color(QPalette.ColorRole.PlaceholderText))
        p.drawText(rect, Qt.AlignmentFlag.AlignCenter, text)

    def _paint_grid(self, p: QPainter, wave: QRectF) -> None:
        """The timeline's labelled ticks (or, zoomed in, its frame boundaries) as faint lines
        across the waveform, and the zero line."""
        axis = self._axis()
        pal = self.palette()
        p.setPen(QPen(tint(pal.color(QPalette.ColorRole.Mid), 90), 1))
        middle = round(wave.center().y()) + 0.5
        p.drawLine(QPointF(wave.left(), middle), QPointF(wave.right(), middle))
        if axis is None or axis.timebase is None:
            return
        metrics = self.fontMetrics()
        spacing = metrics.horizontalAdvance("0:00:00.00") + metrics.horizontalAdvance("M")
        geometry = Geometry(
            width=self.width(),
            height=self.height(),
            label_width=round(axis.left),
            ruler_height=0,
            band_height=0,
            row_height=1,
            plot_right=round(axis.right),
            plot_bottom=self.height(),
            first=axis.first,
            ppf=axis.ppf,
            y_scroll=0,
            frame_count=axis.timebase.frame_count,
        )
        _, ticks = ruler_ticks(geometry, axis.timebase, spacing)
        lines = [position for position, _label in ticks]
        if axis.ppf >= metrics.averageCharWidth():  # frame boundaries, as the timeline has
            first, last = geometry.visible_frames()
            lines = list(range(first, last + 1))
        p.setPen(QPen(tint(pal.color(QPalette.ColorRole.Mid), 90), 1))
        for position in lines:
            x = round(axis.x_of_position(position)) + 0.5
            if wave.left() <= x < wave.right():
                p.drawLine(QPointF(x, wave.top()), QPointF(x, wave.bottom()))

    def _paint_wave(
        self, p: QPainter, envelope: Envelope, times: np.ndarray, lo: int, band: QRectF
    ) -> None:
        known = ~np.isnan(times)
        edges = np.where(known, times, 0.0)
        edges = np.maximum.accumulate(edges)
        low, high, rms = envelope.columns(edges)
        inside = known[:-1] & known[1:]
        gain = 0.95 / envelope.peak if envelope.peak > 0 else 1.0
        top, height = math.floor(band.top()), math.floor(band.height())
        if height < 2:
            return
        half = (height - 1) / 2
        middle = top + half
        y = np.arange(top, top + height, dtype=np.float64)[:, None]
        y_top = np.floor(middle - np.clip(high * gain, -1, 1) * half)
        y_bottom = np.ceil(middle - np.clip(low * gain, -1, 1) * half)
        core = np.clip(rms * gain, 0, 1) * half
        peaks = (y >= y_top) & (y <= y_bottom) & inside
        centre = (np.abs(y - middle) <= core) & peaks
        colour = QColor(WAVE)
        pixels = np.zeros(peaks.shape, dtype=np.uint32)
        pixels[peaks] = np.uint32(colour.rgba())
        pixels[centre] = np.uint32(colour.darker(160).rgba())
        self._blit(p, pixels, lo, top)

    def _paint_spectrum(
        self, p: QPainter, envelope: Envelope, times: np.ndarray, lo: int, band: QRectF
    ) -> None:
        spec = envelope.spectrogram
        assert spec is not None
        known = ~np.isnan(times)
        edges = np.maximum.accumulate(np.where(known, times, 0.0))
        values = spec.columns(edges).astype(np.float64)  # columns × bands
        floor, ceiling = self._contrast
        scaled = np.clip((values - floor) / max(1.0, ceiling - floor), 0, 1)
        codes = np.round(scaled * 255).astype(np.intp)
        rows = _RAMP[codes].T[::-1]  # bands × columns, high frequencies on top
        rows[:, ~(known[:-1] & known[1:])] = np.uint32(
            self.palette().color(QPalette.ColorRole.Base).rgba()
        )
        top, height = math.floor(band.top()), math.floor(band.height())
        if height < 1:
            return
        pick = np.minimum((np.arange(height) * rows.shape[0]) // height, rows.shape[0] - 1)
        self._blit(p, np.ascontiguousarray(rows[pick]), lo, top)

    def _blit(self, p: QPainter, pixels: np.ndarray, x: int, y: int) -> None:
        """Draw ARGB32 ``pixels`` (rows × columns) with their top left at (x, y); fully
        transparent pixels leave what is below."""
        height, width = pixels.shape
        data = np.ascontiguousarray(pixels)
        image = QImage(data.data, width, height, width * 4, QImage.Format.Format_ARGB32)
        p.drawImage(QPointF(x, y), image)

    def _paint_playhead(self, p: QPainter) -> None:
        axis, us = self._axis(), self._playhead_us
        if axis is None or us is None:
            return
        x = axis.x_of(us)
        if x < axis.left - 1 or x > axis.right + 1:
            return
        colour = QColor(PLAYHEAD)
        p.save()
        p.setClipRect(QRectF(axis.left, 0, axis.right - axis.left, self.height()))
        if axis.timebase is not None and axis.ppf >= 3:
            p.fillRect(QRectF(x, 0, axis.ppf, self.height()), tint(colour, 40))
        p.setPen(QPen(colour, max(1.0, math.floor(self._line() / 8))))
        p.drawLine(QPointF(x, 0), QPointF(x, self.height()))
        p.restore()

    def _spectrum(self) -> bool:
        return self._envelope is not None and self._envelope.spectrogram is not None

    # ------------------------------------------------------------------ input
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton:
            return
        us = self.time_at(event.position().x())
        if us is not None:
            self._scrubbing = True
            self.seekRequested.emit(us)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._scrubbing and (us := self.time_at(event.position().x())) is not None:
            self.seekRequested.emit(us)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._scrubbing = False

    def wheelEvent(self, event: QWheelEvent) -> None:
        timeline = self._timeline
        if timeline is None:
            event.ignore()
            return
        x = timeline.mapFromGlobal(event.globalPosition()).x()
        forwarded = QWheelEvent(
            QPointF(x, timeline.geometry_now().rows_top),
            event.globalPosition(),
            event.pixelDelta(),
            event.angleDelta(),
            event.buttons(),
            event.modifiers(),
            event.phase(),
            event.inverted(),
        )
        QApplication.sendEvent(timeline, forwarded)
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = QMenu(self)
        action = menu.addAction("Show spectrogram")
        action.setCheckable(True)
        action.setChecked(self._spectrogram)
        chosen = menu.exec(event.globalPos())
        if chosen is action:
            self.set_spectrogram(action.isChecked())
            self.spectrogramToggled.emit(self._spectrogram)


def _contrast(envelope: Envelope) -> tuple[float, float]:
    """The spectrogram values drawn darkest and brightest: from the typical background to the
    loudest, over the whole sound (so colours stay put while scrolling)."""
    spec = envelope.spectrogram
    if spec is None:
        return 0.0, 255.0
    sample = spec.levels[min(2, len(spec.levels) - 1)]
    floor = float(np.percentile(sample, 20))
    ceiling = float(np.percentile(sample, 99.9))
    return floor, max(ceiling, floor + 1.0)
