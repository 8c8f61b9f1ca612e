"""Short, legal variable names for SPSS, R and Stata (letters, digits, ``_``; at most 32)."""

from __future__ import annotations

import re
from collections.abc import Collection

MAX_LENGTH = 32
#: SPSS keywords that cannot be variable names.
RESERVED = frozenset(
    {"ALL", "AND", "BY", "EQ", "GE", "GT", "LE", "LT", "NE", "NOT", "OR", "TO", "WITH"}
)


def legal_name(text: str, taken: Collection[str] = ()) -> str:
    """``text`` as a legal variable name, unique among ``taken`` (case-insensitively).

    Other characters become ``_``; a name that does not start with a letter gets ``v``; a name
    too long is cut; a clash gets ``_2``, ``_3`` …
    """
    name = re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_") or "v"
    if not name[0].isalpha():
        name = f"v{name}"
    name = name[:MAX_LENGTH].rstrip("_")
    if name.upper() in RESERVED:
        name = f"v_{name}"
    lower = {t.lower() for t in taken}
    candidate, number = name, 1
    while candidate.lower() in lower:
        number += 1
        suffix = f"_{number}"
        candidate = f"{name[: MAX_LENGTH - len(suffix)]}{suffix}"
    return candidate


def segment_short(code: str) -> str:
    """A segment's short form in names: ``interval_3`` → ``int03``; episodes keep their code."""
    match = re.fullmatch(r"interval_(\d+)", code)
    return f"int{int(match.group(1)):02d}" if match else code
