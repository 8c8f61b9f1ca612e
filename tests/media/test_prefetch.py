"""Frames kept compact and decoded ahead: the same pixels as a fresh decode, more frames per MB,
kept near the playhead, and stepping back from a prefetched playhead decodes nothing."""

from __future__ import annotations

import numpy as np
import pytest

from coder.demo.synth import make_clip, read_frame_number
from coder.media import open_video
from coder.media.frame_cache import FrameCache
from coder.media.pyav import behind_window


def _number(video, index: int) -> int:
    return read_frame_number(video.frame(index))


def test_a_frame_from_the_compact_cache_is_the_fresh_decodes_picture(clip):
    last = clip.frames - 1
    with open_video(clip.path, cache_mb=64) as kept, open_video(clip.path, cache_mb=0) as fresh:
        for i in range(clip.frames):
            kept.frame(i)
        rgb = kept.cache.rgb_indices()
        compact_only = [i for i in kept.cache.compact_indices() if i not in rgb]
        assert len(compact_only) >= clip.frames - kept.cache.hot_limit
        for i in (0, 1, last // 3, last // 2, last - 5):
            before = kept.frames_decoded
            picture = kept.frame(i)
            assert kept.frames_decoded == before  # converted from the cache, not decoded
            assert np.array_equal(picture, fresh.frame(i))
            assert picture.shape == (clip.size[1], clip.size[0], 3)


def test_a_turned_picture_is_turned_when_converted_from_the_cache(tmp_path):
    path = make_clip(tmp_path / "phone.mp4", frames=24, rotation=90, gop=8)
    with open_video(path, cache_mb=16) as kept, open_video(path, cache_mb=0) as fresh:
        for i in range(24):
            kept.frame(i)
        for i in (2, 9, 15):
            assert np.array_equal(kept.frame(i), fresh.frame(i))
            assert kept.frame(i).shape == (320, 240, 3)


def test_the_compact_form_holds_twice_the_frames_of_rgb_at_1080p():
    rgb = 1920 * 1080 * 3
    cache = FrameCache(256 * 1024 * 1024, rgb, rgb // 2)
    assert cache.capacity >= 2 * (256 * 1024 * 1024 // rgb) - cache.hot_limit * 2


def test_eviction_keeps_the_frames_the_playhead_moves_towards():
    cache = FrameCache(9 * 100, 300, 100)  # room for nine compact frames and no RGB one
    assert cache.hot_limit == 0
    cache.set_focus(50, -1)  # stepping back
    for i in range(40, 61):
        cache.put_compact(i, f"frame {i}", 100)
    # The focus, six behind it (1..6 away) and two ahead of it (counted as 3 and 5 away).
    assert cache.compact_indices() == list(range(44, 53))
    assert cache.compact(45) == "frame 45"
    assert cache.compact(60) is None
    cache.set_focus(52)  # moving forward now
    for i in range(53, 57):
        cache.put_compact(i, f"frame {i}", 100)
    assert cache.compact_indices() == list(range(48, 57))
    assert cache.nbytes <= 900


def test_rgb_frames_and_compact_frames_share_the_budget():
    cache = FrameCache(4 * 300 + 6 * 100, 300, 100)
    assert cache.hot_limit == 1
    frame = np.zeros((10, 10, 3), dtype=np.uint8)
    for i in range(20):
        cache.put_compact(i, i, 100)
        cache.put_rgb(i, frame.copy())
        assert cache.nbytes <= cache.budget_bytes
    assert cache.rgb_indices() == [19]
    assert cache.rgb(18) is None
    assert cache.rgb(19) is not None
    assert not cache.rgb(19).flags.writeable


def test_stepping_back_from_a_prefetched_playhead_decodes_nothing(clips):
    clip = clips["h264_mp4_long_gop"]  # keyframes at 0 and 60
    with open_video(clip.path, cache_mb=3) as video:
        window = behind_window(video.cache.capacity)
        assert window >= 8
        at = 70  # near a keyframe: stepping back goes on into the group before it
        assert _number(video, at) == at
        misses = video.cache.misses
        for i in range(at - 1, at - 3 * window, -1):
            assert video.prefetch(i + 1)
            decoded = video.frames_decoded
            assert video.prefetch(i + 1)  # done: asking again decodes nothing
            assert video.frames_decoded == decoded
            assert _number(video, i) == i  # a cache hit: nothing decoded for the step
            assert video.frames_decoded == decoded
        assert video.cache.misses == misses


def test_a_prepared_forward_step_decodes_nothing_and_is_served_as_rgb(clips):
    clip = clips["h264_mp4_long_gop"]
    with open_video(clip.path) as video:
        for i in range(20, 30):
            video.frame(i)
            assert video.prepare(i + 1)
            before = video.frames_decoded
            assert i + 1 in video.cache.rgb_indices()
            assert _number(video, i + 1) == i + 1
            assert video.frames_decoded == before


def test_decoding_ahead_stops_when_asked_and_goes_on_from_where_it_stopped(clips):
    clip = clips["h264_mp4_long_gop"]
    with open_video(clip.path, cache_mb=8) as video:
        asked = 0

        def stop() -> bool:
            nonlocal asked
            asked += 1
            return asked >= 5

        assert not video.warm(80, 110, stop)
        assert asked == 5
        partial = video.frames_decoded
        assert partial < 40  # stopped early
        assert video.warm(80, 110)
        assert video.frames_decoded - partial <= 110 - 60 + 1 - (partial - 1)
        before = video.frames_decoded
        assert [_number(video, i) for i in range(110, 79, -1)] == list(range(110, 79, -1))
        assert video.frames_decoded == before


@pytest.mark.parametrize("cache_mb", [0, 0.7, 4])
def test_frames_stay_exact_with_prefetching_between_steps(clips, cache_mb):
    clip = clips["h264_mkv_open_gop"]
    rng = np.random.default_rng(7)
    with open_video(clip.path, cache_mb=cache_mb) as video:
        at = clip.frames - 1
        for _ in range(80):
            at = int(np.clip(at + rng.choice([-1, -1, -1, 1, -7, 9]), 0, clip.frames - 1))
            assert _number(video, at) == at
            video.prepare(at - 1)
            video.prepare(at + 1)
            video.prefetch(at)
