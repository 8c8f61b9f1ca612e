"""The files around a project file: SQLite's ``-wal``/``-shm`` side files, the temporary files
of a creation or a migration, and whether the place the file lies in can be written.

A sync folder or a copy to a USB stick takes the ``.attune`` file and often not its side files,
so the store keeps the main file whole (a checkpoint whenever the app is idle and on close) and
these helpers say when the side files are not what they should be:

- :func:`side_file_problem` (at open): a ``-wal`` that cannot belong to the file beside it (not
  a log, or of another page size), or a ``-shm`` that says its log holds changes while the
  ``-wal`` is gone (removed while the project was open: those changes are not in the file).
- :class:`SideFileWatch` (while open): the side files this connection writes are still the
  ones at the project's path (a sync client or a user may delete them while a coder works).

Temporary files are named so that they never end in ``.attune`` (``.study.attune.123.creating``,
``.study.v1-backup.attune.123.partial``) and :func:`remove_leftovers` takes away those whose
process is gone.
"""

from __future__ import annotations

import os
import re
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

_WAL_MAGIC = (0x377F0682, 0x377F0683)
_SQLITE_MAGIC = b"SQLite format 3\x00"
_LEFTOVER = re.compile(
    r"\.(?P<name>.+)\.(?P<pid>[0-9]+)\.(?:creating|partial)(?:-wal|-shm|-journal)?"
)


def side_files(path: Path) -> tuple[Path, ...]:
    """The ``-wal``, ``-shm`` and ``-journal`` files SQLite keeps beside ``path``."""
    return tuple(path.with_name(path.name + suffix) for suffix in ("-wal", "-shm", "-journal"))


def creating_path(path: Path) -> Path:
    """Where a new project is built before it is moved to ``path``."""
    return path.with_name(f".{path.name}.{os.getpid()}.creating")


def partial_path(path: Path) -> Path:
    """Where a backup copy is written before it is renamed to ``path``."""
    return path.with_name(f".{path.name}.{os.getpid()}.partial")


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - no cheap check; keep the file
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def remove_leftovers(path: Path) -> list[Path]:
    """Remove temporary files of killed creations and migrations beside ``path`` (of any
    project in its folder); returns what was removed. Files of a live process are kept."""
    removed: list[Path] = []
    try:
        entries = list(path.parent.iterdir())
    except OSError:
        return removed
    for entry in entries:
        found = _LEFTOVER.fullmatch(entry.name)
        if found is None or _alive(int(found["pid"])):
            continue
        try:
            entry.unlink()
        except OSError:
            continue
        removed.append(entry)
    return removed


def _page_size(path: Path) -> int | None:
    try:
        with path.open("rb") as handle:
            header = handle.read(100)
    except OSError:
        return None
    if len(header) < 100 or not header.startswith(_SQLITE_MAGIC):
        return None
    size = int.from_bytes(header[16:18], "big")
    return 65536 if size == 1 else size


def side_file_problem(path: Path) -> str | None:
    """Why the side files beside ``path`` cannot be trusted, as a sentence; None when they can
    (or when there are none)."""
    wal, shm, _ = side_files(path)
    wal_there = wal.is_file()
    if wal_there and wal.stat().st_size > 0:
        try:
            with wal.open("rb") as handle:
                header = handle.read(32)
        except OSError as exc:
            return f"its side file {wal.name} cannot be read ({exc.strerror or exc})"
        if len(header) < 32:
            return f"its side file {wal.name} is cut short (not SQLite's log)"
        magic, _version, page = struct.unpack(">III", header[:12])
        if magic not in _WAL_MAGIC:
            return f"its side file {wal.name} is not SQLite's log of this file (another file?)"
        own = _page_size(path)
        if own is not None and page != own:
            return (
                f"its side file {wal.name} belongs to another file (pages of {page} bytes, "
                f"this file has {own})"
            )
    if not wal_there and shm.is_file():
        frames = _logged_frames(shm)
        if frames:
            return (
                f"its side file {wal.name} is missing while {shm.name} says it held {frames} "
                "logged pages: changes made since the last save into the main file are not in "
                f"it. If the project is open in Attune elsewhere, close it there (Attune writes "
                f"them back); otherwise remove {shm.name} to open the file as it is"
            )
    return None


def _logged_frames(shm: Path) -> int:
    """How many pages the ``-shm`` index says the log holds (0 when it cannot tell)."""
    try:
        with shm.open("rb") as handle:
            header = handle.read(48)
    except OSError:
        return 0
    if len(header) < 48 or header[12] != 1:  # isInit: the index was built
        return 0
    (frames,) = struct.unpack("=I", header[16:20])  # mxFrame, in the host's byte order
    return int(frames)


def place_is_read_only(path: Path) -> str | None:
    """Why the project at ``path`` cannot be written in place (a read-only file, folder or
    medium), as a few words; None when it can."""
    folder = path.parent if str(path.parent) else Path(".")
    try:
        if hasattr(os, "statvfs") and os.statvfs(path).f_flag & os.ST_RDONLY:
            return "it lies on a read-only medium"
    except OSError:
        pass
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(folder, os.W_OK | os.X_OK):
        return f"its folder {folder} is read-only (SQLite keeps side files there)"
    return None


@dataclass(frozen=True, slots=True)
class _Identity:
    device: int
    inode: int


def _identity(path: Path) -> _Identity | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return _Identity(st.st_dev, st.st_ino)


class SideFileWatch:
    """Remembers which ``-wal`` and ``-shm`` files a connection uses and tells when the files
    at the project's path are no longer those (removed or replaced while it was open)."""

    def __init__(self, path: Path) -> None:
        self._path = path
        self._known: dict[Path, _Identity] = {}

    def remember(self) -> None:
        """Note the side files there now (after the connection made them)."""
        self._known = {}
        for side in side_files(self._path)[:2]:
            found = _identity(side)
            if found is not None:
                self._known[side] = found

    def problem(self) -> str | None:
        """Which side file went away or was replaced since :meth:`remember`; None if none."""
        for side, known in self._known.items():
            now = _identity(side)
            if now is None:
                return f"its side file {side.name} was removed while the project was open"
            if now != known:
                return f"its side file {side.name} was replaced while the project was open"
        return None
