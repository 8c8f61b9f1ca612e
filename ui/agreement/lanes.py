"""What the two-coder timeline draws, as plain marks (no Qt): rows, bars, links and bands.

One observation's pair of passes becomes, for each behaviour group, a header row and one row per
behaviour with two lanes, coder A's above coder B's. Bars are the coders' events (points are
ticks); an event the alignment left unpaired is marked (an omission in A's lane, a commission in
B's); each aligned pair is a link from A's onset to B's; the time units where the coders differ
are bands over the group's rows (exclusive groups) or over the one code's row. The x axis is in
frames (fractional positions for instants between frames), as in the coding timeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from coder.agreement.alignment import AlignedPair
from coder.agreement.report import GroupAgreement, PassPair, behaviour_groups
from coder.agreement.spans import DifferingSpan
from coder.model import Event
from coder.timebase import TimeBase
from ui.timeline.geometry import frame_position

HEADER_HEIGHT = 18
LANE_HEIGHT = 9
ROW_GAP = 4
BEHAVIOUR_HEIGHT = 2 * LANE_HEIGHT + ROW_GAP

Lane = Literal[0, 1]
"""0: coder A (the reference), 1: coder B."""


@dataclass(frozen=True, slots=True)
class Row:
    """A group's header or one behaviour's two lanes, ``top`` pixels below the ruler."""

    kind: Literal["group", "behaviour"]
    group: str
    code: str
    label: str
    colour: str
    top: int
    height: int

    def lane_top(self, lane: Lane) -> int:
        return self.top + ROW_GAP // 2 + lane * LANE_HEIGHT


@dataclass(frozen=True, slots=True)
class Bar:
    """One coder's event on its lane: frames ``start`` to ``end`` (a point: one frame)."""

    row: int
    lane: Lane
    start: float
    end: float
    point: bool
    open: bool
    colour: str
    event: Event
    pair: AlignedPair | None
    """The alignment line the event is on (None when its group was not aligned)."""

    @property
    def unmatched(self) -> bool:
        return self.pair is not None and self.pair.kind in ("omission", "commission")


@dataclass(frozen=True, slots=True)
class Link:
    """An aligned pair: A's onset (on ``a_row``) joined to B's (on ``b_row``)."""

    a_row: int
    a_at: float
    b_row: int
    b_at: float
    pair: AlignedPair

    @property
    def same_code(self) -> bool:
        return self.pair.kind == "match"


@dataclass(frozen=True, slots=True)
class Band:
    """Units coded differently: frames ``start`` to ``end`` over rows ``first`` to ``last``."""

    start: float
    end: float
    first: int
    last: int
    span: DifferingSpan
    group: str


@dataclass(frozen=True, eq=False)
class TimelineContent:
    """Everything the two-coder timeline shows for one observation."""

    observation_id: int
    observation: str
    coder_a: str
    coder_b: str
    timebase: TimeBase
    rows: tuple[Row, ...]
    bars: tuple[Bar, ...]
    links: tuple[Link, ...]
    bands: tuple[Band, ...]
    summaries: dict[str, str]
    """Per group code: its figures and verdict in one line."""
    names: dict[str, str]
    """Behaviour code → name (and the labels of "no code")."""

    @property
    def frame_count(self) -> int:
        return self.timebase.frame_count

    @property
    def height(self) -> int:
        return self.rows[-1].top + self.rows[-1].height if self.rows else 0

    def row_of(self, group: str, code: str | None = None) -> int | None:
        kind = "group" if code is None else "behaviour"
        return next(
            (
                i
                for i, r in enumerate(self.rows)
                if r.kind == kind and r.group == group and (code is None or r.code == code)
            ),
            None,
        )

    def differences(self) -> list[tuple[float, float]]:
        """Where the coders differ, in order: bands of units and unpaired events (frames)."""
        spots = [(b.start, b.end) for b in self.bands]
        spots += [(b.start, b.end) for b in self.bars if b.unmatched]
        spots += [(min(k.a_at, k.b_at), max(k.a_at, k.b_at)) for k in self.links if not k.same_code]
        return sorted(set(spots))


