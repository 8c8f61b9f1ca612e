"""A scheme built from another tool's codes: valid Attune codes and free keys, said aloud.

Other tools allow codes with spaces and signs, bind a behaviour to no subject, and give
subjects the digit keys Attune keeps for ratings. :class:`SchemeBuilder` collects subjects,
groups and behaviours under the file's own names, makes codes of them (``look at mother`` →
``look_at_mother``; one behaviour per subject it is coded for, since an Attune behaviour
belongs to one subject), gives each behaviour a free key (remapped when the file's key is
reserved or taken, with a note saying so) and validates the result as a scheme.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from coder.interop.errors import InteropError
from coder.keys import DIGIT_KEYS, EPISODE_KEYS, normalize_key, reserved_keys
from coder.scheme import Scheme, SchemeError, scheme_from_dict

_NOT_CODE = re.compile(r"[^A-Za-z0-9_]+")
#: Keys handed out when a file's key cannot be kept: letters, Shift+letters, then signs.
KEY_POOL = string.ascii_lowercase + string.ascii_uppercase + ";',./\\-=`"


def make_code(text: str, prefix: str = "c") -> str:
    """A valid code from any name (accents dropped, other signs as ``_``)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    code = _NOT_CODE.sub("_", plain).strip("_")
    if not code:
        return prefix
    return code if code[0].isalpha() else f"{prefix}_{code}"


@dataclass
class _Behaviour:
    code: str
    source: str
    subject: str
    kind: str
    group: str
    key: str
    name: str
    description: str
    modifiers: list[str] = field(default_factory=list)


