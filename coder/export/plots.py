"""Pictures of coding passes with matplotlib (headless Agg; PNG, SVG or PDF by suffix).

- :func:`timeline_figure`: one pass; a row per behaviour over time, states as bars (a state
  still open hatched to the end), points as ticks, each modifier a shade of the behaviour's
  colour, marked episodes in the background, and a strip with the ratings of each segment
  (not a Q-sort's placements: they are the QSort tables' and the Q-sort panel's).
- :func:`time_budget_figure`: a study; the proportion of observed time in each state, per
  coder (the mean over that coder's passes).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from coder.analysis import PassLike, pass_summary
from coder.coding.segments import SESSION
from coder.export.files import atomic_files
from coder.export.tables.select import ExportError
from coder.model import Rating

FORMATS = (".png", ".svg", ".pdf")


def _shade(colour: str, index: int, count: int) -> tuple[float, float, float]:
    """The ``index``-th of ``count`` shades of ``colour`` (0: the colour itself)."""
    r, g, b = to_rgb(colour)
    mix = 0.0 if count <= 1 else 0.6 * index / (count - 1)
    return (r + (1 - r) * mix, g + (1 - g) * mix, b + (1 - b) * mix)


def timeline_figure(record: PassLike) -> Figure:
    """The timeline chart of one pass (seconds of the first video on the x axis)."""
    scheme, end_s = record.scheme, record.duration_us / 1e6
    behaviours = list(scheme.behaviours)
    rated = bool(_strip_ratings(record))
    figure = Figure(figsize=(11, 1.2 + 0.38 * len(behaviours) + (0.9 if rated else 0)))
    grid = figure.add_gridspec(
        2 if rated else 1, 1, height_ratios=[len(behaviours) or 1, 2][: 2 if rated else 1]
    )
    axes = figure.add_subplot(grid[0])
    rows = {b.code: len(behaviours) - 1 - i for i, b in enumerate(behaviours)}
    names = {e.code: e.name for e in scheme.segments.episodes}
    for n, episode in enumerate(sorted(record.episodes, key=lambda e: e.start.us)):
        stop = episode.end.us / 1e6 if episode.end else end_s
        axes.axvspan(episode.start.us / 1e6, stop, color="0.92" if n % 2 else "0.86", zorder=0)
        axes.text(
            episode.start.us / 1e6,
            len(behaviours) - 0.45,
            names.get(episode.code, episode.code),
            fontsize=7,
            va="bottom",
            color="0.35",
        )
    legend: dict[str, Patch] = {}
    for event in record.events:
        if event.behaviour not in rows:
            continue
        behaviour = scheme.behaviour(event.behaviour)
        row = rows[event.behaviour]
        mods = behaviour.modifiers
        index = (
            mods.index(event.modifiers[0]) if event.modifiers and event.modifiers[0] in mods else 0
        )
        colour = _shade(behaviour.colour, index, len(mods))
        if event.modifiers:
            legend.setdefault(f"{behaviour.name}: {event.modifiers[0]}", Patch(color=colour))
        onset = event.onset.us / 1e6
        if event.is_state:
            stop = event.offset.us / 1e6 if event.offset is not None else end_s
            axes.broken_barh(
                [(onset, stop - onset)],
                (row - 0.35, 0.7),
                facecolors=[colour],
                hatch="///" if event.offset is None else None,
                edgecolor="white",
                linewidth=0.3,
            )
        else:
            axes.vlines(onset, row - 0.4, row + 0.4, colors=[colour], linewidth=1.6)
    axes.set_yticks(list(rows.values()), [b.name for b in behaviours], fontsize=8)
    axes.set_ylim(-0.6, len(behaviours) - 0.1)
    axes.set_xlim(0, end_s)
    axes.grid(axis="x", color="0.8", linewidth=0.5)
    axes.set_axisbelow(True)
    obs = record.observation
    axes.set_title(
        f"{obs.name} ({obs.participant or 'no participant'}) — coder "
        f"{record.info.coder.initials}, {record.info.status.value}",
        fontsize=10,
    )
    if legend:
        axes.legend(
            handles=list(legend.values()),
            labels=list(legend),
            fontsize=7,
            loc="upper left",
            bbox_to_anchor=(1.0, 1.0),
            frameon=False,
        )
    if rated:
        _ratings_strip(figure.add_subplot(grid[1], sharex=axes), record, end_s)
    else:
        axes.set_xlabel("time (s)")
    figure.tight_layout()
    return figure


def _strip_ratings(record: PassLike) -> list[Rating]:
    """The ratings the strip shows: all but Q-sort placements (one per item, up to 90)."""
    return [r for r in record.ratings if record.scheme.qsort_placement(r.scale) is None]


def _ratings_strip(axes: object, record: PassLike, end_s: float) -> None:
    from matplotlib.axes import Axes

    assert isinstance(axes, Axes)
    ratings = _strip_ratings(record)
    scales = sorted({r.scale for r in ratings})
    for row, code in enumerate(reversed(scales)):
        known = record.scheme.has_scale(code)
        spans = {s.code: s for s in record.segments(code)} if known else {}
        for rating in (r for r in ratings if r.scale == code):
            span = spans.get(rating.segment)
            if span is None or span.start_us < 0:
                continue
            start = span.start_us / 1e6
            stop = span.end_us / 1e6 if span.end_us is not None else end_s
            shade = "0.75" if rating.segment == SESSION else "0.6"
            axes.broken_barh(
                [(start, stop - start)], (row - 0.35, 0.7), facecolors=[shade], edgecolor="white"
            )
            axes.text(
                (start + stop) / 2, row, f"{rating.value:g}", ha="center", va="center", fontsize=8
            )
    labels = [record.scheme.scale(c).name if record.scheme.has_scale(c) else c for c in scales]
    axes.set_yticks(range(len(scales)), list(reversed(labels)), fontsize=8)
    axes.set_ylim(-0.6, len(scales) - 0.4)
    axes.set_xlabel("time (s)")
    axes.set_title("ratings", fontsize=8, loc="left")


def time_budget_figure(records: Sequence[PassLike]) -> Figure:
    """Per coder, the mean proportion of session time in each state behaviour."""
    budget: dict[str, dict[str, list[float]]] = {}
    names: dict[str, str] = {}
    for record in records:
        coder = record.info.coder.initials
        for figure_row in pass_summary(record):
            if figure_row.span.code != SESSION or figure_row.proportion is None:
                continue
            names.setdefault(
                figure_row.behaviour, record.scheme.behaviour(figure_row.behaviour).name
            )
            budget.setdefault(coder, {}).setdefault(figure_row.behaviour, []).append(
                figure_row.proportion
            )
    codes = list(names)
    coders = sorted(budget)
    figure = Figure(figsize=(9, 1.5 + 0.35 * max(1, len(codes)) * max(1, len(coders)) ** 0.5))
    axes = figure.add_subplot()
    height = 0.8 / max(1, len(coders))
    for n, coder in enumerate(coders):
        values = [sum(v) / len(v) if (v := budget[coder].get(c)) else 0.0 for c in codes]
        ys = [len(codes) - 1 - i - (n - (len(coders) - 1) / 2) * height for i in range(len(codes))]
        axes.barh(ys, values, height=height, label=coder)
    axes.set_yticks(range(len(codes) - 1, -1, -1), [names[c] for c in codes], fontsize=8)
    axes.set_xlim(0, 1)
    axes.set_xlabel("proportion of observed time (mean over passes)")
    passes = len(records)
    axes.set_title(f"Time budget: {passes} pass{'es' if passes != 1 else ''}", fontsize=10)
    if coders:
        axes.legend(title="coder", fontsize=8)
    axes.grid(axis="x", color="0.85", linewidth=0.5)
    axes.set_axisbelow(True)
    figure.tight_layout()
    return figure


def save_figure(figure: Figure, path: Path, force: bool = False) -> Path:
    """Save ``figure`` as PNG, SVG or PDF (by ``path``'s suffix), never over a file unless
    ``force``, through a temporary file."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"{path}: a plot is saved as {', '.join(FORMATS)}")
    with atomic_files([path], force) as (partial,):
        figure.savefig(partial, format=suffix[1:], dpi=150)
    return path
