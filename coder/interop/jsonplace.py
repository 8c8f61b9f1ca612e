"""Untrusted JSON read exactly, each problem named by its path (``observations["a"].events[3]``)."""

from __future__ import annotations

import gzip
import json
import zlib
from decimal import Decimal, InvalidOperation
from typing import Any

from coder.interop.errors import InteropError

US_PER_S = Decimal(1_000_000)


def load_json(raw: bytes, source: str) -> tuple[Any, bytes]:
    """The JSON value of ``raw`` (gunzipped first when it is gzip) and the plain bytes.

    Numbers with a fraction are read as :class:`~decimal.Decimal`, so times stay exact.
    """
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            raise InteropError(source, f"the gzip stream is damaged ({exc})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InteropError(source, f"byte {exc.start}: not UTF-8 text") from None
    if not text.strip():
        raise InteropError(source, "the file is empty")
    try:
        return json.loads(text, parse_float=Decimal, parse_constant=_constant), raw
    except json.JSONDecodeError as exc:
        what = (
            "the JSON ends before it is complete (a truncated file?)"
            if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string")
            else f"not valid JSON ({exc.msg})"
        )
        raise InteropError(source, f"line {exc.lineno} column {exc.colno}: {what}") from None


def _constant(name: str) -> Any:
    return Decimal(name)  # NaN and Infinity: refused where a number is read


def key_text(key: object) -> str:
    return json.dumps(str(key), ensure_ascii=False)


def seconds_to_us(value: Any) -> int | None:
    """Seconds (a JSON number or numeric text) as whole µs, rounded half to even; None when
    ``value`` is not a finite number."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value * 1_000_000
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            return None
    if not isinstance(value, Decimal) or not value.is_finite():
        return None
    return int((value * US_PER_S).to_integral_value())


def us_text(us: int) -> str:
    """µs as seconds, exactly and without trailing zeros (``12.3456``)."""
    text = str(Decimal(us) / US_PER_S)
    return text if "E" not in text else f"{Decimal(us) / US_PER_S:f}"
