"""The project's records as long tables (pandas DataFrames), one row per event, rating or episode.

Every table starts with the same columns naming the pass (:data:`PASS_COLUMNS`); names come from
the scheme version each pass was coded with. Times are floats in seconds plus integer µs and
frame indexes (nullable ``Int64`` where a state is open or a point has no offset). Each table
reads the whole project with one query per table, never one per pass.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TYPE_CHECKING, TypeVar

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
    "modifiers", "comment", "frame_provisional",
)  # fmt: skip
RATING_COLUMNS = (
    *PASS_COLUMNS, "scale", "scale_name", "segment", "value", "comment",
)  # fmt: skip
EPISODE_COLUMNS = (
    *PASS_COLUMNS, "episode", "episode_name", "start_s", "end_s", "start_us", "end_us",
    "start_frame", "end_frame",
)  # fmt: skip

_PASS_INTS = ("observation_id", "coding_id")
R = TypeVar("R")


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


def events_frame(
    store: Store, infos: Sequence[CodingInfo], provisional_media: Collection[int] = ()
) -> pd.DataFrame:
    """One row per event of the passes ``infos`` (columns: :data:`EVENT_COLUMNS`);
    ``frame_provisional`` marks the events of observations whose first medium is one of
    ``provisional_media`` (stored without its video: frames not yet checked)."""
    pending = set(provisional_media)
    unchecked = (
        {o.id for o in store.observations() if o.media and o.media[0].id in pending}
        if pending
        else set()
    )
    frame = _long_table(store, infos, store.events_by_pass, _event_columns, EVENT_COLUMNS[:-1])
    frame["frame_provisional"] = frame["observation_id"].isin(unchecked).astype(bool)
    return _typed(
        frame, ints=("event_id", "onset_us", "onset_frame"), nullable=("offset_us", "offset_frame"),
        floats=("onset_s", "offset_s", "duration_s"),
    )  # fmt: skip


def ratings_frame(store: Store, infos: Sequence[CodingInfo]) -> pd.DataFrame:
    """One row per rating of the passes ``infos`` (columns: :data:`RATING_COLUMNS`)."""
    frame = _long_table(store, infos, store.ratings_by_pass, _rating_columns, RATING_COLUMNS)
    return _typed(frame, floats=("value",))


def episodes_frame(store: Store, infos: Sequence[CodingInfo]) -> pd.DataFrame:
    """One row per marked episode of the passes ``infos`` (columns: :data:`EPISODE_COLUMNS`)."""
    frame = _long_table(store, infos, store.episodes_by_pass, _episode_columns, EPISODE_COLUMNS)
    return _typed(
        frame, ints=("start_us", "start_frame"), nullable=("end_us", "end_frame"),
        floats=("start_s", "end_s"),
    )  # fmt: skip


def _long_table(
    store: Store,
    infos: Sequence[CodingInfo],
    read: Callable[[list[int]], Mapping[int, Sequence[R]]],
    columns_of: Callable[[R, Scheme], tuple[object, ...]],
    columns: tuple[str, ...],
) -> pd.DataFrame:
    """The pass columns, then ``columns_of(record, scheme)``, for every record ``read`` gives
    the passes ``infos`` (one query for all of them)."""
    context = _Context(store)
    known = [info for info in infos if info.observation_id in context.observations]
    by_pass = read([info.id for info in known])
    rows: list[tuple[object, ...]] = []
    for info in known:
        head = context.pass_columns(info)
        scheme = context.scheme(info.scheme_id)
        rows.extend((*head, *columns_of(record, scheme)) for record in by_pass.get(info.id, ()))
    return _frame(rows, columns)


def _typed(
    frame: pd.DataFrame,
    ints: tuple[str, ...] = (),
    nullable: tuple[str, ...] = (),
    floats: tuple[str, ...] = (),
) -> pd.DataFrame:
    for column in ints:
        frame[column] = frame[column].astype("int64")
    for column in nullable:
        frame[column] = frame[column].astype("Int64")
    for column in floats:
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
