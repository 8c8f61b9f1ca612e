"""Opening video files: probing their packets and opening the PyAV backend."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from coder.media import index_store
from coder.media.index import IndexReadError, PacketIndex, info_from_index, read_index
from coder.media.pyav import PyAVVideoSource
from coder.media.source import MediaError, MediaInfo


def probe(path: str | Path, progress: Callable[[int, int, str], None] | None = None) -> MediaInfo:
    """Frame count, per-frame times, duration, frame rate and size of a video file.

    Frames are predicted from the packets (their presentation times, in display order), so a
    header that misstates the duration or frame count does not matter.
    The start of the file is decoded to check that prediction (and to read rotation and
    interlacing); a file whose packets mislead has its frames counted by a full decode, once
    (kept on disk), which ``progress(done, total, text)`` hears about; a cancel it raises
    propagates. Raises :class:`MediaError` naming the file for a missing, unreadable or
    frameless file.
    """
    return info_from_index(read_packet_index(path, progress))


def read_packet_index(
    path: str | Path, progress: Callable[[int, int, str], None] | None = None
) -> PacketIndex:
    """The frame index of the first video stream of ``path`` (see :mod:`coder.media.index`):
    the one kept from an earlier read, or read from the file and kept. ``progress(done, total,
    text)`` hears how reading goes (bytes of the file read, then any full decode); an exception
    it raises (a cancel) stops the work and nothing is kept."""
    file = existing_file(path)
    try:
        return read_index(file, progress=progress)
    except IndexReadError as exc:
        raise MediaError(f"{file}: {exc}") from exc


def index_is_kept(path: str | Path) -> bool:
    """Whether ``path`` opens without reading its packets: its frame index is kept (see
    :mod:`coder.media.index_store`) and fits the file as it is. A few milliseconds; when it
    answers ``False``, :func:`read_packet_index` in a background job (with its progress) makes
    the next :func:`open_video` of the file take constant time."""
    try:
        file = existing_file(path)
    except MediaError:
        return False
    return index_store.load(file) is not None


def existing_file(path: str | Path) -> Path:
    """``path`` as a :class:`Path`, or a :class:`MediaError` when it is not an existing file."""
    file = Path(path)
    if not file.exists():
        raise MediaError(f"{file}: no such file")
    if not file.is_file():
        raise MediaError(f"{file}: is not a file")
    return file


def open_video(
    path: str | Path,
    *,
    cache_mb: float = 256,
    thread_type: str = "AUTO",
    threads: int = 0,
) -> PyAVVideoSource:
    """Open a video file for exact frame access (PyAV backend; a :class:`VideoSource`).

    ``cache_mb`` bounds the memory of decoded frames kept for stepping back; ``thread_type``
    (``"AUTO"``, ``"FRAME"``, ``"SLICE"``, ``"NONE"``) and ``threads`` (0: FFmpeg chooses
    from the core count) tune FFmpeg's decoder. The first frame is decoded at once, so a file
    that cannot be decoded fails here with a :class:`MediaError` naming it. Calls are
    serialized by an internal lock; let one decode thread own a source (see
    :mod:`coder.media.pyav`), and ``close()`` it (or use it as a context manager) when done.
    """
    return PyAVVideoSource(
        existing_file(path), cache_mb=cache_mb, thread_type=thread_type, threads=threads
    )
