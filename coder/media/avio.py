"""Reading media files with PyAV: opening them, their packets, and what its errors mean."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TypeVar, cast

import av
from av.stream import Stream

OPEN_OPTIONS: dict[str, str] = {}
METADATA_ERRORS = "replace"
"""Metadata that is not UTF-8 (a phone's location tag) is read with replacement characters."""

AV_ERRORS: tuple[type[BaseException], ...] = (
    av.error.FFmpegError,
    OSError,
    EOFError,
    UnicodeError,
    MemoryError,
)
"""What PyAV and FFmpeg raise on strange or damaged files (turned into ``MediaError``)."""


def open_container(path: Path) -> av.container.InputContainer:
    """Open ``path`` for reading; metadata that is not UTF-8 does not raise."""
    return av.open(str(path), "r", metadata_errors=METADATA_ERRORS)


StreamT = TypeVar("StreamT", bound=Stream)


def demux(container: av.container.InputContainer, stream: StreamT) -> Iterator[av.Packet[StreamT]]:
    """The packets of ``stream`` in file order, up to the empty one that flushes its decoder.

    MPEG-TS announces a stream when it starts, so a recording can gain one midway (subtitles,
    a second sound track); PyAV then raises ``IndexError`` at the end of the file, after every
    packet of the streams it knew: that is the end here.
    """
    packets = cast("Iterator[av.Packet[StreamT]]", container.demux(stream))
    while True:
        try:
            packet = next(packets)
        except (StopIteration, IndexError):
            return
        yield packet


def cause(exc: BaseException) -> str:
    """The cause of a PyAV/FFmpeg error, for people."""
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return str(text).rstrip(".")


class quiet:
    """A context that swallows PyAV/FFmpeg errors (the tail of a damaged stream)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> bool:
        return kind is not None and issubclass(kind, AV_ERRORS)
