"""Generated video clips for tests and demos (no Qt).

:func:`make_clip` writes a small clip in which every frame shows its own index twice: as big
digits for people, and as a row of 16 black/white blocks (the index in binary, most significant
bit first) above a row holding the complement, which survives lossy compression.
:func:`read_frame_number` reads the blocks back from a decoded RGB frame, so a test can prove
that the frame it was given is the one it asked for. :func:`truncate_file` and
:func:`corrupt_file` damage a copy of a clip for error-path tests.
"""

from __future__ import annotations

import itertools
import shutil
from collections.abc import Callable, Sequence
from fractions import Fraction
from pathlib import Path
from typing import cast

import av
import cv2
import numpy as np

CODE_BITS = 16
"""Bits of the frame code; clips can hold at most ``2**CODE_BITS`` frames."""

DrawFn = Callable[[np.ndarray, int], None]
"""Paints the background of frame ``index`` into an H×W×3 uint8 RGB array, in place."""

_ENCODERS = {
    "h264": "libx264",
    "hevc": "libx265",
    "mjpeg": "mjpeg",
    "vp9": "libvpx-vp9",
    "mpeg4": "mpeg4",
    "mpeg2": "mpeg2video",
    "wmv2": "wmv2",
    "ffv1": "ffv1",
}
_CONTAINERS = {
    ".mp4": "mp4",
    ".mov": "mov",
    ".mkv": "matroska",
    ".avi": "avi",
    ".webm": "webm",
    ".ts": "mpegts",
    ".m2ts": "mpegts",
    ".mts": "mpegts",
    ".mpg": "mpeg",
    ".vob": "vob",
    ".wmv": "asf",
    ".asf": "asf",
}
_AUDIO_CODEC = {
    ".mp4": "aac",
    ".mov": "aac",
    ".mkv": "aac",
    ".avi": "pcm_s16le",
    ".webm": "libopus",
    ".ts": "aac",
    ".m2ts": "aac",
    ".mts": "aac",
    ".mpg": "mp2",
    ".vob": "mp2",
    ".wmv": "wmav2",
    ".asf": "wmav2",
}
_AUDIO_RATE = 48_000
_MICRO = Fraction(1, 1_000_000)


def make_clip(
    path: str | Path,
    *,
    frames: int,
    fps: float | Fraction = 25,
    size: tuple[int, int] = (320, 240),
    codec: str = "h264",
    gop: int | None = None,
    bframes: int = 2,
    vfr_pts_us: Sequence[int] | None = None,
    audio: bool = False,
    draw: DrawFn | None = None,
    noise: int = 0,
    preset: str = "ultrafast",
    bit_rate: int | None = None,
    faststart: bool = False,
    encoder_params: str = "",
    rotation: int = 0,
    sample_aspect: Fraction | None = None,
    interlaced: bool = False,
) -> Path:
    """Write a clip whose frames carry their index; return its path.

    ``size`` is (width, height), both even. ``codec`` is one of h264, hevc, mjpeg, vp9, mpeg4,
    mpeg2, wmv2, ffv1; the container follows the suffix (.mp4 .mov .mkv .avi .webm, MPEG-TS
    .ts .m2ts .mts, MPEG-PS .mpg .vob, ASF .wmv .asf). ``gop`` is the keyframe interval in
    frames (default: one second). ``bframes`` applies to h264/hevc/mpeg2/mpeg4. ``vfr_pts_us``
    gives an explicit, strictly increasing time (µs) per frame for a variable frame rate (not in
    .avi; Matroska/WebM store milliseconds). ``audio`` adds a 440 Hz tone with a click at each
    whole second. ``draw(image, index)`` paints a custom background; ``noise`` adds random
    grain of that amplitude (realistic, hard-to-compress content). ``preset`` is the x264/x265
    speed preset; ``faststart`` puts the MP4/MOV index at the front of the file;
    ``encoder_params`` are extra x264/x265 parameters (``"open-gop=1"``). ``rotation``
    (degrees counter-clockwise, MP4/MOV) stores a display matrix as phones do, the pictures
    staying coded as drawn; ``sample_aspect`` stores non-square pixels (DV, DVD);
    ``interlaced`` codes H.264 as interlaced (top field first), as 1080i camcorders do.
    """
    path = Path(path)
    width, height = size
    _check_arguments(path, frames, width, height, codec, vfr_pts_us)
    fps = Fraction(fps).limit_denominator(100_000)
    gop = gop if gop is not None else max(1, round(fps))
    suffix = path.suffix.lower()
    pts_us = _frame_times(frames, fps, vfr_pts_us)
    path.parent.mkdir(parents=True, exist_ok=True)

    options = {"movflags": "+faststart"} if faststart and suffix in (".mp4", ".mov") else {}
    with av.open(str(path), "w", format=_CONTAINERS[suffix], options=options) as out:
        if interlaced:
            encoder_params = ":".join(p for p in (encoder_params, "interlaced=1:tff=1") if p)
        video = _add_video_stream(
            out, codec, fps, width, height, gop, bframes, preset, bit_rate, encoder_params
        )
        if rotation:
            video.set_display_rotation(rotation)
        if sample_aspect is not None:
            video.codec_context.sample_aspect_ratio = Fraction(sample_aspect)
        video_tb = Fraction(1, 1_000_000) if vfr_pts_us is not None else 1 / fps
        video.codec_context.time_base = video_tb
        audio_stream = _add_audio_stream(out, suffix) if audio else None
        samples_done = 0
        end_us = pts_us[-1] + (pts_us[-1] - pts_us[-2] if frames > 1 else round(1e6 / fps))
        rng = np.random.default_rng(1234)
        for index in range(frames):
            image = render_frame(index, width, height, draw=draw, noise=noise, rng=rng)
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = index if vfr_pts_us is None else pts_us[index]
            frame.time_base = video_tb
            out.mux(video.encode(frame))
            if audio_stream is not None:
                until = min(pts_us[index] + 1_000_000, end_us)
                samples_done = _write_audio(out, audio_stream, samples_done, until)
        out.mux(video.encode(None))
        if audio_stream is not None:
            samples_done = _write_audio(out, audio_stream, samples_done, end_us, final=True)
            out.mux(audio_stream.encode(None))
    return path


