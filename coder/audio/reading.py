"""Decoding the first audio stream of a media file into an envelope (and a spectrogram).

The sound is decoded once from start to end with PyAV, mixed down to mono float samples, and
reduced as it goes (:mod:`coder.audio.binning`). Each decoded frame is placed at its own time
stamp: a gap in the stream (a dropout, a packet the decoder refused) stays silent, so what
follows is still drawn at its true time.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from coder.audio.binning import (
    FLOOR_DB,
    SPECTRUM_HIGH_HZ,
    SPECTRUM_HOP,
    SPECTRUM_LOW_HZ,
    SPECTRUM_RATE,
    Binner,
    Spectrum,
)
from coder.audio.envelope import (
    AudioError,
    Envelope,
    NoSound,
    Spectrogram,
    pyramid,
    spectrogram_pyramid,
)
from coder.jobs import Progress, no_progress
from coder.media.index import AV_ERRORS, cause, demux, open_container

BIN_US = 1_000
"""Aimed-at duration of a bin of the finest envelope level (1 ms)."""
GAP_US = 10_000
"""A jump in the audio time stamps larger than this is a gap (kept silent)."""
REPORT_US = 2_000_000
"""Progress is reported after about this much sound."""
_FRAME_ERRORS: tuple[type[BaseException], ...] = (ValueError, *AV_ERRORS)
"""What resampling a frame of another format or layout may raise."""


def bin_samples(rate: int) -> int:
    """Samples per finest bin at ``rate``: about :data:`BIN_US`, at least 8."""
    return max(8, round(rate * BIN_US / 1_000_000))


def decode(
    path: Path,
    fingerprint: str,
    *,
    spectrogram: bool = False,
    progress: Progress = no_progress,
) -> Envelope | NoSound:
    """The envelope (with a spectrogram when asked) of the first audio stream of ``path``.

    ``progress(done, total, text)`` hears the milliseconds of sound read of all (0: unknown);
    a :class:`~coder.jobs.JobCancelled` it raises stops the work. A file without an audio
    stream (or with one holding no samples) gives :class:`NoSound`; a file that cannot be
    read, or whose sound cannot be decoded at all, raises :class:`AudioError` naming it.
    """
    try:
        container = open_container(path)
    except AV_ERRORS as exc:
        raise AudioError(f"{path}: not a readable media file ({cause(exc)})") from exc
    with container:
        if not container.streams.audio:
            return NoSound(path)
        stream = container.streams.audio[0]
        return _Reader(path, container, stream, spectrogram, progress).run(fingerprint)


class _Reader:
    def __init__(
        self,
        path: Path,
        container: av.container.InputContainer,
        stream: av.AudioStream,
        spectrogram: bool,
        progress: Progress,
    ) -> None:
        self.path = path
        self.container = container
        self.stream = stream
        self.progress = progress
        ctx = stream.codec_context
        self.rate = int(ctx.sample_rate or stream.rate or 0)
        if self.rate <= 0:
            raise AudioError(f"{path}: its sound cannot be decoded (the stream has no sample rate)")
        self.channels = int(ctx.channels or 1)
        self.codec = str(ctx.name)
        self.time_base = Fraction(stream.time_base) if stream.time_base else None
        self.binner = Binner(bin_samples(self.rate))
        self.spectrum = Spectrum() if spectrogram else None
        self.mixer = av.AudioResampler(format="flt", layout="mono", rate=self.rate)
        self.narrow = (
            av.AudioResampler(format="flt", layout="mono", rate=SPECTRUM_RATE)
            if spectrogram
            else None
        )
        self.start_us: int | None = None
        self.position = 0  # samples placed so far
        self.refused = 0
        self.packets = 0
        self.first_error = ""
        self.total_ms = _expected_ms(container, stream)
        self.text = f"Reading the sound of {path.name}"

    def run(self, fingerprint: str) -> Envelope | NoSound:
        self.progress(0, self.total_ms, self.text)
        reported = 0
        packets = demux(self.container, self.stream)
        while True:
            try:
                packet = next(packets)
            except StopIteration:
                break
            except AV_ERRORS as exc:  # a damaged or cut tail: keep what was read
                self._refuse(exc)
                break
            self.packets += 1
            try:
                frames = packet.decode()
            except AV_ERRORS as exc:
                self._refuse(exc)
                continue
            for frame in frames:
                self._place(frame)
            if self.position - reported >= self.rate * REPORT_US // 1_000_000:
                reported = self.position
                self.progress(self._done_ms(), self.total_ms, self.text)
        try:
            for frame in self.stream.codec_context.decode(None):
                self._place(frame)
            self._flush()
        except EOFError:
            pass  # the decoder had nothing left
        except AV_ERRORS as exc:
            self._refuse(exc)
        return self._result(fingerprint)

    def _refuse(self, exc: BaseException) -> None:
        self.refused += 1
        self.first_error = self.first_error or cause(exc)

    def _flush(self) -> None:
        """The samples the resamplers still hold."""
        if self.start_us is None:
            return
        mono = _samples(self.mixer.resample(None))
        self.binner.add(mono)
        self.position += mono.size
        if self.spectrum is not None and self.narrow is not None:
            self.spectrum.add(_samples(self.narrow.resample(None)))

    def _done_ms(self) -> int:
        return self.position * 1000 // self.rate

    def _place(self, frame: av.AudioFrame) -> None:
        at = self._frame_us(frame)
        if self.start_us is None:
            self.start_us = at if at is not None else 0
        elif at is not None:
            expected = (at - self.start_us) * self.rate // 1_000_000
            if expected - self.position > self.rate * GAP_US // 1_000_000:
                self._silence(expected - self.position)
        try:
            mono = _samples(self.mixer.resample(frame))
            narrow = _samples(self.narrow.resample(frame)) if self.narrow is not None else None
        except _FRAME_ERRORS as exc:  # a frame of another format or layout
            self._refuse(exc)
            return
        self.binner.add(mono)
        self.position += mono.size
        if self.spectrum is not None and narrow is not None:
            self.spectrum.add(narrow)

    def _silence(self, count: int) -> None:
        self.binner.add(np.zeros(count, dtype=np.float32))
        self.position += count
        if self.spectrum is not None:  # keep the spectrogram's samples in step
            narrow = self.position * SPECTRUM_RATE // self.rate - self.spectrum.samples
            self.spectrum.add(np.zeros(max(0, narrow), dtype=np.float32))

    def _frame_us(self, frame: av.AudioFrame) -> int | None:
        if frame.pts is None:
            return None
        base = frame.time_base or self.time_base
        if base is None:
            return None
        num, den = base.numerator * 1_000_000, base.denominator
        return (2 * frame.pts * num + den) // (2 * den)  # rounded half up, exactly

    def _result(self, fingerprint: str) -> Envelope | NoSound:
        base = self.binner.finish()
        if base.size == 0:
            if self.refused:
                raise AudioError(
                    f"{self.path}: its sound ({self.codec}) cannot be decoded: "
                    f"{self.refused} of {max(self.packets, self.refused)} packets refused "
                    f"(first: {self.first_error})"
                )
            return NoSound(self.path)
        start = self.start_us or 0
        spectrogram = None
        if self.spectrum is not None:
            columns = self.spectrum.finish()
            if columns.shape[0]:
                spectrogram = Spectrogram(
                    start_us=start,
                    hop_us=SPECTRUM_HOP * 1e6 / SPECTRUM_RATE,
                    low_hz=SPECTRUM_LOW_HZ,
                    high_hz=SPECTRUM_HIGH_HZ,
                    floor_db=FLOOR_DB,
                    levels=spectrogram_pyramid(columns),
                )
        self.progress(self._done_ms(), max(self.total_ms, self._done_ms()), self.text)
        return Envelope(
            path=self.path,
            fingerprint=fingerprint,
            start_us=start,
            sample_rate=self.rate,
            samples=self.position,
            channels=self.channels,
            codec=self.codec,
            bin_samples=self.binner.size,
            levels=pyramid(base),
            peak=min(1.0, self.binner.peak),
            damaged_packets=self.refused,
            spectrogram=spectrogram,
        )


def _samples(frames: list[av.AudioFrame]) -> np.ndarray:
    """The mono float samples of resampled frames, as one array."""
    parts = [np.asarray(f.to_ndarray(), dtype=np.float32).reshape(-1) for f in frames]
    if not parts:
        return np.zeros(0, dtype=np.float32)
    return parts[0] if len(parts) == 1 else np.concatenate(parts)


def _expected_ms(container: av.container.InputContainer, stream: av.AudioStream) -> int:
    """How long the sound should be (ms) by the header, 0 when it does not say."""
    if stream.duration and stream.time_base:
        return max(0, int(stream.duration * stream.time_base * 1000))
    if container.duration:
        return max(0, int(container.duration // 1000))
    return 0
