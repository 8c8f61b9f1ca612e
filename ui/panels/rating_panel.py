"""The rating scales of the scheme for the segment under the playhead, with their anchors.

Each scale shows its range, the value given in the current segment (or "–"), the anchor text
nearest that value (or, while unrated, every anchor) so that the coder rates with the manual's
words in view. One scale is selected (Tab / Shift+Tab in the main window); digits rate it.
The segment follows the playhead, and a small combo picks another one by hand (say, the
interval that just ended) until the playhead enters a different segment. A computed scale
(the sum or mean of component scales) has no value buttons and Tab passes it by: it shows its
value and how it is made up (``= 5 + 6 + –``) live as the components are rated.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QFont, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from coder.coding.changes import Change
from coder.coding.segments import segment_at
from coder.coding.session import SessionError
from coder.model import Segment
from coder.scheme import Scale, Scheme
from ui.colours import tint
from ui.elided_label import ElidedLabel
from ui.window.session_bridge import SessionBridge

MAX_BUTTONS = 11
"""Scales with more values than this are rated by keys only (no value buttons)."""
UNRATED = "–"


def scale_values(scale: Scale) -> list[float]:
    """Every value on ``scale``, lowest first."""
    count = round((scale.max - scale.min) / scale.step) + 1
    return [scale.min + i * scale.step for i in range(count)]


NOT_HERE = "not rated here"


def rated_on_text(scheme: Scheme, scale: Scale) -> str:
    """Where ``scale`` is rated, in words: ``the whole session``, ``5 First reunion, 8 Second
    reunion``, ``every interval``, ``every episode``."""
    names = {e.code: e.name for e in scheme.segments.episodes}
    words = {
        "session": "the whole session",
        "intervals": "every interval",
        "episodes": "every episode",
    }
    return ", ".join(words.get(code) or names.get(code, code) for code in scale.rated_on)


def not_here_text(scheme: Scheme, scale: Scale) -> str:
    """Why ``scale`` cannot be rated where the playhead is, and where it can."""
    text = f"Not rated here: it is rated in {rated_on_text(scheme, scale)}."
    episodic = any(code not in ("session", "intervals") for code in scale.rated_on)
    if episodic and scheme.segments.episodes:
        text += " Mark episodes with [ and ], or pick a marked one in the Segment list."
    return text


def parts_text(scale: Scale, values: list[float | None]) -> str:
    """How a computed scale's value is made up from its components' ``values`` (None: not
    rated yet): ``= 5 + 6 + –  (1 component to rate)``, or ``= mean of 4, 2.5``."""
    shown = [UNRATED if v is None else f"{v:g}" for v in values]
    text = f"= mean of {', '.join(shown)}" if scale.compute == "mean" else "= " + " + ".join(shown)
    missing = sum(v is None for v in values)
    if missing:
        text += f"  ({missing} component{'s' * (missing != 1)} to rate)"
    return text


def anchor_words(scale: Scale, value: float | None) -> str:
    """The manual's words for ``value``: the nearest anchor's text, or all anchors while
    unrated (one per line, ``point: text``)."""
    if value is None:
        return "\n".join(f"{p:g}: {t}" for p, t in sorted(scale.anchors.items()))
    nearest = scale.nearest_anchor(value)
    return "" if nearest is None else nearest[1]


class AnchorList(QWidget):
    """One line per anchor (elided to the width, full text in the tooltip); the anchor
    nearest the value is bold and marked."""

    def __init__(self, scale: Scale, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._anchors = sorted(scale.anchors.items())
        self._nearest: float | None = None
        self.setToolTip("\n\n".join(f"{p:g}: {t}" for p, t in self._anchors))
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def set_nearest(self, point: float | None) -> None:
        if point != self._nearest:
            self._nearest = point
            self.update()

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.averageCharWidth() * 30, metrics.height() * len(self._anchors))

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().averageCharWidth() * 10, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        metrics = self.fontMetrics()
        line = metrics.height()
        bold = QFont(self.font())
        bold.setBold(True)
        marker = metrics.horizontalAdvance("▸ ")
        painter.setPen(self.palette().color(QPalette.ColorRole.WindowText))
        for number, (point, text) in enumerate(self._anchors):
            chosen = point == self._nearest
            painter.setFont(bold if chosen else self.font())
            shown = painter.fontMetrics().elidedText(
                f"{point:g}  {text}", Qt.TextElideMode.ElideRight, self.width() - marker
            )
            if chosen:
                painter.drawText(0, number * line + metrics.ascent(), "▸")
            painter.drawText(marker, number * line + metrics.ascent(), shown)
        painter.end()


class ScaleRow(QFrame):
    """One scale: name, range, segment, value, value buttons and anchors."""

    def __init__(
        self,
        scale: Scale,
        rate: Callable[[str, float], None],
        select: Callable[[str], None],
        parent: QWidget | None = None,
        not_here: str = "",
    ) -> None:
        super().__init__(parent)
        self.scale = scale
        self._not_here = not_here or f"{NOT_HERE.capitalize()}."
        self._select = select
        self._value: float | None = None
        self._selected = False
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setToolTip(scale.description)
        metrics = self.fontMetrics()
        spacing = max(2, metrics.height() // 6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(spacing * 2, spacing, spacing * 2, spacing)
        layout.setSpacing(spacing)
        self._name = ElidedLabel(scale.name, self, own_tooltip=False)
        self._name.setToolTip(f"{scale.code}: {scale.description}")
        layout.addWidget(self._name)
        small = QFont(self.font())
        small.setPointSizeF(small.pointSizeF() * 0.9)
        self._segment = QLabel(self)
        self._segment.setFont(small)
        self._range = QLabel(f"range {scale.min:g}–{scale.max:g}", self)
        self._range.setFont(small)
        self._value_label = QLabel(UNRATED, self)
        big = QFont(self.font())
        big.setBold(True)
        big.setPointSizeF(big.pointSizeF() * 1.3)
        self._value_label.setFont(big)
        self._value_label.setMinimumWidth(metrics.horizontalAdvance("000") * 13 // 10)
        self._value_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        head = QHBoxLayout()
        head.addWidget(self._segment, 1)
        head.addWidget(self._range)
        head.addWidget(self._value_label)
        layout.addLayout(head)
        self.buttons: dict[float, QToolButton] = {}
        values = scale_values(scale)
        self._parts = QLabel(self)
        self._parts.setFont(small)
        self._parts.setVisible(scale.is_computed)
        self._parts.setToolTip("Computed from its components, never typed")
        layout.addWidget(self._parts)
        if len(values) <= MAX_BUTTONS and not scale.is_computed:
            row = QHBoxLayout()
            row.setSpacing(max(1, spacing // 2))
            for value in values:
                button = QToolButton(self)
                button.setText(f"{value:g}")
                button.setCheckable(True)
                button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
                button.setAutoRaise(False)
                label = scale.anchors.get(value)
                button.setToolTip(f"{value:g}: {label}" if label else f"Rate {value:g}")
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                button.setMinimumWidth(metrics.horizontalAdvance("00") + metrics.height() // 2)
                button.clicked.connect(lambda _=False, v=value: rate(scale.code, v))
                row.addWidget(button)
                self.buttons[value] = button
            layout.addLayout(row)
        self._anchors = AnchorList(scale, self)
        layout.addWidget(self._anchors)
        self._words = QLabel(self)
        self._words.setWordWrap(True)
        self._words.setFont(small)
        self._words.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        layout.addWidget(self._words)
        self._anchors.setVisible(bool(scale.anchors))
        self._words.hide()

    @property
    def value_text(self) -> str:
        return self._value_label.text()

    @property
    def anchor_text(self) -> str:
        """The manual's words shown for the current value (all anchors while unrated)."""
        return anchor_words(self.scale, self._value)

    @property
    def segment_text(self) -> str:
        return self._segment.text()

    @property
    def parts_text(self) -> str:
        """How a computed scale's value is made up (empty for a rated scale)."""
        return self._parts.text()

    def show_state(
        self, segment: Segment | None, value: float | None, selected: bool, parts: str = ""
    ) -> None:
        """Show the rating of ``segment`` (None: the playhead is in no segment of this scale)
        and, for a computed scale, ``parts``: how it is made up."""
        self._segment.setText(f"in {segment.label}" if segment else NOT_HERE)
        if self._parts.text() != parts:
            self._parts.setText(parts)
        self._value = value
        text = UNRATED if value is None else f"{value:g}"
        if self._value_label.text() != text:
            self._value_label.setText(text)
        for point, button in self.buttons.items():
            button.setChecked(value is not None and abs(point - value) < 1e-9)
            button.setEnabled(segment is not None)
        nearest = None if value is None else self.scale.nearest_anchor(value)
        self._anchors.set_nearest(nearest[0] if nearest else None)
        words = nearest[1] if nearest else ("" if segment is not None else self._not_here)
        self._words.setText(words)
        self._words.setVisible(bool(words))
        if selected != self._selected:
            self._selected = selected
            self.setAutoFillBackground(selected)
            palette = self.palette()
            window = self.parentWidget().palette() if self.parentWidget() else palette
            colour = window.color(QPalette.ColorRole.Window)
            if selected:
                colour = tint(window.color(QPalette.ColorRole.Highlight), 70)
            palette.setColor(QPalette.ColorRole.Window, colour)
            self.setPalette(palette)
            font = self._name.font()
            font.setBold(selected)
            self._name.setFont(font)
            self.setFrameShadow(QFrame.Shadow.Sunken if selected else QFrame.Shadow.Plain)
            self.setLineWidth(2 if selected else 1)

    @property
    def is_selected(self) -> bool:
        return self._selected

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._select(self.scale.code)
        super().mousePressEvent(event)


