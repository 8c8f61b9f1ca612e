"""Asking for modifiers as behaviours are coded: the picker's owner.

After each of the coder's commands the core says which events ask for a modifier
(:func:`coder.coding.modifier_asks.modifier_asks`); they are asked one after another in the
picker over the video. A choice becomes one ``edit_event`` command (durable and undoable like
any other); any other command, undo or redo while the picker is shown closes it without an
answer, because the coder has moved on. With the preference "pause while choosing" the video
pauses while the picker is shown and plays on after the last answer.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject

from coder.coding.changes import Change
from coder.coding.modifier_asks import modifier_asks
from coder.coding.session import Session, SessionError
from coder.model import Event
from ui.overlays.modifier_picker import ModifierPicker
from ui.player.player import Player
from ui.window.session_bridge import SessionBridge

PAUSE_FOR_MODIFIERS = "coding/pause_for_modifiers"


class ModifierFlow(QObject):
    """Shows the picker for the events a command coded, and records the answers."""

    def __init__(
        self,
        player: Player,
        report: Callable[[str], None],
        pause_while_choosing: Callable[[], bool],
    ) -> None:
        super().__init__(player)
        self.picker = ModifierPicker(player)
        self.picker.chosen.connect(self._chosen)
        self._player = player
        self._report = report
        self._pause_while_choosing = pause_while_choosing
        self._session: Session | None = None
        self._bridge: SessionBridge | None = None
        self._queue: list[Event] = []
        self._recording = False
        self._resume = False

    def attach(self, bridge: SessionBridge) -> None:
        self.detach()
        self._bridge = bridge
        self._session = bridge.session
        bridge.changed.connect(self._on_change)

    def detach(self) -> None:
        if self._bridge is not None:
            self._bridge.changed.disconnect(self._on_change)
        self._bridge = self._session = None
        self._queue.clear()
        self.picker.dismiss()

    def _on_change(self, change: Change) -> None:
        if self._recording or self._session is None:
            return
        self._queue = modifier_asks(self._session.scheme, change)
        self.picker.dismiss()
        self._ask_next()

    def _ask_next(self) -> None:
        session = self._session
        while self._queue and session is not None:
            event = self._queue.pop(0)
            if event.id is None or not session.scheme.has_behaviour(event.behaviour):
                continue
            behaviour = session.scheme.behaviour(event.behaviour)
            when = "" if not behaviour.is_state else "started" if event.is_open else "stopped"
            if self._pause_while_choosing() and self._player.is_playing:
                self._player.pause()
                self._resume = True
            self.picker.ask(behaviour, event.id, when)
            return
        if self._resume:
            self._resume = False
            self._player.play()

    def _chosen(self, event_id: int, modifier: str) -> None:
        session = self._session
        if session is None:
            return
        if modifier:
            self._recording = True
            try:
                session.edit_event(event_id, modifiers=[modifier])
            except SessionError as exc:
                self._report(f"The modifier was not recorded: {exc}")
            finally:
                self._recording = False
        else:
            try:
                event = session.event(event_id)
            except SessionError:
                event = None
            if event is not None and session.scheme.behaviour(event.behaviour).modifier_required:
                name = session.scheme.behaviour(event.behaviour).name
                self._report(
                    f"{name} at frame {event.onset.frame} needs a modifier before the pass is "
                    "done: choose it in the event table's Modifiers cell."
                )
        self._ask_next()
