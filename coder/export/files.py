"""Writing export files safely: never over an existing file unless forced, never half a file.

A file is written under a temporary name in its target folder and moved into place only when
complete (:func:`atomic_files`), so a failed or interrupted export leaves nothing behind.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from coder.export.tables.select import ExportError


def refuse_existing(paths: Sequence[Path], force: bool) -> None:
    """An :class:`ExportError` naming the first of ``paths`` that exists, unless ``force``."""
    for path in paths:
        if path.is_dir():
            raise ExportError(f"{path}: a folder of that name exists; not overwritten")
        if path.exists() and not force:
            raise ExportError(f"{path}: the file exists; not overwritten (use --force to replace)")


@contextmanager
def atomic_files(paths: Sequence[Path], force: bool = False) -> Iterator[list[Path]]:
    """Temporary paths to write ``paths`` to; moved into place together when the block ends
    without an error, deleted when it raises."""
    refuse_existing(paths, force)
    for path in paths:
        if not path.parent.is_dir():
            raise ExportError(f"{path.parent}: no such folder")
    partials = [p.with_name(f".{p.stem}.{uuid.uuid4().hex[:8]}.partial{p.suffix}") for p in paths]
    try:
        yield partials
        for partial, path in zip(partials, paths, strict=True):
            if not partial.is_file():
                raise ExportError(f"{path}: nothing was written")
        for partial, path in zip(partials, paths, strict=True):
            os.replace(partial, path)
    finally:
        for partial in partials:
            partial.unlink(missing_ok=True)
