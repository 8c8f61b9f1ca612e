"""The envelope is computed once per file content: kept on disk, never stale, never partial."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from coder import audio
from coder.audio import Envelope, JobCancelled, read_cached, read_sound
from coder.audio import reading as reading_module
from coder.media import index_cache
from tests.audio.conftest import BURSTS, SECONDS
from tests.audio.sounds import Burst, make_sound_clip


@pytest.fixture
def clip(tmp_path, clip_folder) -> Path:
    """A private copy of the standard MP4 clip (tests change or remove it)."""
    source = clip_folder / "bursts.mp4"
    if not source.exists():
        make_sound_clip(source, seconds=SECONDS, bursts=BURSTS)
    return Path(shutil.copy(source, tmp_path / "clip.mp4"))


@pytest.fixture
def decodes(monkeypatch) -> list[Path]:
    """Every file whose sound is decoded from here on."""
    seen: list[Path] = []
    real = reading_module.decode

    def counting(path: Path, *args: object, **kwargs: object) -> object:
        seen.append(path)
        return real(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reading_module, "decode", counting)
    return seen


def same(a: Envelope, b: Envelope) -> bool:
    return (
        (a.start_us, a.samples, a.sample_rate, a.bin_samples, a.peak)
        == (b.start_us, b.samples, b.sample_rate, b.bin_samples, b.peak)
        and len(a.levels) == len(b.levels)
        and all(
            np.array_equal(x.low, y.low)
            and np.array_equal(x.high, y.high)
            and np.array_equal(x.rms, y.rms)
            for x, y in zip(a.levels, b.levels, strict=True)
        )
    )


def test_the_second_read_comes_from_the_cache(clip, tmp_path, decodes):
    cache = tmp_path / "cache"
    first = read_sound(clip, cache_dir=cache)
    assert read_cached(clip, cache_dir=cache) is not None
    second = read_sound(clip, cache_dir=cache)
    assert decodes == [clip]  # decoded once
    assert isinstance(first, Envelope)
    assert isinstance(second, Envelope)
    assert same(first, second)
    moved = Path(shutil.move(clip, tmp_path / "renamed.mp4"))
    third = read_sound(moved, cache_dir=cache)  # found by content, not by name
    assert decodes == [clip]
    assert isinstance(third, Envelope)
    assert third.path == moved


def test_a_spectrogram_is_computed_when_first_asked_and_then_kept(clip, tmp_path, decodes):
    cache = tmp_path / "cache"
    plain = read_sound(clip, cache_dir=cache)
    assert isinstance(plain, Envelope)
    assert plain.spectrogram is None
    assert read_cached(clip, spectrogram=True, cache_dir=cache) is None
    full = read_sound(clip, spectrogram=True, cache_dir=cache)
    again = read_sound(clip, spectrogram=True, cache_dir=cache)
    assert len(decodes) == 2
    assert isinstance(full, Envelope)
    assert isinstance(again, Envelope)
    assert full.spectrogram is not None
    assert again.spectrogram is not None
    assert all(
        np.array_equal(a, b)
        for a, b in zip(full.spectrogram.levels, again.spectrogram.levels, strict=True)
    )


def test_a_changed_file_is_never_served_the_old_envelope(clip, tmp_path, decodes):
    cache = tmp_path / "cache"
    old = read_sound(clip, cache_dir=cache)
    make_sound_clip(clip, seconds=SECONDS, bursts=(Burst(2.0, 0.5),))  # same name, new sound
    new = read_sound(clip, cache_dir=cache)
    assert len(decodes) == 2
    assert isinstance(old, Envelope)
    assert isinstance(new, Envelope)
    at_first_burst = np.array([500_000.0, 800_000.0])
    assert old.columns(at_first_burst)[1][0] > 0.5
    assert new.columns(at_first_burst)[1][0] < 0.05
    assert new.columns(np.array([2_050_000.0, 2_300_000.0]))[1][0] > 0.5


def test_a_cancelled_read_stores_nothing(clip, tmp_path, decodes):
    cache = tmp_path / "cache"
    calls = 0

    def cancel_later(done: int, total: int, text: str = "") -> None:
        nonlocal calls
        calls += 1
        if calls == 2:  # after the first stretch of sound was read
            raise JobCancelled

    with pytest.raises(JobCancelled):
        read_sound(clip, cache_dir=cache, progress=cancel_later)
    assert not cache.exists() or not any(cache.iterdir())
    assert read_cached(clip, cache_dir=cache) is None
    assert isinstance(read_sound(clip, cache_dir=cache), Envelope)
    assert len(decodes) == 2


def test_a_damaged_cache_file_is_ignored_and_replaced(clip, tmp_path, decodes):
    cache = tmp_path / "cache"
    first = read_sound(clip, cache_dir=cache)
    (stored,) = cache.iterdir()
    stored.write_bytes(b"not an archive")
    assert read_cached(clip, cache_dir=cache) is None
    again = read_sound(clip, cache_dir=cache)
    assert isinstance(first, Envelope)
    assert isinstance(again, Envelope)
    assert same(first, again)
    assert len(decodes) == 2
    assert read_cached(clip, cache_dir=cache) is not None  # written again


def test_a_cache_that_cannot_be_written_is_simply_not_used(clip, tmp_path, decodes):
    blocked = tmp_path / "a-file"
    blocked.write_text("a file where the cache folder would be")
    assert isinstance(read_sound(clip, cache_dir=blocked / "cache"), Envelope)
    assert isinstance(read_sound(clip, cache_dir=None), Envelope)
    assert len(decodes) == 2


def test_the_usual_cache_folder_follows_the_media_cache_setting(clip, tmp_path, monkeypatch):
    monkeypatch.setenv(index_cache.ENV, str(tmp_path / "media-cache"))
    assert audio.cache.cache_dir() == tmp_path / "media-cache"
    read_sound(clip)
    names = [p.name for p in (tmp_path / "media-cache").iterdir()]
    assert len(names) == 1
    assert names[0].startswith("audio-v1-env-")
    monkeypatch.setenv(index_cache.ENV, "")  # stored nowhere
    assert audio.cache.cache_dir() is None
    monkeypatch.delenv(index_cache.ENV)
    assert audio.cache.cache_dir() is not None
    assert audio.cache.cache_dir().name == "audio"
