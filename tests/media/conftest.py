"""Clips for the media tests, generated once per test run (nothing is downloaded)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest

from coder.demo.synth import make_clip, vfr_times
from coder.media import index_cache


@dataclass(frozen=True)
class Clip:
    """A generated clip and what it is known to contain."""

    name: str
    path: Path
    pts_us: list[int]
    fps: float
    size: tuple[int, int]
    audio: bool
    vfr: bool
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def frames(self) -> int:
        return len(self.pts_us)


def _cfr_times(frames: int, fps: Fraction) -> list[int]:
    return [int(i * 1_000_000 / fps + Fraction(1, 2)) for i in range(frames)]


# name -> (file name, make_clip keywords)
CLIP_SPECS: dict[str, tuple[str, dict[str, Any]]] = {
    "h264_mp4_25fps": ("cfr25.mp4", {"frames": 60, "fps": 25, "gop": 25}),
    "h264_mp4_29.97fps_audio": (
        "ntsc.mp4",
        {"frames": 60, "fps": Fraction(30000, 1001), "gop": 30, "audio": True},
    ),
    "h264_mp4_vfr": ("vfr.mp4", {"frames": 60, "vfr_pts_us": vfr_times(60, seed=1), "gop": 20}),
    "h264_mkv_vfr_audio": (
        "vfr.mkv",
        {"frames": 60, "vfr_pts_us": vfr_times(60, seed=2), "gop": 20, "audio": True},
    ),
    "mjpeg_avi_audio": ("mjpeg.avi", {"frames": 40, "codec": "mjpeg", "audio": True}),
    "vp9_webm_audio": ("vp9.webm", {"frames": 40, "codec": "vp9", "gop": 15, "audio": True}),
    "hevc_mov": ("hevc.mov", {"frames": 40, "codec": "hevc", "gop": 16, "size": (256, 144)}),
    "h264_mp4_long_gop": ("longgop.mp4", {"frames": 120, "gop": 60, "bframes": 3}),
    "h264_mkv_open_gop": (
        "opengop.mkv",
        {"frames": 60, "gop": 20, "bframes": 3, "encoder_params": "open-gop=1:b-adapt=0"},
    ),
}
CLIP_NAMES = list(CLIP_SPECS)


@pytest.fixture(scope="session", autouse=True)
def _private_index_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Counts from full decodes go to a folder of this test run, never the user's cache."""
    folder = tmp_path_factory.mktemp("frame-index")
    old = os.environ.get(index_cache.ENV)
    os.environ[index_cache.ENV] = str(folder)
    index_cache.forget_memory()
    yield folder
    index_cache.forget_memory()
    if old is None:
        os.environ.pop(index_cache.ENV, None)
    else:
        os.environ[index_cache.ENV] = old


@pytest.fixture(scope="session")
def clip_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("clips")


@pytest.fixture(scope="session")
def clips(clip_dir: Path) -> dict[str, Clip]:
    made = {}
    for name, (file_name, options) in CLIP_SPECS.items():
        path = make_clip(clip_dir / file_name, **options)
        fps = Fraction(options.get("fps", 25))
        vfr = options.get("vfr_pts_us")
        made[name] = Clip(
            name=name,
            path=path,
            pts_us=list(vfr) if vfr is not None else _cfr_times(options["frames"], fps),
            fps=float(fps),
            size=options.get("size", (320, 240)),
            audio=options.get("audio", False),
            vfr=vfr is not None,
            options=options,
        )
    return made


@pytest.fixture(params=CLIP_NAMES)
def clip(request: pytest.FixtureRequest, clips: dict[str, Clip]) -> Clip:
    return clips[request.param]
