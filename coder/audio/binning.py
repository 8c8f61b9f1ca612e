"""Streaming reductions of decoded samples: envelope bins and spectrogram columns.

Both take mono float32 samples in any chunk sizes and give the same result as if the whole
sound came at once, so an hour of sound is never held in memory.
"""

from __future__ import annotations

import numpy as np

from coder.audio.envelope import Level, mel_points, mu_encode

SPECTRUM_RATE = 16_000
"""Sample rate the spectrogram is computed at: it shows 0 to 8 kHz."""
SPECTRUM_HOP = 160
"""Samples between spectrogram columns (10 ms)."""
SPECTRUM_WINDOW = 512
"""Samples in one spectrogram window (32 ms, a Hann window)."""
SPECTRUM_BANDS = 64
SPECTRUM_LOW_HZ = 0.0
SPECTRUM_HIGH_HZ = 8_000.0
FLOOR_DB = -100.0
"""The quietest level a spectrogram value tells apart (value 0); 255 is full scale."""


class Binner:
    """Lowest, highest and RMS sample of every ``size`` samples."""

    BATCH = 1 << 16
    """Samples gathered before they are reduced (numpy works best on long arrays)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._pending: list[np.ndarray] = []
        self._count = 0
        self._low: list[np.ndarray] = []
        self._high: list[np.ndarray] = []
        self._rms: list[np.ndarray] = []
        self.peak = 0.0

    def add(self, samples: np.ndarray) -> None:
        self._pending.append(samples)
        self._count += samples.size
        if self._count >= self.BATCH:
            self._reduce_pending(final=False)

    def _reduce_pending(self, final: bool) -> None:
        data = np.concatenate(self._pending) if len(self._pending) > 1 else self._pending[0]
        whole = data.size if final else data.size // self.size * self.size
        if whole:
            self._reduce(data[:whole])
        rest = np.array(data[whole:], dtype=np.float32)
        self._pending = [rest] if rest.size else []
        self._count = rest.size

    def _reduce(self, data: np.ndarray) -> None:
        starts = np.arange(0, data.size, self.size)
        low = np.minimum.reduceat(data, starts)
        high = np.maximum.reduceat(data, starts)
        counts = np.diff(np.append(starts, data.size))
        power = np.add.reduceat(np.square(data, dtype=np.float64), starts) / counts
        self.peak = max(self.peak, float(-low.min()), float(high.max()))
        self._low.append(mu_encode(low))
        self._high.append(mu_encode(high))
        self._rms.append(mu_encode(np.sqrt(power)))

    def finish(self) -> Level:
        """The bins so far, a last partial bin included."""
        if self._count:
            self._reduce_pending(final=True)
        if not self._low:
            empty = np.zeros(0, dtype=np.int8)
            return Level(empty, empty, empty)
        return Level(
            np.concatenate(self._low), np.concatenate(self._high), np.concatenate(self._rms)
        )


def mel_filters(rate: int, n_fft: int, bands: int, low_hz: float, high_hz: float) -> np.ndarray:
    """Triangular mel filters (FFT bins × bands), each summing to 1."""
    points = mel_points(low_hz, high_hz, bands)
    freqs = np.arange(n_fft // 2 + 1) * rate / n_fft
    filters = np.zeros((freqs.size, bands), dtype=np.float32)
    for k in range(bands):
        left, centre, right = points[k], points[k + 1], points[k + 2]
        rise = (freqs - left) / max(centre - left, 1e-9)
        fall = (right - freqs) / max(right - centre, 1e-9)
        filters[:, k] = np.clip(np.minimum(rise, fall), 0.0, None)
        total = filters[:, k].sum()
        if total <= 0:  # narrower than an FFT bin: take the nearest bin
            filters[int(np.argmin(np.abs(freqs - centre))), k] = 1.0
        else:
            filters[:, k] /= total
    return filters


class Spectrum:
    """Mel log-magnitude columns of ``SPECTRUM_HOP`` samples at ``SPECTRUM_RATE``.

    Column ``c`` is centred on the middle of samples ``c·hop`` to ``(c+1)·hop``, so that it
    covers that stretch of time.
    """

    def __init__(self) -> None:
        lead = (SPECTRUM_WINDOW - SPECTRUM_HOP) // 2
        self._pending = np.zeros(lead, dtype=np.float32)
        self._window = np.hanning(SPECTRUM_WINDOW).astype(np.float32)
        scale = float(self._window.sum()) / 2  # a full-scale sine reads 0 dB
        self._filters = mel_filters(
            SPECTRUM_RATE, SPECTRUM_WINDOW, SPECTRUM_BANDS, SPECTRUM_LOW_HZ, SPECTRUM_HIGH_HZ
        ) / np.float32(scale)
        self._columns: list[np.ndarray] = []
        self._gathered: list[np.ndarray] = []
        self._count = 0
        self.samples = 0

    def add(self, samples: np.ndarray) -> None:
        self.samples += samples.size
        self._gathered.append(samples)
        self._count += samples.size
        if self._count >= Binner.BATCH:
            self._run()

    def _run(self) -> None:
        data = np.concatenate([self._pending, *self._gathered])
        self._gathered, self._count = [], 0
        count = (
            0 if data.size < SPECTRUM_WINDOW else 1 + (data.size - SPECTRUM_WINDOW) // SPECTRUM_HOP
        )
        if count:
            view = np.lib.stride_tricks.sliding_window_view(data, SPECTRUM_WINDOW)
            self._columns.append(self._transform(view[::SPECTRUM_HOP][:count]))
        self._pending = np.array(data[count * SPECTRUM_HOP :], dtype=np.float32)

    def _transform(self, frames: np.ndarray) -> np.ndarray:
        magnitude = np.abs(np.fft.rfft(frames * self._window, axis=1)).astype(np.float32)
        bands = magnitude @ self._filters
        db = 20.0 * np.log10(np.maximum(bands, 1e-12))
        scaled = (db - FLOOR_DB) * (255.0 / -FLOOR_DB)
        return np.clip(np.round(scaled), 0, 255).astype(np.uint8)

    def finish(self) -> np.ndarray:
        """Columns × bands (uint8): one column per hop of samples added, the last ones padded
        with silence."""
        wanted = -(-self.samples // SPECTRUM_HOP)
        self._run()
        have = sum(c.shape[0] for c in self._columns)
        if wanted > have:
            pad = (wanted - have - 1) * SPECTRUM_HOP + SPECTRUM_WINDOW - self._pending.size
            self._gathered.append(np.zeros(max(0, pad), dtype=np.float32))
            self._run()
        if not self._columns:
            return np.zeros((0, SPECTRUM_BANDS), dtype=np.uint8)
        return np.concatenate(self._columns)[:wanted]
