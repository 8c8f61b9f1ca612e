"""Frame counts from full decodes, kept per file so that a file is decoded in full only once.

A full decode (see :func:`coder.media.index.decode_all_ticks`) records the time stamp of every
picture in output order. It is stored under the file's content fingerprint (so a moved or
renamed copy finds it) in the user's cache folder, or in ``$ATTUNE_MEDIA_CACHE`` when that is
set (an empty value keeps it in memory only). A cache that cannot be read or written is simply
not used.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

import numpy as np

from coder.media.fingerprint import fingerprint

VERSION = 1
"""Layout of the stored counts; a new engine that counts differently raises it."""
ENV = "ATTUNE_MEDIA_CACHE"

_memory: dict[str, np.ndarray] = {}
_lock = threading.Lock()


def cache_dir() -> Path | None:
    """Where counts are stored (``None``: in memory only)."""
    configured = os.environ.get(ENV)
    if configured is not None:
        return Path(configured) if configured else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("Attune", appauthor=False)) / "frame-index"


def _key(path: Path, stream_index: int) -> str | None:
    try:
        digest = fingerprint(path).split(":", 1)[1]
    except OSError:
        return None
    return f"v{VERSION}-s{stream_index}-{digest[:40]}"


def load(path: Path, stream_index: int) -> np.ndarray | None:
    """The stored picture time stamps of ``path``, or ``None``."""
    key = _key(path, stream_index)
    if key is None:
        return None
    with _lock:
        remembered = _memory.get(key)
    if remembered is not None:
        return remembered
    folder = cache_dir()
    if folder is None:
        return None
    try:
        found: np.ndarray = np.load(folder / f"{key}.npy", allow_pickle=False)
    except (OSError, ValueError):
        return None
    if found.dtype != np.int64 or found.ndim != 1:
        return None
    with _lock:
        _memory[key] = found
    return found


def save(path: Path, stream_index: int, ticks: np.ndarray) -> None:
    """Keep the picture time stamps of ``path`` (errors writing to disk are ignored)."""
    key = _key(path, stream_index)
    if key is None:
        return
    ticks = np.asarray(ticks, dtype=np.int64)
    with _lock:
        _memory[key] = ticks
    folder = cache_dir()
    if folder is None:
        return
    try:
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / f"{key}.{os.getpid()}.part.npy"
        np.save(part, ticks, allow_pickle=False)
        part.replace(folder / f"{key}.npy")
    except OSError:
        pass


def forget_memory() -> None:
    """Drop the counts kept in memory (tests; the disk copies stay)."""
    with _lock:
        _memory.clear()
