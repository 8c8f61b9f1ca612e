"""probe(): frame times, counts and sizes come from the real stream."""

from __future__ import annotations

import av
import numpy as np
import pytest

from coder.demo.synth import make_clip, truncate_file
from coder.media import MediaError, probe


def test_probe_reports_every_frame_time(clip):
    info = probe(clip.path)
    assert info.frame_count == clip.frames
    assert info.timebase.pts.tolist() == clip.pts_us
    assert info.path == clip.path


def test_probe_reports_size_audio_and_frame_rate(clip):
    info = probe(clip.path)
    assert (info.width, info.height) == clip.size
    assert info.has_audio is clip.audio
    assert info.variable_frame_rate is clip.vfr
    if not clip.vfr:
        assert info.fps == pytest.approx(clip.fps, rel=1e-6)


def test_probe_duration_ends_after_the_last_frame(clip):
    info = probe(clip.path)
    last = clip.pts_us[-1]
    assert last < info.duration_us <= last + 100_000
    if not clip.vfr:
        assert info.duration_us == pytest.approx(clip.frames * 1e6 / clip.fps, abs=2)


def test_probe_of_29_97_fps_keeps_the_exact_rate(clips):
    info = probe(clips["h264_mp4_29.97fps_audio"].path)
    assert info.fps == pytest.approx(30000 / 1001, abs=1e-9)
    assert info.timebase.pts_us(3) == 100_100  # 3 × 1001/30000 s, not 3 × 33 333 µs


def test_vfr_fps_is_the_average_and_times_are_not_fps_times_n(clips):
    clip = clips["h264_mp4_vfr"]
    info = probe(clip.path)
    assert info.variable_frame_rate
    assert info.fps == pytest.approx(info.frame_count * 1e6 / info.duration_us, rel=1e-9)
    naive = [round(i * 1e6 / info.fps) for i in range(info.frame_count)]
    assert naive != clip.pts_us
    assert info.timebase.pts.tolist() == clip.pts_us


def test_a_header_that_claims_more_than_the_file_holds_does_not_fool_probe(tmp_path):
    whole = make_clip(tmp_path / "whole.mkv", frames=100, gop=10)
    cut = truncate_file(whole, 0.5, tmp_path / "cut.mkv")
    with av.open(str(cut)) as container:
        header_seconds = container.duration / av.time_base
        decoded = sum(1 for _ in container.decode(video=0))
    assert header_seconds == pytest.approx(4.0, abs=0.05)  # still the uncut length
    info = probe(cut)
    assert info.frame_count < 100
    assert info.frame_count >= decoded  # the torn last packet may not decode
    assert info.duration_us < 2_600_000


@pytest.mark.parametrize("name", ["missing.mp4", "folder"])
def test_probe_of_a_missing_file_or_folder_names_it(tmp_path, name):
    (tmp_path / "folder").mkdir()
    with pytest.raises(MediaError, match=name):
        probe(tmp_path / name)


def test_probe_of_a_text_file_named_mp4_names_the_file_and_cause(tmp_path):
    fake = tmp_path / "notes.mp4"
    fake.write_text("this is not a video\n" * 50)
    with pytest.raises(MediaError, match=r"notes\.mp4: not a readable video file"):
        probe(fake)


def test_probe_of_an_audio_only_file_says_there_is_no_video(tmp_path):
    path = tmp_path / "sound.mkv"
    with av.open(str(path), "w") as out:
        stream = out.add_stream("pcm_s16le", rate=8000)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 800), np.int16), format="s16", layout="mono"
        )
        frame.sample_rate = 8000
        frame.pts = 0
        out.mux(stream.encode(frame))
        out.mux(stream.encode(None))
    with pytest.raises(MediaError, match=r"sound\.mkv: has no video stream"):
        probe(path)
