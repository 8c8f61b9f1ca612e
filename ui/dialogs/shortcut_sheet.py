"""The shortcut sheet (F1): the player's and the app's keys, and the keys of the open scheme,
built from the same tables the keys are bound from."""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from coder.keys import ACTIONS_BY_ID, EPISODE_KEYS, normalize_key
from coder.scheme import Behaviour, Scheme
from ui.shortcuts import ShortcutError, key_text, sheet_rows

GROUP_TITLES = {
    "transport": "Playing and stepping",
    "events": "Events",
    "edit": "Editing",
    "ratings": "Ratings",
    "coding": "Coding",
    "help": "Help",
}


def _keys(key: str) -> str:
    """A scheme key as the coder types it: ``q``, ``Shift+Q``; named keys as the platform says."""
    try:
        text = normalize_key(key)
    except ValueError:
        return key
    if len(text) == 1 or (text.startswith("Shift+") and len(text) == 7):
        return text
    try:
        return key_text([key])
    except ShortcutError:
        return key


def modifier_line(behaviour: Behaviour) -> str:
    """``then 1 mild · 2 strong · Enter none (as it stops)``: the picker's keys, as HTML."""
    choices = " · ".join(
        f"<b>{html.escape(behaviour.modifier_key(i))}</b> {html.escape(name)}"
        for i, name in enumerate(behaviour.modifiers)
    )
    none = "" if behaviour.modifier_required else " · <b>Enter</b> none"
    when = " (as it stops)" if behaviour.is_state and behaviour.modifier_when == "stop" else ""
    return f"then {choices}{none}{when}"


def _bound(keymap: Mapping[str, Iterable[str]], *action_ids: str) -> str:
    """The keys of some actions in ``keymap`` (the shipped ones where it has none), as the
    platform writes them."""
    keys = [key for a in action_ids for key in keymap.get(a, ACTIONS_BY_ID[a].keys)]
    try:
        return key_text(keys) if keys else "(no key)"
    except ShortcutError:
        return ", ".join(keys)


def table_rows(keymap: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """(keys, what they do) in the event table: editing cells, seeking, the row's menu and
    moving the boundary of the selected cell."""
    return [
        ("F2, double-click", "Edit the cell (F2 on #, Subject or Duration: the behaviour)"),
        (
            _bound(keymap, "jump_to_event"),
            "Seek to the selected event's onset (so does a double-click on #, Subject or Duration)",
        ),
        ("Right-click, Menu", "The row's menu: Edit, Comment…, Seek, Delete"),
        (
            _bound(keymap, "nudge_back", "nudge_forward"),
            "With an Onset or Offset cell selected: move that boundary one frame (any other "
            "cell: the boundary nearest the playhead)",
        ),
        (
            "Modifiers cell: F2",
            "A checklist of the behaviour's modifiers: their keys or Space tick, Return keeps",
        ),
        ("Return, Tab", "Keep what was typed in a cell"),
        ("Esc", "Leave a cell's editor, changing nothing"),
    ]


def sheet_html(keymap: Mapping[str, Iterable[str]], scheme: Scheme | None) -> str:
    """The sheet as HTML: two columns, the app's keys and the scheme's."""
    grouped: dict[str, list[str]] = {}
    for row in sheet_rows({k: tuple(v) for k, v in keymap.items()}):
        keys, what = html.escape(row.keys), html.escape(row.description)
        grouped.setdefault(row.group, []).append(f"<tr><td class=k>{keys}</td><td>{what}</td></tr>")
    left = []
    for group, lines in grouped.items():
        left.append(f"<tr><th colspan=2>{GROUP_TITLES.get(group, group)}</th></tr>")
        left.extend(lines)
    left.append("<tr><th colspan=2>In the event table</th></tr>")
    left.extend(
        f"<tr><td class=k>{html.escape(keys)}</td><td>{html.escape(what)}</td></tr>"
        for keys, what in table_rows(keymap)
    )
    left.append("<tr><th colspan=2>Rating</th></tr>")
    left.append(
        "<tr><td class=k>0 – 9</td><td>Rate the selected scale (main row or keypad)</td></tr>"
    )
    right = []
    if scheme is None:
        right.append("<tr><td>Open an observation to see the scheme's keys.</td></tr>")
    else:
        right.append(f"<tr><th colspan=3>{html.escape(scheme.name)}</th></tr>")
        groups = {g.code: g for g in scheme.groups}
        current = object()
        for behaviour in scheme.behaviours:
            if behaviour.group != current:
                current = behaviour.group
                group_def = groups.get(behaviour.group) if behaviour.group else None
                if group_def is not None:
                    extra = " (one at a time)" if group_def.exclusive else ""
                    right.append(
                        f"<tr><td colspan=3 class=g>{html.escape(group_def.name)}{extra}</td></tr>"
                    )
            kind = "state" if behaviour.is_state else "point"
            right.append(
                f"<tr><td class=k>{html.escape(_keys(behaviour.key))}</td>"
                f"<td>{html.escape(behaviour.name)}</td><td class=s>{kind}</td></tr>"
            )
            if behaviour.modifiers:
                right.append(
                    f"<tr><td></td><td colspan=2 class=m>{modifier_line(behaviour)}</td></tr>"
                )
        if scheme.segments.episodes:
            right.append("<tr><th colspan=3>Episodes</th></tr>")
            for extra in EPISODE_KEYS:
                right.append(
                    f"<tr><td class=k>{html.escape(extra.key)}</td>"
                    f"<td colspan=2>{html.escape(extra.description)}</td></tr>"
                )
        if scheme.scales:
            names = ", ".join(s.name for s in scheme.scales)
            right.append("<tr><th colspan=3>Rating scales</th></tr>")
            right.append(f"<tr><td colspan=3>{html.escape(names)}</td></tr>")
    style = (
        "<style>th{text-align:left;padding-top:8px} td{padding:1px 6px} "
        "td.k{font-weight:bold;white-space:nowrap} td.s{color:#666} "
        "td.g{color:#555;font-style:italic} td.m{color:#444;font-size:small}</style>"
    )
    return (
        f"<html><head>{style}</head><body><table width=100%><tr>"
        f"<td valign=top width=50%><table>{''.join(left)}</table></td>"
        f"<td valign=top width=50%><table>{''.join(right)}</table></td>"
        "</tr></table></body></html>"
    )


class ShortcutSheet(QDialog):
    """A window listing every key; it stays open beside the video while coding."""

    def __init__(
        self,
        keymap: Mapping[str, Iterable[str]],
        scheme: Scheme | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.setModal(False)
        self._browser = QTextBrowser(self)
        self._browser.setHtml(sheet_html(keymap, scheme))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self._browser)
        layout.addWidget(buttons)
        self.resize(900, 680)

    def text(self) -> str:
        """The sheet as plain text."""
        return self._browser.toPlainText()
