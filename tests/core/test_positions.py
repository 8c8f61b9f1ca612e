"""Places typed by a coder (Go to): times and frames, and what a video makes of them."""

from __future__ import annotations

import pytest

from coder.timebase import TimeBase
from coder.timefmt import parse_position


@pytest.mark.parametrize(
    ("typed", "position"),
    [
        ("f2500", ("frame", 2500)),
        ("Frame 12", ("frame", 12)),
        ("83.5", ("us", 83_500_000)),
        ("0,5", ("us", 500_000)),
        ("1:23.5", ("us", 83_500_000)),
        (" 1:02:03.250 ", ("us", 3_723_250_000)),
        ("0:00.040", ("us", 40_000)),
    ],
)
def test_times_and_frames_as_coders_type_them(typed: str, position: tuple[str, int]) -> None:
    assert parse_position(typed) == position


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "type a time"),
        ("f", "a frame is f and a whole number"),
        ("f12.5", "a frame is f and a whole number"),
        ("abc", "is not a time"),
        ("-3", "is not a time"),
        ("1e5", "is not a time"),
        ("1:2:3:4", "is not a time"),
        ("1:75", "minutes and seconds run to 59"),
        ("1:75:00", "minutes and seconds run to 59"),
        ("99999999", "past the end of any recording"),
    ],
)
def test_what_is_no_place_is_refused_in_words(typed: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_position(typed)


def test_a_video_turns_a_place_into_the_frame_on_screen() -> None:
    vfr = TimeBase([0, 40_000, 95_000, 130_000], duration_us=170_000)
    assert vfr.frame_at_position("frame", 3) == 3
    assert vfr.frame_at_position("us", 100_000) == 2  # shown from 95 ms to 130 ms
    assert vfr.frame_at_position("us", 170_000) == 3  # the very end shows the last frame
    with pytest.raises(ValueError, match=r"frame 4 is not in this video \(frames 0–3\)"):
        vfr.frame_at_position("frame", 4)
    with pytest.raises(ValueError, match=r"0.2 s is not in this video \(it lasts 0.170 s\)"):
        vfr.frame_at_position("us", 200_000)
