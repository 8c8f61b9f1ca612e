"""A picture of consistency across visits: each figure over the visits, a line per participant.

:func:`visits_figure` draws one small chart per figure (a rating of the whole session, a rate
per minute, a proportion of cues answered, a Q-sort score) with the visits on the x axis, so a
lab sees at a glance whose care was steady and whose changed. Save it with
:func:`coder.export.plots.save_figure` (PNG, SVG or PDF).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from matplotlib.figure import Figure

from coder.analysis.passes import PassLike
from coder.coding.segments import SESSION
from coder.instruments.consistency import KIND_ORDER, Consistency, consistency

MAX_CHARTS = 24
"""The most charts one picture holds (the first ones in table order)."""
COLUMNS = 3


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
    for n, (kind, code, name) in enumerate(charts):
        axes = figure.add_subplot(lines, min(COLUMNS, len(charts)), n + 1)
        for who in participants:
            found = [r for r in rows if (r.kind, r.code, r.participant) == (kind, code, who)]
            found = [r for r in found if r.segment == SESSION]
            if not found:
                continue
            values = found[0].values
            places = range(1, len(values) + 1)
            axes.plot(places, found[0].numbers, marker="o", label=who)
            if len(participants) == 1:  # its own visit labels; else visits by order
                labels = [v.observation.visit or v.observation.name for v in values]
                axes.set_xticks(places, labels, fontsize=7)
            else:
                axes.set_xticks(places, [f"visit {n}" for n in places], fontsize=7)
        axes.set_title(f"{name} ({kind})", fontsize=8)
        axes.tick_params(labelsize=7)
    handles, labels = figure.axes[0].get_legend_handles_labels()
    if len(participants) > 1:
        figure.legend(handles, labels, loc="outside right upper", fontsize=7, title="participant")
    figure.suptitle("Across visits", fontsize=10)
    return figure
