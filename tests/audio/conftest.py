"""Clips with known bursts in their sound, generated once per test run."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.audio.sounds import Burst, make_sound_clip

BURSTS = (Burst(0.52, 0.30), Burst(1.746, 0.20), Burst(3.1, 0.40))
"""Tone bursts of the standard clips (start and length in seconds)."""
SECONDS = 4.0


@pytest.fixture(scope="session")
def clip_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("sound-clips")


@pytest.fixture(scope="session", params=[".mp4", ".ts"])
def burst_clip(request: pytest.FixtureRequest, clip_folder: Path) -> Path:
    """A 4 s clip with three tone bursts: MP4 (media time starts at 0) and MPEG-TS (its
    time stamps start later, and audio and video at different times)."""
    path = clip_folder / f"bursts{request.param}"
    if not path.exists():
        make_sound_clip(path, seconds=SECONDS, bursts=BURSTS)
    return path


@pytest.fixture(scope="session")
def silent_clip(clip_folder: Path) -> Path:
    """A clip without an audio stream."""
    path = clip_folder / "silent.mp4"
    if not path.exists():
        make_sound_clip(path, seconds=1.0, bursts=(), audio=False)
    return path
