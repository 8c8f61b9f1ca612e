"""open_video(): frame(i) is exactly the i-th frame, however frames are asked for."""

from __future__ import annotations

import random
import threading

import numpy as np
import pytest

from coder.demo.synth import read_frame_number
from coder.media import ArrayVideoSource, VideoSource, open_video
from coder.timebase import TimeBase


def _number(source, index: int) -> int:
    return read_frame_number(source.frame(index))


def test_every_frame_in_order_is_exact(clip):
    with open_video(clip.path) as video:
        assert isinstance(video, VideoSource)
        assert video.frame_count == clip.frames
        assert [_number(video, i) for i in range(clip.frames)] == list(range(clip.frames))


def test_stepping_back_from_the_end_is_exact_with_a_small_cache(clip):
    with open_video(clip.path, cache_mb=0.7) as video:  # three 320×240 frames
        for i in range(clip.frames):
            video.frame(i)
        order = list(range(clip.frames - 1, -1, -1))
        assert [_number(video, i) for i in order] == order


def test_random_access_is_exact(clip):
    rng = random.Random(clip.name)
    wanted = [rng.randrange(clip.frames) for _ in range(40)]
    with open_video(clip.path, cache_mb=0) as video:
        assert [_number(video, i) for i in wanted] == wanted


def test_steps_around_random_jumps_are_exact(clip):
    rng = random.Random(f"jumps {clip.name}")
    with open_video(clip.path, cache_mb=2) as video:
        for _ in range(8):
            at = rng.randrange(clip.frames)
            around = [at, *range(at + 1, min(at + 4, clip.frames))]
            around += [i for i in range(at - 1, at - 4, -1) if i >= 0]
            assert [_number(video, i) for i in around] == around


def test_frame_is_rgb_uint8_of_the_clip_size_and_read_only(clip):
    with open_video(clip.path) as video:
        picture = video.frame(min(5, clip.frames - 1))
        width, height = clip.size
        assert picture.shape == (height, width, 3)
        assert picture.dtype == np.uint8
        assert (video.width, video.height) == clip.size
        assert not picture.flags.writeable


