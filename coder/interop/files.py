"""Writing an export file whole or not at all: under a temporary name, then moved into place."""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Sequence
from pathlib import Path

from coder.interop.errors import InteropError
from coder.project.records import PassRecord


def write_atomic(path: Path, write: Callable[[Path], None]) -> Path:
    """Call ``write(partial)`` for a temporary file beside ``path``, then move it to ``path``;
    nothing is left behind when ``write`` raises."""
    if not path.parent.is_dir():
        raise InteropError(str(path), f"{path.parent}: no such folder")
    partial = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        write(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def refuse_open_states(records: Sequence[PassRecord], source: str) -> None:
    """An :class:`InteropError` naming every state still open in ``records``:
    other tools have no open state, and guessing its end would invent data."""
    problems = []
    for record in records:
        for event in record.events:
            if event.is_open:
                problems.append(
                    f"observation {record.observation.name!r}, coder {record.coder}: "
                    f"{event.behaviour} is still open since frame {event.onset.frame} "
                    f"({event.onset.us / 1e6:g} s); stop it before exporting"
                )
    if problems:
        raise InteropError(source, problems)
