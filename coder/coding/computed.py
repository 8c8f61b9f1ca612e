"""Computed scales kept up to date: a rating of a component brings its computed scales along.

A computed scale (``of: [...]`` in the scheme) holds the sum or mean of its components in each
segment where every component is rated, and no rating where one is missing. Its value is never
typed: :func:`computed_ops` plans the writes that follow a change of components, so they are
committed in the same transaction and undone in the same step.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from coder.coding.changes import PutRating
from coder.coding.segments import SESSION
from coder.model import Rating
from coder.scheme import Scale, Scheme

Ratings = Mapping[tuple[str, str], Rating]


def rated_in(scale: Scale, segment: str) -> bool:
    """Whether ``scale`` is rated on the segment with code ``segment``."""
    if segment == SESSION:
        return SESSION in scale.rated_on
    if segment.startswith("interval_") and segment[len("interval_") :].isdigit():
        return "intervals" in scale.rated_on
    return segment in scale.rated_on or "episodes" in scale.rated_on


def computed_rating(scale: Scale, segment: str, ratings: Ratings) -> Rating | None:
    """``scale``'s value in ``segment`` from the components in ``ratings`` (None: one is
    missing). The comment of the stored rating, if any, is kept."""
    values = [ratings.get((code, segment)) for code in scale.of]
    if any(v is None for v in values):
        return None
    stored = ratings.get((scale.code, segment))
    value = scale.computed_value([v.value for v in values if v is not None])
    return Rating(scale.code, segment, value, stored.comment if stored else "")


def computed_ops(scheme: Scheme, ratings: Ratings, changes: Iterable[PutRating]) -> list[PutRating]:
    """The writes that bring every computed scale up to date after ``changes`` (not yet
    applied) to ``ratings``."""
    after = dict(ratings)
    touched: list[tuple[str, str]] = []
    for op in changes:
        key = op.key
        if op.after is None:
            after.pop(key, None)
        else:
            after[key] = op.after
        touched.append(key)
    ops: list[PutRating] = []
    done: set[tuple[str, str]] = set()
    for component, segment in touched:
        for scale in scheme.computed_from(component):
            key = (scale.code, segment)
            if key in done or not rated_in(scale, segment):
                continue
            done.add(key)
            before = after.get(key)
            new = computed_rating(scale, segment, after)
            if new != before:
                ops.append(PutRating(before, new))
    return ops


def computed_name(scheme: Scheme, scale: Scale) -> str:
    """``the sum of A, B and C`` in the coder's words."""
    names = [scheme.name_of(code) for code in scale.of]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}"
    return f"the {'mean' if scale.compute == 'mean' else 'sum'} of {listed}"
