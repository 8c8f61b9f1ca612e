"""The generated clips carry a frame code that survives compression and reads back exactly."""

from __future__ import annotations

import itertools

import av
import numpy as np
import pytest

from coder.demo.synth import (
    CODE_BITS,
    corrupt_file,
    make_clip,
    read_frame_number,
    render_frame,
    truncate_file,
    vfr_times,
)


@pytest.mark.parametrize("size", [(64, 48), (320, 240), (1280, 720)])
@pytest.mark.parametrize("index", [0, 1, 255, 2**CODE_BITS - 1])
def test_rendered_frames_read_back_their_index(size, index):
    assert read_frame_number(render_frame(index, *size)) == index


def test_the_code_survives_heavy_compression_and_noise(tmp_path):
    path = make_clip(tmp_path / "rough.mp4", frames=12, noise=40, bit_rate=60_000)
    with av.open(str(path)) as container:
        numbers = [
            read_frame_number(f.to_ndarray(format="rgb24")) for f in container.decode(video=0)
        ]
    assert numbers == list(range(12))


def test_a_picture_without_a_code_is_refused():
    noise = np.random.default_rng(0).integers(0, 256, size=(240, 320, 3), dtype=np.uint8)
    with pytest.raises(ValueError, match="frame code unreadable"):
        read_frame_number(noise)
    with pytest.raises(ValueError, match="unreadable"):
        read_frame_number(np.full((240, 320, 3), 128, dtype=np.uint8))


def test_a_custom_background_keeps_the_code():
    def red(image, index):
        image[:] = (200, 0, 0)

    picture = render_frame(77, 320, 240, draw=red)
    assert read_frame_number(picture) == 77
    assert tuple(picture[-1, 0]) == (200, 0, 0)


def test_vfr_clips_store_the_given_times(tmp_path):
    times = [0, 10_000, 55_000, 56_000, 200_000]
    path = make_clip(tmp_path / "v.mp4", frames=5, vfr_pts_us=times)
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        pts = sorted(
            round(p.pts * stream.time_base * 1_000_000) for p in container.demux(stream) if p.size
        )
    assert pts == times


def test_vfr_times_strictly_increase():
    times = vfr_times(200, seed=5)
    assert len(times) == 200
    assert all(b > a for a, b in itertools.pairwise(times))


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"frames": 0}, "frames must be"),
        ({"frames": 3, "codec": "theora"}, "unknown codec"),
        ({"frames": 3, "size": (63, 48)}, "size must be even"),
        ({"frames": 2, "vfr_pts_us": [0, 0]}, "strictly increase"),
        ({"frames": 2, "vfr_pts_us": [0]}, "1 times for 2 frames"),
    ],
)
def test_bad_clip_requests_are_refused(tmp_path, kwargs, message):
    with pytest.raises(ValueError, match=message):
        make_clip(tmp_path / "x.mp4", **kwargs)


def test_avi_refuses_a_variable_frame_rate_and_unknown_suffixes(tmp_path):
    with pytest.raises(ValueError, match="AVI cannot hold"):
        make_clip(tmp_path / "x.avi", frames=2, vfr_pts_us=[0, 5000], codec="mjpeg")
    with pytest.raises(ValueError, match="unknown container"):
        make_clip(tmp_path / "x.flv", frames=2)


def test_truncate_and_corrupt_work_on_copies(tmp_path):
    original = tmp_path / "data.bin"
    original.write_bytes(bytes(range(256)) * 40)
    cut = truncate_file(original, 0.25, tmp_path / "cut.bin")
    assert cut.stat().st_size == 2560
    assert original.stat().st_size == 10240
    bad = corrupt_file(original, 0.5, length=100, dest=tmp_path / "bad.bin")
    changed = np.frombuffer(bad.read_bytes(), np.uint8) != np.frombuffer(
        original.read_bytes(), np.uint8
    )
    assert changed[:5120].sum() == 0
    assert 80 < changed[5120:5220].sum() <= 100
    assert changed[5220:].sum() == 0
