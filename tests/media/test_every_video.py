"""Every kind of real video, exact: frame(i) is the i-th picture of a plain sequential decode.

Each class of file that broke naive indexes (camcorder MPEG-TS, one that gains a stream midway,
DVD MPEG-PS, AVI with B-frames, packed B-frames, edit lists, decode-order time stamps, VP9 hidden
frames, shared time stamps, non-UTF-8 tags, phone rotation, non-square pixels, interlacing) is
generated here and read frame by frame, by the code burned into each picture, against a
sequential decode of the same file: forward, backward and in random order, with and without the
frame cache.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

from coder.demo.synth import make_clip, read_frame_number, vfr_times
from coder.media import MediaError, index_cache, open_video, probe
from coder.media.index import read_index
from coder.media.pyav import PyAVVideoSource
from coder.timebase import TimeBase
from tests.media import oddmedia


@dataclass(frozen=True)
class Kind:
    """How to make one class of file and what its index must say."""

    make: Callable[[Path], Path]
    method: str = "packets"  # how the engine must number its frames
    rotation: int = 0


def _clip(name: str, **options: object) -> Callable[[Path], Path]:
    return lambda folder: make_clip(folder / name, **options)  # type: ignore[arg-type]


KINDS: dict[str, Kind] = {
    "mpegts_h264_bframes": Kind(_clip("cam.mts", frames=60, gop=12, bframes=3, audio=True)),
    "mpegts_h264_interlaced": Kind(
        _clip("cam1080i.m2ts", frames=48, gop=12, bframes=2, interlaced=True)
    ),
    "mpegts_stream_added_midway": Kind(oddmedia.stream_added_midway),
    "mpegps_mpeg2_bframes": Kind(
        _clip("dvd.mpg", frames=60, gop=12, codec="mpeg2", bframes=2, audio=True)
    ),
    "vob_h264_untimed_pictures": Kind(
        _clip("untimed.vob", frames=60, gop=12, bframes=2), method="decode"
    ),
    "avi_mpeg4_bframes": Kind(_clip("xvid.avi", frames=60, gop=12, codec="mpeg4", bframes=2)),
    "avi_packed_bframes": Kind(oddmedia.packed_avi, method="decode"),
    "mp4_edit_list_leading_b": Kind(oddmedia.edit_list_leading_b),
    "mp4_decode_order_timestamps": Kind(oddmedia.decode_order_timestamps, method="decode"),
    "mkv_decode_order_timestamps": Kind(
        lambda folder: oddmedia.decode_order_timestamps(folder, ".mkv"), method="decode"
    ),
    "webm_vp9_hidden_frames": Kind(oddmedia.vp9_hidden_frames),
    "mkv_duplicate_timestamps": Kind(oddmedia.duplicate_timestamps),
    "mkv_non_utf8_metadata": Kind(oddmedia.non_utf8_metadata),
    "mp4_non_utf8_metadata": Kind(lambda folder: oddmedia.non_utf8_metadata(folder, ".mp4")),
    "mp4_rotation_90": Kind(_clip("r90.mp4", frames=30, rotation=90, gop=10), rotation=90),
    "mov_rotation_180": Kind(_clip("r180.mov", frames=30, rotation=180, gop=10), rotation=180),
    "mp4_rotation_270": Kind(
        _clip("r270.mp4", frames=30, rotation=270, gop=10, size=(320, 176)), rotation=270
    ),
    "mp4_anamorphic": Kind(_clip("dv.mp4", frames=30, gop=10, sample_aspect=Fraction(32, 27))),
}


@dataclass(frozen=True)
class Made:
    path: Path
    truth: list[int]
    """Frame codes of a sequential decode, in order."""
    kind: Kind


@pytest.fixture(scope="session")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Made]:
    folder = tmp_path_factory.mktemp("every_video")
    out = {}
    for name, kind in KINDS.items():
        sub = folder / name
        sub.mkdir()
        path = kind.make(sub)
        out[name] = Made(path, oddmedia.sequential_numbers(path), kind)
    return out


def _number(video: PyAVVideoSource, i: int) -> int:
    picture = video.frame(i)
    turns = video.rotation // 90
    return read_frame_number(np.rot90(picture, -turns) if turns else picture)


def _orders(count: int, seed: str) -> dict[str, list[int]]:
    rng = random.Random(seed)
    return {
        "forward": list(range(count)),
        "backward": list(range(count - 1, -1, -1)),
        "random": [rng.randrange(count) for _ in range(45)],
    }


@pytest.mark.parametrize("cache_mb", [0, 0.7, 256], ids=["no_cache", "small_cache", "cache"])
@pytest.mark.parametrize("order", ["forward", "backward", "random"])
@pytest.mark.parametrize("name", list(KINDS))
def test_every_frame_is_the_sequential_decodes_frame(made, name, order, cache_mb):
    item = made[name]
    with open_video(item.path, cache_mb=cache_mb) as video:
        assert video.frame_count == len(item.truth)
        wanted = _orders(video.frame_count, f"{name} {order}")[order]
        got = [_number(video, i) for i in wanted]
        assert got == [item.truth[i] for i in wanted]
        assert video.repairs == 0  # checked at open: nothing had to be repaired while decoding


@pytest.mark.parametrize("cache_mb", [0.7, 256], ids=["small_cache", "cache"])
@pytest.mark.parametrize("name", list(KINDS))
def test_every_frame_is_exact_with_decoding_ahead_between_steps(made, name, cache_mb):
    """As a paused player does: between steps the neighbours are made ready and the group
    behind is decoded ahead (compact frames converted when asked for)."""
    item = made[name]
    rng = random.Random(f"ahead {name}")
    with open_video(item.path, cache_mb=cache_mb) as video:
        count = video.frame_count
        at = count - 1
        for _ in range(40):
            at = min(max(at + rng.choice([-1, -1, -1, 1, -6, 8]), 0), count - 1)
            assert _number(video, at) == item.truth[at]
            video.prepare(at - 1)
            video.prepare(at + 1)
            video.prefetch(at)
        assert video.repairs == 0


@pytest.mark.parametrize("name", list(KINDS))
def test_probe_counts_what_the_decoder_gives_and_says_how(made, name):
    item = made[name]
    info = probe(item.path)
    assert info.frame_count == len(item.truth)
    assert info.index_method == item.kind.method
    if item.kind.method == "decode":
        assert info.index_notes  # says why the packets could not be trusted
    times = info.timebase.pts
    assert np.all(np.diff(times) > 0)
    assert info.duration_us > times[-1]


def test_steps_around_random_jumps_are_exact_on_a_camcorder_file(made):
    item = made["mpegts_h264_bframes"]
    rng = random.Random(4)
    with open_video(item.path, cache_mb=1) as video:
        for _ in range(10):
            at = rng.randrange(video.frame_count)
            around = [at, *range(at + 1, min(at + 4, video.frame_count))]
            around += [i for i in range(at - 1, at - 5, -1) if i >= 0]
            assert [_number(video, i) for i in around] == [item.truth[i] for i in around]


def test_a_camcorder_file_seeks_by_byte_position_and_lands_on_the_keyframe(made):
    item = made["mpegts_h264_bframes"]
    with open_video(item.path, cache_mb=0) as video:
        for i in (59, 30, 13, 1):
            assert _number(video, i) == item.truth[i]
        assert set(video._demuxer.landed.values()) <= {"byte", "start"}
        assert "byte" in video._demuxer.landed.values()


def test_a_camcorder_file_gaining_a_stream_midway_is_read_to_its_end(made):
    item = made["mpegts_stream_added_midway"]
    import av

    with av.open(str(item.path)) as container:
        assert len(container.streams) == 1  # the sound stream is met only while reading
    assert len(item.truth) == probe(item.path).frame_count == 80
    with open_video(item.path, cache_mb=0) as video:
        assert [_number(video, i) for i in (79, 40, 0, 41)] == [
            item.truth[i] for i in (79, 40, 0, 41)
        ]


def test_hidden_vp9_frames_are_not_frames(made):
    item = made["webm_vp9_hidden_frames"]
    index = read_index(item.path)
    assert index.packets.count == 60
    assert int((index.packets.pictures == 0).sum()) == 3
    assert index.frame_count == 57
    with open_video(item.path, cache_mb=0) as video:
        assert _number(video, 56) == item.truth[56] == 59


def test_frames_sharing_a_time_stamp_are_both_reachable(made):
    item = made["mkv_duplicate_timestamps"]
    with open_video(item.path, cache_mb=0) as video:
        assert video.frame_count == 40
        assert [_number(video, i) for i in (39, 20, 19, 38)] == [39, 20, 19, 38]
        times = video.timebase.pts
        assert times[19] < times[20] < times[21]  # spread over the interval they share


@pytest.mark.parametrize("name", ["mkv_non_utf8_metadata", "mp4_non_utf8_metadata"])
def test_metadata_that_is_not_utf8_does_not_stop_a_file(made, name):
    info = probe(made[name].path)
    assert info.frame_count == 30
    with open_video(made[name].path) as video:
        assert _number(video, 29) == 29


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("mp4_rotation_90", (240, 320)),
        ("mov_rotation_180", (320, 240)),
        ("mp4_rotation_270", (176, 320)),
    ],
)
def test_rotation_turns_the_picture_and_its_size(made, name, size):
    item = made[name]
    info = probe(item.path)
    assert info.rotation == item.kind.rotation
    assert (info.width, info.height) == size
    import av

    with av.open(str(item.path)) as container:
        coded = [f.to_ndarray(format="rgb24") for f in container.decode(video=0)]
    with open_video(item.path) as video:
        assert (video.width, video.height) == size
        picture = video.frame(7)
        assert picture.shape == (size[1], size[0], 3)
        # Turned counter-clockwise by the display matrix's angle, as FFmpeg's autorotate does.
        assert np.array_equal(picture, np.rot90(coded[7], item.kind.rotation // 90))


def test_non_square_pixels_are_reported_for_display(made):
    info = probe(made["mp4_anamorphic"].path)
    assert info.sample_aspect == Fraction(32, 27)
    assert info.display_aspect == pytest.approx(320 * 32 / 27 / 240)
    assert (info.width, info.height) == (320, 240)  # frames stay the coded pixels


def test_interlaced_video_is_reported(made):
    assert probe(made["mpegts_h264_interlaced"].path).interlaced
    assert not probe(made["mpegts_h264_bframes"].path).interlaced


# --- variable frame rate --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("suffix", "codec"), [(".mkv", "h264"), (".webm", "vp9"), (".wmv", "wmv2")]
)
def test_a_constant_rate_in_a_millisecond_time_base_is_not_variable(tmp_path, suffix, codec):
    path = make_clip(
        tmp_path / f"ntsc{suffix}", frames=90, fps=Fraction(30000, 1001), codec=codec, gop=15
    )
    info = probe(path)
    steps = set(np.diff(info.timebase.pts).tolist())
    assert len(steps) > 1  # 33 and 34 ms: rounded to whole milliseconds
    assert not info.variable_frame_rate
    assert info.fps == pytest.approx(30000 / 1001, rel=1e-3)


def test_real_variation_is_variable_in_any_time_base(tmp_path):
    phone = make_clip(tmp_path / "phone.mkv", frames=60, vfr_pts_us=vfr_times(60, seed=5))
    assert probe(phone).variable_frame_rate
    times = [round(i * 1e6 / 25) for i in range(60)]
    dropped = times[:30] + [t + 40_000 for t in times[30:]]  # one frame lost at 30
    for suffix in (".mp4", ".mkv"):
        clip = make_clip(tmp_path / f"drop{suffix}", frames=60, vfr_pts_us=dropped)
        assert probe(clip).variable_frame_rate


# --- the full decode is done once per file --------------------------------------------------------


def test_a_full_decode_count_is_kept_and_reused(made, monkeypatch):
    item = made["mp4_decode_order_timestamps"]
    from coder.media import index as index_module

    calls = []
    real = index_module.decode_all_ticks

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(index_module, "decode_all_ticks", counting)
    probe(item.path)
    index_cache.forget_memory()  # only the disk copy is left
    info = probe(item.path)
    with open_video(item.path) as video:
        assert _number(video, 3) == item.truth[3]
    assert calls == []
    assert info.index_method == "decode"


# --- an index that lies is caught, never served ---------------------------------------------------


def _never_wrong(video: PyAVVideoSource, truth: list[int], wanted: list[int]) -> list[str]:
    """Read ``wanted``; return the errors. A wrong frame fails the test at once."""
    errors = []
    for i in wanted:
        try:
            got = _number(video, i)
        except MediaError as exc:
            errors.append(str(exc))
            continue
        assert got == truth[i], f"frame {i} showed {got}"
    return errors


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    """A cache of full-decode counts of this test only."""
    monkeypatch.setenv(index_cache.ENV, str(tmp_path / "counts"))
    index_cache.forget_memory()
    yield
    index_cache.forget_memory()


@pytest.mark.parametrize("cache_mb", [0, 256])
def test_an_index_whose_order_is_wrong_is_repaired(tmp_path, fresh_cache, cache_mb):
    path = make_clip(tmp_path / "plain.mp4", frames=60, gop=30, bframes=3)
    truth = oddmedia.sequential_numbers(path)
    good = read_index(path)
    ticks = good.ticks.copy()
    ticks[[41, 42]] = ticks[[42, 41]]  # claims the decoder shows 42 before 41
    lying = replace(good, ticks=ticks)
    with PyAVVideoSource(path, index=lying, cache_mb=cache_mb) as video:
        wanted = [*range(30, 60), *range(59, -1, -1)]
        assert _never_wrong(video, truth, wanted) == []
        assert video.repairs == 1
        assert video.index.method == "decode"


@pytest.mark.parametrize("order", ["forward", "random"])
def test_an_index_that_counts_hidden_frames_refuses_to_serve(made, fresh_cache, order):
    item = made["webm_vp9_hidden_frames"]
    index = read_index(item.path)
    # What an index that cannot see hidden frames believes: every packet is a picture.
    ticks = np.sort(index.packets.pts)
    times = (ticks * 1000).astype(np.int64)
    lying = replace(index, ticks=ticks, timebase=TimeBase(times, int(times[-1]) + 40_000))
    with PyAVVideoSource(item.path, index=lying, cache_mb=0) as video:
        wanted = _orders(60, order)[order]
        errors = _never_wrong(video, [*item.truth, -1, -1, -1], wanted)
        assert errors, "the lie must be found"
        assert "open it again" in errors[-1]
        assert "57 frames" in errors[-1]
    with open_video(item.path, cache_mb=0) as video:  # opened again: the stored count
        assert video.frame_count == 57
        assert [_number(video, i) for i in (56, 7, 8)] == [item.truth[i] for i in (56, 7, 8)]


@pytest.mark.parametrize("lie", ["a_frame_missing", "a_frame_too_many"])
def test_an_index_that_miscounts_refuses_to_serve(tmp_path, fresh_cache, lie):
    path = make_clip(tmp_path / "counted.mkv", frames=40, gop=10, bframes=2)
    truth = oddmedia.sequential_numbers(path)
    good = read_index(path)
    ticks, times = good.ticks.tolist(), good.timebase.pts.tolist()
    if lie == "a_frame_missing":
        del ticks[20], times[20]
    else:
        ticks.insert(21, ticks[20] + 1)
        times.insert(21, times[20] + 1000)
    lying = replace(
        good,
        ticks=np.asarray(ticks, dtype=np.int64),
        timebase=TimeBase(times, good.timebase.duration_us),
    )
    with PyAVVideoSource(path, index=lying, cache_mb=0) as video:
        errors = _never_wrong(video, [*truth, -1], list(range(10, 40)))
        assert errors
        assert all("open it again" in e for e in errors)
    with open_video(path) as video:
        assert video.frame_count == 40
        assert _number(video, 39) == 39


def test_a_decoder_exception_becomes_a_media_error_naming_the_file(tmp_path, monkeypatch):
    import av

    path = make_clip(tmp_path / "named.mp4", frames=20)
    with open_video(path, cache_mb=0) as video:

        def broken(frame):
            raise av.error.InvalidDataError(1094995529, "Invalid data found")

        monkeypatch.setattr(video, "_to_rgb", broken)
        with pytest.raises(MediaError, match=r"named\.mp4: frame 9 cannot be decoded"):
            video.frame(9)


def test_a_full_decode_reports_progress_and_can_be_cancelled(made, fresh_cache):
    path = made["avi_packed_bframes"].path
    heard = []

    class Cancelled(Exception):
        pass

    def cancel(done, total, text):
        heard.append((done, total, text))
        raise Cancelled

    with pytest.raises(Cancelled):
        probe(path, progress=cancel)
    assert heard
    assert "packed.avi" in heard[0][2]
    assert index_cache.load(path, 0) is None  # nothing half-counted is kept
    info = probe(path, progress=lambda *args: heard.append(args))
    assert info.frame_count == 40
    assert heard[-1][0] == heard[-1][1] > 0
