"""The modifier picker: a small panel over the video that asks which modifier an event has.

It lists the behaviour's modifiers with the key that chooses each (the digits by default),
and Enter (or Escape) for none. While it has the keyboard focus it takes only those keys:
every other key (play, step, another behaviour) goes on to the window's shortcuts, so a coder
keeps working while it is shown. It holds no study data: it answers with the chosen
modifier's name and leaves the command to its owner.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from coder.scheme import Behaviour

NONE_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)
MARGIN = 8


class ModifierPicker(QFrame):
    """Asks for one modifier of one event; emits ``chosen(event_id, modifier)`` ("" = none)."""

    chosen = Signal(int, str)

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("modifier_picker")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setStyleSheet(
            "#modifier_picker { background: palette(window); border: 2px solid palette(highlight);"
            " border-radius: 6px; }"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 8)
        layout.setSpacing(2)
        self._title = QLabel(self)
        self._title.setObjectName("modifier_title")
        font = self._title.font()
        font.setBold(True)
        self._title.setFont(font)
        self._choices = QLabel(self)
        self._choices.setObjectName("modifier_choices")
        self._choices.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self._title)
        layout.addWidget(self._choices)
        self._behaviour: Behaviour | None = None
        self._event_id: int | None = None
        self._return_focus: QWidget | None = None
        parent.installEventFilter(self)
        self.hide()

    @property
    def event_id(self) -> int | None:
        """The event being asked about (None while hidden)."""
        return self._event_id if self.isVisible() else None

    def ask(self, behaviour: Behaviour, event_id: int, when: str = "") -> None:
        """Show the modifiers of ``behaviour`` for event ``event_id`` and take the keys
        (``when``: "started" or "stopped" for a state)."""
        self._behaviour, self._event_id = behaviour, event_id
        self._title.setText(f"{behaviour.name}{f' ({when})' if when else ''}: which?")
        rows = [
            f"<b>{_escape(behaviour.modifier_key(i))}</b>&nbsp;&nbsp;{_escape(name)}"
            for i, name in enumerate(behaviour.modifiers)
        ]
        none = "required: choose one" if behaviour.modifier_required else "none"
        rows.append(f"<b>Enter</b>&nbsp;&nbsp;{none}")
        self._choices.setText("<br>".join(rows))
        self.adjustSize()
        self._place()
        focus = self.window().focusWidget() if self.window() is not None else None
        if focus is not None and focus is not self:
            self._return_focus = focus
        self.show()
        self.raise_()
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    def dismiss(self) -> None:
        """Hide without an answer (the coder moved on); the focus goes back where it was."""
        if not self.isVisible():
            return
        self.hide()
        self._event_id = None
        if self._return_focus is not None:
            self._return_focus.setFocus(Qt.FocusReason.OtherFocusReason)
        self._return_focus = None

    def _answer(self, modifier: str) -> None:
        event_id = self._event_id
        self.dismiss()
        if event_id is not None:
            self.chosen.emit(event_id, modifier)

    def _takes(self, event: QKeyEvent) -> str | None:
        """The modifier a key chooses, "" for none, None for a key the picker leaves alone."""
        if event.key() in NONE_KEYS:
            return ""
        text = event.text()
        if self._behaviour is None or len(text) != 1:
            return None
        if event.modifiers() & ~(
            Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier
        ):
            return None
        return self._behaviour.modifier_for_key(text)

    def event(self, event: QEvent) -> bool:
        overriding = event.type() == QEvent.Type.ShortcutOverride
        if overriding and isinstance(event, QKeyEvent) and self._takes(event) is not None:
            event.accept()  # the key comes here, not to a window shortcut
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        answer = self._takes(event)
        if answer is None:
            super().keyPressEvent(event)
            return
        event.accept()
        self._answer(answer)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize and self.isVisible():
            self._place()
        return False

    def _place(self) -> None:
        """Top left of the video, clear of the frame-number corner."""
        self.move(MARGIN, MARGIN * 5)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
