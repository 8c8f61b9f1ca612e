"""Preferences: the user's keys for every action of the key table, and a few switches.

A keymap is refused, with a message naming the keys, when one key is bound twice, when it uses
a digit (digits rate) or an episode key, or when it takes a key the open scheme binds to a
behaviour. Nothing is stored until the keys are sound.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QKeySequenceEdit,
    QLabel,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from coder.keys import ACTIONS, default_keymap
from coder.scheme import Scheme
from ui.settings import (
    FRAME_CACHE_DESCRIPTION,
    FRAME_CACHE_LABEL,
    FRAME_CACHE_RANGE_MB,
    PREFERENCES,
    AppSettings,
)
from ui.shortcuts import ShortcutError, key_sequence
from ui.window.coding_keys import keymap_problems

_PORTABLE = QKeySequence.SequenceFormat.PortableText
GROUP_NAMES = {
    "transport": "Playback",
    "events": "Events",
    "edit": "Editing",
    "ratings": "Ratings",
    "coding": "Coding",
    "help": "Help",
}
KEY_COLUMNS = 2
"""Keys an action can have in the editor (the table's actions have at most two)."""


_MODIFIERS = (
    (Qt.KeyboardModifier.ControlModifier, "Ctrl"),
    (Qt.KeyboardModifier.AltModifier, "Alt"),
    (Qt.KeyboardModifier.ShiftModifier, "Shift"),
    (Qt.KeyboardModifier.MetaModifier, "Meta"),
)


def sequence_key(sequence: QKeySequence) -> str:
    """The key-table text of a recorded key: ``"g"``, ``"Shift+G"``, ``"Ctrl+Left"``.

    Qt writes the plain G key as "G"; the key table writes it "g" and keeps "G" for Shift+G.
    """
    if sequence.isEmpty():
        return ""
    combo = sequence[0]
    base = QKeySequence(combo.key()).toString(_PORTABLE)
    mods = combo.keyboardModifiers()
    if len(base) == 1 and base.isalpha() and not mods & Qt.KeyboardModifier.ShiftModifier:
        base = base.lower()
    names = [name for flag, name in _MODIFIERS if mods & flag]
    return "+".join([*names, base])


class PreferencesDialog(QDialog):
    """Edits the keymap and the switches of :data:`ui.settings.PREFERENCES`."""

    def __init__(
        self, settings: AppSettings, scheme: Scheme | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self._settings = settings
        self._scheme = scheme
        self._table = QTableWidget(len(ACTIONS), 2 + KEY_COLUMNS, self)
        self._table.setHorizontalHeaderLabels(["Group", "Action", "Key", "Other key"])
        self._table.verticalHeader().hide()
        self._table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        header = self._table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._editors: dict[str, list[QKeySequenceEdit]] = {}
        for row, action in enumerate(ACTIONS):
            group = GROUP_NAMES.get(action.group, action.group)
            for column, text in enumerate((group, action.description)):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~item.flags().ItemIsEditable)
                self._table.setItem(row, column, item)
            editors = []
            for k in range(KEY_COLUMNS):
                editor = QKeySequenceEdit(self._table)
                editor.setMaximumSequenceLength(1)
                editor.setClearButtonEnabled(True)
                editor.keySequenceChanged.connect(self._check)
                self._table.setCellWidget(row, 2 + k, editor)
                editors.append(editor)
            self._editors[action.id] = editors
        self._flags: dict[str, QCheckBox] = {}
        flags = QVBoxLayout()
        for preference in PREFERENCES:
            box = QCheckBox(preference.label, self)
            box.setToolTip(preference.description)
            box.setChecked(settings.flag(preference.key))
            flags.addWidget(box)
            self._flags[preference.key] = box
        cache_row = QHBoxLayout()
        self.frame_cache = QSpinBox(self)
        self.frame_cache.setObjectName("frame_cache_mb")
        self.frame_cache.setRange(*FRAME_CACHE_RANGE_MB)
        self.frame_cache.setSingleStep(64)
        self.frame_cache.setSuffix(" MB")
        self.frame_cache.setValue(settings.frame_cache_mb)
        self.frame_cache.setToolTip(FRAME_CACHE_DESCRIPTION)
        cache_label = QLabel(FRAME_CACHE_LABEL, self)
        cache_label.setBuddy(self.frame_cache)
        cache_label.setToolTip(FRAME_CACHE_DESCRIPTION)
        cache_row.addWidget(cache_label)
        cache_row.addWidget(self.frame_cache)
        cache_row.addStretch(1)
        flags.addLayout(cache_row)
        self._problems = QLabel(self)
        self._problems.setObjectName("problems")
        self._problems.setWordWrap(True)
        self._problems.setStyleSheet("color: #b00020")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Cancel
            | QDialogButtonBox.StandardButton.RestoreDefaults,
            self,
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        defaults = buttons.button(QDialogButtonBox.StandardButton.RestoreDefaults)
        defaults.clicked.connect(self.restore_defaults)
        note = QLabel(
            "Click a key field and press the new key. Letters are kept for the scheme's "
            "behaviours and digits for ratings; a key may do only one thing.",
            self,
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self._table, 1)
        layout.addLayout(flags)
        layout.addWidget(self._problems)
        layout.addWidget(buttons)
        self.resize(720, 640)
        self._load(settings.keymap)

    # -- values -------------------------------------------------------------------------

    def _load(self, keymap: dict[str, tuple[str, ...]]) -> None:
        for action_id, editors in self._editors.items():
            keys = list(keymap.get(action_id, ()))
            for k, editor in enumerate(editors):
                editor.blockSignals(True)
                editor.setKeySequence(_sequence(keys[k]) if k < len(keys) else QKeySequence())
                editor.blockSignals(False)
        self._check()

    def set_keys(self, action_id: str, keys: Iterable[str]) -> None:
        """Put ``keys`` into the editors of ``action_id`` (what pressing them would do)."""
        keys = list(keys)
        for k, editor in enumerate(self._editors[action_id]):
            editor.setKeySequence(_sequence(keys[k]) if k < len(keys) else QKeySequence())
        self._check()

    def keymap(self) -> dict[str, tuple[str, ...]]:
        """Action id -> keys as now entered."""
        result = {}
        for action_id, editors in self._editors.items():
            keys = [sequence_key(e.keySequence()) for e in editors]
            result[action_id] = tuple(k for k in keys if k)
        return result

    def problems(self) -> list[str]:
        return keymap_problems(self.keymap(), self._scheme)

    def problem_text(self) -> str:
        return self._problems.text()

    def restore_defaults(self) -> None:
        self._load(default_keymap())

    def _check(self) -> None:
        problems = self.problems()
        self._problems.setText("\n".join(problems))

    def accept(self) -> None:
        """Store the keys and switches, unless the keys clash (then say why and stay open)."""
        problems = self.problems()
        self._problems.setText("\n".join(problems))
        if problems:
            return
        self._settings.set_keymap(self.keymap())
        for key, box in self._flags.items():
            self._settings.set_flag(key, box.isChecked())
        self._settings.frame_cache_mb = self.frame_cache.value()
        super().accept()


def _sequence(key: str) -> QKeySequence:
    try:
        return key_sequence(key)
    except ShortcutError:
        return QKeySequence()
