"""Broken, missing and fake files fail with a MediaError that names the file and the cause."""

from __future__ import annotations

import re
import struct
import zlib

import av
import pytest

from coder.demo.synth import corrupt_file, make_clip, read_frame_number, truncate_file
from coder.media import MediaError, open_video, probe


@pytest.fixture(scope="module")
def whole_faststart(tmp_path_factory):
    folder = tmp_path_factory.mktemp("broken")
    return make_clip(folder / "whole.mp4", frames=100, gop=25, faststart=True)


def _read_until_error(video) -> tuple[list[int], str | None]:
    """Indices read exactly in order before the first MediaError, and its message."""
    good: list[int] = []
    for i in range(video.frame_count):
        try:
            picture = video.frame(i)
        except MediaError as exc:
            return good, str(exc)
        assert read_frame_number(picture) == i
        good.append(i)
    return good, None


def test_a_missing_file_is_named(tmp_path):
    missing = tmp_path / "gone.mp4"
    with pytest.raises(MediaError, match=r"gone\.mp4: no such file"):
        open_video(missing)


def test_a_text_file_named_mp4_is_named_with_the_cause(tmp_path):
    fake = tmp_path / "fake.mp4"
    fake.write_text("hello\n" * 100)
    with pytest.raises(MediaError, match=r"fake\.mp4: not a readable video file \(.+\)"):
        open_video(fake)


def test_an_mp4_cut_before_its_index_cannot_be_opened(tmp_path):
    clip = make_clip(tmp_path / "plain.mp4", frames=50)  # index (moov) at the end
    cut = truncate_file(clip, 0.7, tmp_path / "cut.mp4")
    with pytest.raises(MediaError, match=r"cut\.mp4: not a readable video file"):
        open_video(cut)


def test_a_file_with_almost_nothing_left_fails_at_open(tmp_path, whole_faststart):
    stub = truncate_file(whole_faststart, 0.02, tmp_path / "stub.mp4")
    with pytest.raises(MediaError, match=r"stub\.mp4: "):
        open_video(stub)


def test_a_truncated_file_gives_the_frames_before_the_cut_then_an_error(tmp_path, whole_faststart):
    cut = truncate_file(whole_faststart, 0.6, tmp_path / "cut.mp4")
    with open_video(cut) as video:
        assert 10 < video.frame_count < 100
        good, error = _read_until_error(video)
        assert error is not None
        assert re.match(r".*cut\.mp4: frame \d+ cannot be decoded: .+", error)
        # The torn last packet, and the frames that refer to it, may be lost.
        assert len(good) >= video.frame_count - 4
        # The fault is remembered and the frames before it stay reachable in any order.
        with pytest.raises(MediaError, match=r"cut\.mp4"):
            video.frame(len(good))
        assert read_frame_number(video.frame(len(good) - 1)) == len(good) - 1
        assert read_frame_number(video.frame(3)) == 3


def test_a_damaged_keyframe_fails_its_group_and_spares_the_rest(tmp_path, whole_faststart):
    # Damage that makes the keyframe's packet unreadable; damage FFmpeg can conceal inside
    # picture data is not detectable and is served as decoded.
    with av.open(str(whole_faststart)) as container:
        keyframe_50 = next(
            p.pos for p in container.demux(video=0) if p.is_keyframe and p.pts and p.pts >= 50 * 512
        )
    size = whole_faststart.stat().st_size
    damaged = corrupt_file(
        whole_faststart, keyframe_50 / size, length=300, dest=tmp_path / "damaged.mp4"
    )
    with open_video(damaged, cache_mb=1) as video:
        assert read_frame_number(video.frame(49)) == 49
        for i in (50, 60, 74):
            with pytest.raises(MediaError, match=rf"damaged\.mp4: frame {i} cannot be decoded"):
                video.frame(i)
        for i in (75, 99, 10, 76):
            assert read_frame_number(video.frame(i)) == i


def test_a_closed_source_refuses_frames_and_names_the_file(clips):
    video = open_video(clips["h264_mp4_25fps"].path)
    video.frame(0)
    video.close()
    video.close()  # closing twice is harmless
    with pytest.raises(MediaError, match=r"cfr25\.mp4: the video is closed"):
        video.frame(1)


def test_probe_and_open_agree_on_a_truncated_matroska_file(tmp_path):
    whole = make_clip(tmp_path / "whole.mkv", frames=60, gop=15)
    cut = truncate_file(whole, 0.5, tmp_path / "half.mkv")
    info = probe(cut)
    with open_video(cut) as video:
        assert video.frame_count == info.frame_count
        last = video.frame_count - 1
        # frame(i) is the i-th frame of a sequential decode, whatever picture that shows.
        with av.open(str(cut)) as container:
            sequential = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
        for i in (0, last // 2, len(sequential) - 1):
            assert (video.frame(i) == sequential[i]).all()


def test_random_access_into_a_damaged_group_fails_instead_of_showing_garbage(
    tmp_path, whole_faststart
):
    with av.open(str(whole_faststart)) as container:
        keyframe_50 = next(
            p.pos for p in container.demux(video=0) if p.is_keyframe and p.pts and p.pts >= 50 * 512
        )
    damaged = corrupt_file(
        whole_faststart,
        keyframe_50 / whole_faststart.stat().st_size,
        length=300,
        dest=tmp_path / "hurt.mp4",
    )
    for i in (60, 51, 74):
        with (
            open_video(damaged, cache_mb=0) as video,
            pytest.raises(MediaError, match=f"frame {i}"),
        ):
            video.frame(i)


def _png(width: int, height: int) -> bytes:
    """A PNG header declaring ``width``×``height`` pixels, with a small (cut) picture."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    picture = zlib.compress(bytes(3 * width + 1) * 4)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", picture)
        + chunk(b"IEND", b"")
    )


def test_a_huge_image_posing_as_a_video_is_refused_before_any_decode(tmp_path):
    huge = tmp_path / "poster.mp4"
    huge.write_bytes(_png(15_000, 15_000))
    with pytest.raises(MediaError, match=r"poster\.mp4: its pictures are 15000×15000 pixels"):
        open_video(huge)
    with pytest.raises(MediaError, match="at most 35 megapixels"):
        probe(huge)


def test_a_video_in_a_codec_ffmpeg_does_not_know_is_named(tmp_path):
    clip = make_clip(tmp_path / "xvid.avi", frames=10, codec="mpeg4")
    data = clip.read_bytes()
    assert data.count(b"FMP4") == 2  # the codec tag, in the stream header and its format
    unknown = tmp_path / "unknown.avi"
    unknown.write_bytes(data.replace(b"FMP4", b"QZQZ"))
    for call in (probe, open_video):
        with pytest.raises(MediaError, match=r"unknown\.avi: no decoder for its video stream"):
            call(unknown)


def test_a_file_gone_while_open_gives_media_errors_and_keeps_serving_what_it_can(
    tmp_path, monkeypatch
):
    from coder.media import demuxer

    clip = make_clip(tmp_path / "moved.mp4", frames=60, gop=10)
    with open_video(clip, cache_mb=0) as video:
        video.frame(30)

        def gone(path):
            raise FileNotFoundError(2, "No such file or directory")

        monkeypatch.setattr(demuxer, "open_container", gone)  # reading from the start fails
        for i in (5, 45, 1, 59):
            if video.index.keyframe_at_or_before(i) == 0:
                with pytest.raises(MediaError, match=r"moved\.mp4: .*No such file"):
                    video.frame(i)
            else:  # the file as opened still seeks
                assert read_frame_number(video.frame(i)) == i
