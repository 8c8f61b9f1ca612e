"""Per-behaviour summary figures of one coding pass over spans of observed time.

A :class:`Span` is a stretch of one observation (the whole session, a fixed interval or a marked
episode). :func:`summarise` gives, per behaviour, the figures analysts report: frequency, total
and mean duration, proportion of time, rate per minute and latency to the first onset.

Rules (the same in every table built on these figures):

- A state is on from its onset up to, not including, its offset. A state still open (no offset)
  counts up to the end of the media, and is flagged (``open``).
- A state that crosses a span boundary is split by time: only the part inside the span counts
  towards ``total_us`` and its bouts, so the totals of adjacent intervals add up to the session.
- ``count`` is the number of onsets inside the span (so counts of intervals add up too);
  ``bouts`` is the number of (clipped) pieces of states inside it, over which mean and SD of the
  duration are taken (SD with n − 1, as SPSS and R compute it; none below two bouts).
- ``latency_us`` is the time from the span's start to the first onset inside it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from coder.coding.segments import SESSION, interval_segments
from coder.model import Episode, Event
from coder.scheme import Behaviour, Scheme


class AnalysisError(ValueError):
    """Figures that cannot be computed from the given records; the message says why."""


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch ``[start_us, end_us)`` of one observation's time (µs).

    ``kind`` is ``"session"``, ``"interval"`` or ``"episode"``; ``open`` marks an episode that
    was still running, counted to the end of the media.
    """

    code: str
    label: str
    kind: str
    start_us: int
    end_us: int
    open: bool = False

    @property
    def length_us(self) -> int:
        return self.end_us - self.start_us


@dataclass(frozen=True, slots=True)
class BehaviourSummary:
    """The figures of one behaviour in one span (times in µs; ``None`` where undefined)."""

    behaviour: str
    kind: str
    span: Span
    count: int
    bouts: int
    total_us: int | None
    mean_us: float | None
    sd_us: float | None
    proportion: float | None
    rate_per_min: float
    latency_us: int | None
    open: int
    split: int


def pass_spans(
    scheme: Scheme, start_us: int, end_us: int, episodes: Iterable[Episode] = ()
) -> list[Span]:
    """The session, then the scheme's fixed intervals, then the pass's marked episodes.

    Intervals follow :func:`coder.coding.segments.interval_segments` (the last may be shorter);
    an episode still running ends at ``end_us`` and is flagged ``open``.
    """
    if end_us <= start_us:
        raise AnalysisError(f"the observed time must end after it starts ({start_us}–{end_us} µs)")
    spans = [Span(SESSION, "Whole session", "session", start_us, end_us)]
    if scheme.segments.interval_s:
        for segment in interval_segments(scheme.segments.interval_s, end_us):
            if segment.end_us is not None and segment.end_us > start_us:
                begin = max(segment.start_us, start_us)
                spans.append(Span(segment.code, segment.label, "interval", begin, segment.end_us))
    names = {d.code: d.name for d in scheme.segments.episodes}
    for episode in sorted(episodes, key=lambda e: e.start.us):
        stop = episode.end.us if episode.end is not None else end_us
        begin, stop = max(episode.start.us, start_us), min(stop, end_us)
        if stop > begin:
            label = names.get(episode.code, episode.code)
            spans.append(Span(episode.code, label, "episode", begin, stop, episode.end is None))
    return spans


def summarise(
    events: Iterable[Event], behaviours: Sequence[Behaviour], span: Span, media_end_us: int
) -> list[BehaviourSummary]:
    """One :class:`BehaviourSummary` per behaviour of ``behaviours``, in that order.

    ``media_end_us`` is where open states end. Events of behaviours not listed are ignored.
    """
    by_code: dict[str, list[Event]] = {b.code: [] for b in behaviours}
    for event in events:
        if event.behaviour in by_code:
            by_code[event.behaviour].append(event)
    return [_one(b, by_code[b.code], span, media_end_us) for b in behaviours]


def _one(behaviour: Behaviour, events: list[Event], span: Span, end_us: int) -> BehaviourSummary:
    minutes = span.length_us / 60e6
    onsets = sorted(e.onset.us for e in events if span.start_us <= e.onset.us < span.end_us)
    latency = onsets[0] - span.start_us if onsets else None
    rate = len(onsets) / minutes if minutes > 0 else math.nan
    if not behaviour.is_state:
        return BehaviourSummary(
            behaviour.code, behaviour.kind, span, len(onsets), 0, None, None, None, None,
            rate, latency, 0, 0,
        )  # fmt: skip
    pieces: list[int] = []
    open_count = split = 0
    for event in events:
        stop = event.offset.us if event.offset is not None else end_us
        begin, finish = max(event.onset.us, span.start_us), min(stop, span.end_us)
        if finish <= begin:
            continue
        pieces.append(finish - begin)
        open_count += event.offset is None
        split += begin != event.onset.us or finish != stop
    total = sum(pieces)
    mean = total / len(pieces) if pieces else None
    sd = None
    if len(pieces) > 1 and mean is not None:
        sd = math.sqrt(sum((p - mean) ** 2 for p in pieces) / (len(pieces) - 1))
    proportion = total / span.length_us if span.length_us > 0 else None
    return BehaviourSummary(
        behaviour.code, behaviour.kind, span, len(onsets), len(pieces), total, mean, sd,
        proportion, rate, latency, open_count, split,
    )  # fmt: skip
