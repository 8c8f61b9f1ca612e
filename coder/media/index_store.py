"""Frame indexes kept on disk, so that a video's packets are read once, not at every open.

Reading every packet of a one-hour recording takes seconds to tens of seconds; the index it gives
(:class:`~coder.media.packet_index.PacketIndex`) is stored here, in the folder of
:func:`coder.media.index_cache.cache_dir`, under the file's content fingerprint
(:mod:`coder.media.fingerprint`), so a moved or renamed copy, or a project opened from another
folder, finds it again. It is never trusted blindly:

* a file of another size or with other content samples has another fingerprint: not found;
* a record made by another engine layout or another FFmpeg demuxer is not used;
* when the file's modification time differs from the one recorded (touched, copied, or edited
  in place where the fingerprint does not sample), 64 more samples of its content are compared
  before the record is used; a mismatch means the index is built again.

Should a record still disagree with the file, decoding notices (see :mod:`coder.media.pyav`)
and the packets are read again. A cache folder that cannot be read or written is simply not
used; a damaged record is ignored and replaced.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import zipfile
from fractions import Fraction
from pathlib import Path
from typing import Any

import numpy as np

from coder.media import index_cache
from coder.media.fingerprint import fingerprint
from coder.media.packet_index import PacketIndex
from coder.media.packets import Packets
from coder.timebase import TimeBase

VERSION = 1
"""Layout of a record, and of the index it holds; an engine that indexes differently raises it."""
DEEP_SAMPLES = 64
DEEP_BYTES = 4096
_ERRORS = (OSError, ValueError, KeyError, EOFError, TypeError, zipfile.BadZipFile)
_PACKET_FIELDS = ("pts", "dts", "pos", "key", "discard", "pictures", "duration")
_INT_ARRAYS = ("ticks", "keyframes", "key_packets", "pts_us")


def record_path(path: Path) -> Path | None:
    """Where the index of the first video stream of ``path`` is kept (``None``: nowhere, or
    the file cannot be read)."""
    folder = index_cache.cache_dir()
    if folder is None:
        return None
    try:
        digest = fingerprint(path).split(":", 1)[1]
    except OSError:
        return None
    return folder / f"packets-v{VERSION}-{digest[:40]}.npz"


def deep_digest(path: Path) -> str:
    """SHA-256 of :data:`DEEP_SAMPLES` samples spread over the file (raises ``OSError``)."""
    size = path.stat().st_size
    digest = hashlib.sha256(size.to_bytes(8, "little"))
    with path.open("rb") as handle:
        step = max(size - DEEP_BYTES, 0) / max(DEEP_SAMPLES - 1, 1)
        for k in range(DEEP_SAMPLES):
            handle.seek(round(k * step))
            digest.update(handle.read(DEEP_BYTES))
    return digest.hexdigest()


def demuxer_version() -> str:
    """The FFmpeg demuxing library the index was read with (another may number packets
    differently)."""
    import av

    versions = getattr(av, "library_versions", {})
    return f"{versions.get('libavformat', '?')}/{versions.get('libavcodec', '?')}"


def load(path: Path) -> PacketIndex | None:
    """The kept index of ``path``, or ``None`` when there is none that can be trusted."""
    target = record_path(path)
    if target is None:
        return None
    try:
        with np.load(target, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        meta = json.loads(str(arrays.pop("meta")))
        stat = path.stat()
        if (
            meta["version"] != VERSION
            or meta["size"] != stat.st_size
            or meta["demuxer"] != demuxer_version()
        ):
            return None
        if meta["mtime_ns"] != stat.st_mtime_ns:
            if meta["deep"] != deep_digest(path):
                return None
            meta["mtime_ns"] = stat.st_mtime_ns
            _write(target, arrays, meta)  # seen unchanged: the cheap check holds next time
        return _index(path, arrays, meta)
    except _ERRORS:
        return None


def save(index: PacketIndex, expected: Path | None) -> None:
    """Keep ``index``, read from the file whose record is ``expected`` (from
    :func:`record_path` before reading: a file that changed meanwhile is not recorded). Errors
    writing are ignored: the cache is then simply not used."""
    target = record_path(index.path)
    if target is None or target != expected:
        return
    try:
        stat = index.path.stat()
        meta = {
            "version": VERSION,
            "size": stat.st_size,
            "mtime_ns": stat.st_mtime_ns,
            "deep": deep_digest(index.path),
            "demuxer": demuxer_version(),
            "stream_index": index.stream_index,
            "time_base": _fraction(index.time_base),
            "duration_us": index.timebase.duration_us,
            "width": index.width,
            "height": index.height,
            "codec": index.codec,
            "header_fps": _fraction(index.header_fps) if index.header_fps else None,
            "has_audio": index.has_audio,
            "format_name": index.format_name,
            "format_flags": index.format_flags,
            "method": index.method,
            "notes": list(index.notes),
            "rotation": index.rotation,
            "sample_aspect": _fraction(index.sample_aspect),
            "interlaced": index.interlaced,
            "top_field_first": index.top_field_first,
            "vfr": index.vfr,
            "damaged": index.damaged,
        }
        arrays: dict[str, np.ndarray] = {
            "ticks": index.ticks,
            "keyframes": index.keyframes,
            "key_packets": index.key_packets,
            "pts_us": index.timebase.pts,
        }
        for name in _PACKET_FIELDS:
            arrays[f"packets_{name}"] = getattr(index.packets, name)
        _write(target, arrays, meta)
    except _ERRORS:
        pass


def forget(path: Path) -> None:
    """Remove the kept index of ``path`` (one that decoding found wrong)."""
    target = record_path(path)
    if target is not None:
        with contextlib.suppress(OSError):
            target.unlink(missing_ok=True)


def _write(target: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    part = target.with_name(f"{target.stem}.{os.getpid()}.part.npz")
    payload: dict[str, Any] = {"meta": np.array(json.dumps(meta)), **arrays}
    with part.open("wb") as handle:
        np.savez(handle, **payload)
    part.replace(target)


def _fraction(value: Fraction) -> list[int]:
    return [value.numerator, value.denominator]


def _index(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> PacketIndex:
    """The index a record holds; raises ``ValueError`` or ``KeyError`` when it is malformed."""
    for name in _INT_ARRAYS:
        if arrays[name].dtype != np.int64 or arrays[name].ndim != 1:
            raise ValueError(f"{name} is not a list of integers")
    packets = Packets(**{name: arrays[f"packets_{name}"] for name in _PACKET_FIELDS})
    lengths = {getattr(packets, name).shape for name in _PACKET_FIELDS}
    ticks, keyframes, key_packets = arrays["ticks"], arrays["keyframes"], arrays["key_packets"]
    if (
        len(lengths) != 1
        or ticks.size != arrays["pts_us"].size
        or keyframes.size != key_packets.size
        or not keyframes.size
        or keyframes[0] != 0
        or int(key_packets.max()) >= packets.count
        or int(keyframes.max()) >= ticks.size
    ):
        raise ValueError("the arrays of the record do not fit together")
    header = meta["header_fps"]
    return PacketIndex(
        path=path,
        stream_index=int(meta["stream_index"]),
        time_base=Fraction(*meta["time_base"]),
        ticks=ticks,
        keyframes=keyframes,
        key_packets=key_packets,
        packets=packets,
        timebase=TimeBase(arrays["pts_us"], int(meta["duration_us"])),
        width=int(meta["width"]),
        height=int(meta["height"]),
        codec=str(meta["codec"]),
        header_fps=Fraction(*header) if header else None,
        has_audio=bool(meta["has_audio"]),
        format_name=str(meta["format_name"]),
        format_flags=int(meta["format_flags"]),
        method=str(meta["method"]),
        notes=tuple(str(n) for n in meta["notes"]),
        rotation=int(meta["rotation"]),
        sample_aspect=Fraction(*meta["sample_aspect"]),
        interlaced=bool(meta["interlaced"]),
        top_field_first=bool(meta["top_field_first"]),
        vfr=bool(meta["vfr"]),
        damaged=bool(meta["damaged"]),
        kept=True,
    )
