"""Coding schemes: subjects, behaviours, groups, rating scales, segments and contingencies.

A scheme is read from a YAML file (see ``schemes/README.md`` for the format) with
:func:`load_scheme`, which validates it and raises :class:`SchemeError` naming the file, the
line and the field path of the first problem. A :class:`Scheme` is immutable; its
``to_dict()`` form is what a project stores, together with :attr:`Scheme.content_hash`.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, is_dataclass
from functools import cached_property
from typing import Any, Literal

from coder.keys import normalize_key
from coder.scheme.yaml_source import plain_number

BehaviourKind = Literal["state", "point"]
ModifierTime = Literal["start", "stop"]
ScaleKind = Literal["ordinal", "interval", "nominal"]
Compute = Literal["", "sum", "mean"]


class SchemeError(ValueError):
    """A scheme that cannot be used, with where the problem is.

    ``str(error)`` reads ``file:line: field.path: message`` (parts that are unknown are left out).
    """

    def __init__(
        self, message: str, *, source: str = "", line: int | None = None, path: str = ""
    ) -> None:
        self.message = message
        self.source = source
        self.line = line
        self.path = path
        super().__init__(self.__str__())

    def __str__(self) -> str:
        where = self.source
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        text = f"{self.path}: {self.message}" if self.path else self.message
        return f"{where}: {text}" if where else text


@dataclass(frozen=True, slots=True)
class Subject:
    code: str
    name: str
    description: str = ""


@dataclass(frozen=True, slots=True)
class Group:
    """Behaviours that belong together; in an exclusive group at most one state is on."""

    code: str
    name: str
    exclusive: bool = False


@dataclass(frozen=True, slots=True)
class Behaviour:
    code: str
    name: str
    kind: BehaviourKind
    subject: str
    key: str
    group: str | None = None
    colour: str = "#1f77b4"
    description: str = ""
    modifiers: tuple[str, ...] = ()
    """Qualifiers a coder may choose one of (e.g. mild, strong)."""
    modifier_keys: tuple[str, ...] = ()
    """The key that chooses each modifier; empty: the digits 1, 2, … by position."""
    modifier_required: bool = False
    """Whether a pass may be marked done with this behaviour coded without a modifier."""
    modifier_when: ModifierTime = "start"
    """When the coder is asked for the modifier of a state: as it starts, or as it stops."""

    @property
    def is_state(self) -> bool:
        return self.kind == "state"

    def modifier_key(self, index: int) -> str:
        """The key that chooses ``modifiers[index]`` while the coder is asked for one."""
        return self.modifier_keys[index] if self.modifier_keys else str(index + 1)

    def modifier_for_key(self, key: str) -> str | None:
        """The modifier that ``key`` chooses, or None."""
        for index, modifier in enumerate(self.modifiers):
            if self.modifier_key(index) == key:
                return modifier
        return None

    def modifier_asked_at(self, moment: ModifierTime) -> bool:
        """Whether the coder is asked for a modifier as the behaviour starts (a point: when it is
        logged) or as a state stops."""
        if not self.modifiers:
            return False
        return moment == ("start" if not self.is_state else self.modifier_when)


@dataclass(frozen=True, slots=True)
class Scale:
    """A global rating scale with anchor texts at chosen points.

    ``rated_on`` names the segments it is rated on: ``"session"``, ``"intervals"``,
    ``"episodes"`` or episode codes. Nominal scales label every value in ``anchors``.
    """

    code: str
    name: str
    min: float
    max: float
    step: float = 1.0
    kind: ScaleKind = "ordinal"
    anchors: Mapping[float, str] = field(default_factory=dict)
    rated_on: tuple[str, ...] = ("session",)
    description: str = ""
    compute: Compute = ""
    """``"sum"`` or ``"mean"`` of the scales in ``of`` for a computed scale, else ``""``."""
    of: tuple[str, ...] = ()
    """The component scales a computed scale's value comes from (never typed by a coder)."""

    @property
    def is_computed(self) -> bool:
        return bool(self.of)

    def computed_value(self, values: Sequence[float]) -> float:
        """The value from the components' ``values`` (all of them, in any order)."""
        total = math.fsum(values)
        return total / len(values) if self.compute == "mean" else total

    def accepts(self, value: float) -> bool:
        """Whether ``value`` lies on the scale (inside the range and on a step)."""
        if not self.min <= value <= self.max:
            return False
        steps = (value - self.min) / self.step
        return abs(steps - round(steps)) < 1e-9

    def nearest_anchor(self, value: float) -> tuple[float, str] | None:
        """The anchor closest to ``value`` (the lower one on a tie), or None without anchors."""
        if not self.anchors:
            return None
        point = min(self.anchors, key=lambda p: (abs(p - value), p))
        return point, self.anchors[point]


