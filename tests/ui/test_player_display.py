"""How the player shows what the file says about its pictures: rotation, pixel shape, fields.

Display only: the frame on screen (``current_frame``) and its exact pixels (``shown_frame().rgb``)
are the engine's, so codes stay on whole, upright frames.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest

from coder.demo.synth import make_clip, read_frame_number
from coder.media import open_video
from ui.player.playback import to_frame
from ui.player.player import Player

WAIT_MS = 5000


@pytest.fixture
def player(qtbot):
    widget = Player(audio=False, deinterlace=False)
    qtbot.addWidget(widget)
    widget.resize(640, 480)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.close_media()


def _shown(qtbot, player: Player, frame: int):
    player.seek(frame)
    qtbot.waitUntil(lambda: player.current_frame == frame, timeout=WAIT_MS)
    shown = player.shown_frame()
    assert shown is not None
    return shown


def test_a_phone_clip_shot_upright_is_shown_upright(qtbot, player, tmp_path):
    path = make_clip(tmp_path / "portrait.mp4", frames=20, size=(320, 176), rotation=90)
    player.open([path])
    shown = _shown(qtbot, player, 12)
    assert shown.rgb.shape == (320, 176, 3)  # portrait, as the phone was held
    assert read_frame_number(np.rot90(shown.rgb, -1)) == 12
    rect = player.views()[0].picture_rect()
    assert rect.height() > rect.width()
    assert rect.width() / rect.height() == pytest.approx(176 / 320, abs=0.02)


def test_non_square_pixels_are_shown_at_their_shape(qtbot, player, tmp_path):
    path = make_clip(tmp_path / "dv.mp4", frames=20, size=(320, 240), sample_aspect=Fraction(16, 9))
    player.open([path])
    shown = _shown(qtbot, player, 5)
    assert shown.rgb.shape == (240, 320, 3)  # the coded pixels, exact
    rect = player.views()[0].picture_rect()
    assert rect.width() / rect.height() == pytest.approx(320 * 16 / 9 / 240, abs=0.02)
    assert shown.image.width() / shown.image.height() == pytest.approx(320 * 16 / 9 / 240, abs=0.03)


def test_deinterlacing_changes_the_picture_on_screen_only(qtbot, player, tmp_path):
    path = make_clip(tmp_path / "cam.ts", frames=20, gop=10, interlaced=True)
    with open_video(path) as video:
        assert video.interlaced
        exact = video.frame(7).copy()
    player.open([path])
    woven = _shown(qtbot, player, 7)
    assert np.array_equal(woven.rgb, exact)
    player.set_deinterlace(True)
    assert player.deinterlace
    assert player.deinterlace_action.isChecked()
    qtbot.waitUntil(lambda: player.shown_frame() is not woven, timeout=WAIT_MS)
    smooth = player.shown_frame()
    assert smooth.index == player.current_frame == 7
    assert np.array_equal(smooth.rgb, exact)  # the frame itself is untouched
    assert not np.array_equal(smooth.pixels, woven.pixels)


def test_a_progressive_video_is_never_deinterlaced(qtbot, player, tmp_path):
    path = make_clip(tmp_path / "plain.mp4", frames=10)
    player.set_deinterlace(True)
    player.open([path])
    shown = _shown(qtbot, player, 3)
    assert read_frame_number(shown.rgb) == 3
    assert not player._media[0].worker._deinterlace


def test_field_interpolation_keeps_the_top_field():
    rgb = np.zeros((8, 4, 3), dtype=np.uint8)
    rgb[0::2] = 200  # top field bright, bottom field dark: combs when woven
    frame = to_frame(0, 0, rgb, None, deinterlace=True)
    assert frame.pixels.shape == rgb.shape
    assert frame.pixels.min() >= 199  # no combs
    assert frame.rgb is not frame.pixels