def _bar(
    event: Event, row: int, lane: Lane, colour: str, pair: AlignedPair | None, end: int
) -> Bar:
    start = float(event.onset.frame)
    if not event.is_state:
        return Bar(row, lane, start, start + 1, True, False, colour, event, pair)
    stop = float(end if event.offset is None else event.offset.frame)
    return Bar(row, lane, start, max(stop, start), False, event.offset is None, colour, event, pair)


def summary(group: GroupAgreement) -> str:
    """``time-unit κ 0.62 · event κ 0.55 (12 of 18 matched) · below criterion``."""

    def fig(value: float) -> str:
        return "—" if value != value else f"{value:.2f}"

    events = group.events
    return (
        f"time-unit κ {fig(group.time_units.kappa)} · event κ {fig(events.kappa)} "
        f"({events.matches} of {len(events.pairs)} matched) · {group.verdict.text}"
    )


def timeline_content(
    pair: PassPair,
    groups: tuple[GroupAgreement, ...],
    spans: dict[str, tuple[DifferingSpan, ...]],
) -> TimelineContent:
    """The marks of one observation: ``groups`` of its part, ``spans`` by group code."""
    ref, other = pair.reference, pair.other
    scheme = ref.scheme
    timebase = ref.timebase
    count = timebase.frame_count
    by_code = {g.code: g for g in groups}
    rows: list[Row] = []
    row_of: dict[str, int] = {}
    top = 0
    for code, name, _, codes in behaviour_groups(scheme):
        rows.append(Row("group", code, code, name, "", top, HEADER_HEIGHT))
        top += HEADER_HEIGHT
        for behaviour in codes:
            b = scheme.behaviour(behaviour)
            row_of[behaviour] = len(rows)
            rows.append(Row("behaviour", code, behaviour, b.name, b.colour, top, BEHAVIOUR_HEIGHT))
            top += BEHAVIOUR_HEIGHT
    pair_of: dict[tuple[int, int], AlignedPair] = {}
    links: list[Link] = []
    for group in groups:
        for line in group.events.pairs:
            if line.a is not None:
                pair_of[(0, id(line.a))] = line
            if line.b is not None:
                pair_of[(1, id(line.b))] = line
            if line.a is not None and line.b is not None:
                links.append(
                    Link(
                        row_of[line.a.behaviour],
                        line.a.onset.frame + 0.5,
                        row_of[line.b.behaviour],
                        line.b.onset.frame + 0.5,
                        line,
                    )
                )
    bars: list[Bar] = []
    for lane, events in ((0, ref.events), (1, other.events)):
        for event in events:
            row = row_of.get(event.behaviour)
            if row is None:
                continue
            colour = rows[row].colour
            bars.append(_bar(event, row, lane, colour, pair_of.get((lane, id(event))), count))  # type: ignore[arg-type]
    bands: list[Band] = []
    for code, group_spans in spans.items():
        members = [i for i, r in enumerate(rows) if r.kind == "behaviour" and r.group == code]
        if not members:
            continue
        for span in group_spans:
            start = frame_position(timebase, span.start.us)
            end = frame_position(timebase, span.end.us)
            if span.code is None:
                bands.append(Band(start, end, members[0], members[-1], span, code))
            elif span.code in row_of:
                row = row_of[span.code]
                bands.append(Band(start, end, row, row, span, code))
    names = {b.code: b.name for b in scheme.behaviours}
    return TimelineContent(
        observation_id=ref.observation.id,
        observation=ref.observation.name,
        coder_a=ref.coder,
        coder_b=other.coder,
        timebase=timebase,
        rows=tuple(rows),
        bars=tuple(bars),
        links=tuple(links),
        bands=tuple(bands),
        summaries={code: summary(g) for code, g in by_code.items()},
        names=names,
    )
