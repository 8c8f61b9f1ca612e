"""The sound of a media file, made visible: peak envelopes and spectrograms, without Qt.

``read_sound(path, spectrogram=False, progress=...)`` returns the :class:`Envelope` of the
file's first audio stream (with a :class:`Spectrogram` when asked), or :class:`NoSound` for a
file without one; a file that cannot be read or whose sound cannot be decoded raises
:class:`AudioError` naming it. The result is computed once per file content and kept on disk
(:mod:`coder.audio.cache`); ``read_cached(path)`` answers from there only, at once.

Times are integer microseconds of media presentation time, the same axis as
:meth:`coder.media.VideoSource.pts_us` (see :mod:`coder.audio.envelope`). The modules:
:mod:`~coder.audio.envelope` (the records and how they are drawn from),
:mod:`~coder.audio.binning` (streaming reductions), :mod:`~coder.audio.reading` (decoding with
PyAV) and :mod:`~coder.audio.cache`. PyAV loads when sound is first read.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from coder.audio import cache
from coder.audio.envelope import AudioError, Envelope, Level, NoSound, Spectrogram
from coder.jobs import JobCancelled, Progress, no_progress
from coder.media.fingerprint import fingerprint

_DEFAULT = Path()
"""Stands for "the usual cache folder" (:func:`coder.audio.cache.cache_dir`)."""

__all__ = [
    "AudioError",
    "Envelope",
    "JobCancelled",
    "Level",
    "NoSound",
    "Spectrogram",
    "read_cached",
    "read_sound",
]


def _identify(path: str | Path) -> tuple[Path, str]:
    file = Path(path)
    if not file.exists():
        raise AudioError(f"{file}: no such file")
    if not file.is_file():
        raise AudioError(f"{file}: is not a file")
    try:
        return file, fingerprint(file)
    except OSError as exc:
        raise AudioError(f"{file}: cannot be read ({exc.strerror or exc})") from exc


def _folder(cache_dir: Path | None) -> Path | None:
    return cache.cache_dir() if cache_dir is _DEFAULT else cache_dir


def read_cached(
    path: str | Path, *, spectrogram: bool = False, cache_dir: Path | None = _DEFAULT
) -> Envelope | None:
    """The stored envelope of ``path`` (with its spectrogram when ``spectrogram``), or
    ``None`` when it has not been computed for the file as it is now. Quick: reads no sound."""
    file, print_ = _identify(path)
    folder = _folder(cache_dir)
    envelope = cache.load_envelope(folder, file, print_)
    if envelope is None or not spectrogram:
        return envelope
    spec = cache.load_spectrogram(folder, file, print_)
    return None if spec is None else replace(envelope, spectrogram=spec)


def read_sound(
    path: str | Path,
    *,
    spectrogram: bool = False,
    progress: Progress = no_progress,
    cache_dir: Path | None = _DEFAULT,
) -> Envelope | NoSound:
    """The envelope of the first audio stream of ``path`` (see the module notes).

    Taken from the cache when the file's content was read before, else decoded (reporting to
    ``progress``, which may raise :class:`JobCancelled`: then nothing is stored) and stored.
    ``cache_dir`` overrides the cache folder (``None``: store nothing), e.g. a folder beside
    the project.
    """
    file, print_ = _identify(path)
    folder = _folder(cache_dir)
    found = read_cached(file, spectrogram=spectrogram, cache_dir=folder)
    if found is not None:
        return found
    from coder.audio.reading import decode

    result = decode(file, print_, spectrogram=spectrogram, progress=progress)
    if isinstance(result, Envelope) and fingerprint_unchanged(file, print_):
        cache.save(folder, result)
    return result


def fingerprint_unchanged(path: Path, expected: str) -> bool:
    """Whether ``path`` still has fingerprint ``expected`` (it was not replaced while read)."""
    try:
        return fingerprint(path) == expected
    except OSError:
        return False
