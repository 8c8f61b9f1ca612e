"""SPSS ``.sav`` files (through pyreadstat), with variable labels and value labels.

The wide table goes to the file asked for; each long table goes next to it as
``<stem>_<table>.sav`` (events, ratings, summary, contingency). Behaviour, subject and scale
codes carry their names as value labels; rating values carry their scale's anchors.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat

#: Labels of the long tables' columns (columns not listed are labelled by their name).
LABELS = {
    "observation_id": "Observation id", "observation": "Observation", "participant": "Participant",
    "visit": "Visit or wave", "media": "Video file (time reference)", "coder": "Coder initials",
    "coder_name": "Coder name", "status": "Pass status", "is_master": "Master (reference) pass",
    "scheme": "Coding scheme", "scheme_version": "Scheme version", "event_id": "Event id",
    "behaviour": "Behaviour", "behaviour_name": "Behaviour name", "subject": "Subject",
    "subject_name": "Subject name", "kind": "State or point", "onset_s": "Onset (s)",
    "offset_s": "Offset (s)", "duration_s": "Duration (s)", "onset_frame": "Onset frame",
    "offset_frame": "Offset frame (first frame off)", "onset_clock": "Onset clock time",
    "offset_clock": "Offset clock time", "open": "Still open at the end",
    "modifiers": "Modifiers", "comment": "Comment", "scale": "Rating scale",
    "scale_name": "Scale name", "segment": "Segment", "segment_name": "Segment name",
    "segment_start_s": "Segment start (s)", "segment_end_s": "Segment end (s)",
    "value": "Rating", "anchor": "Anchor text of the value", "segment_kind": "Segment kind",
    "segment_open": "Episode still running", "count": "Onsets in the segment",
    "bouts": "Bouts in the segment", "total_s": "Total duration (s)",
    "mean_s": "Mean bout duration (s)", "sd_s": "SD of bout duration (s)",
    "proportion": "Proportion", "rate_per_min": "Onsets per minute",
    "latency_s": "Latency to first onset (s)", "split": "Bouts cut by the segment bounds",
    "contingency": "Contingency", "contingency_name": "Contingency name",
    "given": "Given behaviours", "target": "Target behaviours", "window_s": "Window (s)",
    "n_given": "Given events", "n_followed": "Followed within the window",
    "latency_mean_s": "Mean latency (s)", "latency_median_s": "Median latency (s)",
    "n_cut": "Windows cut by the end of the media", "unit": "Unit of the 2x2 table",
    "a": "Units in a window with a target onset", "b": "Units in a window without",
    "c": "Units outside with a target onset", "d": "Units outside without",
    "yule_q": "Yule's Q",
}  # fmt: skip
LONG_TABLES = ("Events", "Ratings", "Summary", "Contingency")


def sav_paths(path: Path) -> dict[str, Path]:
    """Table → file: the wide table at ``path``, the long ones beside it."""
    paths = {"Wide": path}
    for name in LONG_TABLES:
        paths[name] = path.with_name(f"{path.stem}_{name.lower()}{path.suffix or '.sav'}")
    return paths


def spss_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with types SPSS holds: nullable integers become floats (missing: sysmis)."""
    out = frame.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if isinstance(dtype, pd.Int64Dtype) or str(dtype) == "Int64":
            out[column] = out[column].astype("float64")
        elif not pd.api.types.is_numeric_dtype(dtype):
            out[column] = out[column].astype(object).where(out[column].notna(), "").astype(str)
    return out


def write_sav(
    path: Path,
    frame: pd.DataFrame,
    labels: Mapping[str, str],
    value_labels: Mapping[str, Mapping[Any, str]],
) -> None:
    """Write one frame to ``path`` with variable labels and value labels."""
    data = spss_frame(frame)
    pyreadstat.write_sav(
        data,
        str(path),
        column_labels={c: labels.get(c, c)[:256] for c in data.columns},
        variable_value_labels={c: dict(v) for c, v in value_labels.items() if c in data.columns},
    )
