"""Reading the parts of a scheme that whole instruments need: computed scales and Q-sorts.

Both read with a :class:`~coder.scheme.yaml_source.FieldReader`, so a problem fails with the
file, the line and the field path like every other scheme error (``schemes/README.md``).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from fractions import Fraction
from typing import Any, cast

from coder.scheme.model import Compute, Criterion, QItem, QSort, Scale, ScaleKind
from coder.scheme.yaml_source import (
    CODE_PATTERN,
    FieldReader,
    Path,
    describe,
    path_text,
    plain_number,
    suggest,
)

COMPUTE_RULES = ("sum", "mean")
MIN_PILES = 3
"""A Q-sort has at least the three rough piles of the first step."""
MAX_PILES = 9
"""…and at most nine piles, one per digit key."""
MAX_ITEMS = 200
"""The most items a Q-sort may have (the published ones have 90 or 100)."""
SHOWN = 5
"""How many missing items an error names."""


def computed_scale(
    reader: FieldReader,
    item: Mapping[str, Any],
    path: Path,
    code: str,
    declared: Mapping[str, Scale],
    rated_on: tuple[str, ...],
    kind: str,
    computed: Collection[str] = (),
) -> Scale:
    """A scale whose value is the sum or mean of the scales in ``of``.

    ``declared`` holds the scheme's rated scales by code, ``computed`` the codes of its computed
    ones. The range and step follow from the components; ``min``, ``max`` and ``step``, when
    given, must agree with them."""
    where = (*path, "of")
    if "of" not in item:
        reader.fail(where, "missing: list the component scales, e.g. of: [sens_a, sens_b]")
    rule = cast(Compute, reader.choice(item, path, "compute", COMPUTE_RULES))
    raw = item["of"]
    if not isinstance(raw, (list, tuple)) or len(raw) < 2:
        got = f"{len(raw)} scale" if isinstance(raw, (list, tuple)) else describe(raw)
        reader.fail(where, f"expected a list of two or more scale codes, got {got}")
    components: list[Scale] = []
    for i, name in enumerate(raw):
        at = (*where, i)
        if not isinstance(name, str) or name not in declared or name == code:
            if name == code:
                reader.fail(at, f"{code!r} cannot be a component of itself")
            if name in computed:
                reader.fail(at, f"{name!r} is computed itself; list its components instead")
            hint = suggest(str(name), declared) if isinstance(name, str) else ""
            hint = hint or "; the components are scales of this scheme"
            reader.fail(at, f"unknown scale {name!r}{hint}")
        component = declared[name]
        if component.kind == "nominal":
            reader.fail(at, f"{name!r} is nominal (categories cannot be added up)")
        if component in components:
            reader.fail(at, f"{name!r} is listed twice")
        components.append(component)
    if kind == "nominal":
        reader.fail((*path, "kind"), "a computed scale cannot be nominal")
    for i, segment in enumerate(rated_on):
        for component in components:
            if not _covers(component.rated_on, segment):
                listed = isinstance(item.get("rated_on"), (list, tuple))
                at = (*path, "rated_on", i) if listed else (*path, "rated_on")
                reader.fail(
                    at,
                    f"{segment!r} is not where {component.code!r} is rated "
                    f"({', '.join(component.rated_on)}), so the value cannot be computed there",
                )
    low, high, step = _derived_range(rule, components)
    for name, value in (("min", low), ("max", high), ("step", step)):
        given = reader.number(item, path, name, positive=name == "step")
        if given is not None and not math.isclose(given, value, rel_tol=1e-9, abs_tol=1e-12):
            word = "mean" if rule == "mean" else "sum"
            reader.fail(
                (*path, name),
                f"the {word} of the components gives {plain_number(value):g}; "
                f"leave {name} out or write {plain_number(value):g}",
            )
    return Scale(
        code=code,
        name=reader.name(item, path, code),
        min=plain_number(low),
        max=plain_number(high),
        step=plain_number(step),
        kind=cast(ScaleKind, kind),
        rated_on=rated_on,
        description=reader.text(item, path, "description"),
        compute=rule,
        of=tuple(c.code for c in components),
    )


def _covers(rated_on: Sequence[str], segment: str) -> bool:
    """Whether a scale rated on ``rated_on`` is rated on ``segment`` (a word or an episode)."""
    if segment in rated_on:
        return True
    return segment not in ("session", "intervals", "episodes") and "episodes" in rated_on


def _derived_range(rule: str, components: Sequence[Scale]) -> tuple[float, float, float]:
    """The lowest and highest value and the step of the sum (or mean) of ``components``."""
    steps = [Fraction(str(plain_number(c.step))).limit_denominator(10**6) for c in components]
    common = steps[0]
    for step in steps[1:]:
        common = Fraction(
            math.gcd(common.numerator * step.denominator, step.numerator * common.denominator),
            common.denominator * step.denominator,
        )
    low = math.fsum(c.min for c in components)
    high = math.fsum(c.max for c in components)
    if rule == "mean":
        n = len(components)
        return low / n, high / n, float(common / n)
    return low, high, float(common)


def read_qsorts(reader: FieldReader, top: Mapping[str, Any]) -> tuple[QSort, ...]:
    """The scheme's ``qsorts``: each with items, piles, distribution and criterion sorts."""
    result: list[QSort] = []
    seen: dict[str, Path] = {}
    for i, raw in enumerate(reader.items(top, (), "qsorts", "Q-sort")):
        path: Path = ("qsorts", i)
        block = reader.fields(raw, path, "qsort")
        code = reader.code(block, path, "Q-sort", seen)
        piles = reader.need_number(block, path, "piles", "Q-sort")
        if not isinstance(piles, int) or not MIN_PILES <= piles <= MAX_PILES:
            reader.fail(
                (*path, "piles"),
                f"must be a whole number from {MIN_PILES} to {MAX_PILES}, got {piles:g}",
            )
        items = _items(reader, block, path)
        result.append(
            QSort(
                code=code,
                name=reader.name(block, path, code),
                piles=piles,
                distribution=_distribution(reader, block, path, piles, len(items)),
                items=items,
                criteria=_criteria(reader, block, path, piles, items),
                description=reader.text(block, path, "description"),
            )
        )
    return tuple(result)


