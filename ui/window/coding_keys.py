"""Keys that code: behaviour keys, rating digits, episode keys and the editing actions.

The player owns the transport keys; this module owns the rest of the key table
(:data:`coder.keys.ACTIONS` groups events, edit, ratings, coding, help), one ``QAction`` per
behaviour key of the scheme (no auto-repeat), the digits 0–9 of the main row and the keypad, and
the episode keys. Every handler turns the key into one command on the open session, stamped with
the frame on screen; a refused command is reported and changes nothing.

The checks that keep keys apart live in :mod:`coder.keys`; :func:`keymap_problems` adds Qt's
check that each key exists, for the preferences dialog. The window is reached through the typed
:class:`Workspace`; what a key means (which segment a digit rates, which episode comes next) is
decided by the session.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from coder.coding.session import Session, SessionError
from coder.keys import (
    DIGIT_KEYS,
    EPISODE_KEYS,
    describe_action,
    episode_key_clashes,
    keymap_clashes,
    normalize_key,
    scheme_key_clashes,
)
from coder.model import CodingStatus
from coder.scheme import Scheme
from coder.timefmt import parse_position
from ui.shortcuts import ShortcutError, apply_keymap, key_sequence, make_actions
from ui.window.status import episode_name

if TYPE_CHECKING:
    from ui.events.table import EventTable
    from ui.panels.coding_panel import CodingPanel
    from ui.panels.rating_panel import RatingPanel
    from ui.player.player import Player

TEXT_FIELDS = (QLineEdit, QTextEdit, QPlainTextEdit, QAbstractSpinBox)
"""Widgets that take typed text; keys an action takes from them are handed back."""
EDITORS = (*TEXT_FIELDS, QComboBox)
"""Widgets whose plain keys (arrows, Enter, Space, digits, letters) are their own: text
fields, and drop-downs that edit a table cell or take typed text (a drop-down that only
filters a view leaves the coding keys working)."""
FIELD_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
APP_GROUPS = ("events", "edit", "ratings", "coding", "help")
"""Groups of the key table handled here (the player handles "transport")."""


def keymap_problems(keymap: Mapping[str, Iterable[str]], scheme: Scheme | None) -> list[str]:
    """Why ``keymap`` cannot be used: keys Qt does not know, then the core's clash checks
    (a key twice, digits, episode keys, the scheme's keys)."""
    problems: list[str] = []
    for action_id, keys in keymap.items():
        for key in keys:
            try:
                key_sequence(key)
            except ShortcutError as exc:
                problems.append(f'"{describe_action(action_id)}": {exc}')
    if problems:
        return problems
    return keymap_clashes(keymap, scheme.behaviours if scheme is not None else None)


class Workspace(Protocol):
    """What the coding keys reach of the window: the open pass and the views over it (each
    None while no observation is open)."""

    @property
    def session(self) -> Session | None: ...
    @property
    def player(self) -> Player: ...
    @property
    def event_table(self) -> EventTable | None: ...
    @property
    def coding_panel(self) -> CodingPanel | None: ...
    @property
    def rating_panel(self) -> RatingPanel | None: ...


def in_cell(widget: QObject) -> bool:
    """Whether ``widget`` is the editor of an item view's cell (it sits on the view's
    viewport): a drop-down, a text field or a checklist such as the modifiers'."""
    parent = widget.parent()
    if not isinstance(parent, QWidget):
        return False
    view = parent.parent()
    return isinstance(view, QAbstractItemView) and view.viewport() is parent


def boundary_to_nudge(session: Session, event_id: int, frame: int) -> str:
    """``"onset"`` for points and open states, else the boundary nearest ``frame`` (the rule
    when no Onset or Offset cell is selected in the table)."""
    event = session.event(event_id)
    if event.offset is None:
        return "onset"
    near_onset = abs(frame - event.onset.frame) <= abs(frame - event.offset.frame)
    return "onset" if near_onset else "offset"


class CodingKeys(QObject):
    """Installs the coding keys on a window and carries them out on the open session.

    ``workspace`` is asked for the session, the player and the views each time a key is
    pressed (they change when another observation opens). ``report`` shows a message in the
    status bar; ``confirm(title, text, ok=...)`` asks a yes/no question whose yes button says
    ``ok``; ``show_sheet`` opens the F1 shortcut sheet.
    """

    def __init__(
        self,
        window: QWidget,
        workspace: Workspace,
        report: Callable[[str], None],
        confirm: Callable[..., bool],
        show_sheet: Callable[[], None],
        keymap: Mapping[str, Iterable[str]] | None = None,
        ask_text: Callable[[str, str, str], str | None] | None = None,
    ) -> None:
        super().__init__(window)
        self._window = window
        self._workspace = workspace
        self._report = report
        self._confirm = confirm
        self._ask_text = ask_text
        self._last_go_to = ""
        self.confirm_stop_all = True
        self.actions = make_actions(window, groups=APP_GROUPS, keymap=keymap)
        handlers: dict[str, Callable[[], None]] = {
            "undo": self.undo,
            "redo": self.redo,
            "delete_event": self.delete_selected,
            "nudge_back": functools.partial(self.nudge_selected, -1),
            "nudge_forward": functools.partial(self.nudge_selected, 1),
            "jump_to_event": self.jump_to_selected,
            "go_to": self.go_to,
            "previous_event": functools.partial(self.go_to_event, -1),
            "next_event": functools.partial(self.go_to_event, 1),
            "next_scale": functools.partial(self._scales, 1),
            "previous_scale": functools.partial(self._scales, -1),
            "stop_all": self.stop_all,
            "shortcut_sheet": show_sheet,
        }
        for action_id, action in self.actions.items():
            action.triggered.connect(handlers[action_id])
            window.addAction(action)
        self.digit_actions: list[QAction] = []
        for digit in range(10):
            action = QAction(f"Rate {digit}", window)
            action.setObjectName(f"rate_{digit}")
            action.setAutoRepeat(False)
            action.setShortcuts([QKeySequence(str(digit)), QKeySequence(f"Num+{digit}")])
            action.triggered.connect(functools.partial(self.rate, digit))
            window.addAction(action)
            self.digit_actions.append(action)
        self.behaviour_actions: dict[str, QAction] = {}
        self.episode_actions: dict[str, QAction] = {}
        self._pending_jump: int | None = None
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._watch_text_field)

    def _watch_text_field(self, old: QWidget | None, new: QWidget | None) -> None:
        """Filter the keys of the field that has focus (only there, not every event)."""
        if old is not None and (isinstance(old, EDITORS) or in_cell(old)):
            old.removeEventFilter(self)
        editor = new is not None and (isinstance(new, EDITORS) or in_cell(new))
        if editor and new is not None and new.window() is self._window:
            new.installEventFilter(self)

    def frame_shown(self, frame: int) -> None:
        """The player painted ``frame`` (a jump under way has arrived when it is its frame)."""
        if frame == self._pending_jump:
            self._pending_jump = None

    # -- installing -----------------------------------------------------------------------

    def apply_keymap(self, keymap: Mapping[str, Iterable[str]]) -> None:
        apply_keymap(self.actions, keymap)

    def install_scheme(
        self, scheme: Scheme | None, keymap: Mapping[str, Iterable[str]]
    ) -> list[str]:
        """Bind the behaviour (and episode) keys of ``scheme``; returns the clashes left out."""
        for action in [*self.behaviour_actions.values(), *self.episode_actions.values()]:
            self._window.removeAction(action)
            action.deleteLater()
        self.behaviour_actions.clear()
        self.episode_actions.clear()
        if scheme is None:
            return []
        clashes = scheme_key_clashes(scheme.behaviours, keymap)
        owned = {normalize_key(k) for keys in keymap.values() for k in keys} | DIGIT_KEYS
        for behaviour in scheme.behaviours:
            action = QAction(behaviour.name, self._window)
            action.setObjectName(f"code_{behaviour.code}")
            action.setAutoRepeat(False)
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            if normalize_key(behaviour.key) not in owned:
                action.setShortcut(key_sequence(behaviour.key))
            action.triggered.connect(functools.partial(self.toggle, behaviour.code))
            self._window.addAction(action)
            self.behaviour_actions[behaviour.code] = action
        episode_clashes = episode_key_clashes(scheme.behaviours, bool(scheme.segments.episodes))
        if scheme.segments.episodes:
            handlers = {"start_episode": self.start_next_episode, "end_episode": self.end_episode}
            for extra in EPISODE_KEYS:
                action = QAction(extra.description, self._window)
                action.setObjectName(extra.id)
                action.setAutoRepeat(False)
                if scheme.behaviour_for_key(normalize_key(extra.key)) is None:
                    action.setShortcut(key_sequence(extra.key))
                action.triggered.connect(handlers[extra.id])
                self._window.addAction(action)
                self.episode_actions[extra.id] = action
        return clashes + episode_clashes

    # -- what a key does ------------------------------------------------------------------

    def _run(self, command: Callable[[Session, int], object], needs_frame: bool = True) -> bool:
        """Run ``command(session, frame)``; report why when it cannot run. True when it ran."""
        space = self._workspace
        session = space.session
        if session is None:
            self._report("Open an observation first (File → Choose observation).")
            return False
        frame = space.player.current_frame
        if needs_frame and frame < 0:
            self._report("No video frame is on screen, so there is nothing to stamp a code with.")
            return False
        try:
            command(session, frame)
        except SessionError as exc:
            if session.status is CodingStatus.DONE:
                self._report("This pass is marked done: Coding → Reopen pass to change it.")
            else:
                self._report(str(exc))
            return False
        return True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """While the user types in a field or a drop-down (a table cell's editor included),
        the keys go to it: Enter, Tab, the arrows, Space, digits and letters finish, move in
        or fill the field instead of coding, rating, stepping or playing. Keys with Ctrl or
        Alt stay the window's (undo, nudges), and Escape in a table cell cancels the edit."""
        if event.type() != QEvent.Type.ShortcutOverride:
            return False
        cell = in_cell(watched)
        if isinstance(watched, EDITORS) or cell:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            chorded = event.modifiers() & (
                Qt.KeyboardModifier.ControlModifier
                | Qt.KeyboardModifier.AltModifier
                | Qt.KeyboardModifier.MetaModifier
            )
            escape = key == Qt.Key.Key_Escape
            editing = not isinstance(watched, QComboBox) or cell or watched.isEditable()
            if editing and (key in FIELD_KEYS or (escape and cell) or not (chorded or escape)):
                event.accept()
        return False

    def toggle(self, code: str) -> None:
        """A behaviour key: start or stop the state, or log the point, at the frame on screen."""
        self._run(lambda s, f: s.toggle(code, f))

    def rate(self, digit: int) -> None:
        """A digit: the session rates the selected scale in the segment chosen in the panel,
        else in the one at the frame on screen."""
        space = self._workspace
        panel, session = space.rating_panel, space.session
        if panel is None or session is None:
            self._report("Open an observation first (File → Choose observation).")
            return
        scale = panel.selected_scale()
        if scale is None:
            self._report("This scheme has no rating scales; digits rate scales.")
            return
        segment = panel.chosen_segment(scale)
        name = session.scheme.scale(scale).name
        try:
            session.rate_digit(scale, digit, max(space.player.current_frame, 0), segment)
        except SessionError as exc:
            self._report(f"Cannot rate {name} {digit}: {exc}")

    def undo(self) -> None:
        self._run(lambda s, f: s.undo(), needs_frame=False)

    def redo(self) -> None:
        self._run(lambda s, f: s.redo(), needs_frame=False)

    def stop_all(self) -> None:
        """Escape: stop every open state at the frame on screen (asks when several are on)."""
        focus = QApplication.focusWidget()
        if isinstance(focus, TEXT_FIELDS):
            focus.clearFocus()  # Escape in a text field leaves the field, nothing more
            self._workspace.player.setFocus()
            return
        space = self._workspace
        session = space.session
        if session is None or not session.open_states:
            self._report("No state is on.")
            return
        open_states = session.open_states
        frame = space.player.current_frame  # the frame of the keypress, even if video plays on
        if len(open_states) > 1 and self.confirm_stop_all:
            names = ", ".join(_name(session, e.behaviour) for e in open_states)
            question = f"Stop all {len(open_states)} open states ({names}) at frame {frame}?"
            if not self._confirm("Stop all states", question, ok="Stop them"):
                return
        self._run(lambda s, f: s.stop_all(frame))

    def _selected(self) -> tuple[Workspace, int] | None:
        space = self._workspace
        table = space.event_table
        event_id = table.selected_event_id() if table is not None else None
        if event_id is None:
            self._report("Select an event in the table first.")
            return None
        return space, event_id

    def delete_selected(self) -> None:
        chosen = self._selected()
        if chosen is not None:
            self._run(lambda s, f: s.delete_event(chosen[1]), needs_frame=False)

    def nudge_selected(self, frames: int) -> None:
        """Move a boundary of the selected event by ``frames`` and show the frame it moved to:
        the boundary of the selected Onset or Offset cell, else the one nearest the
        playhead."""
        chosen = self._selected()
        if chosen is None:
            return
        space, event_id = chosen
        table = space.event_table
        chosen_boundary = None
        if table is not None:
            table.cancel_edit()
            chosen_boundary = table.selected_boundary()

        def nudge(session: Session, frame: int) -> None:
            boundary = chosen_boundary or boundary_to_nudge(session, event_id, frame)
            moved = session.nudge(event_id, boundary, frames)
            stamp = moved.onset if boundary == "onset" else moved.offset
            if stamp is not None and not space.player.is_playing:
                space.player.seek(min(stamp.frame, space.player.frame_count - 1))

        self._run(nudge, needs_frame=False)

    def jump_to_selected(self) -> None:
        chosen = self._selected()
        if chosen is not None:
            self.jump_to(chosen[1])

    def jump_to(self, event_id: int) -> None:
        """Show the onset frame of event ``event_id`` and select it."""
        space = self._workspace
        session = space.session
        if session is None:
            return
        try:
            event = session.event(event_id)
        except SessionError as exc:
            self._report(str(exc))
            return
        self._pending_jump = event.onset.frame
        space.player.seek(event.onset.frame)
        if space.event_table is not None:
            space.event_table.select_event(event_id)

    def go_to(self) -> None:
        """Ctrl+G: ask for a time (``1:23.5``, ``83.5``) or a frame (``f2500``) and show it."""
        player = self._workspace.player
        timebase = player.timebase
        if timebase is None or self._ask_text is None:
            self._report("Open an observation first (File → Choose observation).")
            return
        typed = self._ask_text(
            "Go to",
            "A time (1:23.5 or 83.5 seconds) or a frame (f2500):",
            self._last_go_to,
        )
        if typed is None or not typed.strip():
            return
        try:
            frame = timebase.frame_at_position(*parse_position(typed))
        except ValueError as exc:
            self._report(f"Cannot go there: {exc}")
            return
        self._last_go_to = typed.strip()
        player.seek(frame)

    def go_to_event(self, direction: int) -> None:
        """PageUp/PageDown: the previous/next event of the selected behaviour (or any)."""
        space = self._workspace
        session = space.session
        if session is None:
            return
        code = space.coding_panel.selected_behaviour() if space.coding_panel else None
        player = space.player
        here = player.current_frame
        if self._pending_jump is not None and not player.is_playing:
            here = self._pending_jump  # a second PageDown goes on from where the first went
        events = [e for e in session.events if code is None or e.behaviour == code]
        if direction < 0:
            candidates = [e for e in events if e.onset.frame < here]
            target = candidates[-1] if candidates else None
        else:
            target = next((e for e in events if e.onset.frame > here), None)
        if target is None or target.id is None:
            what = _name(session, code) if code else "event"
            where = "before" if direction < 0 else "after"
            self._report(f"No {what} {where} frame {here}.")
            return
        self.jump_to(target.id)

    def _scales(self, direction: int) -> None:
        panel = self._workspace.rating_panel
        if panel is not None:
            panel.select_next_scale() if direction > 0 else panel.select_previous_scale()

    def mark_done(self) -> None:
        """Mark the pass done; open states and a running episode are closed only if confirmed."""
        space = self._workspace
        session = space.session
        if session is None:
            self._report("Open an observation first (File → Choose observation).")
            return
        frame = space.player.current_frame
        still_open = [_name(session, e.behaviour) for e in session.open_states]
        still_open += [
            f"episode {episode_name(session.scheme, e.code)}" for e in session.episodes if e.is_open
        ]
        if still_open:
            if frame < 0:
                self._report("Stop the open states first: no frame is on screen to stop them at.")
                return
            text = (
                f"These are still open: {', '.join(still_open)}.\n\n"
                f"Stop them at frame {frame} (the frame on screen) and mark the pass done?"
            )
            if self._confirm("Mark pass done", text, ok="Stop them and mark done"):
                self._run(lambda s, f: s.mark_done(close_open_at=frame))
            return
        count = len(session.events)
        rated = len(session.ratings)
        text = (
            f"Mark this pass done ({count} events, {rated} ratings)? "
            "It can be reopened from the Coding menu."
        )
        if self._confirm("Mark pass done", text, ok="Mark done"):
            self._run(lambda s, f: s.mark_done(), needs_frame=False)

    def reopen(self) -> None:
        self._run(lambda s, f: s.reopen(), needs_frame=False)

    def start_next_episode(self) -> None:
        """``[``: start the first episode of the scheme not marked yet."""
        self._run(lambda s, f: s.start_next_episode(f))

    def end_episode(self) -> None:
        """``]``: end the running episode at the frame on screen."""
        self._run(lambda s, f: s.end_running_episode(f))


def _name(session: Session, code: str) -> str:
    scheme = session.scheme
    return scheme.behaviour(code).name if scheme.has_behaviour(code) else code
