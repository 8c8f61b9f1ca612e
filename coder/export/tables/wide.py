"""The wide table: one row per observation × coder, ready for SPSS.

Every rating becomes ``<scale>`` (whole session) or ``<scale>_<segment>``; every summary figure
``<behaviour>_<stat>`` (whole session) or ``<behaviour>_<stat>_<segment>``; every contingency
figure ``<contingency>_<stat>``; every Q-sort item's pile ``<qsort>_<item>`` (in item order) and
every Q-sort score ``<qsort>_<criterion>`` (r with that criterion sort). Segments are shortened
(``interval_3`` → ``int03``). Names are legal SPSS names of at most 32 characters;
:attr:`WideTable.variables` maps each to its full meaning, and rating variables carry their
scale's anchors as value labels.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from coder.analysis import PassLike, pass_contingencies, pass_summary
from coder.coding.qsort import placements_in
from coder.coding.segments import SESSION
from coder.export.tables.long import rating_order, scale_label
from coder.export.tables.names import legal_name, segment_short
from coder.instruments import criterion_scores

ID_COLUMNS = ("observation_id", "observation", "participant", "visit", "coder", "status")
STATE_STATS = (
    ("count", "n", "count"), ("total_us", "dur", "total duration (s)"),
    ("mean_us", "mean", "mean duration (s)"), ("sd_us", "sd", "SD of duration (s)"),
    ("proportion", "prop", "proportion of time"), ("rate_per_min", "rate", "rate per minute"),
    ("latency_us", "lat", "latency to first onset (s)"),
)  # fmt: skip
POINT_STATS = (STATE_STATS[0], STATE_STATS[5], STATE_STATS[6])
CONTINGENCY_STATS = (
    ("n_given", "n", "given events"), ("n_followed", "nf", "followed within the window"),
    ("proportion", "prop", "proportion followed"), ("latency_mean_us", "lat", "mean latency (s)"),
    ("latency_median_us", "latmd", "median latency (s)"), ("yule_q", "q", "Yule's Q"),
)  # fmt: skip
VARIABLE_COLUMNS = ("variable", "label", "source", "code", "statistic", "segment")


@dataclass(frozen=True)
class WideTable:
    """The wide frame, its variable map and the value labels of its rating variables."""

    frame: pd.DataFrame
    variables: pd.DataFrame
    value_labels: Mapping[str, Mapping[float, str]] = field(default_factory=dict)


class _Columns:
    """Variables in order of first appearance, each with a legal name and a label."""

    def __init__(self) -> None:
        self.names: dict[tuple[str, ...], str] = {}
        self.meta: list[tuple[str, str, str, str, str, str]] = []

    def name(self, key: tuple[str, str, str, str], short: str, label: str) -> str:
        if key not in self.names:
            taken = set(self.names.values()) | set(ID_COLUMNS)
            self.names[key] = legal_name(short, taken)
            source, code, statistic, segment = key
            statistic = statistic.removesuffix("_us") + ("_s" if statistic.endswith("_us") else "")
            self.meta.append((self.names[key], label, source, code, statistic, segment))
        return self.names[key]


def _us(value: Any, stat: str) -> Any:
    return value / 1e6 if value is not None and stat.endswith("_us") else value


def wide_table(records: Sequence[PassLike], unit_s: float | None = None) -> WideTable:
    """The wide table of ``records`` (see the module's notes); ``unit_s`` as for contingencies."""
    columns = _Columns()
    labels: dict[str, dict[float, str]] = {}
    rows: list[dict[str, Any]] = []
    for record in records:
        obs, scheme = record.observation, record.scheme
        row: dict[str, Any] = dict(
            zip(
                ID_COLUMNS,
                (obs.id, obs.name, obs.participant, obs.visit, record.info.coder.initials,
                 record.info.status.value),
                strict=True,
            )
        )  # fmt: skip
        for r in sorted(record.ratings, key=rating_order(scheme)):
            known = scheme.has_scale(r.scale)
            scale_name = scale_label(scheme, r.scale)
            spans = {s.code: s.label for s in record.segments(r.scale)} if known else {}
            short = r.scale if r.segment == SESSION else f"{r.scale}_{segment_short(r.segment)}"
            label = f"{scale_name} ({spans.get(r.segment, r.segment)})"
            name = columns.name(("rating", r.scale, "value", r.segment), short, label)
            row[name] = r.value
            if known and scheme.scale(r.scale).anchors:
                labels[name] = {float(k): str(v) for k, v in scheme.scale(r.scale).anchors.items()}
        for f in pass_summary(record):
            behaviour = scheme.behaviour(f.behaviour)
            stats = STATE_STATS if behaviour.is_state else POINT_STATS
            tail = "" if f.span.code == SESSION else f"_{segment_short(f.span.code)}"
            for attribute, short, text in stats:
                label = f"{behaviour.name}: {text} ({f.span.label})"
                key = ("behaviour", f.behaviour, attribute, f.span.code)
                name = columns.name(key, f"{f.behaviour}_{short}{tail}", label)
                row[name] = _us(getattr(f, attribute), attribute)
        for c in pass_contingencies(record, unit_s):
            for attribute, short, text in CONTINGENCY_STATS:
                key = ("contingency", c.code, attribute, SESSION)
                name = columns.name(key, f"{c.code}_{short}", f"{c.name}: {text}")
                row[name] = _us(getattr(c, attribute), attribute)
        for qsort in scheme.qsorts:
            scores = criterion_scores(qsort, placements_in(qsort, record.ratings))
            for criterion in qsort.criteria:
                key = ("qsort", f"{qsort.code}.{criterion.code}", "r", SESSION)
                label = f"{qsort.name}: r with {criterion.name}"
                name = columns.name(key, f"{qsort.code}_{criterion.code}", label)
                row[name] = scores[criterion.code]
        rows.append(row)
    ordered = [*ID_COLUMNS, *(meta[0] for meta in columns.meta)]
    frame = pd.DataFrame(rows, columns=ordered)
    frame["observation_id"] = frame["observation_id"].astype("int64")
    for name in ordered[len(ID_COLUMNS) :]:
        frame[name] = frame[name].astype("float64")
    ids = [(c, c.replace("_", " "), "pass", "", "", "") for c in ID_COLUMNS]
    variables = pd.DataFrame([*ids, *columns.meta], columns=list(VARIABLE_COLUMNS))
    return WideTable(frame, variables, labels)
