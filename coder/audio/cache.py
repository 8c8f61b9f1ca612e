"""Envelopes and spectrograms kept on disk, so the sound of a file is read once.

They are stored under the file's content fingerprint (:mod:`coder.media.fingerprint`), beside
the frame counts of :mod:`coder.media.index_cache`: in the user's cache folder, or in
``$ATTUNE_MEDIA_CACHE`` when that is set (an empty value stores nothing). A changed file has
another fingerprint, so it is never served what was stored for the old one; the stored file
size is checked as well. A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from coder.audio.envelope import FACTOR, Envelope, Level, Spectrogram
from coder.media.index_cache import ENV

VERSION = 1
"""Layout of what is stored; a change in how envelopes are computed raises it."""
CACHE_ERRORS = (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile)


def cache_dir() -> Path | None:
    """Where envelopes are stored (``None``: nowhere)."""
    configured = os.environ.get(ENV)
    if configured is not None:
        return Path(configured) if configured else None
    import platformdirs

    return Path(platformdirs.user_cache_dir("Attune", appauthor=False)) / "audio"


def _file(folder: Path, fingerprint: str, kind: str) -> Path:
    digest = fingerprint.split(":", 1)[-1]
    return folder / f"audio-v{VERSION}-{kind}-{digest[:40]}.npz"


def load_envelope(folder: Path | None, path: Path, fingerprint: str) -> Envelope | None:
    """The stored envelope of ``path`` (with that fingerprint), or ``None``."""
    if folder is None:
        return None
    try:
        with np.load(_file(folder, fingerprint, "env"), allow_pickle=False) as data:
            start, rate, samples, channels, size, bins, damaged = (int(v) for v in data["meta"])
            levels = tuple(
                Level(data[f"low{k}"], data[f"high{k}"], data[f"rms{k}"])
                for k in range(int(data["count"]))
            )
            codec = str(data["codec"])
            peak = float(data["peak"])
    except CACHE_ERRORS:
        return None
    if size != _size(path) or not _sound_levels(levels, -(-samples // max(1, bins))):
        return None
    return Envelope(
        path=path,
        fingerprint=fingerprint,
        start_us=start,
        sample_rate=rate,
        samples=samples,
        channels=channels,
        codec=codec,
        bin_samples=bins,
        levels=levels,
        peak=peak,
        damaged_packets=damaged,
    )


def load_spectrogram(folder: Path | None, path: Path, fingerprint: str) -> Spectrogram | None:
    """The stored spectrogram of ``path``, or ``None``."""
    if folder is None:
        return None
    try:
        with np.load(_file(folder, fingerprint, "spec"), allow_pickle=False) as data:
            size, start = (int(v) for v in data["meta"])
            hop_us, low_hz, high_hz, floor_db = (float(v) for v in data["scale"])
            levels = tuple(data[f"level{k}"] for k in range(int(data["count"])))
    except CACHE_ERRORS:
        return None
    sound = bool(levels) and all(a.dtype == np.uint8 and a.ndim == 2 for a in levels)
    if size != _size(path) or not sound or levels[0].shape[0] == 0:
        return None
    return Spectrogram(start, hop_us, low_hz, high_hz, floor_db, levels)


def save(folder: Path | None, envelope: Envelope) -> None:
    """Store ``envelope`` (and its spectrogram, when it has one); errors are ignored."""
    if folder is None:
        return
    size = _size(envelope.path)
    if size < 0:
        return
    e = envelope
    meta = (e.start_us, e.sample_rate, e.samples, e.channels, size, e.bin_samples)
    arrays: dict[str, Any] = {
        "meta": np.array((*meta, e.damaged_packets), dtype=np.int64),
        "count": np.array(len(e.levels)),
        "codec": np.array(e.codec),
        "peak": np.array(e.peak),
    }
    for k, level in enumerate(e.levels):
        arrays.update({f"low{k}": level.low, f"high{k}": level.high, f"rms{k}": level.rms})
    _write(_file(folder, e.fingerprint, "env"), arrays)
    spec = e.spectrogram
    if spec is not None:
        spectral: dict[str, Any] = {
            "meta": np.array([size, spec.start_us], dtype=np.int64),
            "scale": np.array([spec.hop_us, spec.low_hz, spec.high_hz, spec.floor_db]),
            "count": np.array(len(spec.levels)),
        }
        spectral.update({f"level{k}": level for k, level in enumerate(spec.levels)})
        _write(_file(folder, e.fingerprint, "spec"), spectral)


def _write(target: Path, arrays: dict[str, Any]) -> None:
    part = target.with_name(f"{target.stem}.{os.getpid()}.part")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with part.open("wb") as handle:
            np.savez(handle, allow_pickle=False, **arrays)
        part.replace(target)
    except OSError:
        with contextlib.suppress(OSError):
            part.unlink(missing_ok=True)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return -1


def _sound_levels(levels: tuple[Level, ...], bins: int) -> bool:
    """Whether stored levels have the shapes an envelope of ``bins`` finest bins has."""
    if not levels:
        return False
    expected = bins
    for level in levels:
        arrays = (level.low, level.high, level.rms)
        if any(a.dtype != np.int8 or a.ndim != 1 or a.size != expected for a in arrays):
            return False
        expected = -(-expected // FACTOR)
    return True
