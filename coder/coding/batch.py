"""Many records applied to a pass at once (an import, a merge), checked by the rules every
single command obeys.

:func:`plan_batch` checks a :class:`Batch` against the scheme, the video and what the pass
already holds — and against itself — and returns the ops that apply it, or raises
:class:`BatchError` listing every problem with the item it concerns. A
:class:`~coder.coding.session.Session` commits those ops in one transaction as one undo step.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from coder.coding.changes import Op, PutEpisode, PutEvent, PutRating
from coder.coding.computed import computed_ops, computed_rating
from coder.coding.errors import SessionError
from coder.coding.event_index import EventIndex
from coder.coding.rules import episode_clash, state_clash
from coder.coding.segments import rating_segments
from coder.model import Episode, Event, Rating, Stamp
from coder.scheme import Scale, Scheme
from coder.timebase import TimeBase

#: How many problems a refusal names in its message (all are in :attr:`BatchError.problems`).
SHOWN_PROBLEMS = 20


@dataclass(frozen=True, slots=True)
class Batch:
    """New events (without ids), ratings and episodes for one pass.

    A stamp's µs may be any instant during its frame (an imported time kept exactly); the
    frame is what the rules check. An event's empty ``subject`` is its behaviour's subject.
    """

    events: Sequence[Event] = ()
    ratings: Sequence[Rating] = ()
    episodes: Sequence[Episode] = ()

    def __len__(self) -> int:
        return len(self.events) + len(self.ratings) + len(self.episodes)


class BatchError(SessionError):
    """A batch refused whole; :attr:`problems` lists every reason, each naming its item."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        shown = "; ".join(self.problems[:SHOWN_PROBLEMS])
        more = len(self.problems) - SHOWN_PROBLEMS
        tail = f"; and {more} more" if more > 0 else ""
        count = len(self.problems)
        super().__init__(
            f"the batch is refused ({count} problem{'s' * (count != 1)}): {shown}{tail}"
        )


def plan_batch(
    scheme: Scheme,
    timebase: TimeBase,
    events: EventIndex,
    ratings: Mapping[tuple[str, str], Rating],
    episodes: Mapping[str, Episode],
    batch: Batch,
) -> list[Op]:
    """The ops that apply ``batch`` to a pass holding ``events``, ``ratings``, ``episodes``."""
    problems: list[str] = []
    ops: list[Op] = []
    ops.extend(_episode_ops(scheme, timebase, episodes, batch.episodes, problems))
    ops.extend(_event_ops(scheme, timebase, events, batch.events, problems))
    rating_ops = _rating_ops(scheme, timebase, ratings, episodes, batch.ratings, problems)
    ops.extend(rating_ops)
    puts = [op for op in rating_ops if isinstance(op, PutRating)]
    ops.extend(_computed_ops(scheme, ratings, puts, batch.ratings, problems))
    if problems:
        raise BatchError(problems)
    return ops


def _stamp_problem(timebase: TimeBase, stamp: Stamp, what: str, may_end: bool) -> str | None:
    """Why ``stamp`` is not an instant of the video (its µs outside its frame's time)."""
    count = timebase.frame_count
    if stamp.frame == count and may_end:
        if stamp.us == timebase.duration_us:
            return None
        return f"{what} at the end is {stamp.us} µs, not the end of the media"
    if not 0 <= stamp.frame < count:
        return f"{what} frame {stamp.frame} is outside the video (0..{count - 1})"
    start = timebase.pts_us(stamp.frame)
    end = timebase.pts_us(stamp.frame + 1) if stamp.frame + 1 < count else timebase.duration_us
    if not start <= stamp.us < max(end, start + 1):
        return f"{what} time {stamp.us} µs is not during frame {stamp.frame} ({start}–{end} µs)"
    return None


def _event_ops(
    scheme: Scheme,
    timebase: TimeBase,
    existing: EventIndex,
    new: Sequence[Event],
    problems: list[str],
) -> list[Op]:
    index = EventIndex(existing.ordered())
    ops: list[Op] = []
    refused: dict[int, list[str]] = {}
    for n in sorted(range(len(new)), key=lambda i: (new[i].onset.frame, i)):  # in time order
        event = new[n]
        found = _event_problems(scheme, timebase, index, event)
        if found:
            where = f"event {n + 1} ({event.behaviour} at frame {event.onset.frame})"
            refused[n] = [f"{where}: {p}" for p in found]
            continue
        record = event
        if not event.subject:
            subject = scheme.behaviour(event.behaviour).subject
            record = Event(
                event.behaviour, subject, event.onset, event.offset, event.is_state,
                event.modifiers, event.comment,
            )  # fmt: skip
        if record.is_state:  # points clash with nothing; states: later items must see them
            index.add(record.with_id(-(n + 1)))  # a provisional id
        ops.append(PutEvent(None, record))
    for n in sorted(refused):  # reported in the batch's own order
        problems.extend(refused[n])
    return ops