ROUGH_NAMES = ("Unlike", "Neither", "Like")
"""The three rough piles of a Q-sort's first step, lowest first."""


@dataclass(frozen=True, slots=True)
class QItem:
    """One item of a Q-sort: its id (a code such as ``q12``) and a short text."""

    id: str
    text: str = ""


@dataclass(frozen=True, slots=True)
class Criterion:
    """A criterion sort: the pile of every item (a mean of experts' sorts may be fractional)."""

    code: str
    name: str
    sort: Mapping[str, float] = field(default_factory=dict)
    description: str = ""


@dataclass(frozen=True)
class QSort:
    """A Q-sort (Attachment Q-Set, Maternal Behaviour Q-Sort…): items, piles from "most
    unlike" (1) to "most like" (``piles``), the forced distribution (items per pile) and
    criterion sorts.

    A placement is stored as a rating of a per-item scale of the whole session, so it is
    durable, undoable, exported and compared like any rating: ``<qsort>.<item>`` holds the
    item's pile, and while a coder sorts in two steps ``<qsort>.rough.<item>`` holds its rough
    pile (1 unlike, 2 neither, 3 like) until it goes into a pile. The dot keeps these codes
    apart from every declared scale.
    """

    code: str
    name: str
    piles: int
    distribution: tuple[int, ...]
    items: tuple[QItem, ...]
    criteria: tuple[Criterion, ...] = ()
    description: str = ""

    @cached_property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def item(self, item_id: str) -> QItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(f"{item_id!r} is not an item of the Q-sort {self.name!r}")

    def criterion(self, code: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.code == code:
                return criterion
        raise KeyError(f"{code!r} is not a criterion sort of the Q-sort {self.name!r}")

    def scale_code(self, item_id: str) -> str:
        """The code of the scale that holds ``item_id``'s pile."""
        return f"{self.code}.{item_id}"

    def rough_code(self, item_id: str) -> str:
        """The code of the scale that holds ``item_id``'s rough pile (the first step)."""
        return f"{self.code}.rough.{item_id}"

    @cached_property
    def thirds(self) -> tuple[tuple[int, ...], ...]:
        """The piles of each rough pile: with nine piles (1, 2, 3), (4, 5, 6), (7, 8, 9); the
        middle one takes what does not divide by three."""
        side = self.piles // 3
        return (
            tuple(range(1, side + 1)),
            tuple(range(side + 1, self.piles - side + 1)),
            tuple(range(self.piles - side + 1, self.piles + 1)),
        )

    def third_of(self, pile: int) -> int:
        """The rough pile (1–3) that ``pile`` lies in."""
        return next(n for n, piles in enumerate(self.thirds, 1) if pile in piles)

    def pile_name(self, pile: int) -> str:
        """``pile`` in words: most unlike, unlike, neither, like, most like."""
        if pile == 1:
            return "most unlike"
        if pile == self.piles:
            return "most like"
        return ROUGH_NAMES[self.third_of(pile) - 1].lower()

    @cached_property
    def scales(self) -> dict[str, Scale]:
        """Every per-item scale (piles and rough piles), by code."""
        middle = float((self.piles + 1) // 2)
        anchors = {1.0: "most unlike", middle: "neither", float(self.piles): "most like"}
        rough = {float(n): name.lower() for n, name in enumerate(ROUGH_NAMES, 1)}
        found: dict[str, Scale] = {}
        for item in self.items:
            code = self.scale_code(item.id)
            name = f"{self.name} {item.id}"
            found[code] = Scale(code, name, 1, self.piles, anchors=anchors, description=item.text)
            code = self.rough_code(item.id)
            found[code] = Scale(
                code,
                f"{name} (rough pile)",
                1,
                3,
                kind="nominal",
                anchors=rough,
                description=item.text,
            )
        return found

    def placement_of(self, scale_code: str) -> tuple[str, bool] | None:
        """``(item id, whether it is the rough pile)`` for one of this Q-sort's scales."""
        if scale_code not in self.scales:
            return None
        rest = scale_code[len(self.code) + 1 :]
        if rest.startswith("rough."):
            return rest[len("rough.") :], True
        return rest, False


@dataclass(frozen=True, slots=True)
class EpisodeDef:
    """A named episode a coder marks (e.g. a Strange Situation episode)."""

    code: str
    name: str
    nominal_s: float | None = None
    description: str = ""


@dataclass(frozen=True, slots=True)
class SegmentRules:
    """How an observation is divided for ratings: always the whole session, plus fixed
    intervals of ``interval_s`` seconds and/or the named ``episodes`` a coder marks."""

    interval_s: float | None = None
    episodes: tuple[EpisodeDef, ...] = ()


@dataclass(frozen=True, slots=True)
class Contingency:
    """``target`` behaviours whose onset falls within ``window_s`` after a ``given`` onset."""

    code: str
    name: str
    given: tuple[str, ...]
    target: tuple[str, ...]
    window_s: float
    description: str = ""


@dataclass(frozen=True)
class Scheme:
    """A validated coding scheme."""

    name: str
    version: str = "1"
    description: str = ""
    citation: str = ""
    subjects: tuple[Subject, ...] = ()
    groups: tuple[Group, ...] = ()
    behaviours: tuple[Behaviour, ...] = ()
    scales: tuple[Scale, ...] = ()
    segments: SegmentRules = field(default_factory=SegmentRules)
    contingencies: tuple[Contingency, ...] = ()
    qsorts: tuple[QSort, ...] = ()

    @cached_property
    def _behaviours(self) -> dict[str, Behaviour]:
        return {b.code: b for b in self.behaviours}

    @cached_property
    def _groups(self) -> dict[str, Group]:
        return {g.code: g for g in self.groups}

    @cached_property
    def _scales(self) -> dict[str, Scale]:
        """Declared scales, then each Q-sort's per-item scales (see :class:`QSort`)."""
        found = {s.code: s for s in self.scales}
        for qsort in self.qsorts:
            found.update(qsort.scales)
        return found

    def qsort(self, code: str) -> QSort:
        for qsort in self.qsorts:
            if qsort.code == code:
                return qsort
        raise KeyError(f"unknown Q-sort {code!r} in scheme {self.name!r}")

    def qsort_placement(self, scale: str) -> tuple[QSort, str, bool] | None:
        """``(Q-sort, item id, whether the rough pile)`` when ``scale`` holds a placement."""
        if "." not in scale:
            return None
        for qsort in self.qsorts:
            found = qsort.placement_of(scale)
            if found is not None:
                return qsort, found[0], found[1]
        return None

    def computed_from(self, component: str) -> tuple[Scale, ...]:
        """The computed scales that ``component`` is a component of."""
        return tuple(s for s in self.scales if component in s.of)

    def behaviour(self, code: str) -> Behaviour:
        """The behaviour with ``code``; KeyError with a readable message when unknown."""
        try:
            return self._behaviours[code]
        except KeyError:
            raise KeyError(f"unknown behaviour code {code!r} in scheme {self.name!r}") from None

    def has_behaviour(self, code: str) -> bool:
        return code in self._behaviours

    def group(self, code: str) -> Group:
        return self._groups[code]

    def scale(self, code: str) -> Scale:
        try:
            return self._scales[code]
        except KeyError:
            raise KeyError(f"unknown rating scale {code!r} in scheme {self.name!r}") from None

    def has_scale(self, code: str) -> bool:
        return code in self._scales

    def exclusive_partners(self, code: str) -> tuple[str, ...]:
        """The other state behaviours of ``code``'s exclusive group (empty if none)."""
        behaviour = self.behaviour(code)
        if behaviour.group is None or not self._groups[behaviour.group].exclusive:
            return ()
        return tuple(
            b.code
            for b in self.behaviours
            if b.group == behaviour.group and b.is_state and b.code != code
        )

    def name_of(self, code: str) -> str:
        """What a coder calls behaviour, scale or episode ``code``: its name (the code itself
        when the scheme does not define it, e.g. a code of an older version)."""
        if code in self._behaviours:
            return self._behaviours[code].name
        if code in self._scales:
            return self._scales[code].name
        episode = next((e for e in self.segments.episodes if e.code == code), None)
        return episode.name if episode is not None else code

    def behaviour_for_key(self, key: str) -> Behaviour | None:
        """The behaviour bound to a normalised key string, if any."""
        for behaviour in self.behaviours:
            if normalize_key(behaviour.key) == key:
                return behaviour
        return None

    def to_dict(self) -> dict[str, Any]:
        """The scheme as plain data (the YAML format's shape, with every default filled in).

        Anchor points become text keys (``"9"``, ``"2.5"``); whole numbers are written as ints.
        """
        plain = _plain(self)
        assert isinstance(plain, dict)
        return plain

    @cached_property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON form: equal schemes have equal hashes."""
        plain = self.to_dict()
        if not plain["qsorts"]:  # schemes without Q-sorts keep the hash they always had
            del plain["qsorts"]
        canonical = json.dumps(plain, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


_MODIFIER_FIELDS = ("modifier_keys", "modifier_required", "modifier_when")


def _plain(value: Any) -> Any:
    if isinstance(value, Behaviour):
        return _plain_behaviour(value)
    if isinstance(value, Scale):
        return _plain_scale(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Mapping):
        return {_number_text(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, float):
        return plain_number(value)
    return value


def _plain_behaviour(behaviour: Behaviour) -> dict[str, Any]:
    """A behaviour's fields; its modifiers a plain list unless keys, a requirement or a time
    are set (so schemes written before those existed keep their content hash)."""
    plain = {
        f.name: _plain(getattr(behaviour, f.name))
        for f in fields(behaviour)
        if f.name not in _MODIFIER_FIELDS
    }
    block: dict[str, Any] = {"values": list(behaviour.modifiers)}
    if behaviour.modifier_keys:
        block["keys"] = list(behaviour.modifier_keys)
    if behaviour.modifier_required:
        block["required"] = True
    if behaviour.modifier_when != "start":
        block["when"] = behaviour.modifier_when
    plain["modifiers"] = block if len(block) > 1 else block["values"]
    return plain


def _plain_scale(scale: Scale) -> dict[str, Any]:
    """A scale's fields; ``compute`` and ``of`` only for a computed scale (so scales written
    before computed ones existed keep their stored form and hash)."""
    plain = {f.name: _plain(getattr(scale, f.name)) for f in fields(scale)}
    if not scale.is_computed:
        del plain["compute"], plain["of"]
    return plain


def _number_text(value: Any) -> str:
    return str(plain_number(value)) if isinstance(value, (int, float)) else str(value)
