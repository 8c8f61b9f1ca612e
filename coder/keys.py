"""The keyboard map of the player and the app, as one Qt-free table.

Key strings use Qt's portable text form ("Space", "Shift+Right", "Ctrl+Z"); ``ui/`` turns them
into ``QKeySequence`` objects (where Ctrl means Cmd on macOS). The preferences editor, the F1
sheet and the scheme validator all read this table. Letters (and Shift+letter) are left free for
behaviours; digits belong to ratings.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

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
    Action(
        "camera_forward",
        "Second camera (or the one clicked) one frame on; saved",
        ("Ctrl+Alt+Right",),
        repeatable=True,
    ),
    Action(
        "camera_back",
        "Second camera (or the one clicked) one frame back; saved",
        ("Ctrl+Alt+Left",),
        repeatable=True,
    ),
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
    Action("go_to", "Go to a time or frame…", ("Ctrl+G",), "events"),
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


@dataclass(frozen=True, slots=True)
class EpisodeKey:
    """A key that marks episodes: active only for schemes with episodes, and only where the
    scheme does not bind it to a behaviour."""

    id: str
    description: str
    key: str


EPISODE_KEYS: tuple[EpisodeKey, ...] = (
    EpisodeKey("start_episode", "Start the next episode at the frame on screen", "["),
    EpisodeKey("end_episode", "End the running episode at the frame on screen", "]"),
)


class KeyedBehaviour(Protocol):
    """What the clash checks read of a behaviour (a scheme's :class:`Behaviour` is one)."""

    @property
    def name(self) -> str: ...
    @property
    def key(self) -> str: ...


def describe_action(action_id: str) -> str:
    """What the action does, in words (its id when it is not in the table)."""
    action = ACTIONS_BY_ID.get(action_id)
    return action.description if action else action_id


def scheme_key_clashes(
    behaviours: Iterable[KeyedBehaviour], keymap: Mapping[str, Iterable[str]]
) -> list[str]:
    """Messages for behaviour keys that the user's ``keymap`` (or a digit) owns."""
    owners: dict[str, tuple[str, str]] = {}
    for action_id, keys in keymap.items():
        for key in keys:
            owners.setdefault(normalize_key(key), (key, describe_action(action_id)))
    problems = []
    for behaviour in behaviours:
        key = normalize_key(behaviour.key)
        if key in DIGIT_KEYS:
            problems.append(
                f'Key "{behaviour.key}": the scheme\'s behaviour "{behaviour.name}" uses a digit, '
                "and digits rate the selected scale."
            )
        elif key in owners:
            user_key, what = owners[key]
            problems.append(
                f'Key "{behaviour.key}": the scheme\'s behaviour "{behaviour.name}" '
                f'({behaviour.key}) and your shortcut for "{what}" ({user_key}) are the same key.'
            )
    return problems


def episode_key_clashes(behaviours: Iterable[KeyedBehaviour], has_episodes: bool) -> list[str]:
    """Messages for episode keys a behaviour binds (those episode keys are then left off)."""
    if not has_episodes:
        return []
    bound = {normalize_key(b.key): b for b in behaviours}
    problems = []
    for extra in EPISODE_KEYS:
        behaviour = bound.get(normalize_key(extra.key))
        if behaviour is not None:
            problems.append(
                f'Key "{extra.key}": the scheme\'s behaviour "{behaviour.name}" uses it, so it '
                f'cannot "{extra.description.lower()}"; mark episodes from the Coding menu.'
            )
    return problems


def keymap_clashes(
    keymap: Mapping[str, Iterable[str]], behaviours: Iterable[KeyedBehaviour] | None = None
) -> list[str]:
    """Why a user's ``keymap`` cannot be used: a key twice, a digit, an episode key, or a key
    of the scheme's ``behaviours``. (Whether each key is a real key is the interface's check.)"""
    named = {a: tuple(k) for a, k in keymap.items()}
    problems: list[str] = []
    first_owner: dict[str, str] = {}
    for action_id, keys in named.items():
        for key in keys:
            owner = first_owner.setdefault(normalize_key(key), action_id)
            if owner != action_id:
                problems.append(
                    f'Key "{key}" is set for both "{describe_action(owner)}" and '
                    f'"{describe_action(action_id)}".'
                )
    episode_keys = {normalize_key(e.key) for e in EPISODE_KEYS}
    for action_id, keys in named.items():
        for key in keys:
            if normalize_key(key) in DIGIT_KEYS:
                problems.append(
                    f'Key "{key}" for "{describe_action(action_id)}": digits are kept for ratings.'
                )
            if normalize_key(key) in episode_keys:
                problems.append(
                    f'Key "{key}" for "{describe_action(action_id)}": it marks episodes.'
                )
    if behaviours is not None:
        problems.extend(scheme_key_clashes(behaviours, named))
    return problems