def _event_problems(
    scheme: Scheme, timebase: TimeBase, index: EventIndex, event: Event
) -> list[str]:
    if event.id is not None:
        return ["a new event has no id yet"]
    if not scheme.has_behaviour(event.behaviour):
        return [f"{event.behaviour!r} is not a behaviour of the scheme {scheme.name!r}"]
    behaviour = scheme.behaviour(event.behaviour)
    found = []
    if behaviour.is_state != event.is_state:
        found.append(f"{event.behaviour} is a {behaviour.kind} event")
    if event.subject and event.subject != behaviour.subject:
        found.append(f"{event.behaviour} belongs to {behaviour.subject}, not {event.subject}")
    for value in event.modifiers:
        if value not in behaviour.modifiers:
            allowed = ", ".join(behaviour.modifiers) or "none"
            found.append(f"{value!r} is not a modifier of {event.behaviour} ({allowed})")
    if len(set(event.modifiers)) != len(event.modifiers):
        found.append("a modifier is given twice")
    onset_problem = _stamp_problem(timebase, event.onset, "the onset", may_end=False)
    if onset_problem:
        found.append(onset_problem)
    offset = event.offset
    if offset is not None:
        if not event.is_state:
            found.append("a point event has no offset")
        elif (offset_problem := _stamp_problem(timebase, offset, "the offset", True)) is not None:
            found.append(offset_problem)
        elif offset.frame <= event.onset.frame:
            found.append(f"the offset (frame {offset.frame}) must come after the onset")
    if not found and event.is_state:
        end = offset.frame if offset is not None else None
        clash = state_clash(scheme, index, event.behaviour, event.onset.frame, end, set())
        if clash is not None:
            found.append(clash)
    return found


def _episode_ops(
    scheme: Scheme,
    timebase: TimeBase,
    existing: Mapping[str, Episode],
    new: Sequence[Episode],
    problems: list[str],
) -> list[Op]:
    known = {e.code for e in scheme.segments.episodes}
    marked = dict(existing)
    ops: list[Op] = []
    for n, episode in enumerate(new):
        where = f"episode {n + 1} ({episode.code})"
        found = []
        if episode.code not in known:
            found.append(f"{episode.code!r} is not an episode of the scheme {scheme.name!r}")
        elif episode.code in marked:
            found.append("it is already marked")
        if (start := _stamp_problem(timebase, episode.start, "the start", False)) is not None:
            found.append(start)
        end = episode.end
        if end is not None:
            if (end_problem := _stamp_problem(timebase, end, "the end", True)) is not None:
                found.append(end_problem)
            elif end.frame <= episode.start.frame:
                found.append("it must end after it starts")
        if not found and (clash := episode_clash(marked.values(), episode)) is not None:
            found.append(clash)
        if found:
            problems.extend(f"{where}: {p}" for p in found)
            continue
        marked[episode.code] = episode
        ops.append(PutEpisode(None, episode))
    return ops


def _on_scale(scale: Scale, value: numbers.Real) -> bool:
    try:
        return scale.accepts(float(value))
    except OverflowError:
        return False


def _rating_ops(
    scheme: Scheme,
    timebase: TimeBase,
    existing: Mapping[tuple[str, str], Rating],
    episodes: Mapping[str, Episode],
    new: Sequence[Rating],
    problems: list[str],
) -> list[Op]:
    seen: set[tuple[str, str]] = set()
    ops: list[Op] = []
    for n, rating in enumerate(new):
        where = f"rating {n + 1} ({rating.scale}, {rating.segment})"
        if not scheme.has_scale(rating.scale):
            problems.append(f"{where}: {rating.scale!r} is not a rating scale of the scheme")
            continue
        scale = scheme.scale(rating.scale)
        segments = [s.code for s in rating_segments(scheme, scale, timebase.duration_us, episodes)]
        value: object = rating.value  # a caller's record may hold anything
        key = (rating.scale, rating.segment)
        if rating.segment not in segments:
            problems.append(f"{where}: {rating.scale} is not rated on {rating.segment!r}")
        elif isinstance(value, bool) or not isinstance(value, numbers.Real):
            problems.append(f"{where}: {value!r} is not a number")
        elif not _on_scale(scale, value):
            span = f"{scale.min:g}–{scale.max:g} in steps of {scale.step:g}"
            problems.append(f"{where}: {float(value):g} is not a value of {rating.scale} ({span})")
        elif key in seen:
            problems.append(f"{where}: given twice")
        elif not scale.is_computed:  # computed ones are checked once the components are in
            seen.add(key)
            after = replace(rating, value=float(value))
            ops.append(PutRating(existing.get(key), after))
    return ops


def _computed_ops(
    scheme: Scheme,
    existing: Mapping[tuple[str, str], Rating],
    rating_ops: Sequence[PutRating],
    new: Sequence[Rating],
    problems: list[str],
) -> list[PutRating]:
    """The computed scales' ratings that follow the batch's components; a computed rating the
    batch gives itself must be what its components make (a pass merged back holds them)."""
    ops = computed_ops(scheme, existing, rating_ops)
    result = dict(existing)
    result.update({op.key: op.after for op in ops if op.after is not None})
    result.update({op.key: op.after for op in rating_ops if op.after is not None})
    for n, rating in enumerate(new):
        if not scheme.has_scale(rating.scale) or not scheme.scale(rating.scale).is_computed:
            continue
        scale = scheme.scale(rating.scale)
        where = f"rating {n + 1} ({rating.scale}, {rating.segment})"
        value: object = rating.value
        if isinstance(value, bool) or not isinstance(value, numbers.Real):
            continue  # refused already as no number
        expected = computed_rating(scale, rating.segment, result)
        if expected is None:
            problems.append(f"{where}: it is computed, but its components are not all rated")
        elif not math.isclose(float(value), expected.value, abs_tol=1e-9):
            word = "mean" if scale.compute == "mean" else "sum"
            problems.append(
                f"{where}: {float(value):g} is not the {word} of its components "
                f"({expected.value:g})"
            )
    return ops