def render_frame(
    index: int,
    width: int,
    height: int,
    *,
    draw: DrawFn | None = None,
    noise: int = 0,
    rng: np.random.Generator | None = None,
) -> np.ndarray:
    """The RGB picture of frame ``index``: background, big digits and the block code."""
    image = np.empty((height, width, 3), dtype=np.uint8)
    if draw is None:
        _default_background(image, index)
    else:
        draw(image, index)
    if noise > 0:
        rng = rng if rng is not None else np.random.default_rng(index)
        grain = rng.integers(-noise, noise + 1, size=(height, width, 1), dtype=np.int16)
        noisy = image.astype(np.int16) + grain
        np.clip(noisy, 0, 255, out=noisy)
        image[:] = noisy
    _draw_digits(image, index)
    _draw_code(image, index)
    return image


def read_frame_number(rgb: np.ndarray) -> int:
    """The frame index coded in a picture made by :func:`make_clip`.

    Raises ``ValueError`` when the code is unreadable (the picture is not such a frame, or is
    too damaged): the complement row must mirror the code row block for block.
    """
    if rgb.ndim != 3 or rgb.shape[2] != 3:
        raise ValueError(f"expected an H×W×3 picture, got shape {rgb.shape}")
    height, width = rgb.shape[:2]
    block_w, block_h = _block_size(width, height)
    grey = rgb[: 2 * block_h, : block_w * CODE_BITS].astype(np.float32).mean(axis=2)
    bits = []
    for k in range(CODE_BITS):
        x0 = k * block_w + block_w // 4
        x1 = (k + 1) * block_w - block_w // 4
        y_pad = max(1, block_h // 4)
        top = grey[y_pad : block_h - y_pad, x0:x1].mean()
        bottom = grey[block_h + y_pad : 2 * block_h - y_pad, x0:x1].mean()
        if abs(top - bottom) < 64:
            raise ValueError(f"frame code unreadable at bit {k} (levels {top:.0f}/{bottom:.0f})")
        bits.append(top > bottom)
    return int("".join("1" if b else "0" for b in bits), 2)


def truncate_file(path: str | Path, fraction: float, dest: str | Path | None = None) -> Path:
    """Cut a file to ``fraction`` (0–1) of its size, in place or into a copy at ``dest``."""
    if not 0 <= fraction <= 1:
        raise ValueError(f"fraction must be within 0..1, got {fraction}")
    target = _copy_or_same(path, dest)
    size = target.stat().st_size
    with target.open("r+b") as fh:
        fh.truncate(int(size * fraction))
    return target


def corrupt_file(
    path: str | Path,
    at: float,
    length: int = 4096,
    dest: str | Path | None = None,
    seed: int = 7,
) -> Path:
    """Overwrite ``length`` bytes at ``at`` (0–1 of the size) with random bytes."""
    if not 0 <= at <= 1:
        raise ValueError(f"position must be within 0..1, got {at}")
    target = _copy_or_same(path, dest)
    size = target.stat().st_size
    start = min(int(size * at), max(0, size - length))
    junk = np.random.default_rng(seed).integers(0, 256, size=min(length, size), dtype=np.uint8)
    with target.open("r+b") as fh:
        fh.seek(start)
        fh.write(junk.tobytes())
    return target


def vfr_times(frames: int, seed: int = 0, low_ms: int = 20, high_ms: int = 90) -> list[int]:
    """Irregular, strictly increasing frame times (µs, whole ms) like a phone recording."""
    rng = np.random.default_rng(seed)
    steps = rng.integers(low_ms, high_ms + 1, size=max(0, frames - 1)) * 1000
    return [0, *np.cumsum(steps).astype(int).tolist()]


# --- helpers ---------------------------------------------------------------------------------


def _check_arguments(
    path: Path,
    frames: int,
    width: int,
    height: int,
    codec: str,
    vfr_pts_us: Sequence[int] | None,
) -> None:
    suffix = path.suffix.lower()
    if suffix not in _CONTAINERS:
        raise ValueError(f"{path}: unknown container {suffix!r}; use one of {sorted(_CONTAINERS)}")
    if codec not in _ENCODERS:
        raise ValueError(f"unknown codec {codec!r}; use one of {sorted(_ENCODERS)}")
    if not 1 <= frames <= 2**CODE_BITS:
        raise ValueError(f"frames must be within 1..{2**CODE_BITS}, got {frames}")
    if width < 64 or height < 48 or width % 2 or height % 2:
        raise ValueError(f"size must be even and at least 64×48, got {width}×{height}")
    if vfr_pts_us is not None:
        if suffix == ".avi":
            raise ValueError(f"{path}: AVI cannot hold a variable frame rate")
        if len(vfr_pts_us) != frames:
            raise ValueError(f"vfr_pts_us has {len(vfr_pts_us)} times for {frames} frames")
        if any(b <= a for a, b in itertools.pairwise(vfr_pts_us)):
            raise ValueError("vfr_pts_us must strictly increase")


def _frame_times(frames: int, fps: Fraction, vfr_pts_us: Sequence[int] | None) -> list[int]:
    if vfr_pts_us is not None:
        return [int(t) for t in vfr_pts_us]
    return [round(i * 1_000_000 / fps) for i in range(frames)]


def _add_video_stream(
    out: av.container.OutputContainer,
    codec: str,
    fps: Fraction,
    width: int,
    height: int,
    gop: int,
    bframes: int,
    preset: str,
    bit_rate: int | None,
    encoder_params: str = "",
) -> av.VideoStream:
    name = _ENCODERS[codec]
    options: dict[str, str] = {}
    params = f"keyint={gop}:min-keyint={gop}:scenecut=0:bframes={bframes}"
    if encoder_params:
        params += ":" + encoder_params
    if name == "libx264":
        options = {"preset": preset, "x264-params": params}
    elif name == "libx265":
        options = {"preset": preset, "x265-params": params + ":log-level=error"}
    elif name == "libvpx-vp9":
        options = {"deadline": "realtime", "cpu-used": "8", "lag-in-frames": "0"}
    stream = cast(av.VideoStream, out.add_stream(name, rate=fps, options=options))
    stream.width = width
    stream.height = height
    stream.pix_fmt = "yuvj420p" if name == "mjpeg" else "yuv420p"
    stream.codec_context.gop_size = gop
    if bit_rate is not None:
        stream.codec_context.bit_rate = bit_rate
    if name in ("mpeg2video", "mpeg4"):
        stream.codec_context.max_b_frames = bframes
        stream.codec_context.qmin = 2
        stream.codec_context.qmax = 10
    if name == "mjpeg":
        stream.codec_context.qmin = 2
        stream.codec_context.qmax = 8
    return stream


def _add_audio_stream(out: av.container.OutputContainer, suffix: str) -> av.AudioStream:
    stream = cast(av.AudioStream, out.add_stream(_AUDIO_CODEC[suffix], rate=_AUDIO_RATE))
    stream.layout = "mono"
    stream.codec_context.bit_rate = 64_000
    return stream


def _write_audio(
    out: av.container.OutputContainer,
    stream: av.AudioStream,
    done: int,
    until_us: int,
    final: bool = False,
) -> int:
    """Encode tone samples from sample ``done`` up to time ``until_us``; return the new count.

    Codecs with a fixed frame size get whole frames only, so the last one (``final``) is
    padded past ``until_us`` rather than dropped.
    """
    ctx = stream.codec_context
    chunk = ctx.frame_size or 1024
    target = until_us * _AUDIO_RATE // 1_000_000
    fmt = ctx.format.name
    while done + chunk <= target or (done < target and (final or ctx.frame_size == 0)):
        n = chunk if ctx.frame_size else min(chunk, target - done)
        samples = _tone(done, n)
        data: np.ndarray
        if fmt.startswith("s16"):
            data = (samples * 32767).astype(np.int16).reshape(1, -1)
        else:
            data = samples.astype(np.float32).reshape(1, -1)
        frame = av.AudioFrame.from_ndarray(data, format=fmt, layout="mono")
        frame.sample_rate = _AUDIO_RATE
        frame.pts = done
        frame.time_base = Fraction(1, _AUDIO_RATE)
        out.mux(stream.encode(frame))
        done += n
    return done


def _tone(start: int, count: int) -> np.ndarray:
    """A quiet 440 Hz tone with a loud 1 kHz click for 10 ms at every whole second."""
    n = np.arange(start, start + count)
    t = n / _AUDIO_RATE
    wave = 0.1 * np.sin(2 * np.pi * 440 * t)
    click = (n % _AUDIO_RATE) < _AUDIO_RATE // 100
    wave[click] = 0.8 * np.sin(2 * np.pi * 1000 * t[click])
    return wave


def _default_background(image: np.ndarray, index: int) -> None:
    height, width = image.shape[:2]
    ys = np.linspace(40, 200, height, dtype=np.float32)[:, None]
    xs = np.linspace(0, 80, width, dtype=np.float32)[None, :]
    image[..., 0] = (ys + xs).astype(np.uint8)
    image[..., 1] = ((ys * 0.5 + index * 3) % 200).astype(np.uint8)
    image[..., 2] = (200 - ys * 0.5).astype(np.uint8)
    bar_w = max(4, width // 20)
    x = (index * max(2, width // 60)) % max(1, width - bar_w)
    image[:, x : x + bar_w] = (230, 200, 40)


def _draw_digits(image: np.ndarray, index: int) -> None:
    height, width = image.shape[:2]
    _, block_h = _block_size(width, height)
    text = str(index)
    scale = height / 90
    thickness = max(2, round(height / 40))
    (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)
    if tw > width * 0.9:
        scale *= width * 0.9 / tw
        (tw, th), _ = cv2.getTextSize(text, cv2.FONT_HERSHEY_SIMPLEX, scale, thickness)
    org = ((width - tw) // 2, 2 * block_h + (height - 2 * block_h + th) // 2)
    cv2.putText(image, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (0, 0, 0), thickness * 3)
    cv2.putText(image, text, org, cv2.FONT_HERSHEY_SIMPLEX, scale, (255, 255, 255), thickness)


def _draw_code(image: np.ndarray, index: int) -> None:
    height, width = image.shape[:2]
    block_w, block_h = _block_size(width, height)
    for k in range(CODE_BITS):
        bit = (index >> (CODE_BITS - 1 - k)) & 1
        x0, x1 = k * block_w, (k + 1) * block_w
        image[:block_h, x0:x1] = 255 if bit else 0
        image[block_h : 2 * block_h, x0:x1] = 0 if bit else 255


def _block_size(width: int, height: int) -> tuple[int, int]:
    return width // CODE_BITS, max(8, height // 16)


def _copy_or_same(path: str | Path, dest: str | Path | None) -> Path:
    source = Path(path)
    if dest is None:
        return source
    target = Path(dest)
    shutil.copyfile(source, target)
    return target
