"""The envelope of a clip's sound: bursts found at their times at every zoom, on the video's
time axis; the spectrogram; files without sound; damaged sound."""

from __future__ import annotations

import itertools
import shutil
from pathlib import Path

import av
import numpy as np
import pytest

from coder.audio import AudioError, Envelope, NoSound, read_sound
from coder.audio.envelope import FACTOR, Level, coarser, mu_decode, mu_encode
from coder.jobs import JobCancelled
from coder.media import open_video
from tests.audio.conftest import BURSTS, SECONDS
from tests.audio.sounds import Burst, make_sound_clip, onsets_us

LOUD = 0.35
"""Half the bursts' level: a column above it is in a burst."""


def envelope_of(path: Path, **kwargs: object) -> Envelope:
    result = read_sound(path, cache_dir=None, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, Envelope)
    return result


def true_onsets(path: Path) -> tuple[list[int], int]:
    """The media times the bursts start at (the first frame's time plus their start) and the
    length of a frame."""
    with open_video(path) as video:
        first, frame_us = video.pts_us(0), video.pts_us(1) - video.pts_us(0)
    return [first + round(b.start_s * 1e6) for b in BURSTS], frame_us


@pytest.mark.parametrize("columns", [4000, 800, 120])
def test_bursts_are_found_at_their_onset_at_any_zoom(burst_clip, columns):
    """4000 columns: 1 ms each (one frame is 40 columns wide); 800: 5 ms; 120: the whole
    session in a narrow window (33 ms, almost a frame, per column). The onset is found within
    a frame of the truth, and never later than the column holding it."""
    envelope = envelope_of(burst_clip)
    truth, frame_us = true_onsets(burst_clip)
    edges = np.linspace(truth[0] - 520_000, truth[0] - 520_000 + SECONDS * 1e6, columns + 1)
    low, high, _ = envelope.columns(edges)
    found = onsets_us(low, high, edges, LOUD)
    assert len(found) == len(truth)
    width = edges[1] - edges[0]
    bin_us = envelope.bin_us(envelope.level_for(width))
    for onset, expected in zip(found, truth, strict=True):
        assert expected - width - bin_us <= onset <= expected + 3000, (found, truth)
        assert abs(onset - expected) < frame_us


def test_times_are_those_of_the_video_frames(burst_clip):
    """Each burst starts in the frame the video shows at its time: sound and pictures share
    one axis, also where the container's time stamps do not start at 0 (MPEG-TS)."""
    envelope = envelope_of(burst_clip)
    truth, _ = true_onsets(burst_clip)
    edges = np.arange(envelope.start_us, envelope.end_us, 1000, dtype=np.float64)
    low, high, _ = envelope.columns(edges)
    with open_video(burst_clip) as video:
        for onset, expected in zip(onsets_us(low, high, edges, LOUD), truth, strict=True):
            assert abs(onset - expected) <= 3000
            assert video.index_at(onset) in (video.index_at(expected), video.index_at(expected) + 1)


def test_the_sound_between_bursts_is_quiet(burst_clip):
    envelope = envelope_of(burst_clip)
    truth, _ = true_onsets(burst_clip)
    gap = np.linspace(truth[0] + 400_000, truth[1] - 100_000, 50)  # after the first burst
    _, high, rms = envelope.columns(gap)
    assert np.max(np.abs(high)) < 0.05
    assert np.max(rms) < 0.02
    inside = np.linspace(truth[0] + 50_000, truth[0] + 250_000, 10)
    _, high, rms = envelope.columns(inside)
    assert np.all(high > 0.6)
    assert np.all(np.abs(rms - 0.7 / np.sqrt(2)) < 0.06)  # a sine's RMS


