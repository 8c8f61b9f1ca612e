"""The bundled demo: a generated caregiver–infant clip and a project to code it with.

Nothing is downloaded. :func:`ensure_demo_project` makes the demo once, on first run, in the
user's data folder: a short clip (two simple figures, a big caregiver and a small infant, who
look at each other and away, reach, vocalise and smile, with a soft sound track) and a project
with the bundled ``responsiveness`` scheme. The frame index is shown small in the top-left corner,
in digits and as the block code of :mod:`coder.demo.synth` that :func:`read_demo_frame_number` reads
back, so tests can prove which frame was on screen.
"""

from __future__ import annotations

import os
import uuid
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

from coder.demo.scene import (
    AUDIO_RATE,
    CODE_HEIGHT,
    CODE_WIDTH,
    SCRIPT_SECONDS,
    render_demo_frame,
    sound_track,
)
from coder.demo.synth import CODE_BITS, read_frame_number
from coder.media import fingerprint
from coder.project import Project
from coder.scheme import Scheme, load_scheme

DEMO_SCHEME = "responsiveness_ratings"
"""The bundled scheme the demo project is coded with: micro-codes and session ratings."""

DEMO_FOLDER = "demo"
PROJECT_NAME = "demo.attune"
CLIP_NAME = "demo_visit.mp4"

_AUDIO_CHUNK = 1024


def ensure_demo_project(
    data_dir: str | Path,
    *,
    seconds: float = 24.0,
    size: tuple[int, int] = (640, 360),
    fps: int = 25,
) -> Path:
    """The demo project in ``data_dir`` (made there the first time); returns its path.

    A demo whose clip was deleted gets the clip made again. The project is written under a
    temporary name and renamed when complete, so an interrupted first run leaves no half demo.
    """
    folder = Path(data_dir) / DEMO_FOLDER
    project_path = folder / PROJECT_NAME
    clip_path = folder / CLIP_NAME
    if project_path.is_file():
        if not clip_path.is_file():
            make_demo_clip(clip_path, seconds=seconds, size=size, fps=fps)
            _relink_clip(project_path, clip_path)
        return project_path
    return make_demo_project(folder, seconds=seconds, size=size, fps=fps)


def make_demo_project(
    folder: str | Path,
    *,
    seconds: float = 24.0,
    size: tuple[int, int] = (640, 360),
    fps: int = 25,
    scheme: Scheme | str | Path | None = None,
) -> Path:
    """Write the demo clip and a project with one observation of it into ``folder``.

    ``scheme`` defaults to :func:`demo_scheme`. Refuses (``FileExistsError``) when ``folder``
    already holds a demo project.
    """
    folder = Path(folder)
    project_path = folder / PROJECT_NAME
    if project_path.exists():
        raise FileExistsError(f"{project_path}: a demo project is already there")
    folder.mkdir(parents=True, exist_ok=True)
    clip = make_demo_clip(folder / CLIP_NAME, seconds=seconds, size=size, fps=fps)
    partial = folder / f".{uuid.uuid4().hex}.partial"
    try:
        with Project.create(partial, scheme if scheme is not None else demo_scheme()) as project:
            project.add_observation([clip], participant="demo01", name="Demo home visit")
        os.replace(partial, project_path)
    finally:
        for leftover in folder.glob(f"{partial.name}*"):
            leftover.unlink(missing_ok=True)
    return project_path


def _relink_clip(project_path: Path, clip_path: Path) -> None:
    """Point the demo at a remade clip if its bytes came out different (same pictures)."""
    with Project.open(project_path) as project:
        for observation in project.observations:
            for media in observation.media:
                same_file = project.media_path(media) == clip_path.resolve()
                if same_file and not fingerprint.matches(
                    clip_path, media.fingerprint, media.size_bytes
                ):
                    project.relink(media, clip_path, force=True)


def demo_scheme() -> Scheme:
    """The demo's bundled scheme: responsiveness micro-codes with Ainsworth's four scales rated
    for the whole session, so that a newcomer can try both kinds of coding."""
    return load_scheme(DEMO_SCHEME)


def read_demo_frame_number(rgb: np.ndarray) -> int:
    """The frame index coded in the top-left corner of a demo frame (full size, RGB)."""
    if rgb.ndim != 3 or rgb.shape[0] < CODE_HEIGHT or rgb.shape[1] < CODE_WIDTH:
        raise ValueError(f"expected a demo frame, got shape {rgb.shape}")
    return read_frame_number(np.ascontiguousarray(rgb[:CODE_HEIGHT, :CODE_WIDTH]))


# --- the clip ---------------------------------------------------------------------------------


def make_demo_clip(
    path: str | Path,
    *,
    seconds: float = 24.0,
    size: tuple[int, int] = (640, 360),
    fps: int = 25,
) -> Path:
    """Write the demo clip (H.264 + AAC in MP4) to ``path`` and return the path.

    The script of the interaction is stretched to ``seconds``, so a short test clip still shows
    every kind of behaviour.
    """
    path = Path(path)
    width, height = size
    if width < CODE_WIDTH or height < 90 or width % 2 or height % 2:
        raise ValueError(f"size must be even and at least {CODE_WIDTH}×90, got {width}×{height}")
    frames = max(2, round(seconds * fps))
    if frames >= 2**CODE_BITS:
        raise ValueError(f"a demo clip holds at most {2**CODE_BITS - 1} frames")
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.stem}.{uuid.uuid4().hex}.partial.mp4")
    stretch = seconds / SCRIPT_SECONDS
    sound = sound_track(frames / fps, stretch)
    try:
        with av.open(str(partial), "w", format="mp4") as out:
            video = out.add_stream(
                "libx264",
                rate=Fraction(fps),
                options={
                    "preset": "veryfast",
                    "crf": "21",
                    "x264-params": f"keyint={fps}:min-keyint={fps}:scenecut=0:bframes=2:threads=1",
                },
            )
            video.width, video.height, video.pix_fmt = width, height, "yuv420p"
            audio = out.add_stream("aac", rate=AUDIO_RATE)
            audio.layout = "mono"
            done = 0
            for index in range(frames):
                image = render_demo_frame(index, width, height, fps, stretch)
                frame = av.VideoFrame.from_ndarray(image, format="rgb24")
                frame.pts = index
                frame.time_base = Fraction(1, fps)
                out.mux(video.encode(frame))
                done = _write_sound(out, audio, sound, done, (index + 1) * AUDIO_RATE // fps)
            out.mux(video.encode(None))
            _write_sound(out, audio, sound, done, sound.size)
            out.mux(audio.encode(None))
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return path


def _write_sound(
    out: av.container.OutputContainer,
    stream: av.AudioStream,
    sound: np.ndarray,
    done: int,
    until: int,
) -> int:
    """Encode ``sound`` from sample ``done`` up to ``until`` in whole codec frames."""
    chunk = stream.codec_context.frame_size or _AUDIO_CHUNK
    until = min(until, sound.size)
    while done < until:
        piece = sound[done : done + chunk]
        if piece.size < chunk:
            piece = np.pad(piece, (0, chunk - piece.size))
        frame = av.AudioFrame.from_ndarray(
            piece.astype(np.float32).reshape(1, -1), format="fltp", layout="mono"
        )
        frame.sample_rate = AUDIO_RATE
        frame.pts = done
        frame.time_base = Fraction(1, AUDIO_RATE)
        out.mux(stream.encode(frame))
        done += chunk
    return done