class SchemeBuilder:
    """Collects a foreign scheme; :meth:`build` validates it (an :class:`InteropError` if not)."""

    def __init__(self, name: str, source: str) -> None:
        self.name = name or "Imported"
        self.source = source
        self.notes: list[str] = []
        self._codes: set[str] = set()  # casefolded, across behaviours
        self._subjects: dict[str, tuple[str, str, str]] = {}  # source name -> code, name, descr
        self._groups: dict[str, tuple[str, str, bool]] = {}  # source name -> code, name, excl
        self._behaviours: list[_Behaviour] = []
        self._index: dict[tuple[str, str, str], _Behaviour] = {}

    # ------------------------------------------------------------------ parts
    def subject(self, source_name: str, description: str = "") -> str:
        """The code of the subject the file calls ``source_name`` (added on first use)."""
        if source_name not in self._subjects:
            taken = {c.casefold() for c, _n, _d in self._subjects.values()}
            code = _unique(make_code(source_name, "s"), taken)
            self._subjects[source_name] = (code, source_name or code, description)
        return self._subjects[source_name][0]

    @property
    def has_subjects(self) -> bool:
        return bool(self._subjects)

    def group(self, source_name: str, exclusive: bool = False, name: str = "") -> str:
        """The code of the group the file calls ``source_name`` (added on first use)."""
        if source_name not in self._groups:
            taken = {c.casefold() for c, _n, _e in self._groups.values()}
            code = _unique(make_code(source_name, "g"), taken)
            self._groups[source_name] = (code, name or source_name or code, exclusive)
        code, label, was = self._groups[source_name]
        self._groups[source_name] = (code, label, was or exclusive)
        return code

    def set_exclusive(self, group_code: str, exclusive: bool) -> None:
        for source, (code, label, _was) in list(self._groups.items()):
            if code == group_code:
                self._groups[source] = (code, label, exclusive)

    def find(self, source_code: str, subject: str = "", group: str = "") -> str | None:
        """The code already given to ``source_code`` (for this subject and group), if any."""
        found = self._index.get((group, source_code, subject))
        return found.code if found else None

    def codes_of(self, source_code: str) -> list[str]:
        """Every behaviour code made from ``source_code`` (one per subject and group)."""
        return [b.code for b in self._behaviours if b.source == source_code]

    def behaviour(
        self,
        source_code: str,
        *,
        kind: str,
        subject: str = "",
        group: str = "",
        key: str = "",
        name: str = "",
        description: str = "",
        modifiers: Sequence[str] = (),
        code: str = "",
    ) -> str:
        """The code of behaviour ``source_code`` of ``subject`` in ``group``, added on first use;
        a second subject or group of the same source code gets a code of its own
        (``cry_mother``). ``code`` asks for a code verbatim when it is free."""
        index = (group, source_code, subject)
        if index in self._index:
            found = self._index[index]
            found.modifiers.extend(m for m in modifiers if m not in found.modifiers)
            return found.code
        base = code or make_code(source_code, "b")
        if base.casefold() in self._codes:
            base = _unique(
                f"{base}_{subject}" if subject else f"{base}_{group or 'b'}", self._codes
            )
        self._codes.add(base.casefold())
        made = _Behaviour(
            base, source_code, subject, kind, group, key, name or source_code or base,
            description, list(dict.fromkeys(modifiers)),
        )  # fmt: skip
        self._behaviours.append(made)
        self._index[index] = made
        return base

    def add_modifier(self, code: str, value: str) -> None:
        for item in self._behaviours:
            if item.code == code and value not in item.modifiers:
                item.modifiers.append(value)

    def behaviour_codes(self) -> list[str]:
        return [b.code for b in self._behaviours]

    def kind_of(self, code: str) -> str:
        return next(b.kind for b in self._behaviours if b.code == code)

    # ------------------------------------------------------------------ result
    def data(self, description: str = "") -> dict[str, Any]:
        """The scheme as plain data (the YAML format's shape), keys assigned."""
        keys = self._keys()
        subjects = [{"code": c, "name": n, "description": d} for c, n, d in self._subjects.values()]
        used_groups = {b.group for b in self._behaviours if b.group}
        groups = [
            {"code": c, "name": n, "exclusive": e}
            for c, n, e in self._groups.values()
            if c in used_groups
        ]
        behaviours = []
        for item in self._behaviours:
            entry: dict[str, Any] = {
                "code": item.code,
                "name": item.name,
                "kind": item.kind,
                "key": keys[item.code],
                "description": item.description,
            }
            if item.subject:
                entry["subject"] = item.subject
            if item.group:
                entry["group"] = item.group
            if item.modifiers:
                entry["modifiers"] = item.modifiers
            behaviours.append(entry)
        data: dict[str, Any] = {"name": self.name, "description": description}
        if subjects:
            data["subjects"] = subjects
        if groups:
            data["groups"] = groups
        data["behaviours"] = behaviours
        return data

    def build(self, description: str = "") -> Scheme:
        try:
            return scheme_from_dict(self.data(description), source=self.source)
        except SchemeError as exc:
            raise InteropError(self.source, f"the scheme it brings is not usable: {exc}") from exc

    def _keys(self) -> dict[str, str]:
        reserved = set(reserved_keys()) | {normalize_key(k.key) for k in EPISODE_KEYS}
        taken: set[str] = set()
        result: dict[str, str] = {}
        pending: list[_Behaviour] = []
        for item in self._behaviours:
            key = _usable_key(item.key)
            if key is not None and normalize_key(key) not in reserved | taken:
                taken.add(normalize_key(key))
                result[item.code] = key
            else:
                pending.append(item)
        pool = (k for k in KEY_POOL if normalize_key(k) not in reserved | taken)
        for item in pending:
            key = next(pool, None)
            if key is None:
                raise InteropError(
                    self.source,
                    f"{len(self._behaviours)} behaviours: more than Attune has one-key codes for",
                )
            taken.add(normalize_key(key))
            result[item.code] = key
            why = _why_not(item.key, reserved)
            if item.key:
                self.notes.append(
                    f"behaviour {item.name!r} ({item.code}): key {item.key!r} {why}; "
                    f"it is {key!r} in Attune"
                )
        return result


def _usable_key(key: str) -> str | None:
    key = key.strip()
    if len(key) != 1 or key in DIGIT_KEYS or key.isspace():
        return None
    try:
        normalize_key(key)
    except ValueError:
        return None
    return key


def _why_not(key: str, reserved: set[str]) -> str:
    if key.strip() in DIGIT_KEYS:
        return "is a digit, kept for ratings"
    if _usable_key(key) is None:
        return "is not one key"
    if normalize_key(key) in reserved:
        return "is one of the player's keys"
    return "is already taken by another behaviour"


def _unique(base: str, taken: set[str]) -> str:
    code, n = base, 2
    while code.casefold() in taken:
        code, n = f"{base}_{n}", n + 1
    taken.add(code.casefold())
    return code