def test_times_and_index_at_follow_the_real_frame_times(clip):
    with open_video(clip.path) as video:
        assert video.timebase.pts.tolist() == clip.pts_us
        assert video.duration_us > clip.pts_us[-1]
        for i in (0, 1, clip.frames // 2, clip.frames - 1):
            start = clip.pts_us[i]
            assert video.pts_us(i) == start
            assert video.index_at(start) == i
            assert video.index_at(start + 1) == i
            assert video.index_at(video.timebase.end_us(i) - 1) == i
        assert video.index_at(-5) == 0
        assert video.index_at(10**12) == clip.frames - 1


def test_a_forward_step_decodes_exactly_one_new_frame(clips):
    clip = clips["h264_mp4_long_gop"]
    with open_video(clip.path) as video:
        video.frame(10)
        for i in range(11, clip.frames):
            before = video.frames_decoded
            assert _number(video, i) == i
            assert video.frames_decoded - before == 1
        assert video.seeks <= 1


def test_a_back_step_within_the_cache_decodes_nothing(clips):
    clip = clips["h264_mp4_long_gop"]
    with open_video(clip.path) as video:
        for i in range(50):
            video.frame(i)
        before = video.frames_decoded
        assert [_number(video, i) for i in range(49, -1, -1)] == list(range(49, -1, -1))
        assert video.frames_decoded == before


def test_a_back_step_past_the_cache_refills_it_from_the_keyframe(clips):
    clip = clips["h264_mp4_long_gop"]  # keyframes at 0 and 60
    with open_video(clip.path, cache_mb=1) as video:
        capacity = video.cache.capacity
        assert capacity > 1024 * 1024 // (320 * 240 * 3)  # more than four RGB frames would
        video.frame(59)
        assert video.cache.compact_indices() == list(range(60 - capacity, 60))
        video.frame(119)  # a miss: decoded from the keyframe at 60, the last frames kept
        assert video.cache.compact_indices() == list(range(120 - capacity, 120))
        before = video.frames_decoded
        kept = list(range(118, 119 - capacity, -1))
        assert [_number(video, i) for i in kept] == kept
        assert video.frames_decoded == before
        below = 119 - capacity  # the next step back misses and refills from the keyframe
        assert _number(video, below) == below
        assert 0 < video.frames_decoded - before <= below - 60 + 1
        # Kept: the frames behind it, before those the coder just left.
        assert set(range(below - capacity // 2, below + 1)) <= set(video.cache.compact_indices())


def test_the_cache_never_exceeds_its_memory_budget(clips):
    clip = clips["h264_mp4_long_gop"]
    frame_bytes = 320 * 240 * 3
    rng = random.Random(3)
    for cache_mb in (0, 0.5, 2):
        budget = int(cache_mb * 1024 * 1024)
        with open_video(clip.path, cache_mb=cache_mb) as video:
            for i in [*range(clip.frames), *(rng.randrange(clip.frames) for _ in range(60))]:
                video.frame(i)
                video.prefetch(i)
                assert video.cache.nbytes <= budget
            assert len(video.cache.compact_indices()) == video.cache.capacity
            # The compact form holds more frames in the budget than RGB would.
            assert video.cache.capacity >= budget // frame_bytes


def test_a_larger_cache_serves_back_steps_without_decoding(clips):
    clip = clips["h264_mp4_long_gop"]
    with open_video(clip.path, cache_mb=64) as video:
        for i in range(clip.frames):
            video.frame(i)
        before = video.frames_decoded
        for i in range(clip.frames - 1, -1, -1):
            video.frame(i)
        assert video.frames_decoded == before
        assert video.cache.compact_indices() == list(range(clip.frames))
        assert video.cache.nbytes < clip.frames * 320 * 240 * 3 * 2 // 3


@pytest.mark.parametrize("thread_type", ["SLICE", "FRAME", "NONE"])
def test_other_decoder_threading_is_exact_too(clips, thread_type):
    clip = clips["h264_mp4_vfr"]
    wanted = [*range(0, 30), 59, 3, 40, 39, 38, 12]
    with open_video(clip.path, cache_mb=1, thread_type=thread_type) as video:
        assert [_number(video, i) for i in wanted] == wanted


def test_threads_sharing_a_source_get_exact_frames(clips):
    clip = clips["h264_mp4_long_gop"]
    errors: list[str] = []
    with open_video(clip.path, cache_mb=1) as video:

        def hammer(seed: int) -> None:
            rng = random.Random(seed)
            for _ in range(40):
                i = rng.randrange(clip.frames)
                got = _number(video, i)
                if got != i:
                    errors.append(f"asked {i}, got {got}")

        workers = [threading.Thread(target=hammer, args=(seed,)) for seed in range(3)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    assert errors == []


def test_out_of_range_frames_raise_index_error(clips):
    clip = clips["h264_mp4_25fps"]
    with open_video(clip.path) as video:
        with pytest.raises(IndexError, match=r"outside 0\.\.59"):
            video.frame(60)
        with pytest.raises(IndexError):
            video.frame(-1)


def test_nominal_fps_and_info_match_probe(clips):
    clip = clips["h264_mp4_29.97fps_audio"]
    with open_video(clip.path) as video:
        assert video.fps == pytest.approx(30000 / 1001)
        assert video.info.has_audio
        assert video.info.frame_count == video.frame_count


def test_array_source_is_a_video_source():
    frames = np.zeros((3, 4, 6, 3), dtype=np.uint8)
    frames[1] = 7
    source = ArrayVideoSource(frames, TimeBase.constant(3, 25))
    assert isinstance(source, VideoSource)
    assert int(source.frame(1)[0, 0, 0]) == 7
    assert source.index_at(40_000) == 1


def test_a_full_cache_recycles_frame_memory_nobody_holds(clips):
    clip = clips["h264_mp4_long_gop"]
    with open_video(clip.path, cache_mb=1) as video:  # four frames
        addresses = {video.frame(i).__array_interface__["data"][0] for i in range(60)}
    assert len(addresses) <= video.cache.hot_limit + 2


def test_a_frame_a_caller_still_holds_is_never_overwritten(clips):
    clip = clips["h264_mp4_long_gop"]
    with open_video(clip.path, cache_mb=1) as video:
        held = video.frame(5)
        snapshot = held.copy()
        for i in range(6, 60):
            video.frame(i)
        assert 5 not in video.cache
        assert np.array_equal(held, snapshot)
        assert read_frame_number(held) == 5
