"""Editing by keyboard in the window: Go to a time or frame (Ctrl+G), every place checked
against the frame number burned into the picture."""

from __future__ import annotations

from tests.ui.test_main_window_support import (  # noqa: F401 (fixtures)
    Key,
    Mod,
    demo_fixture,
    demo_template_fixture,
    open_and_show,
    press,
    prompts_fixture,
    settings_fixture,
    shown_number,
    wait_frame,
    window_fixture,
)


def test_go_to_takes_a_time_or_a_frame(qtbot, window, demo, prompts) -> None:
    open_and_show(qtbot, window, demo)
    prompts.script("text", "0:01.5", "f50", "2,04", "1:75", "f9000", None)
    press(qtbot, window, Key.Key_G, Mod.ControlModifier)
    wait_frame(qtbot, window, 37)  # 1.5 s at 25 fps: frame 37 is on screen (1.48–1.52 s)
    press(qtbot, window, Key.Key_G, Mod.ControlModifier)
    wait_frame(qtbot, window, 50)
    assert prompts.asked_texts[-1][2] == "0:01.5"  # the last place is offered again
    press(qtbot, window, Key.Key_G, Mod.ControlModifier)
    wait_frame(qtbot, window, 51)
    assert shown_number(window) == 51
    press(qtbot, window, Key.Key_G, Mod.ControlModifier)
    assert window.status.message == (
        "Cannot go there: '1:75' is not a time: minutes and seconds run to 59"
    )
    press(qtbot, window, Key.Key_G, Mod.ControlModifier)
    assert "frame 9000 is not in this video (frames 0–99)" in window.status.message
    press(qtbot, window, Key.Key_G, Mod.ControlModifier)  # cancelled: nothing moves
    assert window.player.current_frame == 51
