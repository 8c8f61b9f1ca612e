"""Cell editors of the event table: the behaviour drop-down and the modifiers checklist.

Every edit ends in one ``session.edit_event`` call through the model's ``setData`` (one undo
step); an editor that leaves the value as it was changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from ui.events.model import CHOICES_ROLE, MODIFIER_CHOICES_ROLE

_NAME_ROLE = int(Qt.ItemDataRole.UserRole)


class BehaviourDelegate(QStyledItemDelegate):
    """Edits the behaviour column with a drop-down of the codes of the same kind."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        combo = QComboBox(parent)
        for code, label in index.data(CHOICES_ROLE) or []:
            combo.addItem(label, code)
        return combo

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, QComboBox)
        code = editor.currentData()
        if code is not None and code != index.data(Qt.ItemDataRole.EditRole):
            model.setData(index, code, Qt.ItemDataRole.EditRole)


class ModifiersEditor(QListWidget):
    """The modifiers of one behaviour as a checklist over the cell: a modifier's key (the digit
    the picker shows, or its own key) or Space ticks and unticks it, Enter keeps the ticks,
    Escape leaves the event as it was."""

    def __init__(self, choices: Sequence[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("modifiers_editor")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._keys: list[str] = []
        for name, key in choices:
            item = QListWidgetItem(f"{key}  {name}", self)
            item.setData(_NAME_ROLE, name)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            item.setCheckState(Qt.CheckState.Unchecked)
            self._keys.append(key)
        self.setCurrentRow(0)

    def set_chosen(self, names: Sequence[str]) -> None:
        """Tick exactly ``names``."""
        for row in range(self.count()):
            item = self.item(row)
            ticked = item.data(_NAME_ROLE) in names
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def chosen(self) -> tuple[str, ...]:
        """The ticked modifiers, in the scheme's order."""
        items = (self.item(row) for row in range(self.count()))
        return tuple(
            str(item.data(_NAME_ROLE))
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        )

    def toggle(self, row: int) -> None:
        item = self.item(row)
        ticked = item.checkState() == Qt.CheckState.Checked
        item.setCheckState(Qt.CheckState.Unchecked if ticked else Qt.CheckState.Checked)
        self.setCurrentRow(row)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        text = event.text()
        if (
            text
            and text in self._keys
            and not event.modifiers()
            & ~(Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.KeypadModifier)
        ):
            self.toggle(self._keys.index(text))
            event.accept()
            return
        super().keyPressEvent(event)

    def fitted_height(self) -> int:
        """The height that shows every modifier."""
        rows = max(1, self.count())
        return self.sizeHintForRow(0) * rows + 2 * self.frameWidth()

    def fitted_width(self) -> int:
        return self.sizeHintForColumn(0) + 2 * self.frameWidth() + 4


class ModifiersDelegate(QStyledItemDelegate):
    """Edits the modifiers column with a :class:`ModifiersEditor` of the event's behaviour."""

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        return ModifiersEditor(index.data(MODIFIER_CHOICES_ROLE) or [], parent)

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, ModifiersEditor)
        editor.set_chosen(index.data(Qt.ItemDataRole.EditRole) or [])

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, ModifiersEditor)
        chosen = editor.chosen()
        if chosen != tuple(index.data(Qt.ItemDataRole.EditRole) or ()):
            model.setData(index, list(chosen), Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(
        self,
        editor: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """Over the cell, tall enough for every modifier, moved up when the rows below end."""
        assert isinstance(editor, ModifiersEditor)
        rect = option.rect  # type: ignore[attr-defined]
        height = editor.fitted_height()
        width = max(rect.width(), editor.fitted_width())
        top = rect.top()
        viewport = editor.parentWidget()
        if viewport is not None and top + height > viewport.height():
            top = max(0, viewport.height() - height)
        editor.setGeometry(rect.left(), top, width, height)