def _items(reader: FieldReader, block: Mapping[str, Any], path: Path) -> tuple[QItem, ...]:
    """Items as ids (``q1``) or ``{id, text}``; ids are codes, each given once."""
    raw = reader.items(block, path, "items", "item")
    if not raw:
        reader.fail((*path, "items"), "missing: list the items, e.g. [{id: q1, text: ...}]")
    if len(raw) > MAX_ITEMS:
        reader.fail((*path, "items"), f"{len(raw)} items are more than {MAX_ITEMS}")
    result: list[QItem] = []
    seen: dict[str, Path] = {}
    for i, value in enumerate(raw):
        at: Path = (*path, "items", i)
        if isinstance(value, str):
            item_id, text, where = value.strip(), "", at
        else:
            fields = reader.fields(value, at, "qitem")
            item_id = reader.text(fields, at, "id", owner="Q-sort item")
            text = reader.text(fields, at, "text")
            where = (*at, "id")
        if isinstance(value, Mapping) and isinstance(value.get("id"), int):
            reader.fail(where, "write the id as a code that starts with a letter, e.g. q12")
        if not CODE_PATTERN.fullmatch(item_id):
            reader.fail(
                where,
                f"{item_id!r} is not a valid item id: start with a letter, then use only "
                "letters, digits and _ (e.g. q12)",
            )
        first = seen.setdefault(item_id.casefold(), at)
        if first != at:
            reader.fail(where, f"{item_id!r} is already used by {path_text(first)}")
        result.append(QItem(item_id, text))
    return tuple(result)


def _distribution(
    reader: FieldReader, block: Mapping[str, Any], path: Path, piles: int, count: int
) -> tuple[int, ...]:
    """Items per pile, from ``distribution: [...]`` or ``per_pile: n``; adds up to ``count``."""
    if "distribution" in block and "per_pile" in block:
        reader.fail((*path, "per_pile"), "give distribution or per_pile, not both")
    if "per_pile" in block:
        each = reader.need_number(block, path, "per_pile", "Q-sort", positive=True)
        if not isinstance(each, int):
            reader.fail((*path, "per_pile"), f"must be a whole number, got {each:g}")
        if each * piles != count:
            reader.fail(
                (*path, "per_pile"),
                f"{piles} piles of {each} hold {each * piles} items, but the Q-sort has {count}",
            )
        return (each,) * piles
    where = (*path, "distribution")
    raw = block.get("distribution")
    if raw is None:
        reader.fail(where, "missing: give the items per pile, e.g. per_pile: 10 or [1, 2, ...]")
    if not isinstance(raw, (list, tuple)) or len(raw) != piles:
        got = f"{len(raw)} numbers" if isinstance(raw, (list, tuple)) else describe(raw)
        reader.fail(where, f"expected one number per pile ({piles}), got {got}")
    for i, value in enumerate(raw):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            got = describe(value)
            reader.fail((*where, i), f"expected a whole number of items (1 or more), got {got}")
    total = sum(raw)
    if total != count:
        reader.fail(where, f"adds up to {total} items, but the Q-sort has {count} items")
    return tuple(raw)


def _criteria(
    reader: FieldReader,
    block: Mapping[str, Any],
    path: Path,
    piles: int,
    items: Sequence[QItem],
) -> tuple[Criterion, ...]:
    """Criterion sorts: every item's pile (1..piles, fractions allowed), no other ids."""
    ids = [item.id for item in items]
    result: list[Criterion] = []
    seen: dict[str, Path] = {}
    for i, raw in enumerate(reader.items(block, path, "criteria", "criterion sort")):
        at: Path = (*path, "criteria", i)
        fields = reader.fields(raw, at, "criterion")
        code = reader.code(fields, at, "criterion sort", seen)
        where = (*at, "sort")
        sort = fields.get("sort")
        if not isinstance(sort, Mapping) or not sort:
            got = describe(sort)
            reader.fail(where, f"expected item: pile pairs (q1: 7, q2: 3, ...), got {got}")
        placed: dict[str, float] = {}
        for key, value in sort.items():
            spot = (*where, str(key))
            if not isinstance(key, str) or key not in ids:
                hint = suggest(str(key), ids) or "; it is not an item of this Q-sort"
                reader.fail(spot, f"unknown item {key!r}{hint}", at_key=True)
            number = reader.number(sort, where, key)
            if number is None or not 1 <= number <= piles:
                reader.fail(spot, f"expected a pile from 1 to {piles}, got {describe(value)}")
            placed[key] = number
        if missing := [i for i in ids if i not in placed]:
            listed = ", ".join(missing[:SHOWN]) + (
                f" and {len(missing) - SHOWN} more" if len(missing) > SHOWN else ""
            )
            verb = "have" if len(missing) > 1 else "has"
            reader.fail(where, f"{listed} {verb} no pile (a criterion sort places every item)")
        result.append(
            Criterion(
                code,
                reader.name(fields, at, code),
                {i: placed[i] for i in ids},
                reader.text(fields, at, "description"),
            )
        )
    return tuple(result)
