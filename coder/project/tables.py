"""The project's records as long tables (pandas DataFrames), one row per event, rating or episode.

Every table starts with the same columns naming the pass (:data:`PASS_COLUMNS`); names come from
the scheme version each pass was coded with. Times are floats in seconds plus integer µs and
frame indexes (nullable ``Int64`` where a state is open or a point has no offset). Each table
reads the whole project with one query per table, never one per pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from coder.model import CodingInfo, Episode, Event, Rating
from coder.scheme import Scheme
from coder.store.base import Store

if TYPE_CHECKING:
    import pandas as pd

PASS_COLUMNS = (
    "observation_id", "observation", "participant", "visit", "media", "fps", "coding_id",
    "coder", "coder_name", "status", "is_master", "scheme", "scheme_version",
)  # fmt: skip
EVENT_COLUMNS = (
    *PASS_COLUMNS, "event_id", "behaviour", "behaviour_name", "subject", "subject_name", "kind",
    "onset_s", "offset_s", "duration_s", "onset_us", "offset_us", "onset_frame", "offset_frame",
    "modifiers", "comment",
)  # fmt: skip
RATING_COLUMNS = (
    *PASS_COLUMNS, "scale", "scale_name", "segment", "value", "comment",
)  # fmt: skip
EPISODE_COLUMNS = (
    *PASS_COLUMNS, "episode", "episode_name", "start_s", "end_s", "start_us", "end_us",
    "start_frame", "end_frame",
)  # fmt: skip

_PASS_INTS = ("observation_id", "coding_id")


class _Context:
    """Observations and schemes of the passes in a table, each read once."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.observations = {o.id: o for o in store.observations()}
        self._schemes: dict[int, Scheme] = {}

    def scheme(self, scheme_id: int) -> Scheme:
        if scheme_id not in self._schemes:
            self._schemes[scheme_id] = self._store.scheme(scheme_id)
        return self._schemes[scheme_id]

    def pass_columns(self, info: CodingInfo) -> tuple[object, ...]:
        obs = self.observations[info.observation_id]
        first = obs.media[0] if obs.media else None
        scheme = self.scheme(info.scheme_id)
        return (
            obs.id, obs.name, obs.participant, obs.visit, first.path if first else "",
            first.fps if first else float("nan"), info.id, info.coder.initials, info.coder.name,
            info.status.value, info.is_master, scheme.name, scheme.version,
        )  # fmt: skip


def _known(infos: Sequence[CodingInfo], context: _Context) -> list[CodingInfo]:
    return [info for info in infos if info.observation_id in context.observations]


def events_frame(store: Store, infos: Sequence[CodingInfo]) -> pd.DataFrame:
    """One row per event of the passes ``infos`` (columns: :data:`EVENT_COLUMNS`)."""
    context = _Context(store)
    infos = _known(infos, context)
    by_pass = store.events_by_pass([info.id for info in infos])
    rows = []
    for info in infos:
        head = context.pass_columns(info)
        scheme = context.scheme(info.scheme_id)
        for event in by_pass.get(info.id, ()):
            rows.append((*head, *_event_columns(event, scheme)))
    frame = _frame(rows, EVENT_COLUMNS)
    for column in ("event_id", "onset_us", "onset_frame"):
        frame[column] = frame[column].astype("int64")
    for column in ("offset_us", "offset_frame"):
        frame[column] = frame[column].astype("Int64")
    for column in ("onset_s", "offset_s", "duration_s"):
        frame[column] = frame[column].astype("float64")
    return frame


def ratings_frame(store: Store, infos: Sequence[CodingInfo]) -> pd.DataFrame:
    """One row per rating of the passes ``infos`` (columns: :data:`RATING_COLUMNS`)."""
    context = _Context(store)
    infos = _known(infos, context)
    by_pass = store.ratings_by_pass([info.id for info in infos])
    rows = []
    for info in infos:
        head = context.pass_columns(info)
        scheme = context.scheme(info.scheme_id)
        for rating in by_pass.get(info.id, ()):
            rows.append((*head, *_rating_columns(rating, scheme)))
    frame = _frame(rows, RATING_COLUMNS)
    frame["value"] = frame["value"].astype("float64")
    return frame


def episodes_frame(store: Store, infos: Sequence[CodingInfo]) -> pd.DataFrame:
    """One row per marked episode of the passes ``infos`` (columns: :data:`EPISODE_COLUMNS`)."""
    context = _Context(store)
    infos = _known(infos, context)
    by_pass = store.episodes_by_pass([info.id for info in infos])
    rows = []
    for info in infos:
        head = context.pass_columns(info)
        scheme = context.scheme(info.scheme_id)
        for episode in by_pass.get(info.id, ()):
            rows.append((*head, *_episode_columns(episode, scheme)))
    frame = _frame(rows, EPISODE_COLUMNS)
    for column in ("start_us", "start_frame"):
        frame[column] = frame[column].astype("int64")
    for column in ("end_us", "end_frame"):
        frame[column] = frame[column].astype("Int64")
    for column in ("start_s", "end_s"):
        frame[column] = frame[column].astype("float64")
    return frame


def _frame(rows: list[tuple[object, ...]], columns: tuple[str, ...]) -> pd.DataFrame:
    import pandas as pd  # loaded only where a table is made

    frame = pd.DataFrame(rows, columns=list(columns))
    for column in _PASS_INTS:
        frame[column] = frame[column].astype("int64")
    frame["fps"] = frame["fps"].astype("float64")
    frame["is_master"] = frame["is_master"].astype(bool)
    return frame


def _name(scheme: Scheme, kind: str, code: str) -> str:
    """The name the scheme gives ``code`` (the code itself when the scheme lacks it)."""
    if kind == "behaviour":
        return scheme.behaviour(code).name if scheme.has_behaviour(code) else code
    if kind == "scale":
        return scheme.scale(code).name if scheme.has_scale(code) else code
    if kind == "subject":
        return next((s.name for s in scheme.subjects if s.code == code), code)
    return next((e.name for e in scheme.segments.episodes if e.code == code), code)


def _event_columns(e: Event, scheme: Scheme) -> tuple[object, ...]:
    offset = e.offset
    return (
        e.id, e.behaviour, _name(scheme, "behaviour", e.behaviour), e.subject,
        _name(scheme, "subject", e.subject), "state" if e.is_state else "point",
        e.onset.us / 1e6, None if offset is None else offset.us / 1e6,
        None if offset is None else (offset.us - e.onset.us) / 1e6,
        e.onset.us, None if offset is None else offset.us,
        e.onset.frame, None if offset is None else offset.frame,
        "|".join(e.modifiers), e.comment,
    )  # fmt: skip


def _rating_columns(r: Rating, scheme: Scheme) -> tuple[object, ...]:
    return (r.scale, _name(scheme, "scale", r.scale), r.segment, r.value, r.comment)


def _episode_columns(e: Episode, scheme: Scheme) -> tuple[object, ...]:
    end = e.end
    return (
        e.code, _name(scheme, "episode", e.code), e.start.us / 1e6,
        None if end is None else end.us / 1e6, e.start.us, None if end is None else end.us,
        e.start.frame, None if end is None else end.frame,
    )  # fmt: skip
