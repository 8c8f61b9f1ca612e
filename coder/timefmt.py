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


def parse_position(text: str) -> tuple[str, int]:
    """A place in a video as a coder types it: ``("frame", n)`` or ``("us", µs)``.

    ``f2500`` or ``frame 2500`` is a frame index; ``83.5`` is seconds; ``1:23.5`` is minutes
    and seconds; ``1:02:03.250`` hours, minutes and seconds. Raises ``ValueError`` saying what
    is wrong with ``text``.
    """
    typed = text.strip().lower().replace(",", ".")
    if not typed:
        raise ValueError("type a time (1:23.5 or 83.5) or a frame (f2500)")
    if typed.startswith(("frame", "f")):
        number = typed.removeprefix("frame").removeprefix("f").strip()
        if not number.isdigit():
            raise ValueError(f"{text.strip()!r}: a frame is f and a whole number, e.g. f2500")
        return "frame", int(number)
    parts = typed.split(":")
    if len(parts) > 3 or not all(_is_number(p) for p in parts):
        raise ValueError(f"{text.strip()!r} is not a time: write 1:23.5, 83.5 or 1:02:03.250")
    *whole, last = parts
    sixty = float(last) >= 60 or (len(whole) == 2 and int(whole[1]) >= 60)
    if any(not p.isdigit() for p in whole) or (whole and sixty):
        raise ValueError(f"{text.strip()!r} is not a time: minutes and seconds run to 59")
    seconds = float(last)
    for unit, value in zip((60, 3600), reversed(whole), strict=False):
        seconds += unit * int(value)
    if not seconds < 1e7:  # about 115 days: no recording is longer
        raise ValueError(f"{text.strip()!r} is past the end of any recording")
    return "us", round(seconds * 1e6)


def _is_number(part: str) -> bool:
    if not part or part.count(".") > 1:
        return False
    return part.replace(".", "", 1).isdigit()
