"""The long tables: one row per event, one row per rating.

Seconds are floats (µs / 1e6, shown with 3 decimals in workbooks); frames are the indexes of
the observation's first video, so a value read back matches to the frame. A state still open
has no offset and is flagged ``open``. When the observation's date holds the clock time its
recording started, ``onset_clock`` and ``offset_clock`` give each event's clock time (ISO 8601
to the microsecond, so the frame can be told); they are empty otherwise. A Q-sort item's pile is
a rating of the scale ``<qsort>.<item>``: such ratings come in the Q-sort's item order, named
by the Q-sort, the item and its text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

import pandas as pd

from coder.analysis import PassLike
from coder.export.tables.names import legal_name
from coder.model import Rating
from coder.scheme import Scheme

PASS_COLUMNS = (
    "observation_id", "observation", "participant", "visit", "media", "coder", "coder_name",
    "status", "is_master", "scheme", "scheme_version",
)  # fmt: skip
EVENT_COLUMNS = (
    *PASS_COLUMNS, "event_id", "behaviour", "behaviour_name", "subject", "subject_name", "kind",
    "onset_s", "offset_s", "duration_s", "onset_frame", "offset_frame", "onset_clock",
    "offset_clock", "open", "modifiers",
)  # fmt: skip
RATING_COLUMNS = (
    *PASS_COLUMNS, "scale", "scale_name", "segment", "segment_name", "segment_start_s",
    "segment_end_s", "value", "anchor", "comment",
)  # fmt: skip


def pass_values(record: PassLike) -> tuple[Any, ...]:
    """The values of :data:`PASS_COLUMNS` for one pass."""
    obs, info, scheme = record.observation, record.info, record.scheme
    media = obs.media[0].path if obs.media else ""
    return (
        obs.id, obs.name, obs.participant, obs.visit, media, info.coder.initials,
        info.coder.name, info.status.value, int(info.is_master), scheme.name, scheme.version,
    )  # fmt: skip


def scale_label(scheme: Scheme, code: str) -> str:
    """What rating scale ``code`` is called: its name, and for a Q-sort item its text too
    (``Demonstration Q-set q4: Shows toys…``); the code itself when the scheme lacks it."""
    name = scheme.name_of(code)
    placement = scheme.qsort_placement(code)
    if placement is not None:
        text = placement[0].item(placement[1]).text
        return f"{name}: {text}" if text else name
    return name


def rating_order(scheme: Scheme) -> Callable[[Rating], tuple[str, int, str]]:
    """A sort key for ratings: by scale code and segment, a Q-sort's items in its item order."""

    def key(rating: Rating) -> tuple[str, int, str]:
        placement = scheme.qsort_placement(rating.scale)
        if placement is None:
            return rating.scale, -1, rating.segment
        qsort, item, rough = placement
        group = f"{qsort.code}.{'rough.' if rough else ''}"
        return group, qsort.item_ids.index(item), rating.segment

    return key


def modifier_columns(records: Sequence[PassLike]) -> dict[str, str]:
    """Behaviour code → column name (``mod_<behaviour>``) for every behaviour with modifiers."""
    columns: dict[str, str] = {}
    for record in records:
        for behaviour in record.scheme.behaviours:
            if behaviour.modifiers and behaviour.code not in columns:
                columns[behaviour.code] = legal_name(f"mod_{behaviour.code}", set(columns.values()))
    return columns


def clock_time(start: datetime | None, us: int) -> str | None:
    """The clock time ``us`` µs after the recording ``start`` (ISO 8601, µs), or None."""
    if start is None:
        return None
    return (start + timedelta(microseconds=us)).isoformat(timespec="microseconds")


def events_frame(records: Sequence[PassLike]) -> pd.DataFrame:
    """One row per event: :data:`EVENT_COLUMNS`, one ``mod_<behaviour>`` column per behaviour
    with modifiers (the chosen ones, joined by ``|``), then ``comment``."""
    mods = modifier_columns(records)
    mod_names = list(mods.values())
    rows: list[tuple[Any, ...]] = []
    for record in records:
        head = pass_values(record)
        scheme = record.scheme
        names = {b.code: b.name for b in scheme.behaviours}
        subjects = {s.code: s.name for s in scheme.subjects}
        start = record.observation.recording_start
        for e in record.events:
            offset = e.offset
            joined = "|".join(e.modifiers)
            mod_values = [joined if mods.get(e.behaviour) == name else "" for name in mod_names]
            rows.append(
                (
                    *head, e.id, e.behaviour, names.get(e.behaviour, e.behaviour), e.subject,
                    subjects.get(e.subject, e.subject), "state" if e.is_state else "point",
                    e.onset.us / 1e6, None if offset is None else offset.us / 1e6,
                    None if offset is None else (offset.us - e.onset.us) / 1e6,
                    e.onset.frame, None if offset is None else offset.frame,
                    clock_time(start, e.onset.us),
                    None if offset is None else clock_time(start, offset.us), int(e.is_open),
                    joined, *mod_values, e.comment,
                )
            )  # fmt: skip
    columns = [*EVENT_COLUMNS, *mod_names, "comment"]
    frame = pd.DataFrame(rows, columns=columns)
    for column in ("observation_id", "is_master", "event_id", "onset_frame", "open"):
        frame[column] = frame[column].astype("int64")
    frame["offset_frame"] = frame["offset_frame"].astype("Int64")
    for column in ("onset_s", "offset_s", "duration_s"):
        frame[column] = frame[column].astype("float64")
    return frame


def ratings_frame(records: Sequence[PassLike]) -> pd.DataFrame:
    """One row per rating (:data:`RATING_COLUMNS`): the segment's name and span (empty for an
    episode not marked), and the anchor text of the scale at exactly that value, if any."""
    rows: list[tuple[Any, ...]] = []
    for record in records:
        head = pass_values(record)
        scheme = record.scheme
        for r in sorted(record.ratings, key=rating_order(scheme)):
            scale = scheme.scale(r.scale) if scheme.has_scale(r.scale) else None
            segments = {s.code: s for s in record.segments(r.scale)} if scale else {}
            segment = segments.get(r.segment)
            known = segment is not None and segment.start_us >= 0
            start = segment.start_us / 1e6 if segment is not None and known else None
            end = segment.end_us / 1e6 if segment is not None and segment.end_us else None
            anchor = _anchor(scale.anchors, r.value) if scale else ""
            rows.append(
                (
                    *head, r.scale, scale_label(scheme, r.scale), r.segment,
                    segment.label if segment else r.segment, start, end if known else None,
                    r.value, anchor, r.comment,
                )
            )  # fmt: skip
    frame = pd.DataFrame(rows, columns=list(RATING_COLUMNS))
    frame["observation_id"] = frame["observation_id"].astype("int64")
    frame["is_master"] = frame["is_master"].astype("int64")
    for column in ("segment_start_s", "segment_end_s", "value"):
        frame[column] = frame[column].astype("float64")
    return frame


def _anchor(anchors: Any, value: float) -> str:
    for point, text in anchors.items():
        if abs(float(point) - value) < 1e-9:
            return str(text)
    return ""
