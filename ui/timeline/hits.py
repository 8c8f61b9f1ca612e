"""What is under the pointer on the timeline: a behaviour row, an event, or a state's edge."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

from coder.model import Event
from ui.timeline.geometry import Geometry
from ui.timeline.marks import OPEN, MarkIndex, TimelineRow
from ui.timeline.painter import Preview


@dataclass(frozen=True, slots=True)
class HitContext:
    """What a hit test needs: the layout, the marks, the rows, the playhead and a reach in
    pixels (how far from a point or an edge still counts)."""

    geometry: Geometry
    index: MarkIndex
    rows: list[TimelineRow]
    frame: int
    reach: float


def behaviour_row(context: HitContext, x: float, y: float) -> int | None:
    """The behaviour row under (x, y) in the plot, or None (labels, headings, outside)."""
    g, rows = context.geometry, context.rows
    if not g.in_plot(x):
        return None
    row = g.row_at(y)
    if row is None or row >= len(rows) or rows[row].code is None:
        return None
    return row


def _near(context: HitContext, row: int, x: float) -> tuple[list[int], list[int], list[int], float]:
    g = context.geometry
    at = g.position_at(x)
    slack = context.reach / g.ppf
    first = max(0, math.floor(at - slack) - 1)
    starts, ends, ids = context.index.arrays(row, first, math.ceil(at + slack) + 2)
    return starts.tolist(), ends.tolist(), ids.tolist(), at


def event_at(context: HitContext, x: float, y: float) -> int | None:
    """The event drawn at (x, y): a state covering it, or the nearest point within reach.
    Open states count up to the playhead."""
    row = behaviour_row(context, x, y)
    if row is None:
        return None
    g = context.geometry
    starts, ends, ids, at = _near(context, row, x)
    best: tuple[float, int] | None = None
    for start, end, event_id in zip(starts, ends, ids, strict=True):
        if context.rows[row].is_point:
            distance = abs(g.x_of(start + 0.5) - x)
            if distance <= max(context.reach, g.ppf / 2) and (best is None or distance < best[0]):
                best = (distance, event_id)
        elif start <= at < (max(context.frame, start + 1) if end == OPEN else end):
            return event_id
    return best[1] if best else None


def edge_at(context: HitContext, x: float, y: float) -> tuple[int, str] | None:
    """(event id, ``"onset"`` or ``"offset"``) of the state edge within reach of (x, y).

    Where one state ends as the next begins, the side of the pointer decides: the state the
    pointer is inside wins. Open states have no offset edge.
    """
    row = behaviour_row(context, x, y)
    if row is None or context.rows[row].is_point:
        return None
    g = context.geometry
    starts, ends, ids, at = _near(context, row, x)
    best: tuple[float, int, int, str] | None = None
    for start, end, event_id in zip(starts, ends, ids, strict=True):
        shown_end = max(context.frame, start + 1) if end == OPEN else end
        inside = 0 if start <= at < shown_end else 1
        edges = [("onset", start)] + ([] if end == OPEN else [("offset", end)])
        for boundary, frame in edges:
            distance = abs(g.x_of(frame) - x)
            candidate = (distance, inside, event_id, boundary)
            if distance <= context.reach and (best is None or candidate < best):
                best = candidate
    return (best[2], best[3]) if best else None


@dataclass(frozen=True, slots=True)
class EdgeDrag:
    """A state edge being dragged: where the state would lie if the button came up now."""

    event_id: int
    boundary: str  # "onset" or "offset"
    row: int
    start: int
    end: int | None  # None: a state that is still on
    original: int
    colour: str
    code: str

    @classmethod
    def of(cls, event: Event, boundary: str, row: int, colour: str) -> EdgeDrag:
        assert event.id is not None
        end = event.offset.frame if event.offset is not None else None
        original = event.onset.frame if boundary == "onset" else end
        assert original is not None
        return cls(
            event.id, boundary, row, event.onset.frame, end, original, colour, event.behaviour
        )

    @property
    def target(self) -> int | None:
        """The frame the dragged boundary is at now."""
        return self.start if self.boundary == "onset" else self.end

    def moved_to(self, frame: int, frame_count: int) -> EdgeDrag:
        """The drag with its boundary at ``frame``, kept at least one frame long."""
        if self.boundary == "onset":
            limit = (self.end if self.end is not None else frame_count) - 1
            return replace(self, start=max(0, min(frame, limit)))
        return replace(self, end=min(frame_count, max(frame, self.start + 1)))

    def preview(self, playhead: int) -> Preview:
        end = self.end if self.end is not None else max(playhead, self.start + 1)
        frame = self.start if self.boundary == "onset" else end
        return Preview(self.row, self.start, end, self.colour, f"{self.boundary} {frame}")
