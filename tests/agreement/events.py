"""Events for the agreement tests, at 25 fps (no tests of its own)."""

from __future__ import annotations

from coder.model import Event, Stamp

FPS = 25


def stamp(seconds: float) -> Stamp:
    frame = round(seconds * FPS)
    return Stamp(frame, frame * 1_000_000 // FPS)


def state(code: str, start: float, end: float | None) -> Event:
    """A state from ``start`` to ``end`` seconds (``None``: still open)."""
    return Event(code, "infant", stamp(start), None if end is None else stamp(end))


def point(code: str, at: float) -> Event:
    return Event(code, "infant", stamp(at), None, is_state=False)