class RatingPanel(QWidget):
    """Rating scales for the segment under the playhead; one is selected for the digit keys."""

    errorOccurred = Signal(str)
    """A refused rating, in words for the coder."""
    selectedScaleChanged = Signal(object)
    """The selected scale code (None without scales); emitted only when it changes."""

    def __init__(self, bridge: SessionBridge, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bridge = bridge
        self._scales = [s.code for s in bridge.session.scheme.scales]
        # the scales Tab steps through: computed ones are never typed
        self._rated = [s.code for s in bridge.session.scheme.scales if not s.is_computed]
        self._position_us = bridge.session.timebase.start_us
        self._segments: dict[str, list[Segment]] = {}
        self._auto: dict[str, Segment | None] = {}
        self._manual: dict[str, tuple[str, str | None]] = {}
        self._selected: str | None = (self._rated or self._scales or [None])[0]
        self._rows: dict[str, ScaleRow] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        self._segment_box = QComboBox(self)
        self._segment_box.setToolTip("The segment the selected scale is rated in")
        self._segment_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self._segment_box.setMinimumContentsLength(10)
        self._segment_box.setPlaceholderText("none here")
        self._segment_box.activated.connect(self._segment_chosen)
        segment_label = QLabel("Segment", self)
        top.addWidget(segment_label)
        top.addWidget(self._segment_box, 1)
        layout.addLayout(top)
        segment_label.setVisible(bool(self._scales))  # nothing to choose without scales
        self._segment_box.setVisible(bool(self._scales))
        body = QWidget(self)
        rows = QVBoxLayout(body)
        rows.setSizeConstraint(QVBoxLayout.SizeConstraint.SetMinimumSize)  # never squeezed
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(max(2, self.fontMetrics().height() // 5))
        scheme = bridge.session.scheme
        for scale in scheme.scales:
            not_here = not_here_text(scheme, scale)
            row = ScaleRow(scale, self._rate_clicked, self._select, body, not_here)
            self._rows[scale.code] = row
            rows.addWidget(row)
        if not self._scales:
            rows.addWidget(QLabel("This scheme has no rating scales.", body))
        rows.addStretch(1)
        scroll = QScrollArea(self)
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        layout.addWidget(scroll, 1)
        self._scroll = scroll
        bridge.changed.connect(self._on_change)
        self._load_segments()
        self._refresh(self._scales)

    # ------------------------------------------------------------------ API
    def set_position_us(self, us: int) -> None:
        """The playhead moved to ``us``: show each scale's segment there."""
        if us == self._position_us:
            return
        self._position_us = us
        moved = [code for code in self._scales if self._locate(code)]
        if moved:
            self._refresh(moved)

    def selected_scale(self) -> str | None:
        return self._selected

    def select_scale(self, code: str) -> None:
        if code not in self._rows:
            raise ValueError(f"there is no rating scale {code!r} in the scheme")
        self._select(code)

    def select_next_scale(self) -> None:
        self._step(1)

    def select_previous_scale(self) -> None:
        self._step(-1)

    def current_segment(self, scale: str) -> str | None:
        """The segment ``scale`` is rated in now: chosen by hand, or the one under the playhead."""
        manual = self._manual.get(scale)
        if manual is not None:
            return manual[0]
        auto = self._auto.get(scale)
        return auto.code if auto else None

    def choose_segment(self, scale: str, segment: str) -> None:
        """Rate ``scale`` in ``segment`` until the playhead enters another segment."""
        codes = [s.code for s in self._segments.get(scale, [])]
        if segment not in codes:
            raise ValueError(f"{scale} is not rated on {segment!r} (it is rated on: {codes})")
        auto = self._auto.get(scale)
        self._manual[scale] = (segment, auto.code if auto else None)
        self._refresh([scale])

    def chosen_segment(self, scale: str) -> str | None:
        """The segment chosen for ``scale`` by hand, if any (else the playhead's decides)."""
        manual = self._manual.get(scale)
        return manual[0] if manual is not None else None

    def rate_selected(self, value: int) -> None:
        """Rate the selected scale ``value`` in its current segment."""
        if self._selected is None:
            self.errorOccurred.emit("There is no rating scale to rate in this scheme.")
            return
        self._rate(self._selected, value)

    def row(self, scale: str) -> ScaleRow:
        return self._rows[scale]

    @property
    def segment_box(self) -> QComboBox:
        return self._segment_box

    # -------------------------------------------------------------- internals
    def _rate(self, scale: str, value: float) -> None:
        segment = self.current_segment(scale)
        name = self._bridge.session.scheme.scale(scale).name
        if segment is None:
            self.errorOccurred.emit(
                f"Cannot rate {name}: the playhead is in none of the segments it is rated on; "
                f"choose one in the segment list"
            )
            return
        try:
            self._bridge.session.rate(scale, value, segment)
        except SessionError as exc:
            self.errorOccurred.emit(f"Cannot rate {name} {value:g}: {exc}")

    def _rate_clicked(self, scale: str, value: float) -> None:
        self._select(scale)
        self._rate(scale, value)
        self._refresh([scale])  # a refused click must not leave its button checked

    def _select(self, code: str) -> None:
        if code == self._selected:
            return
        previous, self._selected = self._selected, code
        self._refresh([c for c in (previous, code) if c is not None])
        self._rows[code].ensurePolished()
        self._scroll.ensureWidgetVisible(self._rows[code])
        self.selectedScaleChanged.emit(code)

    def _step(self, direction: int) -> None:
        codes = self._rated
        if not codes:
            return
        at = codes.index(self._selected) if self._selected in codes else -direction
        self._select(codes[(at + direction) % len(codes)])

    def _load_segments(self) -> None:
        session = self._bridge.session
        self._segments = {code: session.segments(code) for code in self._scales}
        for code in self._scales:
            self._locate(code)

    def _locate(self, scale: str) -> bool:
        """Find the segment under the playhead; returns whether what ``scale`` shows changed."""
        before = self.current_segment(scale)
        auto = segment_at(self._segments[scale], self._position_us)
        self._auto[scale] = auto
        manual = self._manual.get(scale)
        if manual is not None and manual[1] != (auto.code if auto else None):
            del self._manual[scale]
        return self.current_segment(scale) != before

    def _refresh(self, scales: list[str]) -> None:
        session = self._bridge.session
        for code in scales:
            segment_code = self.current_segment(code)
            segment = next((s for s in self._segments[code] if s.code == segment_code), None)
            rating = session.rating(code, segment_code) if segment_code else None
            value = rating.value if rating else None
            parts = ""
            scale = self._rows[code].scale
            if scale.is_computed and segment_code is not None:
                found = [session.rating(c, segment_code) for c in scale.of]
                parts = parts_text(scale, [r.value if r else None for r in found])
            self._rows[code].show_state(segment, value, code == self._selected, parts)
        if self._selected in scales:
            self._fill_segment_box()

    def _fill_segment_box(self) -> None:
        box = self._segment_box
        box.blockSignals(True)
        box.clear()
        scale = self._selected
        if scale is not None:
            session = self._bridge.session
            auto = self._auto.get(scale)
            for segment in self._segments[scale]:
                text = segment.label
                rating = session.rating(scale, segment.code)
                text += f"  · rated {rating.value:g}" if rating is not None else "  · not rated"
                if auto is not None and segment.code == auto.code:
                    text += "  ← now"
                box.addItem(text, segment.code)
            box.setCurrentIndex(box.findData(self.current_segment(scale)))
        box.setEnabled(scale is not None)
        box.blockSignals(False)

    def _segment_chosen(self, position: int) -> None:
        code = self._segment_box.itemData(position)
        if self._selected is not None and code is not None:
            self.choose_segment(self._selected, code)

    def _on_change(self, change: Change) -> None:
        if change.episodes:
            self._load_segments()
            self._refresh(self._scales)
        elif change.ratings:
            scheme = self._bridge.session.scheme
            touched = {scale for scale, _ in change.ratings}
            touched |= {c.code for scale in touched for c in scheme.computed_from(scale)}
            self._refresh(sorted(touched & set(self._rows)))
