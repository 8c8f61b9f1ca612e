"""A BORIS ethogram (``behaviors_conf``, ``subjects_conf``) read and turned into a scheme.

State and point events become state and point behaviours, categories groups, exclusions
exclusive groups where they are mutual (the states of a category that all exclude each other,
or uncategorised states that do), keys kept where Attune allows them, modifier sets their
values. A BORIS behaviour is coded for any subject; an Attune behaviour belongs to one, so a
behaviour coded for two subjects becomes two (``cry`` and ``cry_mother``). Exclusions that no
exclusive group can say are reported in the notes, never silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from coder.interop.jsonplace import key_text
from coder.interop.schemebuild import SchemeBuilder
from coder.scheme import Scheme

STATE, POINT = "State event", "Point event"
#: A modifier value's own key, written after it: ``happy (h)``.
_VALUE_KEY = re.compile(r"\s*\(.\)$")
#: The subject code used for BORIS's "no focal subject" when the project has subjects.
NO_SUBJECT = "no focal subject"


@dataclass(frozen=True, slots=True)
class ModifierSet:
    name: str
    type: int  # 0 single choice, 1 multiple choice, 2 numeric, 3 from external data
    values: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BorisBehaviour:
    code: str
    kind: str  # "state" | "point"
    key: str
    description: str
    category: str
    modifier_sets: tuple[ModifierSet, ...]
    excluded: tuple[str, ...]
    place: str

    @property
    def modifier_values(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(v for s in self.modifier_sets for v in s.values))


@dataclass(frozen=True, slots=True)
class Ethogram:
    behaviours: Mapping[str, BorisBehaviour]
    subjects: Mapping[str, str]  # name -> key


def _entries(value: Any, place: str, problems: list[str]) -> list[tuple[str, Any]]:
    """A BORIS numbered table (``{"0": {...}, "1": {...}}``) in order of its numbers."""
    if isinstance(value, list):
        return [(str(i), v) for i, v in enumerate(value)]
    if not isinstance(value, Mapping):
        problems.append(f"{place}: expected an object of numbered entries")
        return []
    return sorted(((str(k), v) for k, v in value.items()), key=_order)


def _order(item: tuple[str, Any]) -> tuple[int, int, str]:
    key = item[0]
    return (0, int(key), key) if key.isdigit() else (1, 0, key)


def _text(entry: Mapping[str, Any], name: str, place: str, problems: list[str]) -> str:
    value = entry.get(name, "")
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        problems.append(f"{place}.{name}: expected text")
        return ""
    return value


def read_ethogram(data: Mapping[str, Any], problems: list[str]) -> Ethogram:
    """The ethogram and subjects of a BORIS project (problems appended with their places)."""
    behaviours: dict[str, BorisBehaviour] = {}
    if "behaviors_conf" not in data:
        problems.append("behaviors_conf: missing (the ethogram of a BORIS project)")
    for number, entry in _entries(data.get("behaviors_conf", {}), "behaviors_conf", problems):
        place = f"behaviors_conf[{key_text(number)}]"
        if not isinstance(entry, Mapping):
            problems.append(f"{place}: expected an object")
            continue
        code = _text(entry, "code", place, problems).strip()
        kind_text = _text(entry, "type", place, problems)
        if not code:
            problems.append(f"{place}.code: missing")
            continue
        if code in behaviours:
            problems.append(f"{place}.code: {code!r} is defined twice")
            continue
        if "state" in kind_text.lower():
            kind = "state"
        elif "point" in kind_text.lower():
            kind = "point"
        else:
            problems.append(f"{place}.type: {kind_text!r} is neither {STATE!r} nor {POINT!r}")
            continue
        excluded = tuple(
            c.strip() for c in _text(entry, "excluded", place, problems).split(",") if c.strip()
        )
        behaviours[code] = BorisBehaviour(
            code=code,
            kind=kind,
            key=_text(entry, "key", place, problems),
            description=_text(entry, "description", place, problems),
            category=_text(entry, "category", place, problems).strip(),
            modifier_sets=_modifier_sets(entry.get("modifiers", ""), place, problems),
            excluded=excluded,
            place=place,
        )
    subjects: dict[str, str] = {}
    for number, entry in _entries(data.get("subjects_conf", {}) or {}, "subjects_conf", problems):
        place = f"subjects_conf[{key_text(number)}]"
        if not isinstance(entry, Mapping):
            problems.append(f"{place}: expected an object")
            continue
        name = _text(entry, "name", place, problems).strip()
        if not name:
            problems.append(f"{place}.name: missing")
        elif name in subjects:
            problems.append(f"{place}.name: {name!r} is defined twice")
        else:
            subjects[name] = _text(entry, "key", place, problems)
    return Ethogram(behaviours, subjects)


def _modifier_sets(raw: Any, place: str, problems: list[str]) -> tuple[ModifierSet, ...]:
    where = f"{place}.modifiers"
    if raw in ("", None, {}):
        return ()
    if isinstance(raw, str):  # the old form: sets split by "|", values by ","
        return tuple(
            ModifierSet(f"set {n + 1}", 0, tuple(_value(v) for v in part.split(",") if v.strip()))
            for n, part in enumerate(raw.split("|"))
        )
    sets = []
    for number, entry in _entries(raw, where, problems):
        at = f"{where}[{key_text(number)}]"
        if not isinstance(entry, Mapping):
            problems.append(f"{at}: expected an object")
            continue
        values = entry.get("values", [])
        if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
            problems.append(f"{at}.values: expected a list of texts")
            continue
        kind = entry.get("type", 0)
        sets.append(
            ModifierSet(
                str(entry.get("name", "") or f"set {number}"),
                int(kind) if isinstance(kind, int) else 0,
                tuple(v for v in (_value(v) for v in values) if v),
            )
        )
    return tuple(sets)


def _value(text: str) -> str:
    return _VALUE_KEY.sub("", text).strip()


def split_modifiers(text: str, behaviour: BorisBehaviour) -> tuple[str, ...]:
    """The values of an event's modifier field (sets split by ``|``, several choices of one
    set by ``,``; ``None`` and empty mean none chosen)."""
    known = set(behaviour.modifier_values)
    values: list[str] = []
    for part in text.split("|"):
        part = part.strip()
        if not part or part == "None":
            continue
        if part in known or "," not in part:
            values.append(part)
        else:
            values.extend(v.strip() for v in part.split(",") if v.strip() and v.strip() != "None")
    return tuple(dict.fromkeys(values))


def ethogram_scheme(
    ethogram: Ethogram,
    usage: Mapping[str, Sequence[str]],
    seen_modifiers: Mapping[str, Sequence[str]],
    name: str,
    source: str,
) -> tuple[Scheme, dict[str, str], list[str]]:
    """The scheme of ``ethogram``; ``usage`` is each BORIS code's subjects in the events
    (``""``: no focal subject), in order of first use, ``seen_modifiers`` the modifier values
    its events carry (numeric and free modifiers have no list of values). Returns the scheme,
    the aliases (``code`` and ``code@subject`` → the scheme's code) and notes for the user."""
    builder = SchemeBuilder(name, source)
    notes: list[str] = []
    with_subjects = bool(ethogram.subjects)
    for subject_name in ethogram.subjects:
        builder.subject(subject_name)
    groups = _exclusive_sets(ethogram, notes)
    aliases: dict[str, str] = {}
    unused: list[str] = []
    for code, item in ethogram.behaviours.items():
        modifiers = list(item.modifier_values)
        extra = [m for m in seen_modifiers.get(code, ()) if m not in modifiers]
        free = any(s.type in (2, 3) for s in item.modifier_sets)
        if extra and not free:
            notes.append(f"behaviour {code!r}: modifiers coded but not in its sets: {extra}")
        modifiers.extend(extra)
        subjects = list(usage.get(code, ()))
        if with_subjects and not subjects:
            subjects = [next(iter(ethogram.subjects))]
            unused.append(code)
        for subject_name in subjects or [""]:
            subject = ""
            if with_subjects:
                subject = builder.subject(subject_name or NO_SUBJECT)
            group_name, exclusive = groups.get(code, (item.category, False))
            if exclusive and len(subjects) > 1:
                group_name = f"{group_name} {subject_name or NO_SUBJECT}"
            group = builder.group(group_name, exclusive) if group_name else ""
            made = builder.behaviour(
                code, kind=item.kind, subject=subject, group=group, key=item.key,
                name=code, description=item.description, modifiers=modifiers,
            )  # fmt: skip
            aliases.setdefault(code, made)
            aliases[f"{code}@{subject_name}"] = made
    if unused:
        first = next(iter(ethogram.subjects))
        notes.append(
            f"behaviours never coded, given to subject {first!r} (BORIS binds no subject): "
            + ", ".join(unused)
        )
    scheme = builder.build("Imported from a BORIS project.")
    return scheme, aliases, notes + builder.notes


def _exclusive_sets(ethogram: Ethogram, notes: list[str]) -> dict[str, tuple[str, bool]]:
    """Group (name, exclusive) of each state behaviour whose exclusions make a set."""
    states = {c: b for c, b in ethogram.behaviours.items() if b.kind == "state"}

    def mutual(a: str, b: str) -> bool:
        return b in states[a].excluded and a in states[b].excluded

    result: dict[str, tuple[str, bool]] = {}
    by_category: dict[str, list[str]] = {}
    for code, item in states.items():
        by_category.setdefault(item.category, []).append(code)
    for category, codes in by_category.items():
        if (
            category
            and len(codes) > 1
            and all(mutual(a, b) for a in codes for b in codes if a != b)
        ):
            result.update({c: (category, True) for c in codes})
    loose = [c for c in by_category.get("", []) if c not in result]
    seen: set[str] = set()
    number = 0
    for code in loose:
        if code in seen:
            continue
        component, todo = [], [code]
        while todo:
            current = todo.pop()
            if current in seen:
                continue
            seen.add(current)
            component.append(current)
            todo.extend(o for o in loose if o not in seen and mutual(current, o))
        if len(component) > 1 and all(mutual(a, b) for a in component for b in component if a != b):
            number += 1
            result.update({c: (f"exclusive {number}", True) for c in component})
    kept = {(a, b) for a in result for b in result if result[a] == result[b] and a != b}
    lost = sorted(
        f"{a} excludes {b}"
        for a, item in ethogram.behaviours.items()
        for b in item.excluded
        if (a, b) not in kept and b in ethogram.behaviours
    )
    if lost:
        notes.append(
            "exclusions Attune keeps only as exclusive groups (states of one category that all "
            "exclude each other); not kept: " + ", ".join(lost)
        )
    return result
