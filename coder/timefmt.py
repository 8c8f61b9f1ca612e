"""Times in µs as text for people: the one place that formats them."""

from __future__ import annotations


def _parts(us: int) -> tuple[str, int, int, int, int]:
    sign = "-" if us < 0 else ""
    ms = abs(int(us)) // 1000
    hours, rest = divmod(ms, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    seconds, millis = divmod(rest, 1000)
    return sign, hours, minutes, seconds, millis


def format_time(us: int) -> str:
    """``h:mm:ss.mmm`` (rounded down to the millisecond): the player's and the table's clock."""
    sign, hours, minutes, seconds, millis = _parts(us)
    return f"{sign}{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"


def format_short(us: int) -> str:
    """``m:ss.mmm``, with hours only when there are any (``h:mm:ss.mmm``): for messages."""
    sign, hours, minutes, seconds, millis = _parts(us)
    if hours:
        return f"{sign}{hours}:{minutes:02d}:{seconds:02d}.{millis:03d}"
    return f"{sign}{minutes}:{seconds:02d}.{millis:03d}"


def format_clock(us: int) -> str:
    """``m:ss`` (or ``h:mm:ss``) in whole seconds: for labels of segments and lengths."""
    sign, hours, minutes, seconds, _ = _parts(us)
    return (
        f"{sign}{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{sign}{minutes}:{seconds:02d}"
    )
