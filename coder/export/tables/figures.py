"""The figure tables: per pass × span × behaviour summaries, and contingencies.

The rules behind the figures are those of :mod:`coder.analysis.summary` and
:mod:`coder.analysis.contingency`; here they become rows with seconds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from coder.analysis import PassLike, pass_contingencies, pass_summary
from coder.export.tables.long import PASS_COLUMNS, pass_values

SUMMARY_COLUMNS = (
    *PASS_COLUMNS, "segment", "segment_name", "segment_kind", "segment_start_s", "segment_end_s",
    "segment_open", "behaviour", "behaviour_name", "subject", "kind", "count", "bouts", "total_s",
    "mean_s", "sd_s", "proportion", "rate_per_min", "latency_s", "open", "split",
)  # fmt: skip
CONTINGENCY_COLUMNS = (
    *PASS_COLUMNS, "contingency", "contingency_name", "given", "target", "window_s", "n_given",
    "n_followed", "proportion", "latency_mean_s", "latency_median_s", "n_cut", "unit", "a", "b",
    "c", "d", "yule_q",
)  # fmt: skip


def _s(us: float | None) -> float | None:
    return None if us is None else us / 1e6


def summary_frame(records: Sequence[PassLike]) -> pd.DataFrame:
    """One row per pass × span (session, intervals, episodes) × behaviour of its scheme.

    ``count`` onsets in the span, ``bouts`` pieces of states inside it (a state crossing the
    boundary split by time), ``total_s``/``mean_s``/``sd_s`` of those pieces, ``proportion`` of
    the span's time, ``rate_per_min`` onsets per minute, ``latency_s`` from the span's start to
    the first onset, ``open`` states still open (counted to the end of the media), ``split``
    pieces cut by the span's bounds. Durations are empty for points.
    """
    rows: list[tuple[Any, ...]] = []
    for record in records:
        head = pass_values(record)
        behaviours = {b.code: b for b in record.scheme.behaviours}
        for f in pass_summary(record):
            b, span = behaviours[f.behaviour], f.span
            rows.append(
                (
                    *head, span.code, span.label, span.kind, span.start_us / 1e6,
                    span.end_us / 1e6, int(span.open), b.code, b.name, b.subject, b.kind,
                    f.count, f.bouts, _s(f.total_us), _s(f.mean_us), _s(f.sd_us), f.proportion,
                    f.rate_per_min, _s(f.latency_us), f.open, f.split,
                )
            )  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    for column in ("observation_id", "is_master", "segment_open", "count", "bouts", "open"):
        frame[column] = frame[column].astype("int64")
    frame["split"] = frame["split"].astype("int64")
    for column in ("total_s", "mean_s", "sd_s", "proportion", "rate_per_min", "latency_s"):
        frame[column] = frame[column].astype("float64")
    return frame


def contingency_frame(records: Sequence[PassLike], unit_s: float | None = None) -> pd.DataFrame:
    """One row per pass × contingency of its scheme: the cues (``n_given``), how many a target
    followed within the window, that ``proportion``, mean and median latency of the answered
    ones, ``n_cut`` windows cut by the end of the media, and the time-based 2×2 table
    (``a``–``d``, over frames or ``unit_s`` units) with Yule's Q."""
    rows: list[tuple[Any, ...]] = []
    for record in records:
        head = pass_values(record)
        rules = {c.code: c for c in record.scheme.contingencies}
        for r in pass_contingencies(record, unit_s):
            rule = rules[r.code]
            rows.append(
                (
                    *head, r.code, r.name, "|".join(rule.given), "|".join(rule.target),
                    r.window_us / 1e6, r.n_given, r.n_followed, r.proportion,
                    _s(r.latency_mean_us), _s(r.latency_median_us), r.n_cut, r.unit,
                    r.a, r.b, r.c, r.d, r.yule_q,
                )
            )  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(CONTINGENCY_COLUMNS))
    for column in ("observation_id", "is_master", "n_given", "n_followed", "n_cut"):
        frame[column] = frame[column].astype("int64")
    for column in ("a", "b", "c", "d"):
        frame[column] = frame[column].astype("int64")
    for column in ("window_s", "proportion", "latency_mean_s", "latency_median_s", "yule_q"):
        frame[column] = frame[column].astype("float64")
    return frame
