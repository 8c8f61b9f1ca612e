"""Qt key sequences and actions built from the Qt-free key table in :mod:`coder.keys`.

The player, the main window's menus, the F1 sheet and the preferences editor all build their
keys here, so a key string means the same everywhere. Key strings are Qt's portable text
("Shift+Right", "Ctrl+Z"); on macOS, Ctrl stands for Cmd.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from coder.keys import ACTIONS, ACTIONS_BY_ID, Action, default_keymap, normalize_key

_PORTABLE = QKeySequence.SequenceFormat.PortableText
_NATIVE = QKeySequence.SequenceFormat.NativeText


class ShortcutError(ValueError):
    """A key string that names no key, or a keymap entry for an unknown action."""


def key_sequence(key: str) -> QKeySequence:
    """The ``QKeySequence`` of one key string such as ``"Shift+Right"`` or ``"PgUp"``."""
    try:
        text = normalize_key(key)
    except ValueError as exc:
        raise ShortcutError(f"key {key!r}: {exc}") from exc
    sequence = QKeySequence.fromString(text, _PORTABLE)
    if sequence.count() != 1 or sequence[0].key() == Qt.Key.Key_unknown:
        raise ShortcutError(f"key {key!r} names no key Qt knows")
    return sequence


def key_sequences(keys: Iterable[str]) -> list[QKeySequence]:
    """One ``QKeySequence`` per key string, in order."""
    return [key_sequence(k) for k in keys]


def key_text(keys: Iterable[str]) -> str:
    """Keys as the user's platform writes them (``"⌘Z"`` on macOS), comma separated."""
    return ", ".join(key_sequence(k).toString(_NATIVE) for k in keys)


def make_action(
    action: Action | str, parent: QObject, keys: Iterable[str] | None = None
) -> QAction:
    """A ``QAction`` for one entry of the key table.

    Its ``objectName`` and ``data()`` are the action id, its text the description, and it
    auto-repeats only when the table marks the action repeatable (frame steps do, toggles don't).
    """
    if isinstance(action, str):
        action = _lookup(action)
    qaction = QAction(action.description, parent)
    qaction.setObjectName(action.id)
    qaction.setData(action.id)
    qaction.setAutoRepeat(action.repeatable)
    set_action_keys(qaction, action.keys if keys is None else keys)
    return qaction


def make_actions(
    parent: QObject,
    groups: Iterable[str] | None = None,
    keymap: Mapping[str, Iterable[str]] | None = None,
) -> dict[str, QAction]:
    """Actions for every table entry (or those of ``groups``), keyed by action id."""
    wanted = None if groups is None else set(groups)
    keymap = keymap or {}
    return {
        a.id: make_action(a, parent, keymap.get(a.id))
        for a in ACTIONS
        if wanted is None or a.group in wanted
    }


def set_action_keys(action: QAction, keys: Iterable[str]) -> None:
    """Bind ``keys`` to ``action`` and show them in its tool tip."""
    keys = tuple(keys)
    action.setShortcuts(key_sequences(keys))
    base = action.text()
    action.setToolTip(f"{base} ({key_text(keys)})" if keys else base)


def apply_keymap(actions: Mapping[str, QAction], keymap: Mapping[str, Iterable[str]]) -> None:
    """Rebind the actions named in ``keymap`` (action id -> key strings).

    Ids the keymap names but ``actions`` lacks are ignored (they belong to another widget);
    ids that are in no key table raise :class:`ShortcutError`, as do unknown keys. Nothing is
    changed unless every key of the keymap is valid.
    """
    resolved: dict[str, tuple[str, ...]] = {}
    for action_id, keys in keymap.items():
        _lookup(action_id)
        keys = tuple(keys)
        key_sequences(keys)  # validate all before changing any
        resolved[action_id] = keys
    for action_id, keys in resolved.items():
        if action_id in actions:
            set_action_keys(actions[action_id], keys)


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One line of the shortcut sheet."""

    group: str
    description: str
    keys: str


def sheet_rows(keymap: Mapping[str, Iterable[str]] | None = None) -> list[SheetRow]:
    """The shortcut sheet (F1) for a keymap, in table order, keys in native text."""
    merged = default_keymap()
    if keymap:
        merged.update({k: tuple(v) for k, v in keymap.items()})
    return [SheetRow(a.group, a.description, key_text(merged[a.id])) for a in ACTIONS]


def _lookup(action_id: str) -> Action:
    try:
        return ACTIONS_BY_ID[action_id]
    except KeyError:
        raise ShortcutError(f"keymap: unknown action {action_id!r}") from None
