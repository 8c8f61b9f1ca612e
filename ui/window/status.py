"""The status bar: what was saved and when, what is on, who codes what, and refusals."""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from coder.coding.changes import Change
from coder.coding.session import Session
from coder.model import CodingStatus
from coder.scheme import Scheme
from ui.elided_label import ElidedLabel

NOT_SAVED = "NOT SAVED"
"""What the save label says from a failed write until a write succeeds again."""
SAVED_TIP = "Every action is written to the project file when it happens."

MESSAGE_MS = 8000
"""How long a refusal or note stays before the bar shows what was saved again."""
ERROR_HOLD_S = 3.0
"""A refusal younger than this is not replaced by a note (it would vanish unread)."""


def saved_text(clock: str, events: int) -> str:
    """``Saved · 14:02:31 · 37 events``."""
    noun = "event" if events == 1 else "events"
    return f"Saved · {clock} · {events} {noun}"


def on_disk_text(events: int) -> str:
    """``On disk · 37 events``: what an opened pass holds (nothing waits to be saved)."""
    noun = "event" if events == 1 else "events"
    return f"On disk · {events} {noun}"


def episode_name(scheme: Scheme, code: str) -> str:
    """The scheme's name of episode ``code`` (the code itself when the scheme lacks it)."""
    return next((e.name for e in scheme.segments.episodes if e.code == code), code)


def change_note(change: Change) -> str:
    """What an undo or redo did, in words (``""`` for an ordinary command)."""
    if change.kind == "undo":
        return f"Undone: {change.label}"
    if change.kind == "redo":
        return f"Redone: {change.label}"
    return ""


def open_names(session: Session | None) -> list[str]:
    """Names of the open states (with their onset frames) and of a running episode."""
    if session is None:
        return []
    scheme = session.scheme
    names = []
    for event in session.open_states:
        known = scheme.has_behaviour(event.behaviour)
        name = scheme.behaviour(event.behaviour).name if known else event.behaviour
        names.append(f"{name} (since {event.onset.frame})")
    names += [f"episode {episode_name(scheme, e.code)}" for e in session.episodes if e.is_open]
    return names


def open_text(session: Session | None, limit: int = 48) -> str:
    """``On: Looks at caregiver (since 120)`` or ``3 on: Looks at caregiver (since 120), …``."""
    names = open_names(session)
    if not names:
        return ""
    if len(names) == 1:
        return f"On: {names[0]}"
    text = f"{len(names)} on: " + ", ".join(names)
    return text if len(text) <= limit else text[: limit - 1].rstrip(", ") + "…"


class StatusPanel(QObject):
    """Keeps the window's status bar up to date; holds no study data."""

    def __init__(self, bar: QStatusBar) -> None:
        super().__init__(bar)
        self._bar = bar
        self._message = ElidedLabel("", bar)
        self._message.setObjectName("status_message")
        self._open = QLabel(bar)
        self._open.setObjectName("status_open")
        self._open.setStyleSheet("color: #a04000; font-weight: 600")
        self._pass = QLabel(bar)
        self._pass.setObjectName("status_pass")
        self._saved = QLabel(bar)
        self._saved.setObjectName("status_saved")
        bar.addWidget(self._message, 1)
        bar.addPermanentWidget(self._open)
        bar.addPermanentWidget(self._pass)
        bar.addPermanentWidget(self._saved)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._clear_message)
        self._title = ""
        self._is_error = False
        self._shown_at = 0.0
        self._not_saved = False

    @property
    def message(self) -> str:
        """The message in full (the bar may show it cut short, with the rest in its tooltip)."""
        return self._message.full_text()

    @property
    def message_is_error(self) -> bool:
        return self._is_error and bool(self.message)

    @property
    def saved(self) -> str:
        return self._saved.text()

    @property
    def open_states(self) -> str:
        return self._open.text()

    @property
    def pass_text(self) -> str:
        return self._pass.text()

    def show_not_saved(self, failure: str | None) -> None:
        """A write failed (``failure`` says what): the save label says NOT SAVED, in red,
        until this is called with None after a write succeeded again."""
        self._not_saved = failure is not None
        if failure is None:
            self._saved.setStyleSheet("")
            if self._saved.text() == NOT_SAVED:
                self._saved.setText("")
            self._saved.setToolTip(SAVED_TIP)
            return
        self._saved.setText(NOT_SAVED)
        self._saved.setStyleSheet("color: white; background: #b00020; font-weight: 700")
        self._saved.setToolTip(failure)
        self.error(failure)

    @property
    def not_saved(self) -> bool:
        """Whether the bar says NOT SAVED."""
        return self._not_saved

    def show_saved(self, session: Session, change: Change | None = None) -> None:
        """After a command: it is on disk now. An undo or redo says what it did; any command
        that went through replaces a refusal still on show (it is no longer the news)."""
        if not self._not_saved:
            self._saved.setText(saved_text(time.strftime("%H:%M:%S"), len(session.events)))
            self._saved.setToolTip(SAVED_TIP)
        self.show_session(session)
        note = change_note(change) if change is not None else ""
        if note:
            self.note(note)

    def show_opened(self, session: Session) -> None:
        """A pass was opened: everything it holds is already on disk."""
        if not self._not_saved:
            self._saved.setText(on_disk_text(len(session.events)))
            self._saved.setToolTip(SAVED_TIP)
        self.show_session(session)

    def set_title(self, title: str) -> None:
        """The observation (and project) being coded."""
        self._title = title

    def show_session(self, session: Session | None) -> None:
        """What is on, and the pass's observation, coder and status."""
        self._open.setText(open_text(session))
        self._open.setToolTip("\n".join(open_names(session)))
        if session is None:
            self._pass.setText(self._title)
            if not self._not_saved:
                self._saved.setText("")
            return
        info = session.info
        status = "done" if info.status is CodingStatus.DONE else "in progress"
        parts = [p for p in (self._title, info.coder.initials, status) if p]
        self._pass.setText(" · ".join(parts))

    def error(self, text: str) -> None:
        """A refusal: shown in red until the next message or for a few seconds."""
        self._show_message(text, error=True)

    def note(self, text: str) -> None:
        """A note; it does not push a refusal of the last few seconds off the bar."""
        if self.message_is_error and self._shown_at + ERROR_HOLD_S > time.monotonic():
            return
        self._show_message(text, error=False)

    def clear_message(self) -> None:
        """Take a note or refusal off the bar (say, once what it announced is over)."""
        self._timer.stop()
        self._clear_message()

    def _show_message(self, text: str, error: bool) -> None:
        text = text[:1].upper() + text[1:]  # the core's messages start in lower case
        self._is_error = error
        self._shown_at = time.monotonic()
        self._message.setStyleSheet("color: #b00020; font-weight: 600" if error else "")
        self._message.set_full_text(text)
        self._timer.start(MESSAGE_MS)

    def _clear_message(self) -> None:
        self._is_error = False
        self._message.set_full_text("")
        self._message.setStyleSheet("")
