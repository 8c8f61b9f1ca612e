"""Frame-exact access to video files, without Qt.

``open_video(path)`` returns a :class:`VideoSource`: ``frame(i)`` is exactly the i-th frame of a
sequential decode, ``pts_us(i)`` its presentation time, ``index_at(us)`` the frame on screen at
a time. ``probe(path)`` reads the packet index only. Problems raise :class:`MediaError`.

The modules: :mod:`~coder.media.source` (the interface, records and an in-memory source),
:mod:`~coder.media.index` (the frame index: predicted from packets, checked by decoding, or
counted by a full decode), :mod:`~coder.media.bitstream` (hidden VP8/VP9 frames),
:mod:`~coder.media.index_cache` (full-decode counts kept per file), :mod:`~coder.media.index_store`
(whole frame indexes kept per file, so a second open reads no packets), :mod:`~coder.media.pyav`
(the PyAV backend, which checks its index while decoding, and decodes ahead on request),
:mod:`~coder.media.decoding` (its decoding loop), :mod:`~coder.media.demuxer` (its open file,
and seeks that land at or before a keyframe), :mod:`~coder.media.frame_cache` (decoded frames in
compact and RGB form, kept near the playhead), :mod:`~coder.media.fingerprint` (content identity
of a file) and :mod:`~coder.media.opening`.
The decoder libraries load when a video is first opened, so importing this package stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from coder.media.source import ArrayVideoSource, MediaError, MediaInfo, VideoSource

if TYPE_CHECKING:
    from coder.media.index import PacketIndex
    from coder.media.opening import (
        existing_file,
        index_is_kept,
        open_video,
        probe,
        read_packet_index,
    )
    from coder.media.pyav import PyAVVideoSource

_LAZY = {
    "PacketIndex": "coder.media.index",
    "existing_file": "coder.media.opening",
    "index_is_kept": "coder.media.opening",
    "open_video": "coder.media.opening",
    "probe": "coder.media.opening",
    "read_packet_index": "coder.media.opening",
    "PyAVVideoSource": "coder.media.pyav",
}

__all__ = [
    "ArrayVideoSource",
    "MediaError",
    "MediaInfo",
    "PacketIndex",
    "PyAVVideoSource",
    "VideoSource",
    "existing_file",
    "index_is_kept",
    "open_video",
    "probe",
    "read_packet_index",
]


def __getattr__(name: str) -> Any:
    """Load the decoder-backed names on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'coder.media' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
