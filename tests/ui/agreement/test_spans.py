"""The spans the timeline tints are the very units the time-unit table counts as disagreements
(core only, no window)."""

from __future__ import annotations

import itertools
import random

import pytest

from coder.agreement import time_unit_kappa
from coder.agreement.spans import ABSENT, PRESENT, differing_spans
from coder.agreement.time_units import NONE
from coder.model import Event, Stamp
from coder.timebase import TimeBase

FPS, FRAMES = 25, 1500
TIMEBASE = TimeBase.constant(FRAMES, FPS)
CODES = ("look", "object", "away")


def stamp(frame: int) -> Stamp:
    return Stamp(frame, TIMEBASE.pts_us(frame) if frame < FRAMES else TIMEBASE.duration_us)


def exclusive_pass(rng: random.Random) -> list[Event]:
    """Back-to-back states with gaps, as an exclusive group is coded."""
    events, frame = [], rng.randrange(0, 40)
    while frame < FRAMES - 10:
        end = min(FRAMES, frame + rng.randrange(5, 120))
        events.append(Event(rng.choice(CODES), "infant", stamp(frame), stamp(end)))
        frame = end + rng.choice((0, 0, rng.randrange(1, 60)))
    return events


def loose_pass(rng: random.Random) -> list[Event]:
    """Overlapping states and points of several codes."""
    events = []
    for code in CODES:
        for _ in range(rng.randrange(3, 12)):
            start = rng.randrange(0, FRAMES - 1)
            if rng.random() < 0.5:
                events.append(Event(code, "infant", stamp(start), None, is_state=False))
            else:
                end = min(FRAMES, start + rng.randrange(1, 200))
                events.append(Event(code, "infant", stamp(start), stamp(end)))
    return events


@pytest.mark.parametrize("unit", ["1s", "1f", "700ms"])
@pytest.mark.parametrize("seed", range(4))
def test_exclusive_spans_add_up_to_the_tables_disagreements(unit: str, seed: int) -> None:
    rng = random.Random(seed)
    a, b = exclusive_pass(rng), exclusive_pass(rng)
    result = time_unit_kappa(a, b, CODES, unit=unit, timebase=TIMEBASE)
    spans = differing_spans(a, b, result, TIMEBASE)
    assert result.table is not None
    counts = result.table.counts
    assert sum(s.units for s in spans) == counts.sum() - counts.trace()
    labels = (*CODES, NONE)
    for s in spans:
        assert s.code is None
        assert s.a != s.b
        assert s.start.us < s.end.us
        assert s.start.frame <= s.end.frame
    by_cell: dict[tuple[str, str], int] = {}
    for s in spans:
        by_cell[(s.a, s.b)] = by_cell.get((s.a, s.b), 0) + s.units
    for (x, y), units in by_cell.items():
        assert counts[labels.index(x), labels.index(y)] == units
    ordered = [s.start.us for s in spans]
    assert ordered == sorted(ordered)
    assert all(p.end.us <= q.start.us for p, q in itertools.pairwise(spans))


@pytest.mark.parametrize("seed", range(4))
def test_per_code_spans_add_up_to_each_codes_present_absent_disagreements(seed: int) -> None:
    rng = random.Random(100 + seed)
    a, b = loose_pass(rng), loose_pass(rng)
    result = time_unit_kappa(a, b, CODES, unit="1s", exclusive=False, timebase=TIMEBASE)
    spans = differing_spans(a, b, result, TIMEBASE)
    for code, table in zip(CODES, result.tables, strict=True):
        mine = [s for s in spans if s.code == code]
        only_a = sum(s.units for s in mine if (s.a, s.b) == (PRESENT, ABSENT))
        only_b = sum(s.units for s in mine if (s.a, s.b) == (ABSENT, PRESENT))
        assert (only_a, only_b) == (table.counts[0, 1], table.counts[1, 0])


def test_a_span_of_frame_units_ends_at_the_frame_after_its_last_unit() -> None:
    a = [Event("look", "infant", stamp(0), stamp(FRAMES))]
    b = [
        Event("look", "infant", stamp(0), stamp(10)),
        Event("away", "infant", stamp(10), stamp(13)),
    ]
    b.append(Event("look", "infant", stamp(13), stamp(FRAMES)))
    result = time_unit_kappa(a, b, CODES, unit="1f", timebase=TIMEBASE)
    (span,) = differing_spans(a, b, result, TIMEBASE)
    assert (span.start.frame, span.end.frame, span.units) == (10, 13, 3)
    assert (span.a, span.b) == ("look", "away")
    assert span.end.us == TIMEBASE.pts_us(13)
