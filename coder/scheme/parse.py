"""Read, validate and write coding schemes in the format of ``schemes/README.md``.

:func:`parse_scheme_text` reads a YAML file's text, :func:`parse_scheme_data` the same shape as
plain data (a project's stored JSON; :meth:`Scheme.to_dict` writes that shape). The first problem
found raises :class:`~coder.scheme.model.SchemeError`, worded ``file:line: field.path: message``;
list items in paths count from 1 (``behaviours[3]`` is the third behaviour).
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any, cast

from coder.keys import DIGIT_KEYS, normalize_key
from coder.keys import reserved_keys as shipped_reserved_keys
from coder.scheme.model import (
    Behaviour,
    BehaviourKind,
    Contingency,
    EpisodeDef,
    Group,
    ModifierTime,
    Scale,
    ScaleKind,
    Scheme,
    SchemeError,
    SegmentRules,
    Subject,
)
from coder.scheme.parse_instruments import computed_scale, read_qsorts
from coder.scheme.yaml_source import (
    FieldReader,
    LineMap,
    Path,
    YamlSourceError,
    control_character,
    describe,
    load_yaml,
    path_text,
    plain_number,
    suggest,
)

ReservedKeys = Mapping[str, str] | Iterable[str] | None

MIN_INTERVAL_S = 0.1
"""The shortest fixed interval (a 2-hour video then has 72 000 of them)."""
MIN_STEP = 0.001
"""The smallest step of a rating scale."""
MAX_SCALE_STEPS = 10_000
"""The most values a rating scale may have."""
MIN_WINDOW_S = 0.01
"""The shortest contingency window (below one frame of any video)."""


def is_keyboard_character(key: str) -> bool:
    """Whether the single character ``key`` is typed by one key of some keyboard layout: a
    letter of an alphabet, or a printable sign of Latin-1 (no emoji, symbols or controls)."""
    if not key.isprintable() or key.isspace():
        return False
    if ord(key) < 0x100:
        return True
    return key.isalpha() and ord(key) < 0x2000  # Latin, Greek, Cyrillic, Hebrew, Arabic…


PALETTE: tuple[str, ...] = (
    *("#3b6fb6", "#d9412b", "#2a9d5c", "#8e5cc4", "#e08a1e", "#1a9fb0"),
    *("#c2447a", "#7a8a22", "#5a6b7d", "#b5651d", "#4c51bf", "#2f855a"),
)
"""Default behaviour colours, by position in the scheme; each reads on light and dark rows."""

SEGMENT_WORDS = ("session", "intervals", "episodes")
"""What ``rated_on`` may name besides episode codes."""

BEHAVIOUR_KINDS = ("state", "point")
MODIFIER_TIMES = ("start", "stop")
MAX_DIGIT_MODIFIERS = 9
"""Modifiers chosen by the digits 1–9 when the scheme gives no keys of its own."""
SCALE_KINDS = ("ordinal", "interval", "nominal")
MAX_NOMINAL_VALUES = 100

_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")
_INTERVAL_CODE = re.compile(r"interval_[0-9]+")
_FIELDS: dict[str, tuple[str, ...]] = {
    kind: tuple(names.split())
    for kind, names in {
        "scheme": "name version description citation subjects groups behaviours scales segments "
        "contingencies qsorts",
        "subject": "code name description",
        "group": "code name exclusive",
        "behaviour": "code name kind subject key group colour description modifiers",
        "scale": "code name min max step kind anchors rated_on description compute of",
        "segments": "interval_s episodes",
        "episode": "code name nominal_s description",
        "modifiers": "values keys required when",
        "contingency": "code name given target window_s description",
        "qsort": "code name description piles distribution per_pile items criteria",
        "qitem": "id text",
        "criterion": "code name description sort",
    }.items()
}


def parse_scheme_text(
    text: str, source: str = "<scheme>", reserved_keys: ReservedKeys = None
) -> Scheme:
    """Validate the YAML ``text`` of a scheme; errors name ``source``, the line and the field.

    ``reserved_keys`` are the player's keys a behaviour may not use: a mapping key -> what it
    does (as :func:`coder.keys.reserved_keys` gives), an iterable of keys, or None for the
    shipped key map. An empty iterable checks none; digits are always kept for ratings.
    """
    try:
        data, lines = load_yaml(text)
    except YamlSourceError as exc:
        path = path_text(exc.path)
        raise SchemeError(exc.message, source=source, line=exc.line, path=path) from None
    if data is None:
        raise SchemeError("the file is empty", source=source)
    return _Reader(source, lines, reserved_keys).scheme(data)


def parse_scheme_data(
    data: Mapping[str, Any], source: str = "<stored scheme>", reserved_keys: ReservedKeys = None
) -> Scheme:
    """Validate a scheme given as plain data (the shape of :meth:`Scheme.to_dict`)."""
    return _Reader(source, None, reserved_keys).scheme(data)


def _reserved_table(reserved: ReservedKeys) -> dict[str, str | None]:
    if reserved is None:
        reserved = shipped_reserved_keys()
    if isinstance(reserved, str):
        reserved = (reserved,)
    if isinstance(reserved, Mapping):
        return {normalize_key(k): str(v) for k, v in reserved.items()}
    return {normalize_key(k): None for k in reserved}


class _Reader(FieldReader):
    """Validates one scheme, failing at the first problem with its place."""

    def __init__(self, source: str, lines: LineMap | None, reserved: ReservedKeys) -> None:
        super().__init__(lines, _FIELDS)
        self.source = source
        self.reserved = _reserved_table(reserved)

    def error(self, message: str, line: int | None, path: Path) -> SchemeError:
        return SchemeError(message, source=self.source, line=line, path=path_text(path))

    def scheme(self, data: Any) -> Scheme:
        top = self.fields(data, (), "scheme")
        name = self.text(top, (), "name", owner="scheme")
        version = self.version(top)
        if not top.get("behaviours") and not top.get("scales") and not top.get("qsorts"):
            self.fail((), "a scheme needs at least one behaviour or rating scale")
        subjects = self.subjects(top)
        groups = self.groups(top)
        behaviours = self.behaviours(top, subjects, groups)
        segments = self.segments(top)
        return Scheme(
            name=name,
            version=version,
            description=self.text(top, (), "description"),
            citation=self.text(top, (), "citation"),
            subjects=subjects,
            groups=groups,
            behaviours=behaviours,
            scales=self.scales(top, segments),
            segments=segments,
            contingencies=self.contingencies(top, behaviours),
            qsorts=read_qsorts(self, top),
        )

    def version(self, top: Mapping[str, Any]) -> str:
        value = top.get("version")
        if value is None:
            return "1"
        if isinstance(value, (bool, float)):
            self.fail(("version",), f'write the version in quotes (version: "{value}")')
        if isinstance(value, int):
            return str(value)
        return self.text(top, (), "version", owner="scheme")

    def subjects(self, top: Mapping[str, Any]) -> tuple[Subject, ...]:
        result: list[Any] = []
        seen: dict[str, tuple[str | int, ...]] = {}
        for i, raw in enumerate(self.items(top, (), "subjects", "subject")):
            path = ("subjects", i)
            item = self.fields(raw, path, "subject")
            code = self.code(item, path, "subject", seen)
            result.append(
                Subject(code, self.name(item, path, code), self.text(item, path, "description"))
            )
        return tuple(result)

    def groups(self, top: Mapping[str, Any]) -> tuple[Group, ...]:
        result: list[Any] = []
        seen: dict[str, tuple[str | int, ...]] = {}
        for i, raw in enumerate(self.items(top, (), "groups", "group")):
            path = ("groups", i)
            item = self.fields(raw, path, "group")
            code = self.code(item, path, "group", seen)
            exclusive = item.get("exclusive", False)
            if not isinstance(exclusive, bool):
                self.fail(
                    (*path, "exclusive"), f"expected true or false, got {describe(exclusive)}"
                )
            result.append(Group(code, self.name(item, path, code), exclusive))
        return tuple(result)

    def behaviours(
        self, top: Mapping[str, Any], subjects: Sequence[Subject], groups: Sequence[Group]
    ) -> tuple[Behaviour, ...]:
        result: list[Behaviour] = []
        seen: dict[str, Path] = {}
        keys: dict[str, tuple[Path, str]] = {}
        for i, raw in enumerate(self.items(top, (), "behaviours", "behaviour")):
            path: Path = ("behaviours", i)
            item = self.fields(raw, path, "behaviour")
            code = self.code(item, path, "behaviour", seen)
            key = self.key(item, path)
            first = keys.setdefault(normalize_key(key), (path, code))
            if first[0] != path:
                used_by = f"{path_text(first[0])} {first[1]!r}"
                self.fail((*path, "key"), f"{key!r} is already used by {used_by}")
            kind = cast(BehaviourKind, self.choice(item, path, "kind", BEHAVIOUR_KINDS))
            result.append(
                Behaviour(
                    code=code,
                    name=self.name(item, path, code),
                    kind=kind,
                    subject=self.reference(item, path, "subject", [s.code for s in subjects]),
                    key=key,
                    group=self.reference(item, path, "group", [g.code for g in groups]) or None,
                    colour=self.colour(item, path, PALETTE[i % len(PALETTE)]),
                    description=self.text(item, path, "description"),
                    **self.modifiers(item, path, kind),
                )
            )
        return tuple(result)

    def key(self, item: Mapping[str, Any], path: Path) -> str:
        where = (*path, "key")
        raw = item.get("key")
        if isinstance(raw, int) and not isinstance(raw, bool):
            if not 0 <= raw <= 9:
                self.fail(where, "expected one character, got a number")
            raw = str(raw)  # key: 5 reads as a number
        if raw is None:
            self.fail(where, "missing (every behaviour needs a key: one letter)")
        if not isinstance(raw, str):
            self.fail(where, f"expected one character, got {describe(raw)}")
        key = raw.strip() or ("Space" if raw else "")
        if not key:
            self.fail(where, "must not be empty")
        if key in DIGIT_KEYS:
            self.fail(where, f"{key!r} is kept for ratings (digits rate the selected scale)")
        try:
            normal = normalize_key(key)
        except ValueError as exc:
            self.fail(where, f"{key!r} is not a key ({exc})")
        if normal in self.reserved:
            meaning = self.reserved[normal]
            owner = f'the player\'s "{meaning}" key' if meaning else "one of the player's keys"
            self.fail(where, f"{key!r} is {owner}")
        if len(key) != 1:
            self.fail(
                where,
                f"{key!r} is not one character: a behaviour's key is one letter or sign "
                "(an upper-case letter means Shift+letter)",
            )
        if not is_keyboard_character(key):
            self.fail(
                where,
                f"U+{ord(key):04X} ({unicodedata.name(key, 'no name')}) is not a key on a "
                "keyboard: use a letter, a digit-free sign such as ; or /, or Space",
            )
        return key

    def reference(
        self, item: Mapping[str, Any], path: Path, name: str, known: Sequence[str]
    ) -> str:
        """A subject or group code that must be defined ("" when absent and allowed)."""
        value = self.text(item, path, name)
        if not value:
            if name == "subject" and known:
                self.fail((*path, name), f"missing (subjects: {', '.join(known)})")
            return ""
        if value not in known:
            listed = f"; {name}s: {', '.join(known)}" if known else f"; the scheme has no {name}s"
            self.fail((*path, name), f"unknown {name} {value!r}{suggest(value, known) or listed}")
        return value

    def colour(self, item: Mapping[str, Any], path: Path, default: str) -> str:
        if "colour" in item and item["colour"] is None:
            self.fail(
                (*path, "colour"),
                'empty: write the colour in quotes, e.g. "#d62728" (unquoted, # starts a comment)',
            )
        colour = self.text(item, path, "colour", default=default)
        if not _COLOUR.fullmatch(colour):
            self.fail((*path, "colour"), f'{colour!r} is not a colour of the form "#rrggbb"')
        return colour.lower()

    def modifiers(self, item: Mapping[str, Any], path: Path, kind: str) -> dict[str, Any]:
        """A behaviour's modifier fields: a list of names, or a block with ``values`` and
        optional ``keys``, ``required`` and ``when``."""
        where = (*path, "modifiers")
        raw = item.get("modifiers")
        if not isinstance(raw, Mapping):
            return {"modifiers": self.modifier_names(item, path)}
        block = self.fields(raw, where, "modifiers")
        names = self.modifier_names(block, where, "values")
        if not names:
            self.fail(
                (*where, "values"), "missing: list the modifiers, e.g. values: [mild, strong]"
            )
        keys = self.modifier_keys(block, where, names)
        required = block.get("required", False)
        if not isinstance(required, bool):
            self.fail((*where, "required"), f"expected true or false, got {describe(required)}")
        when = self.choice(block, where, "when", MODIFIER_TIMES) if "when" in block else "start"
        if when != "start" and kind != "state":
            self.fail((*where, "when"), "only a state is asked for its modifier as it stops")
        return {
            "modifiers": names,
            "modifier_keys": keys,
            "modifier_required": required,
            "modifier_when": cast(ModifierTime, when),
        }

    def modifier_names(
        self, item: Mapping[str, Any], path: Path, name: str = "modifiers"
    ) -> tuple[str, ...]:
        result: list[str] = []
        for i, value in enumerate(self.items(item, path, name, "modifier")):
            where = (*path, name, i)
            if not isinstance(value, str) or not value.strip():
                self.fail(where, f"expected a modifier's name, got {describe(value)}")
            if (bad := control_character(value)) is not None:
                self.fail(where, f"contains the control character {bad}; remove it")
            if value.strip() in result:
                self.fail(where, f"{value.strip()!r} is listed twice")
            result.append(value.strip())
        if len(result) > MAX_DIGIT_MODIFIERS and "keys" not in item:
            self.fail(
                (*path, name),
                f"{len(result)} modifiers are more than the digits 1–9 can choose: "
                "give each its key (keys: [...])",
            )
        return tuple(result)

    def modifier_keys(
        self, block: Mapping[str, Any], path: Path, names: Sequence[str]
    ) -> tuple[str, ...]:
        """One keyboard character per modifier, each different (absent: the digits)."""
        keys: list[str] = []
        raw = self.items(block, path, "keys", "key")
        if raw and len(raw) != len(names):
            self.fail(
                (*path, "keys"), f"expected one key per modifier ({len(names)}), got {len(raw)}"
            )
        for i, value in enumerate(raw):
            where = (*path, "keys", i)
            key = str(value) if isinstance(value, int) and not isinstance(value, bool) else value
            if not isinstance(key, str) or len(key.strip()) != 1:
                self.fail(where, f"expected one character, got {describe(value)}")
            key = key.strip()
            if not is_keyboard_character(key):
                self.fail(where, f"U+{ord(key):04X} is not a key on a keyboard")
            if key in keys:
                self.fail(where, f"{key!r} already chooses {names[keys.index(key)]!r}")
            keys.append(key)
        return tuple(keys)

    def segments(self, top: Mapping[str, Any]) -> SegmentRules:
        if top.get("segments") is None:
            return SegmentRules()
        block = self.fields(top["segments"], ("segments",), "segments")
        episodes: list[EpisodeDef] = []
        seen: dict[str, tuple[str | int, ...]] = {}
        for i, raw in enumerate(self.items(block, ("segments",), "episodes", "episode")):
            path: Path = ("segments", "episodes", i)
            item = self.fields(raw, path, "episode")
            code = self.code(item, path, "episode", seen)
            if code in SEGMENT_WORDS or _INTERVAL_CODE.fullmatch(code):
                self.fail((*path, "code"), f"{code!r} names a built-in segment; choose another")
            episodes.append(
                EpisodeDef(
                    code,
                    self.name(item, path, code),
                    self.number(item, path, "nominal_s", positive=True),
                    self.text(item, path, "description"),
                )
            )
        interval = self.number(
            block, ("segments",), "interval_s", positive=True, floor=MIN_INTERVAL_S
        )
        return SegmentRules(interval, tuple(episodes))

    def scales(self, top: Mapping[str, Any], segments: SegmentRules) -> tuple[Scale, ...]:
        """Rated scales first, then computed ones (whose components may come later)."""
        result: list[Any] = []
        computed: list[tuple[int, Path, Mapping[str, Any], str]] = []
        seen: dict[str, tuple[str | int, ...]] = {}
        for i, raw in enumerate(self.items(top, (), "scales", "scale")):
            path: Path = ("scales", i)
            item = self.fields(raw, path, "scale")
            code = self.code(item, path, "scale", seen)
            if "of" in item or "compute" in item:
                computed.append((len(result), path, item, code))
                result.append(None)
                continue
            low = self.need_number(item, path, "min", "scale")
            high = self.need_number(item, path, "max", "scale")
            step = self.number(item, path, "step", positive=True, floor=MIN_STEP) or 1
            if low >= high:
                self.fail((*path, "max"), f"must be greater than min ({low}), got {high}")
            if (high - low) / step > MAX_SCALE_STEPS:
                self.fail(
                    (*path, "step"),
                    f"gives more than {MAX_SCALE_STEPS:,} values from {low} to {high}; "
                    "use a larger step",
                )
            scale = Scale(
                code=code,
                name=self.name(item, path, code),
                min=low,
                max=high,
                step=step,
                kind=cast(ScaleKind, self.choice(item, path, "kind", SCALE_KINDS)),
                rated_on=self.rated_on(item, path, segments),
                description=self.text(item, path, "description"),
            )
            if not scale.accepts(high):
                self.fail((*path, "max"), f"{high} is not a whole number of steps from min ({low})")
            result.append(replace(scale, anchors=self.anchors(item, path, scale)))
        declared = {s.code: s for s in result if s is not None}
        for index, path, item, code in computed:
            kind = self.choice(item, path, "kind", SCALE_KINDS)
            rated_on = self.rated_on(item, path, segments)
            others = [c for _, _, _, c in computed]
            scale = computed_scale(self, item, path, code, declared, rated_on, kind, others)
            result[index] = replace(scale, anchors=self.anchors(item, path, scale))
        return tuple(result)

    def anchors(self, item: Mapping[str, Any], path: Path, scale: Scale) -> dict[Any, str]:
        where = (*path, "anchors")
        raw = item.get("anchors") or {}
        if not isinstance(raw, Mapping):
            self.fail(
                where, f"expected value: text pairs (9: Highly sensitive), got {describe(raw)}"
            )
        anchors: dict[Any, str] = {}
        for point, label in raw.items():
            at = (*where, str(point))
            value = _anchor_point(point)
            if value is None:
                self.fail(
                    at, f"an anchor's point must be a number, got {describe(point)}", at_key=True
                )
            if not scale.min <= value <= scale.max:
                self.fail(
                    at, f"{value} is outside the scale ({scale.min}–{scale.max})", at_key=True
                )
            if not scale.accepts(value):
                self.fail(
                    at, f"{value} is not on a step of {scale.step} from {scale.min}", at_key=True
                )
            if not isinstance(label, str) or not label.strip():
                self.fail(at, f"expected the anchor's text, got {describe(label)}")
            if (bad := control_character(label, allow_lines=True)) is not None:
                self.fail(at, f"contains the control character {bad}; remove it")
            anchors[value] = label.strip()
        if scale.kind == "nominal":
            count = round((scale.max - scale.min) / scale.step) + 1
            if count > MAX_NOMINAL_VALUES:
                self.fail(where, f"a nominal scale can have at most {MAX_NOMINAL_VALUES} values")
            for n in range(count):
                value = plain_number(scale.min + n * scale.step)
                if not any(math.isclose(value, p, abs_tol=1e-9) for p in anchors):
                    self.fail(where, f"a nominal scale labels every value; {value} has no label")
        return dict(sorted(anchors.items()))

    def rated_on(
        self, item: Mapping[str, Any], path: Path, segments: SegmentRules
    ) -> tuple[str, ...]:
        where = (*path, "rated_on")
        raw = item.get("rated_on", "session")
        values = [raw] if isinstance(raw, str) else raw
        known = (*SEGMENT_WORDS, *(e.code for e in segments.episodes))
        if not isinstance(values, (list, tuple)) or not values:
            self.fail(where, f"expected one of {', '.join(known)} or a list, got {describe(raw)}")
        result: list[str] = []
        for i, value in enumerate(values):
            at = where if isinstance(raw, str) else (*where, i)
            if not isinstance(value, str) or value not in known:
                hint = suggest(str(value), known) or f"; use one of {', '.join(known)}"
                self.fail(at, f"unknown segment {value!r}{hint}")
            if value == "intervals" and not segments.interval_s:
                self.fail(at, "rated on intervals, but segments.interval_s is not set")
            if value == "episodes" and not segments.episodes:
                self.fail(at, "rated on episodes, but segments.episodes lists none")
            if value in result:
                self.fail(at, f"{value!r} is listed twice")
            result.append(value)
        return tuple(result)

    def contingencies(
        self, top: Mapping[str, Any], behaviours: Sequence[Behaviour]
    ) -> tuple[Contingency, ...]:
        codes = [b.code for b in behaviours]
        result: list[Any] = []
        seen: dict[str, tuple[str | int, ...]] = {}
        for i, raw in enumerate(self.items(top, (), "contingencies", "contingency")):
            path: Path = ("contingencies", i)
            item = self.fields(raw, path, "contingency")
            code = self.code(item, path, "contingency", seen)
            result.append(
                Contingency(
                    code=code,
                    name=self.name(item, path, code),
                    given=self.codes(item, path, "given", codes, "behaviour"),
                    target=self.codes(item, path, "target", codes, "behaviour"),
                    window_s=self.need_number(
                        item, path, "window_s", "contingency", positive=True, floor=MIN_WINDOW_S
                    ),
                    description=self.text(item, path, "description"),
                )
            )
        return tuple(result)


def _anchor_point(point: Any) -> int | float | None:
    """An anchor's point from a YAML number or a JSON text key; None if it is not a number."""
    if isinstance(point, bool):
        return None
    if isinstance(point, str):
        try:
            point = float(point)
        except ValueError:
            return None
    if not isinstance(point, (int, float)) or not math.isfinite(point):
        return None
    return plain_number(point)
