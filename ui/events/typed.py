"""What a coder types into a time cell of the event table, read as a frame. No Qt here."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from coder.timebase import TimeBase

_FRAME_TEXT = re.compile(r"(?:f|frame\s*)?(\d+)")
_CLOCK_PART = re.compile(r"\d+")
_SECONDS_PART = re.compile(r"\d+(?:\.\d*)?|\.\d+")


def parse_frame(text: str, timebase: TimeBase) -> int:
    """The frame meant by ``text``: a frame number (``1234``, ``f1234``) or a time.

    Times read as ``h:mm:ss.mmm``, ``m:ss.mmm``, ``12.5`` or ``12s`` and name the frame on
    screen at that instant; the end of the video (or later) means ``frame_count``.
    Raises ValueError with a message for the coder when ``text`` is neither.
    """
    clean = text.strip().lower()
    if match := _FRAME_TEXT.fullmatch(clean):
        return int(match.group(1))
    parts = clean.removesuffix("s").strip().split(":")
    readable = (
        1 <= len(parts) <= 3
        and all(_CLOCK_PART.fullmatch(p) for p in parts[:-1])
        and _SECONDS_PART.fullmatch(parts[-1]) is not None
    )
    if not readable:
        raise ValueError(
            f"{text.strip()!r} is neither a frame number nor a time such as 0:01:02.500"
        )
    try:
        seconds = Decimal(parts[-1])
    except InvalidOperation as exc:  # pragma: no cover - the pattern admits only decimals
        raise ValueError(f"{text.strip()!r} is not a time") from exc
    for weight, part in zip((60, 3600), reversed(parts[:-1]), strict=False):
        seconds += weight * int(part)
    us = int(seconds * 1_000_000)
    if us >= timebase.duration_us:
        return timebase.frame_count
    return timebase.index_at(us)


def modifier_names(value: object) -> tuple[str, ...]:
    """Modifiers given to the Modifiers cell: a list of names, or text such as ``mild, strong``
    (empty: none)."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, (list, tuple)):
        return tuple(str(part) for part in value)
    raise ValueError(f"modifiers must be names or text, not {type(value).__name__}")
