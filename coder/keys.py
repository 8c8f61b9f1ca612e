"""The keyboard map of the player and the app, as one Qt-free table.

Key strings use Qt's portable text form ("Space", "Shift+Right", "Ctrl+Z"); ``ui/`` turns them
into ``QKeySequence`` objects (where Ctrl means Cmd on macOS). The preferences editor, the F1
sheet and the scheme validator all read this table. Letters (and Shift+letter) are left free for
behaviours; digits belong to ratings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SPEEDS: tuple[float, ...] = (0.1, 0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 4.0)


@dataclass(frozen=True, slots=True)
class Action:
    """An action of the player or the app that a key triggers."""

    id: str
    description: str
    keys: tuple[str, ...]
    group: str = "transport"
    repeatable: bool = False


ACTIONS: tuple[Action, ...] = (
    Action("play_pause", "Play / pause", ("Space",)),
    Action("step_forward", "One frame forward", ("Right",), repeatable=True),
    Action("step_back", "One frame back", ("Left",), repeatable=True),
    Action("skip_forward_1s", "1 s forward", ("Shift+Right",), repeatable=True),
    Action("skip_back_1s", "1 s back", ("Shift+Left",), repeatable=True),
    Action("skip_forward_5s", "5 s forward", ("Ctrl+Right",), repeatable=True),
    Action("skip_back_5s", "5 s back", ("Ctrl+Left",), repeatable=True),
    Action("replay", "Jump back 3 s and play", ("Backspace",)),
    Action("speed_up", "Next speed", ("Up",)),
    Action("speed_down", "Previous speed", ("Down",)),
    Action("go_start", "Start of media", ("Home",)),
    Action("go_end", "End of media", ("End",)),
    Action("previous_event", "Previous event of the selected behaviour", ("PgUp",), "events"),
    Action("next_event", "Next event of the selected behaviour", ("PgDown",), "events"),
    Action("undo", "Undo", ("Ctrl+Z",), "edit", repeatable=True),
    Action("redo", "Redo", ("Ctrl+Shift+Z", "Ctrl+Y"), "edit", repeatable=True),
    Action("delete_event", "Delete the selected event", ("Del",), "events"),
    Action(
        "nudge_back", "Move the selected boundary one frame back", ("Alt+Left",), "events", True
    ),
    Action(
        "nudge_forward", "Move the selected boundary one frame on", ("Alt+Right",), "events", True
    ),
    Action("jump_to_event", "Jump to the selected event", ("Return", "Enter"), "events"),
    Action("next_scale", "Next rating scale", ("Tab",), "ratings"),
    Action("previous_scale", "Previous rating scale", ("Shift+Tab", "Backtab"), "ratings"),
    Action("stop_all", "Stop all open states", ("Esc",), "coding"),
    Action("shortcut_sheet", "Shortcut sheet", ("F1",), "help"),
)

ACTIONS_BY_ID: Mapping[str, Action] = {a.id: a for a in ACTIONS}

DIGIT_KEYS: frozenset[str] = frozenset("0123456789")
"""Digits set ratings (main row and keypad); a scheme may not bind them."""

_ALIASES = {
    "escape": "Esc",
    "esc": "Esc",
    "delete": "Del",
    "del": "Del",
    "pageup": "PgUp",
    "pgup": "PgUp",
    "pagedown": "PgDown",
    "pgdown": "PgDown",
    "return": "Return",
    "enter": "Enter",
    "space": "Space",
    "backspace": "Backspace",
    "tab": "Tab",
    "backtab": "Backtab",
    "home": "Home",
    "end": "End",
    "left": "Left",
    "right": "Right",
    "up": "Up",
    "down": "Down",
}
_MODIFIER_ORDER = ("Ctrl", "Alt", "Shift", "Meta")


def normalize_key(key: str) -> str:
    """Canonical text of a key: modifiers in a fixed order, names capitalised.

    A single upper-case letter is Shift+letter: ``"C"`` becomes ``"Shift+C"`` and ``"c"``
    stays ``"c"``, so the two are distinct keys.
    """
    text = key.strip()
    if not text:
        raise ValueError("empty key")
    if len(text) == 1:
        return f"Shift+{text}" if text.isalpha() and text.isupper() else text
    parts = [p for p in text.replace(" ", "").split("+") if p] or ["+"]
    *mods, base = parts
    modifiers = []
    for mod in mods:
        name = {
            "control": "Ctrl",
            "ctrl": "Ctrl",
            "cmd": "Ctrl",
            "alt": "Alt",
            "option": "Alt",
            "shift": "Shift",
            "meta": "Meta",
        }.get(mod.lower())
        if name is None:
            raise ValueError(f"unknown modifier {mod!r} in key {key!r}")
        modifiers.append(name)
    if len(base) == 1:
        base = base.upper() if base.isalpha() else base
        if not modifiers and base.isalpha():
            base = base.lower()
    else:
        base = _ALIASES.get(base.lower(), base[0].upper() + base[1:])
    ordered = sorted(set(modifiers), key=_MODIFIER_ORDER.index)
    return "+".join([*ordered, base])


def default_keymap() -> dict[str, tuple[str, ...]]:
    """Action id -> key strings, as shipped."""
    return {a.id: a.keys for a in ACTIONS}


def reserved_keys(keymap: Mapping[str, Iterable[str]] | None = None) -> dict[str, str]:
    """Normalised key -> what it does, for every key a scheme may not bind."""
    keymap = keymap if keymap is not None else default_keymap()
    reserved: dict[str, str] = {}
    for action_id, keys in keymap.items():
        action = ACTIONS_BY_ID.get(action_id)
        label = action.description if action else action_id
        for key in keys:
            reserved[normalize_key(key)] = label
    for digit in DIGIT_KEYS:
        reserved[digit] = "rating digit"
    return reserved


def keymap_conflicts(keymap: Mapping[str, Iterable[str]]) -> list[str]:
    """Messages for keys bound to more than one action in ``keymap``."""
    seen: dict[str, str] = {}
    problems = []
    for action_id, keys in keymap.items():
        for key in keys:
            norm = normalize_key(key)
            if norm in seen and seen[norm] != action_id:
                problems.append(f"{norm} is bound to both {seen[norm]} and {action_id}")
            seen.setdefault(norm, action_id)
    return problems
