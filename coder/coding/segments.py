"""The segments ratings refer to: the whole session, fixed intervals and marked episodes."""

from __future__ import annotations

import math
from collections.abc import Mapping

from coder.model import Episode, Segment
from coder.scheme import Scale, Scheme
from coder.timefmt import format_clock

SESSION = "session"


def interval_code(number: int) -> str:
    """Code of the ``number``-th fixed interval (1-based)."""
    return f"interval_{number}"


def interval_segments(interval_s: float, duration_us: int) -> list[Segment]:
    """Fixed intervals covering the session (the last one may be shorter)."""
    step = round(interval_s * 1e6)
    count = max(1, math.ceil(duration_us / step))
    segments = []
    for n in range(count):
        start, end = n * step, min((n + 1) * step, duration_us)
        label = f"{format_clock(start)}–{format_clock(end)}"
        segments.append(Segment(interval_code(n + 1), label, start, end))
    return segments


def rating_segments(
    scheme: Scheme, scale: Scale, duration_us: int, episodes: Mapping[str, Episode]
) -> list[Segment]:
    """Every segment ``scale`` is rated on, in time order.

    Episodes that no coder has marked yet are still listed (with unknown times), so a rating
    can be given before or after the boundaries are stamped.
    """
    wanted = set(scale.rated_on)
    segments: list[Segment] = []
    if SESSION in wanted:
        segments.append(Segment(SESSION, "Whole session", 0, duration_us))
    if "intervals" in wanted and scheme.segments.interval_s:
        segments.extend(interval_segments(scheme.segments.interval_s, duration_us))
    for definition in scheme.segments.episodes:
        if "episodes" in wanted or definition.code in wanted:
            marked = episodes.get(definition.code)
            start = marked.start.us if marked else -1
            end = marked.end.us if marked and marked.end else None
            segments.append(Segment(definition.code, definition.name, start, end))
    return segments


def segment_at(segments: list[Segment], us: int) -> Segment | None:
    """The most specific segment covering ``us`` (an interval or episode before the session)."""
    best = None
    for segment in segments:
        if segment.start_us < 0 or us < segment.start_us:
            continue
        if segment.end_us is not None and us >= segment.end_us:
            continue
        if best is None or segment.code != SESSION:
            best = segment
    return best
