"""What the sound of a media file looks like: peak envelopes and spectrograms at many zooms.

An :class:`Envelope` holds, for bins of ``bin_samples`` samples from the first audio sample on,
the lowest and highest sample and the RMS of the bin, with a pyramid of coarser levels (each
``FACTOR`` bins of the level below in one), so that any zoom, from an hour on a screen down to
a single video frame, is drawn from a level with a few bins per pixel (:meth:`Envelope.columns`).
Values are stored as 8-bit µ-law codes (fine near silence, where speech is, coarse only near
full scale). A :class:`Spectrogram` holds log magnitudes on a mel scale from 0 to 8 kHz, where
infant cries and speech are, in columns of ``hop_us`` with the same kind of pyramid.

Times are integer microseconds of media presentation time, the axis of
:meth:`coder.media.VideoSource.pts_us`: the container's own time stamps times the stream's time
base, nothing subtracted (the frame index does the same). A sample's time is its decoded audio
frame's time stamp, so sound and pictures line up as a player shows them: in MPEG-TS both start
well after 0 (the sound often a little before the first picture), in an AVI with B-frames the
first picture may come 40 ms after the sound's 0, and an MP4's edit list is already applied.
:meth:`Envelope.shifted` moves a sound onto another video's axis (a camera with an offset).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

FACTOR = 4
"""Bins of one pyramid level that make one bin of the next."""
MU = 255.0
"""µ of the µ-law coding of stored values."""
_LOG_MU = float(np.log1p(MU))


class AudioError(Exception):
    """A media file's sound cannot be read (the message names the file and says why)."""


@dataclass(frozen=True, slots=True)
class NoSound:
    """The result for a media file without an audio stream: nothing to draw, nothing wrong."""

    path: Path

    @property
    def message(self) -> str:
        return f"{self.path.name} has no sound"


def mu_encode(values: np.ndarray) -> np.ndarray:
    """Samples in [-1, 1] as int8 µ-law codes (-127..127)."""
    x = np.clip(np.asarray(values, dtype=np.float32), -1.0, 1.0)
    coded = np.sign(x) * np.log1p(MU * np.abs(x)) / _LOG_MU * 127.0
    return np.round(coded).astype(np.int8)


def mu_decode(codes: np.ndarray) -> np.ndarray:
    """int8 µ-law codes back to float32 samples in [-1, 1]."""
    y = np.asarray(codes, dtype=np.float32) / 127.0
    samples: np.ndarray = (np.sign(y) * np.expm1(np.abs(y) * _LOG_MU) / MU).astype(np.float32)
    return samples


@dataclass(frozen=True, slots=True, eq=False)
class Level:
    """One zoom level of an envelope: per bin the lowest and highest sample and the RMS, as
    µ-law codes (RMS as a non-negative code)."""

    low: np.ndarray
    high: np.ndarray
    rms: np.ndarray

    @property
    def size(self) -> int:
        return int(self.low.size)


def coarser(level: Level) -> Level:
    """The next level of the pyramid: ``FACTOR`` bins in one (the last one may be partial)."""
    n = level.size
    starts = np.arange(0, n, FACTOR)
    low = np.minimum.reduceat(level.low, starts)
    high = np.maximum.reduceat(level.high, starts)
    power = np.add.reduceat(mu_decode(level.rms).astype(np.float64) ** 2, starts)
    counts = np.diff(np.append(starts, n))
    return Level(low, high, mu_encode(np.sqrt(power / counts)))


def pyramid(base: Level, smallest: int = 16) -> tuple[Level, ...]:
    """``base`` and its coarser levels, down to one of at most ``smallest`` bins."""
    levels = [base]
    while levels[-1].size > smallest:
        levels.append(coarser(levels[-1]))
    return tuple(levels)


def _choose(bin_us: list[float], column_us: float, per_column: float) -> int:
    """The coarsest level with at least ``per_column`` bins in a column (else the finest)."""
    chosen = 0
    for k, width in enumerate(bin_us):
        if width * per_column <= column_us:
            chosen = k
    return chosen


def _reduce_columns(
    array: np.ndarray, func: np.ufunc, first: np.ndarray, valid: np.ndarray
) -> np.ndarray:
    """For each column, ``func`` over the bins (rows of ``array``) from ``first[i]`` up to
    ``first[i + 1]``, at least one bin; columns not ``valid`` are 0."""
    bounds = np.clip(first, 0, array.shape[0])
    low, high = int(bounds[0]), min(int(bounds[-1]) + 1, array.shape[0])
    if high <= low:  # wholly past the end
        low, high = array.shape[0] - 1, array.shape[0]
    part = array[low:high]
    part = np.concatenate([part, part[-1:]])  # the end bound may be one past the last bin
    # reduceat over non-decreasing bounds: a column sharing its first bin with the next one
    # gets that bin alone, which is what a bin wider than a pixel should show.
    reduced = func.reduceat(part, np.clip(bounds - low, 0, part.shape[0] - 1), axis=0)[:-1]
    reduced[~valid] = 0
    return reduced


