"""Rows of the project file <-> records, with the column lists the queries use.

Reading is strict: a value of the wrong type (text where a time should be, modifiers that are
not a list of names, an unknown status) raises :class:`RowError` instead of slipping into a
record where it would fail far from its cause. :func:`decode_rows` turns that into a
:class:`~coder.store.base.StoreError` naming the record.
"""

from __future__ import annotations

import json
import math
import zlib
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from coder.model import (
    Coder,
    CodingInfo,
    CodingStatus,
    Episode,
    Event,
    Media,
    Observation,
    Rating,
    Stamp,
)
from coder.store.base import StoreError
from coder.timebase import TimeBase

T = TypeVar("T")

EVENT_COLUMNS = (
    "id, behaviour, subject, is_state, onset_us, onset_frame, offset_us, offset_frame, "
    "modifiers, comment"
)
MEDIA_COLUMNS = (
    "id, observation, position, path, fingerprint, size, duration_us, frame_count, fps, "
    "width, height, has_audio, vfr, offset_us"
)
RATING_COLUMNS = "scale, segment, value, comment"
EPISODE_COLUMNS = "code, start_us, start_frame, end_us, end_frame"
CODING_QUERY = (
    "SELECT coding.id, coding.observation, coder.id, coder.initials, coder.name, coding.scheme, "
    "coding.status, coding.is_master, coding.started_at, coding.updated_at "
    "FROM coding JOIN coder ON coder.id = coding.coder"
)


class RowError(ValueError):
    """A stored value that cannot be what its column holds."""


#: What decoding a damaged row may raise (ValueError covers JSON and unknown statuses).
_DAMAGE = (RowError, ValueError, TypeError, OverflowError, RecursionError, zlib.error)


def decode_rows(
    location: str, rows: Sequence[Any], decode: Callable[[Any], T], name: str
) -> list[T]:
    """``decode`` every row; a damaged one raises StoreError naming it: ``name`` with ``{}``
    standing for the row's first column (``"event {} of coding pass 3"``)."""
    try:
        return [decode(r) for r in rows]
    except _DAMAGE:
        for row in rows:
            try:
                decode(row)
            except _DAMAGE as exc:
                label = row[0] if _is_clean(row[0]) else _shown(row[0])
                raise StoreError(f"{location}: {name.format(label)} is damaged ({exc})") from exc
        raise


def _int(value: Any) -> int:
    if type(value) is not int:
        raise RowError(f"{_shown(value)} is not a whole number")
    return value


def _id(value: Any) -> int:
    number = _int(value)
    if number < 0:
        raise RowError(f"{number} is not a record id")
    return number


def _text(value: Any) -> str:
    if type(value) is not str:
        raise RowError(f"{_shown(value)} is not text")
    if not value.isascii():
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # read with surrogateescape: the stored bytes are not UTF-8
            raise RowError(
                f"the text {_shown(value)} is not valid UTF-8 (a damaged byte)"
            ) from None
    return value


def _is_clean(value: Any) -> bool:
    try:
        _text(value)
    except RowError:
        return not isinstance(value, str | bytes)
    return True


def clean_text(value: Any) -> str:
    """``value`` if it is text whose stored bytes are valid UTF-8, else :class:`RowError`."""
    return _text(value)


def _shown(value: Any, limit: int = 40) -> str:
    text = repr(value.encode("utf-8", "surrogateescape") if isinstance(value, str) else value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _number(value: Any) -> float:
    if type(value) not in (int, float) or not math.isfinite(value):
        raise RowError(f"{_shown(value)} is not a number")
    return float(value)


def _stamp(frame: Any, us: Any) -> Stamp:
    return Stamp(_int(frame), _int(us))


def event_values(event: Event) -> tuple[Any, ...]:
    """The columns of :data:`EVENT_COLUMNS` after ``id``, for ``event``."""
    offset = event.offset
    return (
        event.behaviour,
        event.subject,
        int(event.is_state),
        event.onset.us,
        event.onset.frame,
        None if offset is None else offset.us,
        None if offset is None else offset.frame,
        json.dumps(list(event.modifiers)) if event.modifiers else "[]",
        event.comment,
    )


def event_from_row(row: Sequence[Any]) -> Event:
    offset = None if row[6] is None and row[7] is None else _stamp(row[7], row[6])
    return Event(_text(row[1]), _text(row[2]), _stamp(row[5], row[4]), offset, bool(row[3]),
                 _modifiers(row[8]), _text(row[9]), _id(row[0]))  # fmt: skip


def _modifiers(text: Any) -> tuple[str, ...]:
    if text == "[]":
        return ()
    value = json.loads(_text(text))
    if not isinstance(value, list) or not all(type(m) is str and _text(m) for m in value):
        raise RowError(f"modifiers {text!r} are not a list of names")
    return tuple(value)


def rating_from_row(r: Sequence[Any]) -> Rating:
    """A row of :data:`RATING_COLUMNS` as a record."""
    return Rating(_text(r[0]), _text(r[1]), _number(r[2]), _text(r[3]))


def media_values(m: Media, observation_id: int, position: int) -> tuple[Any, ...]:
    """The columns of :data:`MEDIA_COLUMNS` (``id`` left for the database to choose)."""
    return (
        None, observation_id, position, m.path, m.fingerprint, m.size_bytes, m.duration_us,
        m.frame_count, float(m.fps), m.width, m.height, int(m.has_audio),
        int(m.variable_frame_rate), m.offset_us,
    )  # fmt: skip


def media_from_row(r: Sequence[Any]) -> Media:
    return Media(
        _text(r[3]), _text(r[4]), _int(r[5]), _int(r[6]), _int(r[7]), _number(r[8]),
        _int(r[9]), _int(r[10]), bool(r[11]), bool(r[12]), _int(r[13]), _int(r[2]), _id(r[0]),
    )  # fmt: skip


def timebase_blob(timebase: TimeBase | None) -> bytes | None:
    """How a medium's frame times are stored (None when it was not probed)."""
    return None if timebase is None else timebase.to_bytes()


def timebase_from_row(r: Sequence[Any]) -> TimeBase | None:
    """A row holding the ``timebase`` blob of a medium."""
    if r[0] is None:
        return None
    if type(r[0]) is not bytes:
        raise RowError("the frame times are not stored as bytes")
    return TimeBase.from_bytes(r[0])


def episode_from_row(r: Sequence[Any]) -> Episode:
    end = None if r[3] is None and r[4] is None else _stamp(r[4], r[3])
    return Episode(_text(r[0]), _stamp(r[2], r[1]), end)


def coding_from_row(r: Sequence[Any]) -> CodingInfo:
    """A row of :data:`CODING_QUERY` as a record."""
    coder = Coder(_text(r[3]), _text(r[4]), _id(r[2]))
    return CodingInfo(_id(r[0]), _id(r[1]), coder, _id(r[5]), CodingStatus(r[6]), bool(r[7]),
                      _text(r[8]), _text(r[9]))  # fmt: skip


def coder_from_row(r: Sequence[Any]) -> Coder:
    """A row (id, initials, name) of the coder table."""
    return Coder(_text(r[1]), _text(r[2]), _id(r[0]))


def observation_from_row(r: Sequence[Any], media: Sequence[Media]) -> Observation:
    """A row (id, name, participant, visit, date, notes) with the observation's media."""
    return Observation(
        _id(r[0]), _text(r[1]), _text(r[2]), _text(r[3]), _text(r[4]), _text(r[5]), tuple(media)
    )
