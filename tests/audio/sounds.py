"""Generated clips whose sound has bursts at known times (for the audio tests and pictures).

The video shows each frame's number (:func:`coder.demo.synth.render_frame`); the sound is a
quiet hiss with bursts: a pure tone (sharp onset, for timing), a cry (a harmonic stack whose
pitch wavers around 450 Hz) or speech (hiss shaped by formants, in syllables). A burst at
``start_s`` sounds at the time of the video's first frame plus ``start_s``.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from coder.demo.synth import render_frame

RATE = 48_000
HISS = 0.004
"""Amplitude of the background hiss (about -48 dB of full scale)."""
_CODECS = {".mp4": ("mp4", "aac"), ".ts": ("mpegts", "aac"), ".mkv": ("matroska", "aac")}


@dataclass(frozen=True)
class Burst:
    start_s: float
    length_s: float
    kind: str = "tone"
    """``"tone"`` (800 Hz), ``"cry"`` or ``"speech"``."""
    level: float = 0.7


def sound(seconds: float, bursts: tuple[Burst, ...], rate: int = RATE, seed: int = 0) -> np.ndarray:
    """The samples (float32, mono) of ``seconds`` of hiss with ``bursts``."""
    rng = np.random.default_rng(seed)
    n = round(seconds * rate)
    out = (HISS * rng.standard_normal(n)).astype(np.float64)
    for burst in bursts:
        first = round(burst.start_s * rate)
        count = min(n, first + round(burst.length_s * rate)) - first
        t = np.arange(count) / rate
        if burst.kind == "tone":
            wave = np.sin(2 * np.pi * 800 * t)
        elif burst.kind == "cry":
            wave = _cry(t)
        elif burst.kind == "speech":
            wave = _speech(t, rng)
        else:
            raise ValueError(f"unknown burst kind {burst.kind!r}")
        attack = np.minimum(1.0, t / 0.002)  # 2 ms: a sharp, well-defined onset
        out[first : first + count] += burst.level * attack * wave
    return np.clip(out, -1, 1).astype(np.float32)


def _cry(t: np.ndarray) -> np.ndarray:
    pitch = 450 + 60 * np.sin(2 * np.pi * 2.5 * t) + 40 * t
    phase = 2 * np.pi * np.cumsum(pitch) / RATE
    wave = sum(np.sin(k * phase) / k for k in range(1, 7))
    return wave / np.max(np.abs(wave))


def _speech(t: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    noise = rng.standard_normal(t.size)
    spectrum = np.fft.rfft(noise)
    freqs = np.fft.rfftfreq(t.size, 1 / RATE)
    shape = sum(
        np.exp(-(((freqs - f) / w) ** 2)) for f, w in ((500, 150), (1500, 250), (2500, 300))
    )
    voiced = np.fft.irfft(spectrum * shape, t.size)
    syllables = 0.5 - 0.5 * np.cos(2 * np.pi * 4 * t)
    wave = voiced * syllables
    return wave / np.max(np.abs(wave))


def make_sound_clip(
    path: Path,
    *,
    seconds: float,
    bursts: tuple[Burst, ...],
    fps: int = 25,
    size: tuple[int, int] = (160, 120),
    audio: bool = True,
    seed: int = 0,
) -> Path:
    """Write a clip of ``seconds`` with ``bursts`` in its sound (mp4, ts or mkv; AAC)."""
    container, codec = _CODECS[path.suffix]
    samples = sound(seconds, bursts, seed=seed)
    frames = round(seconds * fps)
    with av.open(str(path), "w", format=container) as out:
        video = out.add_stream("libx264", rate=fps, options={"preset": "ultrafast"})
        video.width, video.height = size
        video.pix_fmt = "yuv420p"
        stream = None
        if audio:
            stream = out.add_stream(codec, rate=RATE)
            stream.layout = "mono"
            stream.codec_context.bit_rate = 96_000
        done = 0
        for index in range(frames):
            picture = av.VideoFrame.from_ndarray(render_frame(index, *size), format="rgb24")
            picture.pts = index
            out.mux(video.encode(picture))
            if stream is not None:
                done = _write(out, stream, samples, done, (index + 1) * RATE // fps)
        out.mux(video.encode(None))
        if stream is not None:
            _write(out, stream, samples, done, samples.size, final=True)
            out.mux(stream.encode(None))
    return path


def _write(
    out: av.container.OutputContainer,
    stream: av.AudioStream,
    samples: np.ndarray,
    done: int,
    until: int,
    final: bool = False,
) -> int:
    chunk = stream.codec_context.frame_size or 1024
    fmt = stream.codec_context.format.name
    while done + chunk <= until or (final and done < until):
        part = samples[done : done + chunk]
        if part.size < chunk:
            part = np.concatenate([part, np.zeros(chunk - part.size, dtype=np.float32)])
        frame = av.AudioFrame.from_ndarray(part.reshape(1, -1), format=fmt, layout="mono")
        frame.sample_rate = RATE
        frame.pts = done
        frame.time_base = Fraction(1, RATE)
        out.mux(stream.encode(frame))
        done += chunk
    return done


def onsets_us(low: np.ndarray, high: np.ndarray, edges_us: np.ndarray, level: float) -> list[int]:
    """The left edges of the columns where the sound first rises above ``level``."""
    loud = np.maximum(np.abs(low), np.abs(high)) > level
    rising = loud & ~np.concatenate([[False], loud[:-1]])
    return [int(edges_us[i]) for i in np.flatnonzero(rising)]