@dataclass(frozen=True, slots=True, eq=False)
class Envelope:
    """The peak envelope of a media file's first audio stream (see the module notes)."""

    path: Path
    fingerprint: str
    start_us: int
    """Media time of the first sample."""
    sample_rate: int
    samples: int
    channels: int
    codec: str
    bin_samples: int
    """Samples per bin of the finest level."""
    levels: tuple[Level, ...]
    peak: float
    """The largest absolute sample (0–1), for scaling a drawing."""
    damaged_packets: int = 0
    """Packets the decoder refused (their time is silent in the envelope)."""
    spectrogram: Spectrogram | None = None

    @property
    def end_us(self) -> int:
        """Media time just after the last sample."""
        return self.time_us(self.samples)

    @property
    def duration_us(self) -> int:
        return self.end_us - self.start_us

    def shifted(self, offset_us: int) -> Envelope:
        """The same sound placed ``offset_us`` later: on another video's time axis, e.g. the
        reference camera's when this sound is that of a camera with that offset."""
        spec = self.spectrogram
        if spec is not None:
            spec = replace(spec, start_us=spec.start_us + offset_us)
        return replace(self, start_us=self.start_us + offset_us, spectrogram=spec)

    def time_us(self, sample: int) -> int:
        """Media time of sample number ``sample`` (from the first)."""
        return self.start_us + (sample * 1_000_000 + self.sample_rate // 2) // self.sample_rate

    def bin_us(self, level: int) -> float:
        """Duration of one bin of ``level`` (µs)."""
        return float(self.bin_samples * FACTOR**level * 1e6 / self.sample_rate)

    def level_for(self, column_us: float, per_column: float = 2.0) -> int:
        """The level to draw columns of ``column_us`` from: the coarsest with at least
        ``per_column`` bins in a column, the finest when even that has fewer."""
        return _choose([self.bin_us(k) for k in range(len(self.levels))], column_us, per_column)

    def columns(self, edges_us: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Lowest sample, highest sample and RMS (floats in [-1, 1]) of each column between
        successive times of ``edges_us`` (non-decreasing, one more than the columns); columns
        outside the sound are 0. Columns may differ in width (a variable frame rate axis)."""
        edges = np.asarray(edges_us, dtype=np.float64)
        n = edges.size - 1
        if n <= 0:
            empty = np.zeros(0, dtype=np.float32)
            return empty, empty, empty
        widths = np.diff(edges)
        positive = widths[widths > 0]
        level = self.level_for(float(np.median(positive)) if positive.size else 1.0)
        data = self.levels[level]
        first = np.floor((edges - self.start_us) / self.bin_us(level)).astype(np.int64)
        valid = (edges[1:] > self.start_us) & (edges[:-1] < self.end_us) & (widths >= 0)
        low = _reduce_columns(data.low, np.minimum, first, valid)
        high = _reduce_columns(data.high, np.maximum, first, valid)
        rms = _reduce_columns(data.rms, np.maximum, first, valid)
        return mu_decode(low), mu_decode(high), mu_decode(rms)


@dataclass(frozen=True, slots=True, eq=False)
class Spectrogram:
    """Log magnitudes on a mel scale, ``bands`` rows from ``low_hz`` to ``high_hz``, columns of
    ``hop_us`` from ``start_us``; values 0–255 spanning ``floor_db``..0 dB of full scale."""

    start_us: int
    hop_us: float
    low_hz: float
    high_hz: float
    floor_db: float
    levels: tuple[np.ndarray, ...]
    """Column × band arrays (uint8), the finest first, each ``FACTOR`` columns of the one
    before in one (the loudest of them)."""

    @property
    def bands(self) -> int:
        return int(self.levels[0].shape[1])

    @property
    def end_us(self) -> int:
        return self.start_us + round(float(self.levels[0].shape[0]) * self.hop_us)

    def band_centres_hz(self) -> np.ndarray:
        """The centre frequency of each band in Hz, lowest first."""
        return mel_points(self.low_hz, self.high_hz, self.bands)[1:-1]

    def columns(self, edges_us: np.ndarray) -> np.ndarray:
        """The loudest value of each band in each column between successive ``edges_us``
        (columns × bands, uint8); columns outside the sound are 0."""
        edges = np.asarray(edges_us, dtype=np.float64)
        n = edges.size - 1
        if n <= 0:
            return np.zeros((0, self.bands), dtype=np.uint8)
        widths = np.diff(edges)
        positive = widths[widths > 0]
        hops = [self.hop_us * FACTOR**k for k in range(len(self.levels))]
        level = _choose(hops, float(np.median(positive)) if positive.size else 1.0, 1.0)
        data = self.levels[level]
        first = np.floor((edges - self.start_us) / hops[level]).astype(np.int64)
        valid = (edges[1:] > self.start_us) & (edges[:-1] < self.end_us) & (widths >= 0)
        return _reduce_columns(data, np.maximum, first, valid)


def spectrogram_pyramid(base: np.ndarray, smallest: int = 16) -> tuple[np.ndarray, ...]:
    """``base`` (columns × bands) and coarser levels, each the loudest of ``FACTOR`` columns."""
    levels = [base]
    while levels[-1].shape[0] > smallest:
        last = levels[-1]
        levels.append(np.maximum.reduceat(last, np.arange(0, last.shape[0], FACTOR), axis=0))
    return tuple(levels)


def hz_to_mel(hz: np.ndarray | float) -> np.ndarray:
    return np.asarray(2595.0 * np.log10(1.0 + np.asarray(hz, dtype=np.float64) / 700.0))


def mel_to_hz(mel: np.ndarray | float) -> np.ndarray:
    return np.asarray(700.0 * (10.0 ** (np.asarray(mel, dtype=np.float64) / 2595.0) - 1.0))


def mel_points(low_hz: float, high_hz: float, bands: int) -> np.ndarray:
    """``bands + 2`` frequencies evenly spaced on the mel scale: band ``k`` rises from point
    ``k`` to its centre, point ``k + 1``, and falls to point ``k + 2``."""
    return mel_to_hz(np.linspace(float(hz_to_mel(low_hz)), float(hz_to_mel(high_hz)), bands + 2))
