"""A picture of consistency across visits: each figure over the visits, a line per participant.

:func:`visits_figure` draws one small chart per figure (a rating of the whole session, a rate
per minute, a proportion of cues answered, a Q-sort score) with the visits on the x axis, so a
lab sees at a glance whose care was steady and whose changed. Save it with
:func:`coder.export.plots.save_figure` (PNG, SVG or PDF).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Sequence

from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from coder.analysis.passes import PassLike
from coder.coding.segments import SESSION
from coder.instruments.consistency import (
    KIND_ORDER,
    QSORT,
    RATE,
    RATING,
    RESPONSE,
    Consistency,
    consistency,
)

MAX_CHARTS = 24
"""The most charts one picture holds (the first ones in table order)."""
COLUMNS = 3
COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:red", "tab:purple", "tab:brown",
           "tab:pink", "tab:gray", "tab:olive", "tab:cyan")  # fmt: skip
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
DODGE = 0.08
"""How far apart (in visits) the participants' points are drawn, so equal values all show."""


def charted(
    rows: Iterable[Consistency], kinds: Sequence[str] = KIND_ORDER
) -> list[tuple[str, ...]]:
    """The (kind, code, name) of the figures a picture shows: whole-session ones of ``kinds``,
    in table order, at most :data:`MAX_CHARTS`."""
    seen: dict[tuple[str, ...], None] = {}
    for row in rows:
        if row.kind in kinds and row.segment == SESSION:
            seen.setdefault((row.kind, row.code, row.name))
    return list(seen)[:MAX_CHARTS]


def visits_figure(records: Sequence[PassLike], kinds: Sequence[str] = KIND_ORDER) -> Figure:
    """Each whole-session figure across visits, one line per participant seen twice or more.
    Raises ValueError when no participant has two visits."""
    rows = consistency(records)
    charts = charted(rows, kinds)
    if not charts:
        raise ValueError("no participant has two or more observed visits with figures to show")
    lines = math.ceil(len(charts) / COLUMNS)
    figure = Figure(figsize=(4 * min(COLUMNS, len(charts)), 2.6 * lines), layout="constrained")
    participants = sorted({r.participant for r in rows})
    handles: dict[str, Line2D] = {}
    for n, (kind, code, name) in enumerate(charts):
        axes = figure.add_subplot(lines, min(COLUMNS, len(charts)), n + 1)
        drawn: list[float] = []
        for p, who in enumerate(participants):  # each participant keeps one colour and marker
            found = [r for r in rows if (r.kind, r.code, r.participant) == (kind, code, who)]
            found = [r for r in found if r.segment == SESSION]
            if not found:
                continue
            values = found[0].values
            places = range(1, len(values) + 1)
            shift = (p - (len(participants) - 1) / 2) * DODGE
            (line,) = axes.plot(
                [x + shift for x in places],
                found[0].numbers,
                marker=MARKERS[p % len(MARKERS)],
                markersize=4,
                color=COLOURS[p % len(COLOURS)],
                label=who,
            )
            handles.setdefault(who, line)
            drawn += found[0].numbers
            if len(participants) == 1:  # its own visit labels; else visits by order
                labels = [v.observation.visit or v.observation.name for v in values]
                axes.set_xticks(places, labels, fontsize=7)
            else:
                axes.set_xticks(places, [f"visit {n}" for n in places], fontsize=7)
        axes.set_ylim(*_limits(records, kind, code, drawn))
        axes.set_title(textwrap.fill(f"{name} ({kind})", 48), fontsize=8)
        axes.tick_params(labelsize=7)
        axes.grid(axis="y", color="0.9", linewidth=0.5)
    if len(participants) > 1:
        figure.legend(
            handles=list(handles.values()),
            labels=list(handles),
            loc="outside right upper",
            fontsize=7,
            title="participant",
        )
    alone = f" of {participants[0]}" if len(participants) == 1 else ""  # else in the legend
    figure.suptitle(f"Across visits{alone}", fontsize=10)
    return figure


def _limits(
    records: Sequence[PassLike], kind: str, code: str, values: Sequence[float]
) -> tuple[float, float]:
    """The y range of a chart: a rating's scale, 0 to 1 for a proportion, -1 to 1 for an r,
    0 up to the highest rate (so charts of one kind compare, and a flat line reads as flat)."""
    low, high = 0.0, max(values, default=0.0) or 1.0
    if kind == RESPONSE:
        low, high = 0.0, 1.0
    elif kind == QSORT:
        low, high = -1.0, 1.0
    elif kind == RATING:
        scheme = next((r.scheme for r in records if r.scheme.has_scale(code)), None)
        if scheme is not None:
            scale = scheme.scale(code)
            low, high = min([scale.min, *values]), max([scale.max, *values])
    elif kind != RATE:
        low = min([0.0, *values])
    pad = (high - low) * 0.06 or 0.5
    return low - pad, high + pad