def test_the_pyramid_gives_a_few_bins_per_column_at_every_zoom(burst_clip):
    envelope = envelope_of(burst_clip)
    sizes = [level.size for level in envelope.levels]
    assert sizes[0] == -(-envelope.samples // envelope.bin_samples)
    assert all(b == -(-a // FACTOR) for a, b in itertools.pairwise(sizes))
    assert envelope.bin_us(0) == pytest.approx(1000, rel=0.01)
    for column_us in (500, 2_000, 40_000, 1_000_000):
        level = envelope.level_for(column_us)
        bins = column_us / envelope.bin_us(level)
        assert bins >= 2 or level == 0
        assert bins < 2 * FACTOR or level == len(envelope.levels) - 1


def test_coarser_levels_equal_direct_reductions():
    rng = np.random.default_rng(5)
    samples = np.clip(rng.standard_normal(4096 * 3 + 17) * 0.3, -1, 1).astype(np.float32)

    def direct(size: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        starts = np.arange(0, samples.size, size)
        counts = np.diff(np.append(starts, samples.size))
        power = np.add.reduceat(samples.astype(np.float64) ** 2, starts) / counts
        low = np.minimum.reduceat(samples, starts)
        return low, np.maximum.reduceat(samples, starts), np.sqrt(power)

    base = Level(*(mu_encode(a) for a in direct(48)))
    level = coarser(coarser(base))
    low, high, rms = direct(48 * FACTOR * FACTOR)
    assert np.array_equal(level.low, mu_encode(low))
    assert np.array_equal(level.high, mu_encode(high))
    assert np.allclose(mu_decode(level.rms), rms, rtol=0.05, atol=1e-3)


def test_mu_law_keeps_quiet_values_fine_and_loud_ones_close():
    values = np.array([-1.0, -0.5, -0.01, 0.0, 0.002, 0.01, 0.1, 0.5, 1.0], dtype=np.float32)
    back = mu_decode(mu_encode(values))
    assert np.all(np.abs(back - values) <= 0.03 * np.abs(values) + 2e-4)
    assert np.sign(back).tolist() == np.sign(values).tolist()


def test_columns_off_the_sound_are_empty_and_uneven_columns_work(burst_clip):
    envelope = envelope_of(burst_clip)
    truth, _ = true_onsets(burst_clip)
    before = envelope.start_us - 10_000_000
    after = envelope.end_us + 10_000_000
    edges = np.array([before, before + 5_000_000, truth[0] + 10_000, truth[0] + 200_000, after])
    low, high, rms = envelope.columns(edges)
    assert (low[0], high[0], rms[0]) == (0, 0, 0)  # wholly before the sound
    assert high[2] > 0.6  # a narrow column inside the first burst
    assert high[3] > 0.6  # a wide one running past the end of the sound


def test_the_spectrogram_shows_a_tone_in_its_band_from_its_onset(burst_clip):
    envelope = envelope_of(burst_clip, spectrogram=True)
    spec = envelope.spectrogram
    assert spec is not None
    truth, frame_us = true_onsets(burst_clip)
    assert spec.end_us == pytest.approx(envelope.end_us, abs=spec.hop_us)
    edges = np.arange(envelope.start_us, envelope.end_us, spec.hop_us)
    values = spec.columns(edges).astype(int)
    loudest = np.argmax(values[:, :].max(axis=0))
    centres = spec.band_centres_hz()
    assert abs(centres[loudest] - 800) < 120  # the bursts are 800 Hz tones
    band = values[:, loudest]
    quiet = np.median(band)
    rising = np.flatnonzero(
        (band > quiet + 60) & ~np.concatenate([[False], band[:-1] > quiet + 60])
    )
    found = [int(edges[i]) for i in rising]
    assert len(found) == len(truth)
    for onset, expected in zip(found, truth, strict=True):
        assert abs(onset - expected) < frame_us


def test_progress_is_reported_and_a_cancel_stops_the_work(burst_clip):
    heard: list[tuple[int, int, str]] = []
    read_sound(burst_clip, cache_dir=None, progress=lambda d, t, s="": heard.append((d, t, s)))
    assert heard[0][0] == 0
    assert heard[-1][0] == heard[-1][1] >= 3900  # ms of sound, all read at the end
    assert all(burst_clip.name in text for _, _, text in heard)

    def cancel(done: int, total: int, text: str = "") -> None:
        raise JobCancelled

    with pytest.raises(JobCancelled):
        read_sound(burst_clip, cache_dir=None, progress=cancel)


def test_a_file_without_sound_is_no_sound_not_an_error(silent_clip):
    result = read_sound(silent_clip, cache_dir=None)
    assert isinstance(result, NoSound)
    assert result.message == "silent.mp4 has no sound"


def test_a_missing_file_or_one_that_is_no_media_is_a_named_error(tmp_path):
    with pytest.raises(AudioError, match=r"nothing\.mp4: no such file"):
        read_sound(tmp_path / "nothing.mp4", cache_dir=None)
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(np.random.default_rng(1).integers(0, 256, 50_000, dtype=np.uint8).tobytes())
    with pytest.raises(AudioError, match=r"junk\.mp4: not a readable media file"):
        read_sound(junk, cache_dir=None)


def _damage_audio(source: Path, target: Path, start_s: float = 0.0, end_s: float = 1e9) -> None:
    """Overwrite the audio packets of ``source`` between two times with random bytes."""
    shutil.copy(source, target)
    with av.open(str(source)) as container:
        stream = container.streams.audio[0]
        spans = [
            (p.pos, p.size)
            for p in container.demux(stream)
            if p.size
            and p.pos is not None
            and p.pts is not None
            and start_s <= float(p.pts * stream.time_base) < end_s
        ]
    rng = np.random.default_rng(3)
    with target.open("r+b") as handle:
        for pos, size in spans:
            handle.seek(pos)
            handle.write(rng.integers(0, 256, size, dtype=np.uint8).tobytes())


def test_sound_that_cannot_be_decoded_is_a_named_error(clip_folder, tmp_path):
    source = clip_folder / "bursts.mp4"
    if not source.exists():
        make_sound_clip(source, seconds=SECONDS, bursts=BURSTS)
    broken = tmp_path / "broken.mp4"
    _damage_audio(source, broken)
    with pytest.raises(AudioError, match=r"broken\.mp4: its sound \(aac\) cannot be decoded"):
        read_sound(broken, cache_dir=None)


def test_damaged_packets_stay_silent_and_later_sound_keeps_its_time(tmp_path):
    source = make_sound_clip(
        tmp_path / "two.mp4", seconds=3.0, bursts=(Burst(0.5, 0.3), Burst(2.2, 0.3))
    )
    damaged = tmp_path / "damaged.mp4"
    _damage_audio(source, damaged, 1.0, 1.6)
    envelope = envelope_of(damaged)
    assert envelope.damaged_packets > 0
    edges = np.arange(envelope.start_us, envelope.end_us, 1000, dtype=np.float64)
    low, high, _ = envelope.columns(edges)
    found = onsets_us(low, high, edges, LOUD)
    assert len(found) == 2
    assert abs(found[0] - 500_000) <= 3000
    assert abs(found[1] - 2_200_000) <= 3000  # after the damaged stretch, still on time


def test_a_shifted_envelope_draws_the_same_sound_later(burst_clip):
    envelope = envelope_of(burst_clip, spectrogram=True)
    later = envelope.shifted(2_000_000)  # a camera switched on 2 s after the reference
    edges = np.arange(envelope.start_us, envelope.end_us, 1000, dtype=np.float64)
    low, high, _ = envelope.columns(edges)
    moved = edges + 2_000_000
    assert np.array_equal(later.columns(moved)[1], high)
    assert later.end_us == envelope.end_us + 2_000_000
    assert later.spectrogram is not None
    assert envelope.spectrogram is not None
    assert later.spectrogram.start_us == envelope.spectrogram.start_us + 2_000_000
    assert onsets_us(*later.columns(moved)[:2], moved, LOUD) == [
        t + 2_000_000 for t in onsets_us(low, high, edges, LOUD)
    ]
